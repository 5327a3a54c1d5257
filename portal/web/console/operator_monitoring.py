"""The operator's monitoring (late datasets, organizations' timeliness, the reminders sent) and
the statistics exports (links to the CSV tables of the statistics API)."""

from flask import g, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.services.discovery import labels
from portal.services.publishing import review
from portal.services.statistics import listings, tables
from portal.web import args as query
from portal.web.console import add_nav, signed_in
from portal.web.frame import bp
from portal.web.listing import paging

PAGE_SIZE = 20
REMINDER_KINDS = ("monitoring", "monitoring-summary")
MONITORING_CSV = ("outdated", "updated", "organizations")

add_nav("console_operator_monitoring", _l("Monitoring"), roles=("operator",), order=260)
add_nav("console_operator_exports", _l("Statistics exports"), roles=("operator",), order=270)


def state_names():
    return {
        "due": _("Due"),
        "overdue": _("Overdue"),
        "delinquent": _("Long overdue"),
        "fresh": _("On time"),
        "irregular": _("Irregular"),
    }


@bp.get("/console/operator/monitoring", endpoint="console_operator_monitoring")
@signed_in("operator")
def operator_monitoring():
    """Datasets late for their update frequency, the organizations' ranking, the reminders."""
    params = query.read({"page": int})
    late = listings.outdated(params["page"], PAGE_SIZE)
    ranking = listings.organizations(1, 100)["items"]
    notices = review.notifications(g.user, 1, 50)["items"]
    reminders = [n for n in notices if n["kind"] in REMINDER_KINDS][:10]
    return render_template(
        "console/operator/monitoring.html", late=late["items"], ranking=ranking,
        reminders=reminders, paging=paging(params["page"], late["total"], PAGE_SIZE),
        state_names=state_names(), organizations=labels.organizations(),
    )  # fmt: skip


def table_names():
    return {
        "downloads": _("Most downloaded datasets"),
        "views": _("Most viewed datasets"),
        "rated": _("Top rated datasets"),
        "recent": _("Most recently updated datasets"),
        "sectors": _("Datasets and downloads per sector"),
        "organizations": _("Datasets per organization"),
        "rejected": _("Rejected datasets with their reasons"),
        "searches": _("Popular searches"),
        "searches-empty": _("Searches that found nothing"),
        "monthly": _("Downloads and views per month"),
        "outdated": _("Datasets late for their update"),
        "updated": _("Recently updated datasets"),
        "timeliness": _("Organizations ranked by timeliness"),
    }


@bp.get("/console/operator/exports", endpoint="console_operator_exports")
@signed_in("operator")
def operator_exports():
    """Every statistics table as CSV, in the page's language."""
    query.read({})
    names = table_names()
    links = [(names.get(t, t), f"/api/v1/statistics/{t}") for t in tables.TABLES]
    links += [
        (names["timeliness" if t == "organizations" else t], f"/api/v1/monitoring/{t}")
        for t in MONITORING_CSV
    ]
    return render_template("console/operator/exports.html", links=links)
