"""The page frame: the language prefix, the accessibility mode, headers, error pages."""

from importlib.util import find_spec
from urllib.parse import urlencode

from flask import Blueprint, current_app, g, render_template, request, session
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException
from werkzeug.routing import BaseConverter

from portal.core.errors import NotFound, PortalError
from portal.services.discovery import labels
from portal.web import cell_messages, helpers, i18n

bp = Blueprint(
    "web",
    __name__,
    url_prefix="/<lang:lang>",
    template_folder="templates",
)
bp.checks_own_query = True  # every page reads its query strictly (portal.web.args.read)
root = Blueprint(
    "web_root",
    __name__,
    static_folder="static",
    static_url_path="/static/web",
)

A11Y_COOKIE = "a11y"
A11Y_OPTIONS = ("large", "contrast", "still", "grey")


class LangConverter(BaseConverter):
    regex = "(?:uz|oz|ru|en)"


@bp.url_value_preprocessor
def _take_lang(endpoint, values):
    g.lang = values.pop("lang", i18n.DEFAULT)


@bp.get("/<path:rest>")
def unknown(rest):
    """Any other path under a language: the page's own 404."""
    raise NotFound(f"no page /{i18n.current()}/{rest}")


@bp.url_defaults
def _give_lang(endpoint, values):
    if "lang" not in values:
        values["lang"] = i18n.current()


def a11y_modes():
    """The accessibility options a visitor turned on (from the cookie)."""
    raw = request.cookies.get(A11Y_COOKIE, "")
    return [m for m in raw.split(".") if m in A11Y_OPTIONS]


def switch_url(code):
    """This page in another language (the path with its prefix changed, the query kept)."""
    path = request.path
    rest = path[len(i18n.current()) + 1 :] if g.get("lang") else "/"
    query = request.query_string.decode("latin-1")
    return f"/{code}{rest or '/'}" + (f"?{query}" if query else "")


def page_url(**changes):
    """This page's URL with some query parameters changed (None removes one); a list shown
    again after a form failed is `g.list_path`'s (the form's POST path is no page)."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = [value]
    query = urlencode([(k, v) for k, vs in args.items() for v in vs])
    return (g.get("list_path") or request.path) + (f"?{query}" if query else "")


def _context():
    code = i18n.current()
    return {
        "lang": code,
        "lang_tag": i18n.tag_of(code),
        "langs": [(c, i18n.NATIVE[c], i18n.tag_of(c)) for c in i18n.CODES],
        "a11y": a11y_modes(),
        "a11y_options": A11Y_OPTIONS,
        "user": g.get("user"),
        "csrf": session.get("csrf", "") if g.get("user") else "",
        "previous_portal": current_app.config.get("PREVIOUS_PORTAL_URL", ""),
    }


def _headers(response):
    # CSP, framing and referrer come from portal/api/security.py (config
    # CONTENT_SECURITY_POLICY), on pages as on every answer; a page differs per person.
    if request.blueprint in ("web", "web_root") and response.mimetype == "text/html":
        response.headers.setdefault("Vary", "Cookie")
    return response


def error_page(exc):
    """Errors of the pages as pages, in the page's language: the detail is ours (by status, as
    the console's refusals are), the service's English words only an English page's second
    line, marked lang="en"."""
    from portal.web.console.refusals import message, page_refusal

    english = ""  # the service's (or werkzeug's) own words
    if isinstance(exc, PortalError):
        status, english = exc.status, exc.message
        if (request.endpoint or "").startswith("web.console_"):
            detail, english = page_refusal(exc), ""
        else:
            detail = message(status, "page")
    elif isinstance(exc, HTTPException):
        status, english = exc.code or 500, exc.description or ""
        detail = message(status, "page")
    else:
        current_app.logger.exception("unhandled error on a page")
        status, detail = 500, ""
    if i18n.current() != "en":
        english = ""  # a page in another language shows no English
    titles = {
        400: _("The request could not be understood"),
        401: _("Please log in"),
        403: _("You may not open this page"),
        404: _("Page not found"),
        409: _("Someone else is changing this right now"),
        413: _("What you sent is too large"),
        422: _("Please correct the form"),
        429: _("Too many requests"),
    }
    title = titles.get(status, _("Something went wrong"))
    html = render_template(
        "errors/error.html", status=status, title=title, detail=detail, english=english
    )
    return html, status


bp.app_context_processor(_context)
for _handled in (PortalError, HTTPException, Exception):
    bp.register_error_handler(_handled, error_page)
    root.register_error_handler(_handled, error_page)


def init_app(app):
    """Register the converter, the catalogs, the blueprints and their hooks."""
    app.url_map.converters["lang"] = LangConverter
    labels.forget()  # names kept by an app built before, on another database
    i18n.init_app(app)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.globals.update(
        switch_url=switch_url, page_url=page_url, ml=i18n.ml, ml_plain=i18n.ml_plain,
        cell_words=cell_messages.words,
    )
    app.jinja_env.globals.update(helpers.GLOBALS)
    app.jinja_env.globals["has_page"] = lambda endpoint: endpoint in app.view_functions
    from portal.web import community, dataset, entry, home, listing, prefs, sitemap  # noqa: F401

    if find_spec("portal.services.community.proposals"):
        # proposals, feedback and survey pages, once those services are part of the portal
        from portal.web import participation  # noqa: F401
    if find_spec("portal.services.content"):
        from portal.web import content  # noqa: F401
    # statistics, monitoring and the AI section
    from portal.web import ai, console, monitoring, statistics  # noqa: F401, E402

    console.init_app(app)  # the consoles' views, before the blueprint is registered

    statistics.forget()  # what an app built before kept, on another database

    app.register_blueprint(bp)
    app.register_blueprint(root)
    app.after_request(_headers)
