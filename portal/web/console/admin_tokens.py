"""The admin's console: every token (list and revoke) and the record of roles granted and
withdrawn; the organization's administrator's page of their people (grant, withdraw author)."""

from bson import ObjectId
from flask import g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.services.identity import roles, tokens, users
from portal.services.identity.access import has_role
from portal.web import args as query
from portal.web.console import add_nav, done, see_other, signed_in
from portal.web.console.admin_users import role_names
from portal.web.frame import bp
from portal.web.listing import paging

PAGE_SIZE = 50


def _audits(user):
    return has_role(user, "admin") or roles.delegates(user)


add_nav("console_admin_tokens", _l("Tokens"), roles=("admin",), order=320)
add_nav("console_people", _l("People of my organization"), order=330, when=roles.delegates)
add_nav("console_admin_audit", _l("Record of roles"), order=340, when=_audits)


@bp.get("/console/admin/tokens", endpoint="console_admin_tokens")
@signed_in("admin")
def admin_tokens():
    """Every token with its owner, newest first; usable ones or revoked and expired ones."""
    params = query.read({"live": ("", "1", "0"), "page": int})
    live = {"": None, "1": True, "0": False}[params["live"]]
    found = users.all_tokens(g.user, params["page"], PAGE_SIZE, live=live)
    return render_template(
        "console/admin/tokens.html", items=found["items"], params=params,
        paging=paging(params["page"], found["total"], PAGE_SIZE),
    )  # fmt: skip


@bp.post("/console/admin/tokens/<token_id>/revoke", endpoint="console_admin_revoke")
@signed_in("admin")
def admin_revoke(token_id):
    """Revoke a token: it stops working at once."""
    record = tokens.revoke(g.user, token_id)
    done(_("The token %(prefix)s was revoked.", prefix=users.token_dict(record)["prefix"]))
    back = request.form.get("back", "")
    if ObjectId.is_valid(back) and len(back) == 24:
        return see_other("web.console_admin_user_edit", user_id=back)
    return see_other("web.console_admin_tokens")


@bp.get("/console/admin/audit", endpoint="console_admin_audit")
@signed_in(when=_audits)
def admin_audit():
    """Who granted or withdrew which role of whom, and when (an organization's administrator
    sees their organization's)."""
    params = query.read({"user": str, "page": int})
    found = roles.changes(g.user, params["page"], PAGE_SIZE, user=params["user"] or None)
    return render_template(
        "console/admin/audit.html", items=found["items"], role_names=role_names(),
        paging=paging(params["page"], found["total"], PAGE_SIZE),
    )  # fmt: skip


@bp.get("/console/people", endpoint="console_people")
@signed_in(when=roles.delegates)
def people():
    """The people of my organization, and the author role I grant or withdraw."""
    params = query.read({"page": int})
    found = users.list_users(g.user, params["page"], PAGE_SIZE)
    return render_template(
        "console/admin/people.html", items=found["items"], role_names=role_names(),
        paging=paging(params["page"], found["total"], PAGE_SIZE),
    )  # fmt: skip


@bp.post("/console/people/<user_id>", endpoint="console_people_author")
@signed_in(when=roles.delegates)
def people_author(user_id):
    """Grant (author=1) or withdraw (author=0) the author role of a person of my organization."""
    person = users.get_for(g.user, user_id)
    grant = request.form.get("author") == "1"
    wanted = sorted(set(person.roles) | {"author"} if grant else set(person.roles) - {"author"})
    users.update(g.user, user_id, {"roles": wanted})  # a refusal is the 403 page, with why
    name = person.name or person.email or ""
    done(_("%(name)s is now an author.", name=name) if grant
         else _("%(name)s is no longer an author.", name=name))  # fmt: skip
    return see_other("web.console_people")
