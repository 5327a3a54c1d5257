"""Small functions the templates call often, in Python rather than as macros (cheaper)."""

from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup, escape

from portal.web import i18n


def date(value):
    """A date or datetime as a <time> element in the page's language; a dash when empty."""
    if not value:
        return Markup("—")
    if not hasattr(value, "year"):
        return escape(value)
    day = value.date() if hasattr(value, "date") else value
    return Markup(f'<time datetime="{day.isoformat()}">{escape(format_date(day))}</time>')  # noqa: S704 - escaped


def frequency(code):
    """The name of an update frequency."""
    names = {
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
