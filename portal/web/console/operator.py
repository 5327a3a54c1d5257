"""The operator's console: every dataset with filters, a new passport, review and rejection."""

from flask import g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core.errors import PortalError
from portal.core.frequencies import FREQUENCIES
from portal.db.models import STATUSES
from portal.services.discovery import labels
from portal.services.publishing import datasets, overview, review
from portal.web import args as query
from portal.web.console import add_nav, done, form_page, see_other, signed_in
from portal.web.console.operator_forms import flat, judge, lang_labels, multilingual, refused
from portal.web.console.refusals import refusal
from portal.web.frame import bp
from portal.web.listing import paging
from schemas.datasets import DatasetCreate, RejectionIn

PAGE_SIZE = 20
MAX_REASONS = 10

add_nav("console_operator_datasets", _l("All datasets"), roles=("operator",), order=200)
add_nav("console_operator_new", _l("New passport"), roles=("operator",), order=205)


def status_names():
    return {
        "draft": _("Draft"),
        "published": _("Published"),
        "updated": _("Updated"),
        "rejected": _("Rejected"),
    }


@bp.get("/console/operator/datasets", endpoint="console_operator_datasets")
@signed_in("operator")
def operator_datasets():
    """Every dataset, hidden ones too, by status, organization, sector and lateness."""
    orgs, sectors = labels.organizations(), labels.sectors()
    params = query.read({
        "status": ("",) + STATUSES, "organization": ("",) + tuple(orgs),
        "sector": ("",) + tuple(sectors), "late": ("", "1"), "page": int,
    })  # fmt: skip
    found = overview.every_dataset(
        g.user, status=params["status"] or None, organization=params["organization"] or None,
        sector=params["sector"] or None, late=params["late"] == "1",
        page=params["page"], page_size=PAGE_SIZE,
    )  # fmt: skip
    return render_template(
        "console/operator/datasets.html",
        items=found["items"],
        paging=paging(params["page"], found["total"], PAGE_SIZE),
        params=params,
        statuses=STATUSES,
        status_names=status_names(),
        organizations=orgs,
        sectors=sectors,
    )


def _passport_messages():
    return {
        "organization": _("Choose the organization"),
        "title": _("Enter the title in all four languages"),
        "sector": _("Choose the sector"),
        "update_frequency": _("Choose how often the data is updated"),
    }


@bp.route("/console/operator/datasets/new", methods=["GET", "POST"],
          endpoint="console_operator_new")  # fmt: skip
@signed_in("operator")
def operator_new():
    """Create the passport of a new dataset for an organization: its author completes it."""
    form, errors = {}, []
    if request.method == "POST":
        form = {
            "organization": request.form.get("organization", "").strip(),
            "title": multilingual("title"),
            "sector": request.form.get("sector", "").strip(),
            "update_frequency": request.form.get("update_frequency", "").strip(),
            "is_priority": request.form.get("is_priority") == "1",
        }
        sent = {k: v for k, v in form.items() if v not in ("", None)}
        ours = _passport_messages()
        data, errors = judge(DatasetCreate, sent, ours, "organization")
        if not errors:
            try:
                made = datasets.create(g.user, data)
            except PortalError as exc:
                errors = refused(exc, ours, "organization")
            else:
                done(_("The passport %(code)s was created: its organization's authors can now "
                       "complete it.", code=made.code))  # fmt: skip
                return see_other("web.console_operator_review", ds=made.code)
    html = render_template(
        "console/operator/new.html",
        form=flat(form),
        form_errors=errors,
        organizations=labels.organizations(),
        sectors=labels.sectors(),
        frequencies=FREQUENCIES,
        lang_fields=lang_labels(),
    )
    return form_page(html, errors)


def _review_page(dataset, errors=(), reasons=""):
    history = review.rejection_history(g.user, dataset.code, 1, 20)["items"]
    html = render_template(
        "console/operator/review.html",
        ds=dataset,
        passport=datasets.passport(dataset),
        history=history,
        status_names=status_names(),
        organizations=labels.organizations(),
        sectors=labels.sectors(),
        form_errors=list(errors),
        reasons=reasons,
    )
    return form_page(html, errors)


@bp.get("/console/operator/datasets/<ds>", endpoint="console_operator_review")
@signed_in("operator")
def operator_review(ds):
    """A dataset as its operator reviews it: passport, structure, versions, rejections."""
    query.read({})
    return _review_page(datasets.find(ds))


@bp.post("/console/operator/datasets/<ds>/reject", endpoint="console_operator_reject")
@signed_in("operator")
def operator_reject(ds):
    """Reject a dataset with reasons, one a line: its authors are notified."""
    dataset = datasets.find(ds)
    text = request.form.get("reasons", "")
    reasons = [line.strip() for line in text.splitlines() if line.strip()]
    ours = {"reasons": _("Write at least one reason, one a line (at most 2000 characters "
                         "each, at most 10 reasons)")}  # fmt: skip
    _data, errors = judge(RejectionIn, {"reasons": reasons}, ours, "reasons")
    if not errors and len(reasons) > MAX_REASONS:
        errors = [("reasons", ours["reasons"])]
    if errors:
        return _review_page(dataset, [("reasons", msg) for _id, msg in errors[:1]], text)
    review.reject(g.user, dataset.code, reasons)
    done(_("The dataset %(code)s was rejected; its authors were notified.", code=dataset.code))
    return see_other("web.console_operator_review", ds=dataset.code)


@bp.post("/console/operator/datasets/<ds>/clear", endpoint="console_operator_clear")
@signed_in("operator")
def operator_clear(ds):
    """Lift the rejection of a dataset: it is public again if it has data."""
    dataset = datasets.find(ds)
    try:
        review.clear_rejection(g.user, dataset.code)
    except PortalError as exc:
        return _review_page(dataset, [("clear", refusal(exc, "clear"))])
    done(_("The rejection of %(code)s was lifted.", code=dataset.code))
    return see_other("web.console_operator_review", ds=dataset.code)
