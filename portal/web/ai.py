"""The AI section: datasets likely to serve artificial intelligence, with why, and their files.

The rows are the AI section the statistics service keeps (`GET /api/v1/datasets?ai=1`):
datasets operators flagged, and datasets ready by their shape (services.statistics.ai).
"""

from flask import render_template
from flask_babel import gettext as _
from flask_babel import ngettext

from portal.services.discovery import labels
from portal.services.statistics import ai, listings, quality
from portal.web import args as query
from portal.web.frame import bp
from portal.web.listing import paging

PAGE_SIZE = 20
FILES = ("parquet", "csv")  # the formats models are trained from


def reasons(item):
    """Why a dataset is in the section, in the page's language."""
    out = []
    if item["ai"]["flagged"]:
        out.append(_("Chosen by the portal's operators"))
    if item["ai"]["ready"]:
        out.append(_("Typed number, date or place columns"))
        out.append(ngettext("%(num)s row", "%(num)s rows", item["rows"] or 0))
        out.append(_("Updated on time"))
        out.append(_("Its methodology is documented"))
    return out


@bp.get("/ai", endpoint="ai")
def ai_page():
    """Datasets likely to serve artificial intelligence, with why and their Parquet and CSV."""
    params = query.read({"page": int})
    found = listings.ai_section(params["page"], PAGE_SIZE)
    items = []
    for item in found["items"]:
        item["reasons"] = reasons(item)
        item["files"] = [(f, f"/api/v1/datasets/{item['code']}/data.{f}") for f in FILES]
        items.append(item)
    return render_template(
        "ai/section.html",
        items=items,
        total=found["total"],
        paging=paging(params["page"], found["total"], PAGE_SIZE),
        orgs=labels.organizations(),
        sector_names=labels.sectors(),
        min_rows=ai.MIN_ROWS,
        min_quality=ai.MIN_QUALITY,
        quality_max=quality.MAX,
    )
