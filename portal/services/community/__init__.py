"""The community around datasets: ratings, comments, moderation, proposals, feedback, survey,
follows. Every function takes plain arguments (the caller's User or None first)."""
