"""Identity: people, their roles and tokens, sign-in through OneID or another OpenID provider."""
