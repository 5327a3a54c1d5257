"""What the public reads of a dataset: its visible structure, rows and version history."""

import exporters
from exporters import structure as structure_export
from portal.core.errors import BadRequest, NotFound
from portal.core.fields import FIELD_TYPES
from portal.core.langs import LANG_KEYS
from portal.db.models import Organization
from portal.services.publishing import datasets, versions

FILE_FORMATS = ("csv", "json", "xml", "xlsx", "rdf", "ttl", "jsonld", "nt", "geojson", "parquet")
# the row filter of the compat table reads (services.discovery.tables); the public table's
# query language is services.discovery.table
RANGE_TYPES = ("number", "date")
RANGES = {"gte": "$gte", "lte": "$lte"}


def public_fields(dataset, number=None):
    """The visible fields of a version as plain dicts, in order.

    The current version shows the dataset's current fields; an older one shows the snapshot
    kept with its record, less any field hidden since (hiding is meant to take effect at once).
    """
    current = datasets.ordered_fields(dataset)
    if number is None or number == dataset.current_version:
        return [f.to_dict() for f in current if f.visible]
    hidden_now = {f.name for f in current if not f.visible}
    snapshot = sorted(versions.get(dataset, number).fields, key=lambda f: f.get("order") or 0)
    return [f for f in snapshot if f.get("visible", True) and f["name"] not in hidden_now]


def structure(dataset, number=None):
    """The visible structure of a version (the current one by default)."""
    number = number or dataset.current_version
    return {"code": dataset.code, "version": number, "fields": public_fields(dataset, number)}


def history(dataset, page=1, page_size=20):
    """The version records, newest first, paged."""
    return versions.history_page(dataset, page, page_size)


def version_detail(dataset, number):
    """One version record with the fields it shows."""
    record = versions.version_dict(versions.get(dataset, number))
    record["fields"] = public_fields(dataset, number)
    return record


def _parse(field, raw, key):
    if field["type"] in ("text", "string", "directory"):
        # compared as stored: the text, or the code (length and characters checked like a cell)
        value, problem = FIELD_TYPES["string"].parse(raw)
    else:
        value, problem = FIELD_TYPES[field["type"]].parse(raw, field)
    if problem:
        raise BadRequest(f"filter {key}: {problem}")
    if value is None:
        raise BadRequest(f"filter {key}: empty value")
    return value


def row_query(fields, filters, lang=None):
    """A MongoDB query over row values from `field=value`, `field__gte=`, `field__lte=`.

    Only names of visible fields are accepted and every value is parsed by its field's type, so
    nothing a client sends can become an operator or a path.
    """
    by_name = {f["name"]: f for f in fields}
    clauses = []
    for key, raw in filters.items():
        name, _, op = key.partition("__")
        field = by_name.get(name)
        if field is None:
            known = ", ".join(by_name)
            raise BadRequest(f"unknown filter {key!r}: filter by a field name ({known})")
        if op and op not in RANGES:
            raise BadRequest(f"unknown filter {key!r}: use {name}, {name}__gte or {name}__lte")
        if op and field["type"] not in RANGE_TYPES:
            raise BadRequest(f"filter {key}: ranges apply to number and date fields only")
        value = _parse(field, str(raw), key)
        path = f"d.{name}"
        if field["type"] == "text":
            keys = (lang,) if lang else LANG_KEYS
            clauses.append({"$or": [{f"{path}.{k}": value} for k in keys]})
        elif op:
            clauses.append({path: {RANGES[op]: value}})
        else:
            clauses.append({path: value})
    if not clauses:
        return {}
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def row_sort(fields, sort, lang=None):
    """[(path, direction)] for `field` or `-field`, position breaking ties."""
    if not sort:
        return [("p", 1)]
    direction = -1 if sort.startswith("-") else 1
    name = sort.lstrip("-+")
    field = next((f for f in fields if f["name"] == name), None)
    if field is None:
        raise BadRequest(f"cannot sort by {name!r}: sort by a field name, '-' for descending")
    path = f"d.{name}.{lang or LANG_KEYS[0]}" if field["type"] == "text" else f"d.{name}"
    return [(path, direction), ("p", 1)]


def shape_row(fields, row, lang=None):
    """A stored row as the public sees it: visible fields only, text in one or four languages."""
    out = {}
    for field in fields:
        value = row.get(field["name"])
        if lang and field["type"] == "text" and value is not None:
            value = value.get(lang) or ""
        out[field["name"]] = value
    return out


def rows(dataset, *, filters=None, sort=None, lang=None, page=1, page_size=20, only=None):
    """One page of the current rows, filtered and sorted: `{items, total, page, page_size}`.

    Read from the version's columnar file (services.discovery.table, which has the whole
    query language); `filters` maps `field` or `field.op` to one value; `only` (field names)
    reads those fields alone."""
    from portal.services.discovery import table

    args = {key: [str(value)] for key, value in (filters or {}).items()}
    if sort:
        args["sort"] = [sort]
    return table.rows(dataset, args, lang=lang, page=page, page_size=page_size, only=only)


def distributions(dataset, base_url):
    """The download links of the current data, one per format the structure allows."""
    fields = public_fields(dataset)
    url = f"{base_url}/api/v1/datasets/{dataset.code}"
    return [
        {"format": fmt, "media_type": exporters.MEDIA_TYPES[fmt], "url": f"{url}/data.{fmt}"}
        for fmt in FILE_FORMATS
        if exporters.supports(fmt, fields)
    ]


def passport(dataset, lang=None, base_url=""):
    """The public passport: visible fields only, with the download links."""
    doc = datasets.passport(dataset, lang)
    doc["fields"] = public_fields(dataset)
    doc["distributions"] = distributions(dataset, base_url) if dataset.current_version else []
    return doc


def structure_file(dataset, fmt):
    """(bytes, media type) of the visible structure as structure.json or structure.csv."""
    if fmt not in structure_export.FORMATS:
        raise NotFound(f"no structure format {fmt!r}: use structure.json or structure.csv")
    data = b"".join(structure_export.render_structure(fmt, public_fields(dataset)))
    return data, structure_export.MEDIA_TYPES[fmt]


def datapackage(dataset, base_url, lang=None):
    """The Data Package descriptor of the current data (bytes); it points at the downloads."""
    if not dataset.current_version:
        raise NotFound(f"dataset {dataset.code} has no data yet")
    meta = export_meta(dataset, dataset.current_version, base_url)
    return b"".join(exporters.render("datapackage", meta, public_fields(dataset), (), lang))


def export_meta(dataset, number, base_url):
    """The passport values a file carries; the version's own time stands for `modified`."""
    record = versions.get(dataset, number)
    org = Organization.objects(code=dataset.organization).first()
    return {
        "id": str(dataset.id),
        "code": dataset.code,
        "version": number,
        "title": dataset.title.to_dict() if dataset.title else {},
        "description": dataset.description.to_dict() if dataset.description else {},
        "keywords": list(dataset.keywords),
        "updated_at": record.created_at,
        "organization": {"code": dataset.organization, "name": org.name.to_dict() if org else {}},
        "base_url": base_url,
    }
