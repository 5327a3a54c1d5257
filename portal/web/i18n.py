"""Interface languages: URL codes, locales, gettext catalogs read from .po files, value fallback."""

from io import BytesIO
from pathlib import Path

from babel import support
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g
from flask_babel import Babel, Domain, get_locale, gettext
from markupsafe import Markup, escape

from portal.core.langs import LANG_KEYS

# URL code -> (gettext locale, BCP 47 tag, content key of multilingual values)
LANGS = {
    "uz": ("uz_Latn", "uz-Latn", "uzbText"),
    "oz": ("uz_Cyrl", "uz-Cyrl", "uzbKrText"),
    "ru": ("ru", "ru", "rusText"),
    "en": ("en", "en", "engText"),
}
CODES = tuple(LANGS)
DEFAULT = "uz"
# Each language's own name, as the switcher shows it (always in that language).
NATIVE = {"uz": "O‘zbekcha", "oz": "Ўзбекча", "ru": "Русский", "en": "English"}
TAG_OF_KEY = {key: tag for _, tag, key in LANGS.values()}
CODE_OF_KEY = {key: code for code, (_, _, key) in LANGS.items()}
CATALOGS = Path(__file__).parent / "translations"


def key_of(code):
    return LANGS[code][2]


def tag_of(code):
    return LANGS[code][1]


def current():
    """The URL language code of this request (the default outside the pages)."""
    return g.get("lang") or DEFAULT


def from_accept(accept_languages):
    """The interface language a browser asks for (Accept-Language), or the default."""
    for value, _quality in accept_languages:
        tag = value.lower().replace("_", "-")
        if tag.startswith("uz-cyrl") or tag == "oz":
            return "oz"
        for code in ("uz", "ru", "en"):
            if tag == code or tag.startswith(code + "-"):
                return code
    return DEFAULT


def load_catalog(locale):
    """The translations of one locale, compiled in memory from its .po file."""
    path = CATALOGS / f"{locale}.po"
    if not path.exists():
        return support.NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return support.Translations(buffer)


class PoDomain(Domain):
    """Reads catalogs straight from the .po files (no compiled .mo kept in the tree)."""

    _loaded = {}

    def get_translations(self):
        locale = str(get_locale() or "en")
        if locale not in self._loaded:
            self._loaded[locale] = load_catalog(locale)
        return self._loaded[locale]


def init_app(app):
    babel = Babel(app, locale_selector=lambda: LANGS[current()][0])
    babel.domain_instance = PoDomain()


def text_of(value, code=None):
    """(text, content key it came from, fell back?) of a multilingual value in a language."""
    code = code or current()
    if value is None:
        return "", key_of(code), False
    d = value.to_dict() if hasattr(value, "to_dict") else value
    if not isinstance(d, dict):
        return str(d), key_of(code), False
    own = key_of(code)
    if d.get(own):
        return d[own], own, False
    for key in LANG_KEYS:
        if d.get(key):
            return d[key], key, True
    return "", own, False


LANGUAGE_NAMES = {
    "uzbText": lambda: gettext("in Uzbek (Latin)"),
    "uzbKrText": lambda: gettext("in Uzbek (Cyrillic)"),
    "rusText": lambda: gettext("in Russian"),
    "engText": lambda: gettext("in English"),
}


def ml(value, code=None):
    """A multilingual value as HTML: in the page's language, or marked as another's."""
    text, key, fell_back = text_of(value, code)
    if not fell_back:
        return escape(text)
    note = LANGUAGE_NAMES[key]()
    return Markup(  # noqa: S704 - the values are escaped, the tag is one of four
        f'<span lang="{TAG_OF_KEY[key]}">{escape(text)}</span>'
        f' <span class="fallback">({escape(note)})</span>'
    )


def ml_plain(value, code=None):
    """A multilingual value as plain text (for attributes and titles)."""
    return text_of(value, code)[0]
