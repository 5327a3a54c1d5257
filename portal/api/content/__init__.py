"""HTTP face of the content: news, pages, FAQ, glossary, legislation (read: public; write:
operators)."""

from portal.api.content import faq, glossary, legislation, news, pages

BLUEPRINTS = [news.blp, pages.blp, faq.blp, glossary.blp, legislation.blp]
