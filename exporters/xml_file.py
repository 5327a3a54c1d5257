"""XML: <dataset code=".." version=".."><row><name>value</name>...</row>...</dataset>."""

from portal.core.langs import LANG_TAGS

from ._common import (
    XML_FORBIDDEN,
    columns,
    encode_chunks,
    local_names,
    text_form,
)

# Element names are field names made NCNames by _common.local_name: characters outside XML name
# characters (and '.') become '_', and a name that does not start with a letter or '_', starts
# with 'xml' or is 'Row' gets a '_' in front ("2010Y" -> "_2010Y"); clashes get "_2", "_3"...
# A text field in all languages gives <name_uz>, <name_oz>, <name_ru>, <name_en>.
# An empty cell (None) writes no element.


def xml_escape(s):
    """Escape text for element content; drop characters XML 1.0 forbids, keep CR as &#13;."""
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if not s.isprintable():
        s = XML_FORBIDDEN.sub("", s).replace("\r", "&#13;")
    return s


def attr_escape(s):
    """Escape text for a double-quoted attribute value."""
    return xml_escape(str(s)).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")


def _cell(tag, field, lang_key):
    """value -> '<tag>text</tag>', or '' for an empty cell."""
    open_, close = f"<{tag}>", f"</{tag}>"
    kind = field["type"]
    if kind in ("number", "date"):
        # str() of a canonical number or ISO date is its text form and needs no escaping

        def plain(v):
            return "" if v is None else f"{open_}{v}{close}"

        return plain
    form = text_form(field, lang_key)
    escape = xml_escape if kind in ("string", "text", "directory") else str

    def element(v):
        if v is None:
            return ""
        s = form(v)
        return f"{open_}{escape(s)}{close}" if s else ""

    return element


def row_converter(fields, lang):
    """row dict -> '<row>...</row>' string."""
    cols = columns(fields, lang)
    tags = local_names([c[0] for c in cols])
    plan = [
        (field["name"], _cell(tag, field, key))
        for tag, (_, field, key) in zip(tags, cols, strict=True)
    ]

    def convert(row):
        get = row.get
        return f"<row>{''.join([f(get(n)) for n, f in plan])}</row>\n"

    return convert


def render(meta, fields, rows, lang):
    """Yield the XML bytes of the rows."""
    code = attr_escape(meta.get("code", ""))
    version = attr_escape(meta.get("version", ""))
    # one language: its tag on the root, inherited by every element
    lang_attr = f' xml:lang="{LANG_TAGS[lang]}"' if lang else ""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<dataset code="{code}" version="{version}"{lang_attr}>\n'
    )

    def pieces():
        yield head
        yield from map(row_converter(fields, lang), rows)
        yield "</dataset>\n"

    return encode_chunks(pieces())
