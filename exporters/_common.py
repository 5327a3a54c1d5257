"""Shared pieces of the exporters: languages, columns, value text forms, chunking."""

import re
from decimal import Decimal
from itertools import pairwise

from portal.core.langs import LANG_KEYS, LANG_SHORT

CHUNK = 64 * 1024
GEOMETRY_TYPES = ("location", "polygon")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def columns(fields, lang):
    """Flat columns as (column name, field, language key or None), in field order."""
    out = []
    for field in fields:
        name = field["name"]
        if field["type"] != "text":
            out.append((name, field, None))
        elif lang is None:
            out.extend((f"{name}_{LANG_SHORT[k]}", field, k) for k in LANG_KEYS)
        else:
            out.append((name, field, lang))
    return out


def caption(field, lang):
    """The field's caption in a language (Uzbek Latin by default), falling back to its name."""
    cap = field.get("caption") or {}
    return cap.get(lang or LANG_KEYS[0]) or cap.get(LANG_KEYS[0]) or field["name"]


def number_text(v):
    """Shortest text of a number, without a trailing '.0'."""
    text = repr(v)
    # a float's repr ends in '.0' only when it is integral
    return text[:-2] if text.endswith(".0") else text


def decimal_text(v):
    """A number as an xsd:decimal lexical form (no exponent)."""
    text = repr(v)
    if text.endswith(".0"):
        return text[:-2]
    if "e" in text:
        text = format(Decimal(text), "f")
    return text


def location_text(v):
    """[lat, lon] -> 'lat lon'."""
    text = f"{v[0]!r} {v[1]!r}"
    # repr of a float ends in '.0' only when it is integral: rare, so fixed up afterwards
    if ".0 " in text or text.endswith(".0"):
        text = f"{number_text(v[0])} {number_text(v[1])}"
    return text


def polygon_text(v):
    """[[lat, lon], ...] -> '[lat, lon], [lat, lon]'."""
    text = ", ".join([f"[{p[0]!r}, {p[1]!r}]" for p in v])
    if ".0," in text or ".0]" in text:
        text = ", ".join([f"[{number_text(p[0])}, {number_text(p[1])}]" for p in v])
    return text


def text_getter(key):
    """A function picking one language out of a text value (missing language: '')."""

    def pick(v):
        return None if v is None else v.get(key) or ""

    return pick


def _as_is(v):
    return v


def _or_none(fn):
    def wrapped(v):
        return None if v is None else fn(v)

    return wrapped


TEXT_FORMS = {
    "number": _or_none(number_text),
    "location": _or_none(location_text),
    "polygon": _or_none(polygon_text),
}


def text_form(field, lang_key):
    """value -> its text form from values.md (None stays None) for one column."""
    if lang_key is not None:
        return text_getter(lang_key)
    return TEXT_FORMS.get(field["type"], _as_is)


def neutralize(s):
    """Prefix a quote to text a spreadsheet would read as a formula."""
    return "'" + s if s.startswith(FORMULA_START) else s


def closed_ring(points):
    """[[lat, lon], ...] -> closed, counter-clockwise [[lon, lat], ...] ring (RFC 7946)."""
    ring = [[p[1], p[0]] for p in points]
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    area = sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise(ring))
    if area < 0:
        ring.reverse()
    return ring


def encode_chunks(pieces, size=CHUNK):
    """Join an iterable of str into UTF-8 chunks of about `size` characters."""
    buf = []
    n = 0
    append = buf.append
    for piece in pieces:
        append(piece)
        n += len(piece)
        if n >= size:
            yield "".join(buf).encode()
            buf.clear()
            n = 0
    if buf:
        yield "".join(buf).encode()


# XML 1.0 (5th edition) name characters; '.' is left out on purpose so that the same local
# names are also valid Turtle prefixed names (which may not end with a dot).
_START = (
    "A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_NAME_CHAR = _START + r"\-0-9\u00b7\u0300-\u036f\u203f\u2040"
_NOT_NAME_CHAR = re.compile(f"[^{_NAME_CHAR}]")
_NAME_START = re.compile(f"[{_START}]")
RESERVED_LOCAL = frozenset(("Row",))


def local_name(name):
    """A field name as an NCName: bad characters -> '_', '_' in front of a bad start."""
    safe = _NOT_NAME_CHAR.sub("_", name) or "_"
    if not _NAME_START.match(safe) or safe[:3].lower() == "xml" or safe in RESERVED_LOCAL:
        safe = "_" + safe
    return safe


def local_names(names):
    """local_name() for each name, made unique with a '_2', '_3'... suffix on clashes."""
    seen = set()
    out = []
    for name in names:
        base = candidate = local_name(name)
        n = 1
        while candidate in seen:
            n += 1
            candidate = f"{base}_{n}"
        seen.add(candidate)
        out.append(candidate)
    return out


# Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, surrogates, U+FFFE/F).
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(s):
    """Drop characters XML 1.0 forbids; printable text takes the fast path."""
    return s if s.isprintable() else XML_FORBIDDEN.sub("", s)
