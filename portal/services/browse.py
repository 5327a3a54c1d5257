"""What the public reads of a dataset: its visible structure, rows and version history."""

import exporters
from exporters import structure as structure_export
from portal.core.errors import NotFound
from portal.db.models import Organization
from portal.services import datasets, versions

FILE_FORMATS = ("csv", "json", "xml", "xlsx", "rdf", "ttl", "jsonld", "nt", "geojson", "parquet")


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


def rows(dataset, *, filters=None, sort=None, lang=None, page=1, page_size=20):
    """One page of the current rows, filtered and sorted: `{items, total, page, page_size}`.

    Read from the version's columnar file (services.discovery.table, which has the whole
    query language); `filters` maps `field` or `field.op` to one value."""
    from portal.services.discovery import table

    args = {key: [str(value)] for key, value in (filters or {}).items()}
    if sort:
        args["sort"] = [sort]
    return table.rows(dataset, args, lang=lang, page=page, page_size=page_size)


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
