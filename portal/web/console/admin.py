"""The admin's console: organizations (code, names, parent, TIN, numeric portal id)."""

from flask import g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core.errors import PortalError
from portal.services import reference
from portal.services.discovery import labels
from portal.web import args as query
from portal.web.console import add_nav, done, form_page, see_other, signed_in
from portal.web.console.operator_forms import flat, judge, lang_labels, multilingual
from portal.web.frame import bp
from portal.web.listing import paging
from schemas.reference import OrganizationIn, OrganizationPatch

PAGE_SIZE = 50
TEXTS = ("parent", "tin", "phone", "email")

add_nav("console_admin_organizations", _l("Organizations"), roles=("admin",), order=300)


def _messages():
    return {
        "code": _("Enter a code like 2-001 (digits, a dash, three digits)"),
        "name": _("Enter the name in all four languages"),
        "parent": _("Choose an existing organization, not this one or one below it"),
        "tin": _("A TIN has 9 digits"),
        "phone": _("At most 40 characters"),
        "email": _("Enter an e-mail address like name@example.uz"),
        "portal_id": _("Enter a whole number that no other organization has"),
    }


@bp.get("/console/admin/organizations", endpoint="console_admin_organizations")
@signed_in("admin")
def admin_organizations():
    """Every organization with its parent, TIN, portal id and datasets."""
    params = query.read({"page": int})
    found = reference.list_organizations(params["page"], PAGE_SIZE)
    return render_template(
        "console/admin/organizations.html", items=found["items"],
        paging=paging(params["page"], found["total"], PAGE_SIZE),
    )  # fmt: skip


def _read(with_code, with_portal_id):
    form = {"name": multilingual("name")}
    if with_code:
        form["code"] = request.form.get("code", "").strip()
    for key in TEXTS:
        form[key] = request.form.get(key, "").strip()
    if with_portal_id:
        form["portal_id"] = request.form.get("portal_id", "").strip()
    sent = {k: v for k, v in form.items() if v not in ("", None)}
    if not with_code:  # an edit: an emptied value is cleared
        sent.update({k: None for k in TEXTS if not form[k]})
    return form, sent


def _org_form(form, errors, code=None):
    html = render_template(
        "console/admin/organization_form.html", form=flat(form), form_errors=errors, code=code,
        organizations=labels.organizations(), lang_fields=lang_labels(),
    )  # fmt: skip
    return form_page(html, errors)


@bp.route("/console/admin/organizations/new", methods=["GET", "POST"],
          endpoint="console_admin_organization_new")  # fmt: skip
@signed_in("admin")
def admin_organization_new():
    """Add an organization; its numeric portal id is given at creation."""
    form, errors = {}, []
    if request.method == "POST":
        form, sent = _read(with_code=True, with_portal_id=False)
        ours = _messages()
        data, errors = judge(OrganizationIn, sent, ours, "code")
        if not errors:
            try:
                made = reference.create_organization(g.user, data)
            except PortalError as exc:
                field = "parent" if "parent" in exc.message else "code"
                message = ours["parent"] if field == "parent" else _(
                    "An organization with the code %(code)s exists already", code=data["code"]
                )
                errors = [(field, message)]
            else:
                labels.forget()
                done(_("The organization %(code)s was added (portal id %(id)s).",
                       code=made["code"], id=made["portal_id"]))  # fmt: skip
                return see_other("web.console_admin_organizations")
    else:
        query.read({})
    return _org_form(form, errors)


@bp.route("/console/admin/organizations/<code>", methods=["GET", "POST"],
          endpoint="console_admin_organization_edit")  # fmt: skip
@signed_in("admin")
def admin_organization_edit(code):
    """Change an organization's names, parent, TIN, contacts or portal id."""
    org = reference.get_organization(code)
    errors = []
    if request.method == "POST":
        form, sent = _read(with_code=False, with_portal_id=True)
        ours = _messages()
        data, errors = judge(OrganizationPatch, sent, ours, "name-uzbText")
        if not errors:
            try:
                reference.update_organization(g.user, code, data)
            except PortalError as exc:
                field = "portal_id" if "portal id" in exc.message else "parent"
                errors = [(field, ours[field])]
            else:
                labels.forget()
                done(_("The organization %(code)s was saved.", code=code))
                return see_other("web.console_admin_organizations")
    else:
        query.read({})
        shown = reference.organization_dict(org)
        form = {"name": shown["name"], **{k: shown[k] or "" for k in TEXTS},
                "portal_id": shown["portal_id"] or ""}  # fmt: skip
    return _org_form(form, errors, code=code)
