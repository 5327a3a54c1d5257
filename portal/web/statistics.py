"""The statistics page: totals and every table of the statistics service, charts beside tables.

Each table shows the same rows the API answers for `/api/v1/statistics/{table}`, with a link to
its CSV; the overview shows the head of each, `/statistics/{table}` all of it, paged.
"""

import time
from datetime import datetime

from flask import render_template
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _
from markupsafe import Markup

from portal.core.errors import NotFound
from portal.services.discovery import labels
from portal.services.statistics import tables
from portal.web import args as query
from portal.web import charts, i18n
from portal.web.frame import bp
from portal.web.listing import paging
from portal.web.renewed import Renewed

HEAD_ROWS = 10  # rows of each table on the overview
MONTHS = 1200  # the overview reads the whole monthly series (a hundred years)
PAGE_SIZE = 25  # rows of a table's own page
OVERVIEW_SECONDS = 10.0
CHARTED = {  # table -> (the label of a bar, the numbers drawn: one chart each)
    "downloads": ("title", ("downloads",)),
    "rated": ("title", ("average",)),
    "sectors": ("sector", ("datasets", "downloads")),
    "monthly": ("month", ("datasets", "versions", "downloads")),
}


def _per_language(make):
    """`make()` once per language of the pages: the words come from the catalogs, read once at
    start, so a table's headings are the same on every request in one language."""
    kept = {}

    def made():
        lang = i18n.current()
        if lang not in kept:
            kept[lang] = make()
        return kept[lang]

    _kept_words.append(kept)
    return made


_kept_words = []


def titles():
    """Each table's heading, as the user guide names them."""
    return _titles()


def columns(name):
    """[(key, heading, kind)] of a table; `kind` says how the template shows a value."""
    return _columns()[name]


@_per_language
def _titles():
    return {
        "downloads": _("Most downloaded datasets"),
        "views": _("Most viewed datasets"),
        "rated": _("Top rated datasets"),
        "recent": _("Most recently updated datasets"),
        "sectors": _("Datasets and downloads by sector"),
        "organizations": _("Datasets by organization"),
        "rejected": _("Rejected datasets"),
        "searches": _("Most popular search queries"),
        "searches-empty": _("Search queries that found nothing"),
        "monthly": _("Month by month"),
    }


@_per_language
def _columns():
    dataset = [("title", _("Dataset"), "dataset"), ("organization", _("Organization"), "org")]
    ranked = dataset + [
        ("downloads", _("Downloads"), "int"),
        ("views", _("Views"), "int"),
        ("rating", _("Rating"), "dec"),
        ("updated_at", _("Updated"), "date"),
    ]
    searches = [
        ("query", _("Query"), "query"),
        ("count", _("Times searched"), "int"),
        ("results", _("Datasets found"), "int"),
        ("last_at", _("Last searched"), "date"),
    ]
    return {
        "downloads": ranked,
        "views": ranked,
        "recent": ranked,
        "rated": dataset + [
            ("average", _("Average rating"), "dec"),
            ("count", _("Ratings"), "int"),
            ("score", _("Ranking score"), "dec"),
        ],
        "sectors": [
            ("sector", _("Sector"), "sector"),
            ("datasets", _("Datasets"), "int"),
            ("downloads", _("Downloads"), "int"),
            ("views", _("Views"), "int"),
        ],
        "organizations": [
            ("organization", _("Organization"), "org"),
            ("datasets", _("Datasets"), "int"),
            ("public", _("Public datasets"), "int"),
            ("downloads", _("Downloads"), "int"),
            ("share_on_time", _("Updated on time"), "share"),
            ("timeliness_rank", _("Timeliness rank"), "int"),
            ("quality", _("Quality"), "pct"),
            ("comment_answer_rate", _("Questions answered"), "share"),
        ],
        "rejected": dataset + [
            ("reasons", _("Reasons"), "list"),
            ("rejected_at", _("Rejected on"), "date"),
        ],
        "searches": searches,
        "searches-empty": searches,
        "monthly": [
            ("month", _("Month"), "text"),
            ("datasets", _("New datasets"), "int"),
            ("versions", _("New versions"), "int"),
            ("downloads", _("Downloads"), "int"),
            ("views", _("Views"), "int"),
        ],
    }


def when(value):
    """A time the service gives as ISO 8601 text, back as a datetime (for the date helper)."""
    if isinstance(value, str) and value:
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            return None
    return value


def cell(kind, row, key, names):
    """What one cell shows: (kind, value) with codes turned into names."""
    value = row.get(key)
    if kind == "dataset":
        return {"code": row.get("code"), "title": value}
    if kind == "org":
        return names["orgs"].get(value) or value
    if kind == "sector":
        return names["sectors"].get(value) or value
    if kind == "date":
        return when(value)
    if value is None:
        return None
    if kind == "int":
        return format_decimal(value)
    if kind == "dec":
        return format_decimal(value, format="#,##0.##")
    if kind == "share":
        return format_percent(value, format="#,##0.#%")
    if kind == "pct":
        return format_percent(value / 100, format="#,##0.#%")
    if kind == "list":
        return "; ".join(str(v) for v in value)
    return value


def shaped(name, items, names):
    """Rows as lists of (kind, shown value), in the order of the table's columns."""
    spec = columns(name)
    return [[(kind, cell(kind, row, key, names)) for key, _h, kind in spec] for row in items]


def charts_of(name, items, names):
    """[(title, SVG bars)] of a charted table, drawn from the same rows as its table."""
    if name not in CHARTED or not items:
        return []
    label, numbers = CHARTED[name]
    headings = {key: heading for key, heading, _kind in columns(name)}

    def text(row):
        if label == "title":
            return i18n.ml_plain(row.get("title")) or row.get("code")
        if label == "sector":
            return i18n.ml_plain(names["sectors"].get(row["sector"])) or row["sector"]
        return row.get(label)

    return [
        (f"{titles()[name]}: {headings[n]}", charts.bars([(text(r), r.get(n) or 0) for r in items]))
        for n in numbers
    ]


def csv_url(name):
    return f"/api/v1/statistics/{name}?format=csv&lang={i18n.key_of(i18n.current())}"


def section(name, found, page, size, names, latest=False):
    """What the template needs of one table page `found`: heading, columns, rows, chart,
    paging, CSV. `latest` (the overview's monthly series): the last `size` months of the
    whole series, the newest first in the table and in time order in the chart."""
    items = chart_items = found["items"]
    if latest:
        chart_items = items[-size:]
        items = list(reversed(chart_items))
    return {
        "name": name,
        "title": titles()[name],
        "columns": [(heading, kind) for _k, heading, kind in columns(name)],
        "rows": shaped(name, items, names),
        "charts": charts_of(name, chart_items, names),
        "total": found["total"],
        "csv": csv_url(name),
        "paging": paging(page, found["total"], size),
    }


_pages = {}  # (table, page, language) -> (when, the HTML of its main part)
MAX_PAGES = 400


def _read_overview():
    """The totals and the head of every table, as the service gives them, and a place for
    their HTML per language."""
    data = {
        "totals": tables.totals(),
        # the whole monthly series (a row a month), of which the page shows the last months
        "tables": {n: tables.table(n, 1, MONTHS if n == "monthly" else HEAD_ROWS)
                   for n in OVERVIEW},  # fmt: skip
    }
    return {"data": data, "html": {}}


# eleven reads, which change when the tables are built again (every few minutes) but for the
# live counters and the search records, renewed in the background every OVERVIEW_SECONDS
_overview = Renewed(_read_overview, OVERVIEW_SECONDS)


def forget():
    """Drop the kept overview and table pages (an app built anew, on another database: a
    test), and the headings kept per language."""
    _overview.forget()
    _pages.clear()
    for kept in _kept_words:
        kept.clear()


def overview_data():
    """The overview as last read: read again at once when the tables were built again since."""
    return _overview.get(tables.built())


def _overview_html(kept):
    """The tables of the overview as HTML in this page's language, made once per language from
    each read of the overview (so they change with it)."""
    html = kept["html"]
    lang = i18n.current()
    if lang not in html:
        names = _names()
        sections = [section(n, kept["data"]["tables"][n], 1, HEAD_ROWS, names,
                            latest=n == "monthly") for n in OVERVIEW]  # fmt: skip
        html[lang] = Markup(render_template("statistics/_overview_tables.html", sections=sections))  # noqa: S704 - rendered by Jinja with autoescape
    return html[lang]


def _table_html(table, page):
    """(title, HTML of the main part) of a page of one table, kept OVERVIEW_SECONDS like the
    overview: the same rows in the same language give the same HTML."""
    key = (table, page, i18n.current())
    now = time.monotonic()
    hit = _pages.get(key)
    if hit and now - hit[0] < OVERVIEW_SECONDS:
        return hit[1]
    found = tables.table(table, page, PAGE_SIZE)
    s = section(table, found, page, PAGE_SIZE, _names())
    made = (s["title"], Markup(render_template("statistics/_table_main.html", s=s)))  # noqa: S704 - rendered by Jinja with autoescape
    if len(_pages) >= MAX_PAGES:
        _pages.clear()
    _pages[key] = (now, made)
    return made


def _names():
    return {"orgs": labels.organizations(), "sectors": labels.sectors()}


OVERVIEW = ("downloads", "views", "rated", "recent", "sectors", "organizations", "rejected",
            "searches", "searches-empty", "monthly")  # fmt: skip


@bp.get("/statistics")
def statistics():
    """Totals and the head of every statistics table, charts with their tables."""
    query.read({})
    kept = overview_data()
    return render_template(
        "statistics/overview.html",
        totals={k: format_decimal(v) for k, v in kept["data"]["totals"].items()
                if isinstance(v, int)},  # fmt: skip
        tables_html=_overview_html(kept),
        head_rows=HEAD_ROWS,
    )


@bp.get("/statistics/<table>")
def statistics_table(table):
    """One statistics table, all of it, a page at a time."""
    if table not in OVERVIEW:
        raise NotFound(f"no statistics table {table!r}")
    params = query.read({"page": int})
    title, main = _table_html(table, params["page"])
    return render_template("statistics/table.html", title=title, main=main)
