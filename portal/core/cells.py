"""What every field type shares: blank cells, cell text, size limits, and the FieldType base."""

import re

MAX_CELL_CHARS = 100_000  # one cell; Excel itself holds 32,767 characters in a cell
MAX_INT = 2**63 - 1  # BSON stores integers exactly as int64; beyond that a number is refused
MAX_INT_DIGITS = 19
SHOWN_CHARS = 80  # of a bad value quoted back in a message
_SURROGATE = re.compile("[\ud800-\udfff]")


def is_blank(raw):
    """Tell whether a cell is empty: None or only whitespace."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def cell_text(raw):
    """Return a cell as text the way a person reads it (Excel 1700.0 -> '1700')."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, int) and not isinstance(raw, bool) and abs(raw) > MAX_INT:
        return "a number beyond int64"
    try:
        return safe_text(str(raw).strip())
    except (RecursionError, ValueError):
        return f"a {type(raw).__name__} nested too deeply"


def safe_text(text, limit=None):
    """Text that can always be encoded as UTF-8 (lone surrogates escaped), cut to limit."""
    if limit is not None and len(text) > limit:
        text = text[:limit] + "…"
    if not text.isascii() and _SURROGATE.search(text):
        text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text


def shown(text):
    """A bad value quoted in a message: repr, cut to SHOWN_CHARS (repr escapes surrogates)."""
    if len(text) > SHOWN_CHARS:
        return repr(text[:SHOWN_CHARS]) + f" (… {len(text):,} characters)"
    return repr(text)


def shown_value(raw):
    """Any value quoted in a message: its repr, cut to SHOWN_CHARS; deep nesting named."""
    try:
        text = repr(raw)
    except (RecursionError, ValueError):
        return f"a {type(raw).__name__} nested too deeply"
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def text_problem(text):
    """None when a str cell may be stored, else what is wrong: too long, or not valid text."""
    if len(text) > MAX_CELL_CHARS:
        return f"the cell has {len(text):,} characters; at most {MAX_CELL_CHARS:,} are allowed"
    if not text.isascii():
        found = _SURROGATE.search(text)
        if found:
            return (
                f"invalid character U+{ord(found.group()):04X} (a lone surrogate) at position "
                f"{found.start() + 1}"
            )
    return None


class FieldType:
    """Base of the field types."""

    name = ""
    uses_context = False  # only types that read the field or a directory need a bound parser

    def parse(self, raw, field=None, directory=None):
        """Return (canonical value, problem) for a raw cell."""
        raise NotImplementedError

    def format(self, value):
        """Return the text form of a canonical value ('' for None)."""
        return "" if value is None else str(value)

    def parser(self, field=None, directory=None):
        """Return parse bound to a field and directory: raw -> (value, problem)."""
        parse = self.parse
        if not self.uses_context:
            return parse
        return lambda raw: parse(raw, field, directory)
