"""Frictionless Data Package descriptor (datapackage.json) of a dataset; reads no rows."""

import re
from datetime import UTC, datetime
from urllib.parse import quote

import orjson

from portal.core.langs import LANG_KEYS, LANG_SHORT

from ._common import GEOMETRY_TYPES, caption, columns

# Table Schema types. Location is a "lat lon" string: geopoint's formats are "lon, lat",
# [lon, lat] or an object, none of which is the portal's text form, so it stays a string with a
# description; a polygon's "[lat, lon], ..." text is not GeoJSON either.
TABLE_TYPES = {
    "date": "date",
    "number": "number",
    "string": "string",
    "text": "string",
    "directory": "string",
    "location": "string",
    "polygon": "string",
}
NOTES = {
    "location": 'WGS 84 latitude and longitude in degrees, as "lat lon"',
    "polygon": 'WGS 84 points as "[lat, lon], [lat, lon], ..."',
    "date": "ISO 8601 date (YYYY-MM-DD)",
}
# Formats listed as further resources, beside the CSV that the schema describes.
OTHER_FORMATS = {
    "json": "application/json",
    "xml": "application/xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "rdf": "application/rdf+xml",
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "geojson": "application/geo+json",
}


def package_name(code):
    """A Data Package name: lower case letters, digits and -._ only."""
    return re.sub(r"[^a-z0-9._-]+", "-", str(code).lower()).strip("-") or "dataset"


def _in_lang(values, lang):
    values = values or {}
    return values.get(lang or LANG_KEYS[0]) or values.get(LANG_KEYS[0]) or ""


def _schema_field(name, field, lang_key, lang):
    out = {"name": name, "type": TABLE_TYPES.get(field["type"], "string")}
    title = caption(field, lang)
    if lang is None and lang_key is not None:
        title = f"{title} ({LANG_SHORT[lang_key]})"
    out["title"] = title
    captions = field.get("caption") or {}
    notes = ["; ".join(f"{LANG_SHORT[k]}: {captions[k]}" for k in LANG_KEYS if captions.get(k))]
    if field["type"] in NOTES:
        notes.append(NOTES[field["type"]])
    if field["type"] == "directory" and field.get("directory"):
        notes.append(f"item code of directory {field['directory']}")
    if lang_key is not None:
        notes.append(f"text in language {LANG_SHORT[lang_key]}")
    out["description"] = ". ".join(n for n in notes if n)
    if field["type"] == "date":
        out["format"] = "default"
    return out


def _created(value):
    if not isinstance(value, datetime):
        return None
    if value.tzinfo is None:  # MongoDB hands back naive datetimes in UTC
        value = value.replace(tzinfo=UTC)
    return value.isoformat().replace("+00:00", "Z")


def _license(value):
    if isinstance(value, dict):
        return value
    value = str(value)
    return {"path": value} if value.startswith(("http://", "https://")) else {"name": value}


def descriptor(meta, fields, lang, formats=OTHER_FORMATS):
    """The datapackage.json descriptor as a dict."""
    base = str(meta.get("base_url", "")).rstrip("/")
    code = str(meta.get("code", ""))
    api = f"{base}/api/v1/datasets/{quote(code, safe='-._~')}"
    query = f"?lang={LANG_SHORT[lang]}" if lang else ""
    name = package_name(code)
    schema_fields = [_schema_field(n, f, k, lang) for n, f, k in columns(fields, lang)]
    data = {
        "name": name,
        "path": f"{api}/data.csv{query}",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "lineTerminator": "\r\n", "header": True},
        "schema": {"fields": schema_fields, "missingValues": [""]},
    }
    resources = [data]
    for fmt, media in formats.items():
        resources.append(
            {
                "name": f"{name}-{fmt}",
                "path": f"{api}/data.{fmt}{query}",
                "format": fmt,
                "mediatype": media,
            }
        )
    package = {
        "profile": "data-package",
        "name": name,
        "id": meta.get("id") or code,
        "title": _in_lang(meta.get("title"), lang),
        "description": _in_lang(meta.get("description"), lang),
        "keywords": [str(k) for k in meta.get("keywords") or ()],
        "version": str(meta.get("version", "")),
        "created": _created(meta.get("updated_at")),
        "licenses": [_license(meta["license"])] if meta.get("license") else None,
        "contributors": None,
        "resources": resources,
    }
    org = meta.get("organization") or {}
    if org.get("name") or org.get("code"):
        title = _in_lang(org.get("name"), lang) or str(org.get("code"))
        package["contributors"] = [{"title": title, "role": "publisher"}]
    return {k: v for k, v in package.items() if v not in (None, "", [])}


def render(meta, fields, rows, lang):
    """Yield the datapackage.json bytes."""
    has_geometry = any(f["type"] in GEOMETRY_TYPES for f in fields)
    formats = {k: v for k, v in OTHER_FORMATS.items() if k != "geojson" or has_geometry}
    yield orjson.dumps(descriptor(meta, fields, lang, formats), option=orjson.OPT_INDENT_2)
