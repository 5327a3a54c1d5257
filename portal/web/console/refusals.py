"""A service's refusal (a PortalError: its status, and the form field it concerns) in the page's
language. The services word their refusals in English for the API; a console page never shows
that wording: each known refusal has a message of ours keyed by (status, field), every other
one the message of its status, else a generic one."""

from flask_babel import gettext as _

from portal.core.errors import CsrfRefused, PortalError


def _specific():
    """{(status, field): message} of the refusals the console's forms meet."""
    return {
        (409, "status"): _("The proposal cannot make this move from where it is now (it may "
                           "have been moved meanwhile): reload the page and choose again"),
        (404, "status"): _("This proposal is no longer there: reload the page"),
        (404, "reason"): _("This item is no longer there: reload the page"),
        (404, "reply"): _("This message is no longer there: reload the page"),
        (409, "clear"): _("The dataset is not rejected: there is no rejection to lift"),
        (404, "organization"): _("Choose one of the organizations of the list"),
        (400, "file"): _("The file cannot be read as a table: save it as an Excel workbook "
                         "(xlsx) or as CSV and upload it again"),
        (409, "file"): _("The dataset cannot take this file now: its fields may be missing, or "
                         "the file would remove most of its rows"),
        (413, "file"): _("The file is larger than the portal accepts"),
        (422, "file"): _("The file has cells that do not match the structure"),
        (500, "file"): _("The upload failed because of an error on our side (it is logged): "
                         "try again later"),
        (503, "file"): _("The portal is busy checking other files: try again in a minute"),
        (403, "page"): _("This page is not for your account"),
        (403, "csrf_token"): _("The form was opened in another session or is too old: reload "
                               "the page and send it again"),
        (404, "page"): _("There is no such page or item, or it is not yours to open"),
        (400, "page"): _("The address of the page has an unknown or wrong parameter"),
    }  # fmt: skip


def _generic():
    """{status: message} for a refusal of no known field."""
    return {
        400: _("The portal did not accept this: check the values and try again"),
        403: _("Your account may not do this"),
        404: _("It is no longer there: reload the page"),
        409: _("It was changed meanwhile or cannot be changed now: reload the page and try again"),
        413: _("What you sent is too large"),
        422: _("Check the values of the form"),
        429: _("You sent this too many times in a short while. Wait a minute, then try again."),
        503: _("The portal is busy: try again in a minute"),
    }


def status_of(exc):
    return exc.status if isinstance(exc, PortalError) else 400


def message(status, field=None):
    """Our message for a refusal of this status about this form field (an id like
    `reason-<item>` counts as `reason`)."""
    base = str(field or "").split("-")[0]
    found = _specific().get((int(status or 400), base)) or _generic().get(int(status or 400))
    return found or _("The portal could not do this: try again later")


def refusal(exc, field=None):
    """Our message for the refusal `exc` about `field`."""
    return message(status_of(exc), field)


def page_refusal(exc):
    """The refusal a console page answers with its error page (403, 404, ...): which roles the
    page needs, a form without its session's token, else the message of its status."""
    if isinstance(exc, CsrfRefused):
        return message(403, "csrf_token")
    errors = exc.errors if isinstance(exc, PortalError) and isinstance(exc.errors, dict) else {}
    if status_of(exc) == 403 and errors.get("roles"):
        from portal.web.console.admin_users import role_names

        names = role_names()
        wanted = " / ".join(names.get(r, r) for r in errors["roles"])
        return _("This page needs the role: %(roles)s", roles=wanted)
    return message(status_of(exc), next(iter(errors), "page"))
