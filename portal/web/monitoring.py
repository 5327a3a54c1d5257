"""Monitoring: organizations ranked by timeliness, outdated datasets, updated datasets.

The pages read what the daily monitoring run stored (services.statistics.listings), the same
rows `/api/v1/monitoring/*` answer; each list links to its CSV.
"""

from flask import render_template
from flask_babel import gettext as _

from portal.core.errors import BadRequest
from portal.db.models import utcnow
from portal.services.discovery import labels
from portal.services.statistics import listings, monitoring
from portal.web import args as query
from portal.web import i18n
from portal.web.frame import bp
from portal.web.listing import paging, share

PAGE_SIZE = 25


def state_names():
    return {
        "fresh": _("Up to date"),
        "due": _("Due"),
        "overdue": _("Overdue"),
        "delinquent": _("Delinquent"),
        "irregular": _("Updated irregularly"),
    }


def views():
    """The sub-pages, as the user guide lists them."""
    return [
        ("web.monitoring", _("Timeliness by organization")),
        ("web.monitoring_outdated", _("Outdated datasets")),
        ("web.monitoring_updated", _("Updated datasets")),
    ]


def csv_url(name):
    return f"/api/v1/monitoring/{name}?format=csv&lang={i18n.key_of(i18n.current())}"


def _render(template, **ctx):
    return render_template(
        template,
        views=views(),
        state_names=state_names(),
        orgs=labels.organizations(),
        share=share,
        **ctx,
    )


@bp.get("/monitoring", endpoint="monitoring")
def monitoring_page():
    """Organizations ranked by their share of datasets updated on time."""
    params = query.read({"page": int})
    found = listings.organizations(params["page"], PAGE_SIZE)
    counts = dict.fromkeys(monitoring.STATES, 0)
    for row in listings.organizations(1, max(found["total"], 1))["items"]:
        for state in monitoring.STATES:
            counts[state] += row.get(state, 0)
    return _render(
        "monitoring/organizations.html",
        items=found["items"],
        counts=counts,
        paging=paging(params["page"], found["total"], PAGE_SIZE),
        csv=csv_url("organizations"),
    )


@bp.get("/monitoring/outdated")
def monitoring_outdated():
    """Datasets late for their update frequency, with days late; by state and organization."""
    params = query.read(
        {"state": ("",) + monitoring.OUTDATED, "organization": str, "page": int}
    )
    orgs = labels.organizations()
    if params["organization"] and params["organization"] not in orgs:
        raise BadRequest(f"organization: no organization {params['organization']!r}")
    found = listings.outdated(
        params["page"],
        PAGE_SIZE,
        utcnow(),
        state=params["state"] or None,
        organization=params["organization"] or None,
    )
    return _render(
        "monitoring/outdated.html",
        items=found["items"],
        total=found["total"],
        params=params,
        states=monitoring.OUTDATED,
        paging=paging(params["page"], found["total"], PAGE_SIZE),
        csv=csv_url("outdated"),
    )


@bp.get("/monitoring/updated")
def monitoring_updated():
    """Datasets recently added or updated, newest first, with their monitoring state."""
    params = query.read({"page": int})
    found = listings.updated(params["page"], PAGE_SIZE)
    return _render(
        "monitoring/updated.html",
        items=found["items"],
        total=found["total"],
        paging=paging(params["page"], found["total"], PAGE_SIZE),
        csv=csv_url("updated"),
    )
