"""Step 1 of editing a dataset: the passport (the operator's part shown, the author's edited)."""

from flask import current_app, g, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError

from portal.core.errors import InvalidData, NotFound, PortalError
from portal.services import reference
from portal.services.discovery import labels
from portal.services.identity import users
from portal.services.publishing import datasets, methodology
from portal.web import args as query
from portal.web.console import done, form_page, see_other, signed_in
from portal.web.frame import bp
from portal.web.i18n import LANGS
from schemas.datasets import DatasetPatch

DESC_KEYS = [key for _code, (_loc, _tag, key) in LANGS.items()]
TEXTS = ("phone", "email", "legal_basis", "keywords", "external_link")
REQUIRED = ("phone", "email", "keywords")


def messages():
    """What we tell the author for each field of the form, in our words."""
    return {
        "phone": _("Enter the organization's phone number, like +998 71 203-80-29"),
        "email": _(
            "Enter the organization's corporate e-mail, like %(example)s",
            example="opendata@stat.uz",
        ),
        "keywords": _("Enter at least one keyword; separate keywords with commas"),
        "external_link": _(
            "Enter a link to a web page, like %(example)s", example="https://stat.uz/en/"
        ),
        "legal_basis": _("The legal basis may be at most 2000 characters long"),
        "kind": _("Choose whether the dataset is editable or fillable"),
        "description": _("A description may be at most 20000 characters long"),
    }


def editor(ds):
    """The dataset, if the caller may edit its passport (its organization's author, operator)."""
    return datasets.for_author(g.user, ds, operator_too=True)


def operator_part(dataset):
    """The passport values the operator set: shown read-only."""
    orgs = labels.organizations()
    org = dataset.organization
    parent = _parent_of(org)
    return {
        "parent": orgs.get(parent) if parent else None,
        "organization": orgs.get(org, {"engText": org}),
        "code": dataset.code,
        "title": dataset.title.to_dict(),
        "sector": labels.sectors().get(dataset.sector, {"engText": dataset.sector or ""}),
        "is_priority": dataset.is_priority,
        "update_frequency": dataset.update_frequency,
        "responsible": _responsible(dataset),
    }


def _parent_of(code):
    try:
        return reference.get_organization(code).parent
    except NotFound:
        return None


def _responsible(dataset):
    """The person who made the passport (the operator responsible for it)."""
    if not dataset.created_by:
        return ""
    try:
        person = users.get(dataset.created_by)
    except PortalError:
        return ""
    return person.name or person.email


def _form_of(dataset):
    """The author's part as the form shows it, from the stored passport."""
    desc = dataset.description.to_dict() if dataset.description else {}
    return {
        **{f"desc_{key}": desc.get(key) or "" for key in DESC_KEYS},
        "phone": dataset.phone or "",
        "email": dataset.email or "",
        "kind": dataset.kind or "",
        "legal_basis": dataset.legal_basis or "",
        "keywords": ", ".join(dataset.keywords),
        "external_link": dataset.external_link or "",
    }


def _typed():
    """The author's part as typed, kept as it was for the page that answers."""
    form = {f"desc_{key}": request.form.get(f"desc_{key}", "") for key in DESC_KEYS}
    form.update({name: request.form.get(name, "") for name in (*TEXTS, "kind")})
    return form


def _patch_of(form):
    body = {"description": {key: form[f"desc_{key}"] for key in DESC_KEYS}}
    for name in TEXTS:
        body[name] = form[name].strip() or None
    if form["kind"]:
        body["kind"] = form["kind"]
    if not form["keywords"].strip():
        body.pop("keywords")
    return body


def _field_id(name):
    if name == "description":
        return f"desc_{DESC_KEYS[0]}"
    return "kind-editable" if name == "kind" else name


def _errors_of(named, said):
    return [(_field_id(name), said.get(name, _("Check this value"))) for name in named]


def save(dataset, form, upload):
    """Validate and store the author's part, then the methodology file: [(field id, message)]."""
    said = messages()
    missing = [name for name in REQUIRED if not form[name].strip()]
    if missing:
        return _errors_of(missing, said)
    try:
        body = DatasetPatch().load(_patch_of(form))
    except ValidationError as exc:
        return _errors_of([n for n in said if n in exc.messages] or ["phone"], said)
    try:
        datasets.update(g.user, dataset.code, body)
    except InvalidData as exc:
        named = exc.errors if isinstance(exc.errors, dict) else {}
        return _errors_of([n for n in said if n in named] or ["phone"], said)
    if upload is not None and upload.filename:
        limit = current_app.config["METHODOLOGY_MAX_BYTES"]
        try:
            methodology.store(g.user, dataset.code, upload, limit)
        except PortalError:
            mb = limit // (1024 * 1024)
            text = _(
                "The methodology must be a pdf, doc, docx, odt or xlsx file of at most %(mb)s MB",
                mb=mb,
            )
            return [("methodology", text)]
    return []


@bp.route("/console/datasets/<ds>/", methods=["GET", "POST"], endpoint="console_passport")
@signed_in("author", "operator")
def passport(ds):
    """Step 1: the passport; Save moves on to step 2."""
    query.read({})
    dataset = editor(ds)
    errors = []
    if request.method == "POST":
        form = _typed()
        errors = save(dataset, form, request.files.get("methodology"))
        if not errors:
            done(_("The passport of %(code)s is saved.", code=dataset.code))
            return see_other("web.console_structure", ds=dataset.code)
        dataset.reload()
    else:
        form = _form_of(dataset)
    html = render_template(
        "console/passport.html",
        dataset=dataset,
        fixed=operator_part(dataset),
        form=form,
        form_errors=errors,
        desc_keys=DESC_KEYS,
        methodology=datasets.passport(dataset)["methodology"],
    )
    return form_page(html, errors)
