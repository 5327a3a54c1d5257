"""Step 2: the dataset's structure, a list of typed fields."""

from portal.core.errors import Conflict, InvalidData, NotFound
from portal.core.text import is_identifier, make_identifier
from portal.db.models import Directory, Field, ml
from portal.services.publishing import datasets, versions


def _has_data(dataset):
    return dataset.current_version > 0


def _field(dataset, name):
    for field in dataset.fields:
        if field.name == name:
            return field
    raise NotFound(f"dataset {dataset.code} has no field {name!r}")


def _check_directory(field_type, directory):
    if field_type == "directory":
        if not directory:
            raise InvalidData(
                "the field is invalid", {"directory": "a directory field names a directory"}
            )
        if not Directory.objects(code=directory).first():
            raise InvalidData("the field is invalid", {"directory": f"no directory {directory!r}"})
    elif directory:
        raise InvalidData(
            "the field is invalid", {"directory": "only a directory field names a directory"}
        )


def add_field(user, ref, data):
    """Add a field; a dataset with data may gain columns only when it is fillable.

    Under the dataset's write lock, one targeted update adds the field; when the dataset has
    data the same update publishes the structure version (a crash leaves neither)."""
    dataset = datasets.for_author(user, ref)
    with versions.writing(dataset) as lock:
        dataset.reload()
        if _has_data(dataset) and dataset.kind != "fillable":
            raise Conflict(
                "an editable dataset keeps its columns once it has data; "
                "captions, visibility and order may still change"
            )
        taken = {f.name for f in dataset.fields}
        name = data.get("name") or make_identifier(data["caption"]["uzbText"], taken)
        if not is_identifier(name):
            raise InvalidData(
                "the field is invalid",
                {"name": "letters, digits and '_' only, up to 64 characters"},
            )
        if name in taken:
            raise Conflict(f"dataset {dataset.code} has a field {name!r} already")
        _check_directory(data["type"], data.get("directory"))
        order = data.get("order")
        if order is None:
            order = max((f.order for f in dataset.fields), default=0) + 1
        field = Field(
            name=name,
            type=data["type"],
            caption=ml(data["caption"]),
            visible=data.get("visible", True),
            order=order,
            directory=data.get("directory"),
        )
        change = {"$push": {"fields": field.to_mongo().to_dict()}}
        if _has_data(dataset):
            # The new column (empty in the old rows) changes the data: a new version.
            fields = [f.to_dict() for f in dataset.fields] + [field.to_dict()]
            versions.structure_version(lock, by=str(user.id), fields=fields, change=change)
        else:
            versions.change_fields(lock, change, where={"fields.name": {"$ne": name}})
    return _field(dataset, name).to_dict()


def update_field(user, ref, name, data):
    """Change a field's captions, visibility or order (type and directory only without data)."""
    dataset = datasets.for_author(user, ref)
    with versions.writing(dataset) as lock:
        dataset.reload()
        field = _field(dataset, name)
        if {"type", "directory"} & data.keys() and _has_data(dataset):
            changed = (
                data.get("type", field.type) != field.type
                or data.get("directory", field.directory) != field.directory
            )
            if changed:
                raise Conflict("a field's type cannot change once the dataset has data")
        if "type" in data or "directory" in data:
            _check_directory(data.get("type", field.type), data.get("directory", field.directory))
        sets = {}
        for key, value in data.items():
            if key == "caption":
                value = ml(value).to_mongo().to_dict()
            sets[f"fields.$.{key}"] = value
        if sets:
            versions.change_fields(lock, {"$set": sets}, where={"fields.name": name})
    return _field(dataset, name).to_dict()


def delete_field(user, ref, name):
    """Remove a field; once the dataset has data its columns stay (hide them instead)."""
    dataset = datasets.for_author(user, ref)
    with versions.writing(dataset) as lock:
        dataset.reload()
        _field(dataset, name)
        if _has_data(dataset):
            raise Conflict(
                "a dataset with data keeps its columns (hide the field instead); "
                "removing it would lose data"
            )
        versions.change_fields(lock, {"$pull": {"fields": {"name": name}}})


def structure(dataset, *, visible_only=True):
    """The fields as dicts, in order."""
    return [f.to_dict() for f in datasets.ordered_fields(dataset, visible_only=visible_only)]
