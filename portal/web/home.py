"""The home page: search, sectors, the newest and most downloaded datasets, figures, the latest
news and the proposals open for voting."""

from flask import g, render_template

from portal.services.community import proposals
from portal.services.content import entries
from portal.services.discovery import labels, search
from portal.services.statistics import tables
from portal.web import args as query
from portal.web.frame import bp

SHOWN = 6
NEWS = 3
VOTING = 3


@bp.get("/")
def home():
    """The home page."""
    query.read({})
    recent = search.search("", sort="recent", limit=SHOWN)
    popular = search.search("", sort="downloads", limit=SHOWN, facets=False)
    counts = {f["code"]: f["count"] for f in (recent["facets"] or {}).get("sector", [])}
    sectors = labels.sectors()
    orgs = labels.organizations()
    totals = tables.totals()
    user = g.get("user")
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
            "downloads": totals["downloads"],
            "views": totals["views"],
        },
        news=entries.listing(user, "news", 1, NEWS)["items"],
        voting=proposals.listing(user, status="voting", sort="votes", page=1,
                                 page_size=VOTING)["items"],  # fmt: skip
    )
