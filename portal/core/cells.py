"""What every field type shares: blank cells, cell text, and the FieldType base class."""


def is_blank(raw):
    """Tell whether a cell is empty: None or only whitespace."""
    return raw is None or (isinstance(raw, str) and not raw.strip())


def cell_text(raw):
    """Return a cell as text the way a person reads it (Excel 1700.0 -> '1700')."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw).strip()


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
