"""The signed-in person's desk: their datasets (with the Active switch) and notifications."""

from flask import current_app, g, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core.errors import BadRequest
from portal.services.identity import signin
from portal.services.identity.access import has_role
from portal.services.publishing import datasets, review
from portal.web import args as query
from portal.web.console import add_nav, done, see_other, signed_in
from portal.web.frame import bp
from portal.web.listing import paging

PAGE_SIZE = 20
NOTICES = 10


def status_name(code):
    """The name of a dataset status, as the desk shows it."""
    names = {
        "draft": _("Draft"),
        "published": _("Published"),
        "updated": _("Updated"),
        "rejected": _("Rejected"),
    }
    return names.get(code, code)


def notice_text(notice):
    """The message of a notification in the reader's language (the reasons stay as written)."""
    kinds = {
        "rejected": _("The operator rejected the dataset %(code)s."),
        "rejection-cleared": _("The operator accepted the dataset %(code)s."),
        "new-version-of-rejected": _("A new version of the rejected dataset %(code)s is ready."),
    }
    text = kinds.get(notice["kind"])
    return text % {"code": notice["dataset_code"] or ""} if text else notice["message"]


@bp.get("/console/", endpoint="console_desk")
@signed_in()
def desk():
    """The desk: datasets to complete (authors and operators) and notifications."""
    params = query.read({"page": int})
    user = g.user
    rows = None
    if has_role(user, "author", "operator"):
        found = review.desk(user, params["page"], PAGE_SIZE)
        rows = {
            "items": found["items"],
            "paging": paging(params["page"], found["total"], PAGE_SIZE),
        }
    notices = review.notifications(user, 1, NOTICES)
    return render_template(
        "console/desk.html",
        rows=rows,
        notices=notices,
        status_name=status_name,
        notice_text=notice_text,
    )


@bp.post("/console/datasets/<ds>/active", endpoint="console_active")
@signed_in("author", "operator")
def set_active(ds):
    """The Active switch: hide a dataset from the public, or show it again."""
    wanted = request.form.get("active", "")
    if wanted not in ("0", "1"):
        raise BadRequest("active: 0 or 1")
    dataset = datasets.update(g.user, ds, {"active": wanted == "1"})
    if dataset.active:
        done(_("The dataset %(code)s is shown to the public again.", code=dataset.code))
    else:
        done(_("The dataset %(code)s is hidden from the public.", code=dataset.code))
    return see_other("web.console_desk", _anchor=f"ds-{dataset.code}")


@bp.post("/console/notifications/read", endpoint="console_read_all")
@signed_in()
def read_all():
    """Mark every notification read."""
    review.mark_read(g.user)
    done(_("All notifications are marked read."))
    return see_other("web.console_desk", _anchor="notifications")


@bp.post("/console/notifications/<notice_id>/read", endpoint="console_read")
@signed_in()
def read_one(notice_id):
    """Mark one notification read."""
    review.mark_read(g.user, notice_id)
    done(_("The notification is marked read."))
    return see_other("web.console_desk", _anchor="notifications")


@bp.get("/console/sign-in", endpoint="console_sign_in")
def sign_in():
    """Log in: OneID, and the development sign-in where it is on."""
    params = query.read({"next": str})
    desk_path = url_for("web.console_desk")
    target = signin.safe_next(params["next"] or desk_path)
    if target == "/" and params["next"] != "/":
        target = desk_path  # a path we would not send anyone to: the desk instead
    config = current_app.config
    dev = bool(config.get("DEV_LOGIN")) and config.get("ENV") != "production"
    return render_template("console/sign_in.html", next=target, dev_login=dev)


add_nav("console_desk", _l("Desk"), order=100)
