"""Lists of datasets: the search page, a sector's page, the organizations."""

import math

from flask import render_template
from flask_babel import format_percent

from portal.core.errors import BadRequest, NotFound
from portal.core.frequencies import FREQUENCIES
from portal.services.discovery import labels, search, search_facets
from portal.services.statistics import listings
from portal.web import args as query
from portal.web.frame import bp

PAGE_SIZE = 20
SORTS = ("relevance", "recent", "downloads", "rating")
FACETS = ("organization", "sector", "update_frequency", "format", "ai")


def share(value):
    """A share (0..1) as a percentage in the page's language; a dash when unknown."""
    return "—" if value is None else format_percent(value, format="#,##0.#%")


def paging(page, total, size=PAGE_SIZE):
    """What the pagination macro needs."""
    pages = max(1, math.ceil(total / size))
    return {"page": page, "pages": pages, "total": total, "size": size}


def _chosen(params, name):
    """The values chosen for a facet (`ai` is one checkbox: "1" or nothing)."""
    value = params.get(name) or ()
    return {value} if isinstance(value, str) else set(value)


def run_search(params, fixed=None):
    """Search with the page's parameters; `fixed` filters (a sector page's sector) always apply."""
    unknown = sorted(set(params.get("format") or ()) - set(search_facets.FORMATS))
    if unknown:
        raise BadRequest(
            f"format: no format {', '.join(unknown)}; use {', '.join(search_facets.FORMATS)}"
        )
    filters = {name: _chosen(params, name) for name in FACETS}
    for name, value in (fixed or {}).items():
        filters[name] = {value}
    sort = params.get("sort") or None
    if sort == "relevance" and not params.get("q"):
        sort = "recent"
    found = search.search(
        params.get("q", ""),
        filters=filters,
        sort=sort,
        skip=(params["page"] - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    return found, sort or ("relevance" if params.get("q") else "recent")


def context(found, params, sort):
    orgs, sectors = labels.organizations(), labels.sectors()
    facets = found["facets"] or {}
    return {
        "items": [search.summary(d) for d in found["items"]],
        "total": found["total"],
        "paging": paging(params["page"], found["total"]),
        "facets": [(name, facets.get(name, [])) for name in FACETS],
        "chosen": {name: _chosen(params, name) for name in FACETS},
        "q": params.get("q", ""),
        "sort": sort,
        "sorts": SORTS if params.get("q") else SORTS[1:],
        "orgs": orgs,
        "sectors": sectors,
        "frequencies": FREQUENCIES,
    }


SEARCH_ARGS = {
    "q": str,
    "page": int,
    "sort": ("",) + SORTS,
    "organization": list,
    "sector": list,
    "update_frequency": list,
    "format": list,
    "ai": ("", "1"),
}


@bp.get("/datasets")
def datasets():
    """Search the datasets, with facets, sorts and pages."""
    params = query.read(SEARCH_ARGS)
    found, sort = run_search(params)
    ctx = context(found, params, sort)
    if not found["total"] and params.get("q"):
        ctx["popular"] = [p for p in search.popular(limit=5) if p["results"]]
    return render_template("datasets/search.html", **ctx)


@bp.get("/sectors/<code>")
def sector(code):
    """The datasets of one sector."""
    sectors = labels.sectors()
    if code not in sectors:
        raise NotFound(f"no sector {code!r}")
    params = query.read({k: v for k, v in SEARCH_ARGS.items() if k != "sector"})
    found, sort = run_search(params, fixed={"sector": code})
    ctx = context(found, params, sort)
    return render_template("datasets/sector.html", sector_code=code, **ctx)


@bp.get("/organizations")
def organizations():
    """Every organization with the number of its public datasets."""
    query.read({})
    counts = labels.public_counts()
    orgs = labels.organizations()
    timely = {r["organization"]: r for r in listings.timeliness()}
    rows = sorted(orgs.items(), key=lambda kv: (-counts.get(kv[0], 0), kv[0]))
    return render_template(
        "organizations/list.html",
        rows=[(code, name, counts.get(code, 0), timely.get(code)) for code, name in rows],
        total=sum(counts.values()),
        share=share,
    )
