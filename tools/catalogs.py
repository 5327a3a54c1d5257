"""Refresh the pages' gettext catalogs: extract the strings, keep the translations made so far.

    .venv/bin/python tools/catalogs.py          # extract, merge, report what is untranslated

The .po files under portal/web/translations/ are the translations; each run keeps them and adds
the new strings (empty) so a test can name what is left to translate.
"""

import copy
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
CATALOGS = ROOT / "portal" / "web" / "translations"
LOCALES = ("uz_Latn", "uz_Cyrl", "ru", "en")


def extract():
    pot = ROOT / "var" / "messages.pot"
    pot.parent.mkdir(exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / "babel.cfg"),
         "-k", "_", "-k", "gettext", "-k", "ngettext:1,2", "-k", "lazy_gettext",
         "--no-location", "--omit-header",
         "-o", str(pot), str(ROOT)],
        check=True, capture_output=True,
    )  # fmt: skip
    with pot.open("rb") as fh:
        return read_po(fh)


def merge(template, locale, extra=None):
    path = CATALOGS / f"{locale}.po"
    if path.exists():
        with path.open("rb") as fh:
            catalog = read_po(fh, locale=locale)
    else:
        from babel.messages.catalog import Catalog

        catalog = Catalog(locale=locale, project="Ochiq", fuzzy=False)
    catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
    for message in catalog:
        if message.id and extra:
            message.string = extra(message) or message.string
        message.flags.discard("fuzzy")
    catalog.obsolete.clear()
    with path.open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, no_location=True, sort_output=True)
    return [m.id for m in catalog if m.id and not _done(m) and locale != "en"]


def _done(message):
    if isinstance(message.string, tuple):
        return all(message.string)
    return bool(message.string)


if __name__ == "__main__":
    template = extract()
    for loc in LOCALES:
        missing = merge(template, loc)
        print(loc, "untranslated:", len(missing))
