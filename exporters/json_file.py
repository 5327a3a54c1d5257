"""JSON: an array of row objects keyed by field name."""

import orjson

from ._common import CHUNK, text_form, text_getter


def value_converter(field, lang):
    """value -> JSON value, or None where the stored value is already the JSON value."""
    kind = field["type"]
    if kind == "text":
        # all languages: the stored {"uzbText": ...} object; one language: its string
        return None if lang is None else text_getter(lang)
    if kind in ("location", "polygon"):
        return text_form(field, None)
    return None


def row_converter(fields, lang, skip=None):
    """row dict -> JSON-ready dict keyed by field name (leaving out the field `skip`)."""
    plan = [(f["name"], value_converter(f, lang)) for f in fields if f is not skip]

    def convert(row):
        get = row.get
        return {n: get(n) if f is None else f(get(n)) for n, f in plan}

    return convert


def json_array(items, head=b"[", tail=b"]", sep=b""):
    """Stream JSON-ready objects as one array, dumping a batch of about CHUNK bytes at a time."""
    yield head
    batch = []
    size = 64  # rows per batch, tuned after each dump to land near CHUNK bytes
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            # dumps(list) gives b"[...]": the brackets are cut to join batches with commas
            data = orjson.dumps(batch)
            yield sep + data[1:-1]
            sep = b","
            size = max(16, CHUNK * len(batch) // len(data))
            batch.clear()
    if batch:
        yield sep + orjson.dumps(batch)[1:-1]
    yield tail


def render(meta, fields, rows, lang):
    """Yield the JSON bytes of the rows."""
    convert = row_converter(fields, lang)
    return json_array(map(convert, rows))
