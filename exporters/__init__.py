"""Dataset exporters: (meta, fields, rows) -> a stream of bytes, one module per format."""

from importlib import import_module

from portal.core.langs import parse_lang

from ._common import GEOMETRY_TYPES

_MODULES = {
    "csv": "csv_file",
    "json": "json_file",
    "xml": "xml_file",
    "xlsx": "xlsx_file",
    "rdf": "rdf_xml",
    "ttl": "rdf_turtle",
    "jsonld": "rdf_jsonld",
    "nt": "rdf_ntriples",
    "geojson": "geojson_file",
    "datapackage": "datapackage",
    "parquet": "parquet_file",
}
FORMATS = tuple(_MODULES)

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xml": "application/xml; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "rdf": "application/rdf+xml",
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "geojson": "application/geo+json",
    "datapackage": "application/json",
    "parquet": "application/vnd.apache.parquet",
}

# File names for a Content-Disposition header.
FILE_NAMES = {fmt: f"data.{fmt}" for fmt in FORMATS} | {"datapackage": "datapackage.json"}


def supports(fmt, fields):
    """Whether a format can be offered for a structure (GeoJSON needs a geometry field)."""
    if fmt not in _MODULES:
        return False
    if fmt == "geojson":
        return any(f["type"] in GEOMETRY_TYPES for f in fields)
    return True


def render(fmt, meta, fields, rows, lang=None):
    """Iterator of bytes of `rows` in format `fmt`; bad arguments raise ValueError at once."""
    if fmt not in _MODULES:
        raise ValueError(f"unknown export format: {fmt!r}")
    if not supports(fmt, fields):
        raise ValueError(f"format {fmt!r} does not fit this structure")
    module = import_module(f"{__name__}.{_MODULES[fmt]}")
    return module.render(meta, list(fields), rows, parse_lang(lang))
