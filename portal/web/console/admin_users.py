"""The admin's console: users, their organization and roles (the organization's administrator
among them), and their tokens."""

from flask import g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core.errors import Conflict, PortalError
from portal.db.models import ROLES
from portal.services.discovery import labels
from portal.services.identity import users
from portal.web import args as query
from portal.web.console import add_nav, done, form_page, see_other, signed_in
from portal.web.console.operator_forms import judge
from portal.web.frame import bp
from portal.web.listing import paging
from schemas.reference import UserIn, UserPatch

PAGE_SIZE = 50

add_nav("console_admin_users", _l("Users and roles"), roles=("admin",), order=310)


def role_names():
    return {
        "admin": _("Administrator of the portal"),
        "operator": _("Operator"),
        "author": _("Author"),
        "org_admin": _("Administrator of the organization (grants the author role in it)"),
    }


def _messages():
    return {
        "email": _("Enter an e-mail address like name@example.uz"),
        "name": _("Enter the person's name (at most 200 characters)"),
        "organization": _("Choose the organization: an author or an organization's "
                          "administrator needs one"),
        "roles": _("Choose among the roles listed"),
        "pin": _("A PINFL has 14 digits"),
    }  # fmt: skip


@bp.get("/console/admin/users", endpoint="console_admin_users")
@signed_in("admin")
def admin_users():
    """Users with their organization and roles, of one organization or all."""
    orgs = labels.organizations()
    params = query.read({"organization": ("",) + tuple(orgs), "page": int})
    found = users.list_users(g.user, params["page"], PAGE_SIZE, params["organization"] or None)
    return render_template(
        "console/admin/users.html", items=found["items"], params=params, organizations=orgs,
        role_names=role_names(), paging=paging(params["page"], found["total"], PAGE_SIZE),
    )  # fmt: skip


def _read(new):
    form = {k: request.form.get(k, "").strip() for k in ("email", "name", "organization", "pin")}
    form["roles"] = [r for r in request.form.getlist("roles") if r]
    if new:
        sent = {k: v for k, v in form.items() if v not in ("", None)}
        sent["roles"] = form["roles"]
    else:
        sent = {"name": form["name"], "roles": form["roles"],
                "organization": form["organization"] or None,
                "active": request.form.get("active") == "1"}  # fmt: skip
        form["active"] = sent["active"]
    return form, sent


def _conflict_field(exc):
    return "organization" if "organization" in exc.message else "email"


def _user_form(form, errors, person=None, tokens=()):
    html = render_template(
        "console/admin/user_form.html", form=form, form_errors=errors, person=person,
        organizations=labels.organizations(), roles=ROLES, role_names=role_names(),
        tokens=tokens,
    )  # fmt: skip
    return form_page(html, errors)


@bp.route("/console/admin/users/new", methods=["GET", "POST"], endpoint="console_admin_user_new")
@signed_in("admin")
def admin_user_new():
    """Add a person with an organization and roles."""
    form, errors = {"roles": []}, []
    if request.method == "POST":
        form, sent = _read(new=True)
        ours = _messages()
        data, errors = judge(UserIn, sent, ours, "email")
        if not errors:
            try:
                made = users.create(g.user, data)
            except Conflict as exc:
                field = _conflict_field(exc)
                message = ours[field] if field == "organization" else _(
                    "A person with this e-mail address or PINFL exists already")
                errors = [(field, message)]
            except PortalError:
                errors = [("organization", ours["organization"])]
            else:
                done(_("%(name)s was added.", name=made["name"]))
                return see_other("web.console_admin_user_edit", user_id=made["id"])
    else:
        query.read({})
    return _user_form(form, errors)


@bp.route("/console/admin/users/<user_id>", methods=["GET", "POST"],
          endpoint="console_admin_user_edit")  # fmt: skip
@signed_in("admin")
def admin_user_edit(user_id):
    """Change a person's name, organization, roles (making them the administrator of their
    organization, say) or switch the account off; their tokens."""
    person = users.get(user_id)
    errors = []
    if request.method == "POST":
        form, sent = _read(new=False)
        ours = _messages()
        data, errors = judge(UserPatch, sent, ours, "name")
        if not errors:
            try:
                users.update(g.user, user_id, data)
            except PortalError:
                errors = [("organization", ours["organization"])]
            else:
                done(_("The roles and details of %(name)s were saved.", name=data["name"]))
                return see_other("web.console_admin_user_edit", user_id=user_id)
    else:
        query.read({})
        shown = users.user_dict(person)
        form = {k: shown[k] or "" for k in ("email", "name", "organization", "pin")}
        form.update(roles=shown["roles"], active=shown["active"])
    return _user_form(form, errors, person, users.list_tokens(g.user, user_id))
