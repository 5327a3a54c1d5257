"""Small functions the templates call often, in Python rather than as macros (cheaper)."""

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup, escape

from portal.web import i18n

# Made once per language (the catalogs are read once): a list of 25 rows asked for them 25
# times, at seven `gettext` calls for a frequency name and a `format_date` for a date.
_dates = {}  # (language, day) -> the <time> element
_frequencies = {}  # language -> {code: name}
MAX_DATES = 20_000


def forget():
    _dates.clear()
    _frequencies.clear()


def date(value):
    """A date or datetime as a <time> element in the page's language; a dash when empty."""
    if not value:
        return Markup("—")
    if not hasattr(value, "year"):
        return escape(value)
    day = value.date() if hasattr(value, "date") else value
    key = (i18n.current(), day)
    shown = _dates.get(key)
    if shown is None:
        if len(_dates) >= MAX_DATES:
            _dates.clear()
        text = escape(format_date(day))
        shown = _dates[key] = Markup(f'<time datetime="{day.isoformat()}">{text}</time>')  # noqa: S704 - escaped
    return shown


def frequency(code):
    """The name of an update frequency."""
    lang = i18n.current()
    names = _frequencies.get(lang)
    if names is None:
        names = _frequencies[lang] = {
            "daily": _("Daily"),
            "weekly": _("Weekly"),
            "monthly": _("Monthly"),
            "quarterly": _("Quarterly"),
            "semiannual": _("Twice a year"),
            "annual": _("Annually"),
            "irregular": _("Irregularly"),
        }
    return names.get(code, code)


def dataset_url(code, lang=None):
    """The path of a dataset's page (built directly: lists show many)."""
    return f"/{lang or i18n.current()}/datasets/{code}"


GLOBALS = {"date": date, "frequency": frequency, "dataset_url": dataset_url}
