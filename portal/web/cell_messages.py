"""The validation messages of portal/core (a cell's problem, a header's) in the page's language.

The core words its messages in English for the API, which keeps answering them; a page shows
each message it knows in its own language, the variable part (the bad value, a directory's
code, a count) kept verbatim. A message is recognized by its fixed words (prefixes, suffixes,
str.partition), never by a regular expression: the value part is the uploader's data.

    shown = words("not a number: 'abc'")   # Words(text="не число: 'abc'", english=False)

A message of no known shape is kept as it is, `english=True` (the page marks it lang="en").
"""

from typing import NamedTuple

from flask_babel import gettext as _

from portal.core.columns import HEADER_PROBLEM
from portal.core.fields import DATE_PROBLEM, OUT_OF_RANGE
from portal.core.geo import LOCATION_PROBLEM, POLYGON_PROBLEM
from portal.core.langs import LANG_KEYS

QUOTES = ("'", '"')


class Words(NamedTuple):
    text: str
    english: bool  # the message is the core's own English words (none of ours fits it)


def words(message):
    """The message in the page's language, or (when its shape is unknown) as it is."""
    message = str(message or "")
    found = _known(message)
    return Words(message, True) if found is None else Words(found, False)


def plain(message):
    """The message's text in the page's language (English when its shape is unknown)."""
    return words(message).text


def _between(message, head, tail):
    """The part of `message` between a fixed head and a fixed tail, else None."""
    if message.startswith(head) and message.endswith(tail) and len(message) >= len(head + tail):
        return message[len(head) : len(message) - len(tail)]
    return None


def _known(message):
    fixed = _fixed().get(message)
    if fixed:
        return fixed
    for head, say in _prefixed():
        if message.startswith(head):
            found = say(message[len(head) :])
            if found is not None:
                return found
    return _shaped(message)


def _fixed():
    return {
        OUT_OF_RANGE: _("number out of range: an integer is at most %(limit)s in absolute value",
                        limit=OUT_OF_RANGE.partition("at most ")[2].partition(" ")[0]),
        "polygon needs at least two points": _("a polygon needs at least two points"),
        "a record must be an object of key: value": _("a record must be an object of key: "
                                                      "value"),
        "the file has no data rows": _("the file has no data rows"),
    }  # fmt: skip


def _prefixed():
    """(the message's fixed start, what the rest of it says) of the messages with a value."""
    return (
        ("not a number: ", _number),
        ("not text: ", lambda v: _("not text: %(value)s", value=v)),
        (DATE_PROBLEM.format(""), lambda v: _("not a date (dd.mm.yyyy or yyyy-mm-dd): %(value)s",
                                              value=v)),
        (LOCATION_PROBLEM.format(""), lambda v: _("not a location (latitude longitude): "
                                                  "%(value)s", value=v)),
        (POLYGON_PROBLEM.format(""), lambda v: _("not a polygon ([latitude, longitude], "
                                                 "[latitude, longitude], ...): %(value)s",
                                                 value=v)),
        ("unknown code or name in directory '", _unknown_code),
        ("ambiguous name in directory '", _ambiguous_name),
        ("point ", _point),
        (f"{HEADER_PROBLEM}: ", _header),
    )  # fmt: skip


def _number(rest):
    if not rest.startswith(QUOTES):
        count, sep, limit = rest.partition(" characters (at most ")
        if sep and limit.endswith(")"):
            return _("not a number: %(count)s characters (at most %(limit)s)",
                     count=count, limit=limit[:-1])  # fmt: skip
    return _("not a number: %(value)s", value=rest)


def _unknown_code(rest):
    code, sep, value = rest.partition("': ")
    if not sep:
        return None
    return _("unknown code or name in directory “%(code)s”: %(value)s", code=code, value=value)


def _ambiguous_name(rest):
    code, sep, rest = rest.partition("': ")
    named, sep2, codes = rest.rpartition(" matches ")
    if not (sep and sep2):
        return None
    return _("ambiguous name in directory “%(code)s”: %(value)s matches %(codes)s",
             code=code, value=named, codes=codes)  # fmt: skip


def _point(rest):
    number, sep, problem = rest.partition(": ")
    inner = _known(problem) if sep and number.isdigit() else None
    if inner is None:
        return None
    return _("point %(number)s: %(problem)s", number=number, problem=inner)


def _header_labels():
    return (
        ("missing columns", _("missing columns")),
        ("unknown columns", _("unknown columns")),
        ("ambiguous columns", _("ambiguous columns")),
        ("duplicate columns", _("duplicate columns")),
    )


def _header(rest):
    """The parts of a header problem, in this order: missing columns: 'a', 'b'; unknown ..."""
    labels, parts = _header_labels(), []
    while rest:
        at = next((i for i, (head, _w) in enumerate(labels) if rest.startswith(head + ": ")), None)
        if at is None:
            return None
        head, word = labels[at]
        labels = labels[at + 1 :]
        rest = rest[len(head) + 2 :]
        ends = [rest.find(f"; {later}: '") for later, _w in labels]  # items start quoted
        end = min((e for e in ends if e >= 0), default=len(rest))
        parts.append(f"{word}: {rest[:end]}")
        rest = rest[end + 2 :]
    if not parts:
        return None
    return _("the header does not match the structure: %(parts)s", parts="; ".join(parts))


def _shaped(message):
    """The messages whose value sits between fixed words."""
    for key in LANG_KEYS:
        if message.startswith(key + ": "):
            inner = _known(message[len(key) + 2 :])
            return None if inner is None else f"{key}: {inner}"
    found = _between(message, "latitude ", " is out of range [-90, 90]")
    if found is not None:
        return _("latitude %(value)s is out of range [-90, 90]", value=found)
    found = _between(message, "longitude ", " is out of range [-180, 180]")
    if found is not None:
        return _("longitude %(value)s is out of range [-180, 180]", value=found)
    found = _between(message, "directory ", " is not available")
    if found is not None:
        return _("the directory %(code)s is not available", code=found)
    found = _between(message, "a polygon has at most ", "")
    if found is not None:
        limit, sep, count = found.partition(" points; this one ")
        if sep:
            return _("a polygon has at most %(limit)s points; this one has %(count)s",
                     limit=limit, count=count)  # fmt: skip
    found = _between(message, "the cell has ", " are allowed")
    if found is not None:
        count, sep, limit = found.partition(" characters; at most ")
        if sep:
            return _("the cell has %(count)s characters; at most %(limit)s are allowed",
                     count=count, limit=limit)  # fmt: skip
    found = _between(message, "invalid character U+", "")
    if found is not None:
        code, sep, position = found.partition(" (a lone surrogate) at position ")
        if sep:
            return _("invalid character U+%(code)s (a lone surrogate) at position %(position)s",
                     code=code, position=position)  # fmt: skip
    found = _between(message, "unknown language ", ")")
    if found is not None:
        name, sep, keys = found.partition(" (use ")
        if sep:
            return _("unknown language %(name)s (use %(keys)s)", name=name, keys=keys)
    return _keys(message)


def _keys(message):
    """The messages of a JSON record's keys."""
    found = _between(message, "duplicate key '", "'")
    if found is not None:
        key, sep, other = found.partition("': same column as '")
        if sep:
            return _("duplicate key “%(key)s”: the same column as “%(other)s”",
                     key=key, other=other)  # fmt: skip
    found = _between(message, "ambiguous key '", "")
    if found is not None:
        key, sep, names = found.partition("': matches ")
        if sep:
            return _("ambiguous key “%(key)s”: it matches %(names)s", key=key, names=names)
    found = _between(message, "unknown key '", "'")
    if found is not None:
        return _("unknown key “%(key)s”", key=found)
    return None
