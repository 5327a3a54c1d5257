"""Read a JSON request body safely: bounded depth, numbers BSON stores, text UTF-8 can encode.

Python's json module recurses (a body nested ~1,000 levels raises RecursionError), refuses
integers of more than 4,300 digits with a ValueError, reads ``1e400`` as infinity and accepts
escaped lone surrogates (``"\\ud800"``) that no UTF-8 answer, log line or MongoDB document can
hold. Every request body goes through ``load_json`` once; what it returns is safe to validate.
"""

import json
import math
import re

from .cells import MAX_INT
from .errors import BadRequest

MAX_DEPTH = 32  # a push is 4 levels deep ({data: [{key: [[lat, lon]]}]}); a cell adds a few
_SURROGATE_ESCAPE = re.compile(rb"\\[uU][dD][89abcdefABCDEF]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _where(path):
    out = ""
    if len(path) > 8:
        path = (*path[:6], "…")
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "the body"


def _shown_key(key):
    text = key.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= 60 else text[:60] + "…"


def _text_problem(text):
    found = _SURROGATE.search(text)
    if found:
        return (
            f"invalid character U+{ord(found.group()):04X} (a lone surrogate) "
            f"at position {found.start() + 1}"
        )
    return None


def check_value(value, max_depth=MAX_DEPTH, check_text=True):
    """Raise BadRequest naming the place of the first unsafe part of a parsed JSON value."""
    stack = [(value, (), 1)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, dict):
            if depth > max_depth:
                raise BadRequest(f"{_where(path)}: nested deeper than {max_depth} levels")
            for key, inner in item.items():
                if check_text and _text_problem(key):
                    raise BadRequest(
                        f"{_where(path)}: key {_shown_key(key)!r}: {_text_problem(key)}"
                    )
                if isinstance(inner, (dict, list, str, int, float)):
                    stack.append((inner, (*path, _shown_key(key)), depth + 1))
        elif isinstance(item, list):
            if depth > max_depth:
                raise BadRequest(f"{_where(path)}: nested deeper than {max_depth} levels")
            for index, inner in enumerate(item):
                if isinstance(inner, (dict, list, str, int, float)):
                    stack.append((inner, (*path, index), depth + 1))
        elif isinstance(item, str):
            if check_text:
                problem = _text_problem(item)
                if problem:
                    raise BadRequest(f"{_where(path)}: {problem}")
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if not -MAX_INT <= item <= MAX_INT:
                raise BadRequest(
                    f"{_where(path)}: number out of range: an integer is at most "
                    f"{MAX_INT:,} in absolute value"
                )
        elif isinstance(item, float) and not math.isfinite(item):
            raise BadRequest(f"{_where(path)}: {item!r} is not a number JSON allows")


def _constant(name):
    raise BadRequest(f"{name} is not valid JSON: send numbers as finite decimals")


def load_json(data):
    """The value of a JSON body (bytes or str), or BadRequest saying what is wrong and where."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadRequest(f"the body is not UTF-8: byte {exc.start:,} is invalid") from None
        may_hold_surrogates = _SURROGATE_ESCAPE.search(data) is not None
    else:
        text = data
        may_hold_surrogates = not text.isascii() or "\\u" in text or "\\U" in text
    try:
        value = json.loads(text, parse_constant=_constant)
    except json.JSONDecodeError as exc:
        raise BadRequest(
            f"the body is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:
        raise BadRequest(f"the body is nested deeper than {MAX_DEPTH} levels") from None
    except ValueError:
        # int() refuses more than 4,300 digits (CVE-2020-10735); no stored number is that long
        raise BadRequest(
            "the body holds a number with too many digits: an integer is at most "
            f"{MAX_INT:,} in absolute value"
        ) from None
    check_value(value, check_text=may_hold_surrogates)
    return value
