"""The home page: search, sectors, the newest and most downloaded datasets, figures."""

from flask import render_template

from portal.services import labels, search
from portal.web import args as query
from portal.web.frame import bp

SHOWN = 6


@bp.get("/")
def home():
    """The home page."""
    query.read({})
    recent = search.search("", sort="recent", limit=SHOWN)
    popular = search.search("", sort="downloads", limit=SHOWN, facets=False)
    counts = {f["code"]: f["count"] for f in (recent["facets"] or {}).get("sector", [])}
    sectors = labels.sectors()
    orgs = labels.organizations()
    return render_template(
        "home/home.html",
        recent=[search.summary(d) for d in recent["items"]],
        popular=[search.summary(d) for d in popular["items"]],
        sectors=[(code, name, counts.get(code, 0)) for code, name in sectors.items()],
        orgs=orgs,
        sector_names=sectors,
        figures={
            "datasets": recent["total"],
            "organizations": len(orgs),
            "sectors": len(sectors),
        },
    )
