"""The portal's content: news, pages, FAQ, glossary and legislation, in four languages."""
