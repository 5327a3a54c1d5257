"""The admin's first-login code for a person: a one-time code (and its link) that attaches the
OneID identity of whoever opens it first to this account, for people added without a PINFL."""

from urllib.parse import urlencode

from flask import current_app, g, render_template, request
from flask_babel import gettext as _

from portal.core.errors import Conflict
from portal.services.identity import users
from portal.web import args as query
from portal.web.console import form_page, signed_in
from portal.web.console.operator_forms import judge
from portal.web.frame import bp
from schemas.reference import SigninCodeIn


def _messages():
    return {"days": _("Enter a number of days from 1 to 30")}


def _page(person, form, errors, made=None):
    html = render_template(
        "console/admin/signin_code.html", person=person, form=form, form_errors=errors,
        made=made, linked=bool(person.pin or person.subject),
    )  # fmt: skip
    return form_page(html, errors)


@bp.route("/console/admin/users/<user_id>/signin-code", methods=["GET", "POST"],
          endpoint="console_admin_signin_code")  # fmt: skip
@signed_in("admin")
def admin_signin_code(user_id):
    """Make a first-login code for a person without a OneID identity; shown once."""
    person = users.get(user_id)
    if request.method == "GET":
        query.read({})
        return _page(person, {"days": "7"}, [])
    form = {"days": request.form.get("days", "").strip()}
    data, errors = judge(SigninCodeIn, {k: v for k, v in form.items() if v}, _messages(), "days")
    if errors:
        return _page(person, form, errors)
    try:
        made = users.issue_signin_code(g.user, user_id, data["days"])
    except Conflict:
        errors = [("days", _("This account is linked to a OneID identity already: "
                             "the person signs in with OneID."))]  # fmt: skip
        return _page(person, form, errors)
    base = current_app.config["BASE_URL"].rstrip("/")
    made["url"] = f"{base}/auth/login?{urlencode({'invite': made['code']})}"
    html, status = _page(person, form, [], made)
    return html, status, {"Cache-Control": "no-store"}
