"""A dataset's structure (its field list) as JSON or CSV."""

import csv
import io

import orjson

from portal.core.langs import LANG_KEYS, LANG_SHORT

from ._common import neutralize

FORMATS = ("json", "csv")
MEDIA_TYPES = {"json": "application/json", "csv": "text/csv; charset=utf-8"}
CSV_COLUMNS = (
    "name",
    "type",
    *(f"caption_{LANG_SHORT[k]}" for k in LANG_KEYS),
    "visible",
    "order",
    "directory",
)


def field_entries(fields):
    """The fields as plain dicts: name, type, caption{4}, visible, order, directory."""
    out = []
    for i, field in enumerate(fields, 1):
        captions = field.get("caption") or {}
        out.append(
            {
                "name": field["name"],
                "type": field["type"],
                "caption": {k: captions.get(k) or "" for k in LANG_KEYS},
                "visible": bool(field.get("visible", True)),
                "order": field.get("order") or i,
                "directory": field.get("directory") or None,
            }
        )
    return out


def _csv(entries):
    buf = io.StringIO()
    buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for e in entries:
        captions = [neutralize(e["caption"][k]) for k in LANG_KEYS]
        visible = "true" if e["visible"] else "false"
        writer.writerow(
            [neutralize(e["name"]), e["type"], *captions, visible, e["order"], e["directory"]]
        )
    return buf.getvalue().encode()


def render_structure(fmt, fields):
    """Iterator of bytes of the field list in `fmt` ("json" or "csv")."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown structure format: {fmt!r}")
    entries = field_entries(fields)
    return iter([orjson.dumps(entries) if fmt == "json" else _csv(entries)])
