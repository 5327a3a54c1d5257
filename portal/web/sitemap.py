"""The site map: a page for people, /sitemap.xml (an index of XML sitemaps) for search engines."""

from flask import Response, current_app, render_template, url_for
from markupsafe import escape

from portal.core.errors import NotFound
from portal.services.discovery import search
from portal.web import args as query
from portal.web import i18n
from portal.web.frame import bp, root

CHUNK = 10_000  # datasets per XML sitemap: 4 language URLs each, under the 50,000 limit
XML = "application/xml; charset=utf-8"


def _base():
    return current_app.config["BASE_URL"].rstrip("/")


def page_endpoints():
    """The pages without parameters, in menu order (those registered in this app)."""
    wanted = (
        "web.home", "web.datasets", "web.organizations", "web.monitoring", "web.statistics",
        "web.proposals_page", "web.news", "web.faq", "web.glossary", "web.legislation",
        "web.feedback_page", "web.survey_page", "web.ai", "web.sitemap",
    )  # fmt: skip
    return [e for e in wanted if e in current_app.view_functions]


@bp.get("/sitemap")
def sitemap():
    """The site map, for people."""
    query.read({})
    return render_template("pages/sitemap.html", endpoints=page_endpoints())


def _urlset(paths):
    base = _base()
    lines = ['<?xml version="1.0" encoding="UTF-8"?>']
    lines.append(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
        'xmlns:xhtml="http://www.w3.org/1999/xhtml">'
    )
    for path in paths:
        alternates = "".join(
            f'<xhtml:link rel="alternate" hreflang="{i18n.tag_of(c)}" '
            f'href="{escape(base)}/{c}{escape(path)}"/>'
            for c in i18n.CODES
        )
        for code in i18n.CODES:
            lines.append(f"<url><loc>{escape(base)}/{code}{escape(path)}</loc>{alternates}</url>")
    lines.append("</urlset>")
    return Response("\n".join(lines), content_type=XML)


@root.get("/sitemap.xml")
def sitemap_index():
    """The index of the XML sitemaps: the pages, then the datasets a chunk at a time."""
    total = search.search("", limit=0, facets=False)["total"]
    base = _base()
    parts = [f"{base}/sitemap-pages.xml"]
    parts += [f"{base}/sitemap-datasets-{n}.xml" for n in range(1, total // CHUNK + 2)]
    body = "".join(f"<sitemap><loc>{escape(p)}</loc></sitemap>" for p in parts)
    return Response(
        '<?xml version="1.0" encoding="UTF-8"?>'
        f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</sitemapindex>',
        content_type=XML,
    )


@root.get("/sitemap-pages.xml")
def sitemap_pages():
    """Every page without parameters, in the four languages."""
    paths = [url_for(e, lang="uz")[3:] for e in page_endpoints()]
    return _urlset(paths)


@root.get("/sitemap-datasets-<int:n>.xml")
def sitemap_datasets(n):
    """The pages of one chunk of public datasets, in the four languages."""
    if n < 1:
        raise NotFound("no such sitemap")
    found = search.search("", sort="recent", skip=(n - 1) * CHUNK, limit=CHUNK, facets=False)
    if not found["items"] and n > 1:
        raise NotFound("no such sitemap")
    return _urlset([f"/datasets/{d.code}" for d in found["items"]])
