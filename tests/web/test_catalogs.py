"""Every interface string of the pages is translated in Uzbek (both scripts) and Russian."""

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from portal.web.i18n import CATALOGS

KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}


def interface_strings():
    found = set()
    root = CATALOGS.parent
    method_map = [("templates/**.html", "jinja2"), ("**.py", "python")]
    for _file, _line, message, _comments, _ctx in extract_from_dir(
        str(root), method_map, keywords=KEYWORDS
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


@pytest.mark.parametrize("locale", ["uz_Latn", "uz_Cyrl", "ru"])
def test_no_string_is_left_untranslated(locale):
    with (CATALOGS / f"{locale}.po").open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    strings = interface_strings()
    assert len(strings) > 100
    missing = []
    for text in sorted(strings):
        message = catalog.get(text)
        values = message.string if message else ""
        values = values if isinstance(values, tuple) else (values,)
        if not message or not all(values):
            missing.append(text)
    assert missing == []


def test_cyrillic_catalog_is_in_cyrillic():
    with (CATALOGS / "uz_Cyrl.po").open("rb") as fh:
        catalog = read_po(fh, locale="uz_Cyrl")
    latin_words = [
        m.string for m in catalog
        if m.id and isinstance(m.string, str) and any("a" <= c <= "z" for c in
                                                     m.string.replace("%(", "").split(")s")[-1])
    ]  # fmt: skip
    assert latin_words == []
