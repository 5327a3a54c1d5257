"""The operators' content as pages: news, FAQ, glossary, legislation, pages by slug."""

from flask import g, render_template
from markupsafe import Markup

from portal.services.content import entries
from portal.web import args as query
from portal.web import i18n
from portal.web.frame import bp
from portal.web.listing import paging

PAGE_SIZE = 20
SLUGS = ("about", "open-data", "terms", "instructions")


def html_of(value):
    """Sanitized HTML (rendered by the content service) in the page's language, or marked."""
    text, key, fell_back = i18n.text_of(value)
    html = Markup(text)  # noqa: S704 - the content service sanitizes what it renders
    if not fell_back:
        return html
    return Markup(f'<div lang="{i18n.TAG_OF_KEY[key]}">') + html + Markup("</div>")  # noqa: S704


def _list(kind, template, size=PAGE_SIZE):
    params = query.read({"page": int})
    found = entries.listing(g.get("user"), kind, params["page"], size)
    return render_template(
        template,
        items=found["items"],
        paging=paging(params["page"], found["total"], size),
        html_of=html_of,
    )


@bp.get("/news")
def news():
    """The portal's news, newest first."""
    return _list("news", "pages/news.html")


@bp.get("/news/<item>")
def news_item(item):
    """One news item."""
    query.read({})
    return render_template(
        "pages/news_item.html", item=entries.get(g.get("user"), "news", item), html_of=html_of
    )


@bp.get("/faq")
def faq():
    """Questions and answers."""
    return _list("faq", "pages/faq.html", 100)


@bp.get("/glossary")
def glossary():
    """Terms of open data."""
    return _list("glossary", "pages/glossary.html", 100)


@bp.get("/legislation")
def legislation():
    """Laws and regulations of open data."""
    return _list("legislation", "pages/legislation.html", 100)


@bp.get("/pages/<slug>")
def page(slug):
    """About the portal, about open data, terms of use, instructions, and other pages."""
    query.read({})
    return render_template("pages/page.html", item=entries.page(slug), html_of=html_of)
