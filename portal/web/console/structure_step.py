"""Step 2 of editing a dataset: the structure (fields: add, edit, reorder, hide, remove)."""

from flask import g, render_template, request
from flask_babel import gettext as _
from marshmallow import ValidationError

from portal.core.errors import BadRequest, Conflict, InvalidData, NotFound
from portal.core.fields import TYPE_NAMES
from portal.services import reference
from portal.services.publishing import datasets, structure
from portal.web import args as query
from portal.web.console import done, form_page, see_other, signed_in
from portal.web.console.passport_step import DESC_KEYS, editor
from portal.web.frame import bp
from schemas.datasets import FieldIn, FieldPatch


def type_names():
    return {
        "date": _("Date"),
        "text": _("Text in four languages"),
        "string": _("String"),
        "number": _("Number"),
        "directory": _("Directory"),
        "location": _("Location"),
        "polygon": _("Polygon"),
    }


def type_hints():
    """What a cell of each type holds, as the guide explains it."""
    return {
        "date": _("A date, for example 12.03.2021."),
        "text": _("Text in four languages: the template gets four columns, one per language."),
        "string": _("Text in one language: one column of letters, digits and signs."),
        "number": _("Numbers only."),
        "directory": _("A code from a directory (classifier): choose the directory below."),
        "location": _("A point on the map: LATITUDE LONGITUDE, for example 41.21542 64.65432."),
        "polygon": _(
            "An area or a route: [lat, lon], [lat, lon], ... in one cell, for example "
            "[41.21542, 64.65432], [51.21542, 32.65432], [61.21542, 65.65432]."
        ),
    }


def _directories():
    found = reference.list_directories(1, 100)
    return found["items"]


def _typed(with_type=True):
    form = {f"cap_{key}": request.form.get(f"cap_{key}", "").strip() for key in DESC_KEYS}
    form["visible"] = request.form.get("visible") == "1"
    if with_type:
        form["type"] = request.form.get("type", "")
        form["directory"] = request.form.get("directory", "").strip()
    return form


def _missing(form, with_type=True):
    errors = []
    if with_type and form.get("type") not in TYPE_NAMES:
        errors.append(("type", _("Choose the data type of the field")))
    if with_type and form.get("type") == "directory" and not form.get("directory"):
        errors.append(("directory", _("Choose the directory of a directory field")))
    for key in DESC_KEYS:
        if not form[f"cap_{key}"]:
            errors.append((f"cap_{key}", _("Enter the name of the field in every language")))
    return errors


def _body(form, with_type=True):
    body = {"caption": {key: form[f"cap_{key}"] for key in DESC_KEYS}, "visible": form["visible"]}
    if with_type:
        body["type"] = form["type"]
        if form["type"] == "directory":
            body["directory"] = form["directory"]
    return body


def _refused(exc):
    """The service's answer as errors of the form."""
    named = exc.errors if isinstance(exc, InvalidData) and isinstance(exc.errors, dict) else {}
    if "directory" in named:
        return [("directory", _("Choose one of the directories of the list"))]
    if isinstance(exc, Conflict):
        return [("type", _("This dataset has data and is editable: its columns stay as they are"))]
    if isinstance(exc, ValidationError) and "caption" in exc.messages:
        return [(f"cap_{DESC_KEYS[0]}", _("A name may be at most 2000 characters long"))]
    return [("type", _("Check the values of the field"))]


@bp.route("/console/datasets/<ds>/structure", methods=["GET", "POST"], endpoint="console_structure")
@signed_in("author", "operator")
def structure_page(ds):
    """Step 2: the fields of the dataset and the form that adds one."""
    query.read({})
    dataset = editor(ds)
    form, errors = {"visible": True}, []
    if request.method == "POST":
        form = _typed()
        errors = _missing(form)
        if not errors:
            try:
                structure.add_field(g.user, dataset.code, FieldIn().load(_body(form)))
            except (InvalidData, Conflict, ValidationError) as exc:
                errors = _refused(exc)
        if not errors:
            done(_("The field is added."))
            return see_other("web.console_structure", ds=dataset.code, _anchor="fields")
        dataset.reload()
    html = render_template(
        "console/structure.html",
        dataset=dataset,
        fields=datasets.ordered_fields(dataset),
        form=form,
        form_errors=errors,
        types=TYPE_NAMES,
        type_names=type_names(),
        type_hints=type_hints(),
        directories=_directories(),
        desc_keys=DESC_KEYS,
    )
    return form_page(html, errors)


def _field_of(dataset, name):
    for field in dataset.fields:
        if field.name == name:
            return field
    raise NotFound(f"dataset {dataset.code} has no field {name!r}")


@bp.route("/console/datasets/<ds>/fields/<name>", methods=["GET", "POST"], endpoint="console_field")
@signed_in("author", "operator")
def field_page(ds, name):
    """Edit one field: its names in four languages and whether it is shown."""
    query.read({})
    dataset = editor(ds)
    field = _field_of(dataset, name)
    errors = []
    if request.method == "POST":
        form = _typed(with_type=False)
        errors = _missing(form, with_type=False)
        if not errors:
            try:
                body = FieldPatch().load(_body(form, with_type=False))
                structure.update_field(g.user, dataset.code, name, body)
            except (InvalidData, Conflict, ValidationError) as exc:
                errors = _refused(exc)
        if not errors:
            done(_("The field %(name)s is saved.", name=name))
            return see_other("web.console_structure", ds=dataset.code, _anchor=f"f-{name}")
    else:
        caption = field.caption.to_dict()
        form = {f"cap_{key}": caption.get(key) or "" for key in DESC_KEYS}
        form["visible"] = field.visible
    html = render_template(
        "console/field.html",
        dataset=dataset,
        field=field,
        form=form,
        form_errors=errors,
        type_names=type_names(),
        desc_keys=DESC_KEYS,
    )
    return form_page(html, errors)


@bp.post("/console/datasets/<ds>/fields/<name>/move", endpoint="console_field_move")
@signed_in("author")
def move_field(ds, name):
    """Move a field one place up or down (it swaps places with its neighbour)."""
    way = request.form.get("way", "")
    if way not in ("up", "down"):
        raise BadRequest("way: up or down")
    dataset = datasets.for_author(g.user, ds)
    fields = datasets.ordered_fields(dataset)
    names = [f.name for f in fields]
    if name not in names:
        raise NotFound(f"dataset {dataset.code} has no field {name!r}")
    at = names.index(name)
    other = at - 1 if way == "up" else at + 1
    if 0 <= other < len(fields):
        # Orders are renumbered 1..n so that equal orders (older data) swap as well.
        order = {f.name: i + 1 for i, f in enumerate(fields)}
        order[name], order[names[other]] = order[names[other]], order[name]
        for field in fields:
            if field.order != order[field.name]:
                structure.update_field(
                    g.user, dataset.code, field.name, {"order": order[field.name]}
                )
        done(_("The field %(name)s is moved.", name=name))
    return see_other("web.console_structure", ds=dataset.code, _anchor=f"f-{name}")


@bp.post("/console/datasets/<ds>/fields/<name>/visible", endpoint="console_field_visible")
@signed_in("author")
def show_field(ds, name):
    """Show or hide a field on the public pages."""
    wanted = request.form.get("visible", "")
    if wanted not in ("0", "1"):
        raise BadRequest("visible: 0 or 1")
    structure.update_field(g.user, ds, name, {"visible": wanted == "1"})
    done(_("The field %(name)s is shown.", name=name) if wanted == "1"
         else _("The field %(name)s is hidden.", name=name))  # fmt: skip
    return see_other("web.console_structure", ds=ds, _anchor=f"f-{name}")


@bp.post("/console/datasets/<ds>/fields/<name>/delete", endpoint="console_field_delete")
@signed_in("author")
def remove_field(ds, name):
    """Remove a field of a dataset that has no data yet."""
    structure.delete_field(g.user, ds, name)
    done(_("The field %(name)s is removed.", name=name))
    return see_other("web.console_structure", ds=ds, _anchor="fields")
