"""Field types: parse a raw cell into the canonical value of docs/values.md, and format it back.

Every ``parse(raw, field=None, directory=None)`` returns ``(value, problem)``: problem is None or a
message naming the bad value; a blank cell is ``(None, None)``. ``parser(field, directory)`` returns
the same as a one-argument function, bound once per column so validation does no lookups per cell.

Numbers: spaces (also no-break and thin spaces) are thousands separators only between groups of
three digits. A single comma or a single dot is the decimal separator (``1,5`` and ``1.5`` are
1.5, as Uzbek and Russian write decimals). With both a comma and a dot, the last one is the
decimal separator and the other groups thousands (``1,234.5`` and ``1.234,5`` are 1234.5). Two or
more of the same mark group thousands (``1,234,567``). An exponent (``1e3``) is allowed; text,
NaN and infinity are rejected. Integral values are stored as int (up to 2**53 for floats); an
integer beyond int64 (what BSON stores exactly) is refused, and so is a cell of more than
MAX_NUMBER_CHARS characters.

Dates: ``dd.mm.yyyy``, ``d.m.yyyy``, ``dd/mm/yyyy``, ``dd-mm-yyyy``, ``yyyy-mm-dd`` (a trailing
midnight time such as ``00:00:00`` is allowed), and date or datetime cells.
"""

import datetime
import math
import re
from collections.abc import Mapping

from .cells import MAX_INT, FieldType, cell_text, is_blank, shown, shown_value, text_problem
from .geo import LocationType, PolygonType
from .langs import LANG_KEYS, parse_lang

_PLAIN_INT = re.compile(r"[+-]?[0-9]+")
_SIMPLE = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?")
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_SPACED = re.compile(r"[+-]?[0-9]{1,3}(?: [0-9]{3})+(?:[.,][0-9]+)?")
_GROUPED = {sep: re.compile(rf"[+-]?[0-9]{{1,3}}(?:\{sep}[0-9]{{3}})+") for sep in ",."}
_SPACE_MARKS = str.maketrans({c: " " for c in "\u00a0\u2007\u2009\u202f"})
_EXACT_INT_LIMIT = 2**53  # beyond this a float no longer holds every integer exactly
MAX_NUMBER_CHARS = 400
OUT_OF_RANGE = f"number out of range: an integer is at most {MAX_INT:,} in absolute value"

_MIDNIGHT = r"(?:[T ]00:00(?::00(?:\.0+)?)?)?"
_DMY = re.compile(rf"([0-9]{{1,2}})([./-])([0-9]{{1,2}})\2([0-9]{{4}}){_MIDNIGHT}")
_YMD = re.compile(rf"([0-9]{{4}})-([0-9]{{1,2}})-([0-9]{{1,2}}){_MIDNIGHT}")
DATE_PROBLEM = "not a date (dd.mm.yyyy or yyyy-mm-dd): {}"


def _number(text):
    """Return the number written in text, or None when it is not one."""
    if _PLAIN_INT.fullmatch(text):
        return int(text)
    if _SIMPLE.fullmatch(text):
        return _canonical_float(float(text.replace(",", ".")))
    text = text.replace("\u2212", "-").translate(_SPACE_MARKS)
    if " " in text:
        if not _SPACED.fullmatch(text):
            return None
        text = text.replace(" ", "")
    commas, dots = text.count(","), text.count(".")
    if commas and dots:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        whole, fraction = text.rsplit(decimal, 1)
        thousands = "." if decimal == "," else ","
        if not _GROUPED[thousands].fullmatch(whole):
            return None
        text = whole.replace(thousands, "") + "." + fraction
    elif commas == 1:
        text = text.replace(",", ".")
    elif commas > 1 or dots > 1:
        mark = "," if commas else "."
        if not _GROUPED[mark].fullmatch(text):
            return None
        text = text.replace(mark, "")
    if not _DECIMAL.fullmatch(text):
        return None
    if _PLAIN_INT.fullmatch(text):
        return int(text)
    return _canonical_float(float(text))


def _canonical_float(value):
    if not math.isfinite(value):
        return None
    if value.is_integer() and abs(value) < _EXACT_INT_LIMIT:
        return int(value)
    return value


def _checked_int(value):
    if -MAX_INT <= value <= MAX_INT:
        return value, None
    return None, OUT_OF_RANGE


class NumberType(FieldType):
    """Integers and decimals; stored as int when integral, else float."""

    name = "number"

    def parse(self, raw, field=None, directory=None):
        cls = raw.__class__
        if cls is str:
            text = raw.strip()
            if not text:
                return None, None
            if len(text) > MAX_NUMBER_CHARS:
                return None, f"not a number: {len(text):,} characters (at most {MAX_NUMBER_CHARS})"
            value = _number(text)
            if value is None:
                return None, f"not a number: {shown(text)}"
            return _checked_int(value) if value.__class__ is int else (value, None)
        if cls is int:
            return _checked_int(raw)
        if cls is float:
            value = _canonical_float(raw)
            return (value, None) if value is not None else (None, f"not a number: {raw!r}")
        if raw is None:
            return None, None
        if isinstance(raw, int) and not isinstance(raw, bool):
            return _checked_int(int(raw))
        if isinstance(raw, float):
            return self.parse(float(raw))
        return None, f"not a number: {shown(cell_text(raw))}"

    def format(self, value):
        if value is None:
            return ""
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        return str(value)


class DateType(FieldType):
    """Calendar dates; stored as 'YYYY-MM-DD'."""

    name = "date"

    def parse(self, raw, field=None, directory=None):
        if raw is None:
            return None, None
        if isinstance(raw, datetime.datetime):
            return raw.date().isoformat(), None
        if isinstance(raw, datetime.date):
            return raw.isoformat(), None
        if not isinstance(raw, str):
            return None, DATE_PROBLEM.format(shown(cell_text(raw)))
        problem = text_problem(raw)
        if problem:
            return None, problem
        text = raw.strip()
        if not text:
            return None, None
        match = _DMY.fullmatch(text)
        if match:
            day, month, year = match.group(1, 3, 4)
        else:
            match = _YMD.fullmatch(text)
            if not match:
                return None, DATE_PROBLEM.format(shown(text))
            year, month, day = match.groups()
        try:
            return datetime.date(int(year), int(month), int(day)).isoformat(), None
        except ValueError:
            return None, DATE_PROBLEM.format(shown(text))

    def format(self, value):
        if isinstance(value, datetime.date):
            return value.isoformat()[:10]
        return "" if value is None else str(value)


class StringType(FieldType):
    """Free text in one language; stored as str (Excel numbers without a trailing .0)."""

    name = "string"

    def parse(self, raw, field=None, directory=None):
        if raw.__class__ is str:
            problem = text_problem(raw)
            if problem:
                return None, problem
            text = raw.strip()
            return (text or None), None
        if raw is None:
            return None, None
        if isinstance(raw, str):
            return self.parse(str(raw))
        if isinstance(raw, bool):
            return ("TRUE" if raw else "FALSE"), None
        if isinstance(raw, float):
            if not math.isfinite(raw):
                return None, f"not text: {raw!r}"
            return cell_text(raw), None
        if isinstance(raw, int):
            if not -MAX_INT <= raw <= MAX_INT:
                return None, OUT_OF_RANGE
            return str(raw), None
        if isinstance(raw, datetime.datetime) and raw.time() == datetime.time():
            return raw.date().isoformat(), None
        if isinstance(raw, (datetime.date, datetime.time)):
            return raw.isoformat(), None
        return None, f"not text: {shown_value(raw)}"


_STRING = StringType()


class TextType(FieldType):
    """Text in the four languages; stored as {lang key: str} with '' for a missing language."""

    name = "text"

    def parse(self, raw, field=None, directory=None):
        if raw is None:
            return None, None
        if not isinstance(raw, Mapping):
            raw = {"uzbText": raw}  # a single value is the Uzbek Latin text
        value = dict.fromkeys(LANG_KEYS, "")
        for lang, cell in raw.items():
            try:
                key = parse_lang(lang)
            except ValueError:
                key = None
            if key is None:
                name = shown(lang) if isinstance(lang, str) else shown(cell_text(lang))
                return None, f"unknown language {name} (use {', '.join(LANG_KEYS)})"
            text, problem = _STRING.parse(cell)
            if problem:
                return None, f"{key}: {problem}"
            value[key] = text or ""
        return (value, None) if any(value.values()) else (None, None)

    def format(self, value, lang="uzbText"):
        if not value:
            return ""
        return value.get(lang) or ""


class DirectoryType(FieldType):
    """A reference to a directory item; stored as the item code."""

    name = "directory"
    uses_context = True

    def parse(self, raw, field=None, directory=None):
        if is_blank(raw):
            return None, None
        if directory is None:
            code = _field_directory(field)
            return None, f"directory {code!r} is not available"
        if isinstance(raw, (bool, Mapping, list, tuple)):
            shown_raw = shown(cell_text(raw))
            return None, f"unknown code or name in directory '{directory.code}': {shown_raw}"
        if isinstance(raw, str):
            problem = text_problem(raw)
            if problem:
                return None, problem
        return directory.lookup(raw)


def _field_directory(field):
    if field is None:
        return None
    if isinstance(field, Mapping):
        return field.get("directory")
    return getattr(field, "directory", None)


# every field type, in the order the structure step offers them: the one list of types
FIELD_TYPES = {
    "date": DateType(),
    "text": TextType(),
    "string": StringType(),
    "number": NumberType(),
    "directory": DirectoryType(),
    "location": LocationType(),
    "polygon": PolygonType(),
}
TYPE_NAMES = tuple(FIELD_TYPES)


def field_type(name):
    """Return the field type registered under name; ValueError when there is none."""
    try:
        return FIELD_TYPES[name]
    except KeyError:
        raise ValueError(f"unknown field type {name!r} (use {', '.join(FIELD_TYPES)})") from None
