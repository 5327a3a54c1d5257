"""The consoles under `/{lang}/console/`: the author's desk and steps, the operator's and admin's.

A thin skin over the same services as the API, on the `web` blueprint (same frame, languages,
error pages and headers as the public pages). Endpoints are named `web.console_<something>`.

How to add a console area (the operator's and the admin's pages live in modules of this
package named `operator*.py` and `admin*.py`):

1. Put the views in a module of this package. Every module here is imported by `load()`, so
   nothing else needs registering. Routes go on `portal.web.frame.bp` with paths under
   `/console/` and endpoint names starting `console_` (the function name, or `endpoint=`)::

       from portal.web.console import add_nav, posted, signed_in
       from portal.web.frame import bp

       @bp.get("/console/operator/datasets", endpoint="console_operator_datasets")
       @signed_in("operator")
       def operator_datasets(): ...

2. Add its entry to the console navigation with `add_nav(endpoint, lazy label, roles, order)`
   at import time of that module, e.g.
   `add_nav("console_operator_datasets", _l("All datasets"), roles=("operator",), order=200)`.
   The menu shows an entry to a person holding one of its roles (admins hold every role;
   an entry without roles is shown to everyone signed in), or for whom `when(user)` is true.
   Orders: 100-199 the author's, 200-299 the operator's, 300-399 the admin's.

3. Templates go in `templates/console/<area>/` and extend `console/layout.html`
   (blocks `title` and `console`); forms carry `{{ console.csrf_field() }}` from
   `console/macros.html` and use the error summary and fields of `macros/ui.html`.
   A view that succeeded calls `done(message)` and redirects (303): the next page shows the
   message in a `role=status` region.
"""

import hmac
import pkgutil
from functools import wraps
from importlib import import_module

from flask import flash, g, redirect, request, session, url_for

from portal.core.errors import CsrfRefused, Forbidden
from portal.services.identity.access import has_role

SEGMENT = "console_"
NAV = []  # NavItem entries, kept sorted by order; see add_nav()


class NavItem:
    """One entry of the console menu."""

    def __init__(self, endpoint, label, roles=(), order=100, when=None):
        self.endpoint = endpoint if endpoint.startswith("web.") else f"web.{endpoint}"
        self.label = label
        self.roles = tuple(roles)
        self.order = order
        self.when = when

    def shown_to(self, user):
        if user is None:
            return False
        if self.when is not None:
            return bool(self.when(user))
        return not self.roles or has_role(user, *self.roles)


def add_nav(endpoint, label, roles=(), order=100, when=None):
    """Add (or replace) an entry of the console menu; `label` is a lazy_gettext string."""
    item = NavItem(endpoint, label, roles, order, when)
    NAV[:] = [i for i in NAV if i.endpoint != item.endpoint] + [item]
    NAV.sort(key=lambda i: i.order)
    return item


def nav_for(user):
    """The menu entries this person may open."""
    return [item for item in NAV if item.shown_to(user)]


def _sign_in_redirect():
    """Anonymous: to the sign-in, coming back to this page (a GET page for a form's POST)."""
    get = request.method == "GET"
    back = request.full_path.rstrip("?") if get else url_for("web.console_desk")
    return redirect(url_for("auth.login", next=back), code=303)


def csrf_ok():
    """The form carries the session's CSRF token (checked here too, not only by load_caller)."""
    sent = request.form.get("csrf_token", "") or request.headers.get("X-CSRF-Token", "")
    known = session.get("csrf", "")
    return bool(sent and known) and hmac.compare_digest(sent, known)


def signed_in(*roles, when=None):
    """A console view: anonymous people go to the sign-in page (with `next`); a person without
    one of `roles` (or for whom `when(user)` is false) gets the 403 page; a POST must carry
    the session's CSRF token."""

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = g.get("user")
            if user is None:
                return _sign_in_redirect()
            if when is not None and not when(user):
                raise Forbidden("this page is not for your account")
            if roles and not has_role(user, *roles):
                raise Forbidden(f"this page needs the role {' or '.join(roles)}", {"roles": roles})
            by_session = g.get("token") is None  # a bearer token carries no cookie to forge
            if request.method == "POST" and by_session and not csrf_ok():
                raise CsrfRefused("the form has no valid CSRF token: reload the page and try again")
            return view(*args, **kwargs)

        wrapper.console_roles = roles
        return wrapper

    return decorate


def posted(*names, strip=True):
    """{name: text} of the posted form for these names (missing ones as "")."""
    out = {}
    for name in names:
        value = request.form.get(name, "")
        out[name] = value.strip() if strip else value
    return out


def done(message):
    """A status message for the next page (shown in its role=status region)."""
    flash(str(message), "status")


def form_page(html, errors):
    """A rendered form: 422 while it has errors, else 200."""
    return html, 422 if errors else 200


def see_other(endpoint, **values):
    """Redirect after a successful POST."""
    return redirect(url_for(endpoint, **values), code=303)


def unread_count():
    """The signed-in person's unread notifications (once per request), for the header."""
    user = g.get("user")
    if user is None:
        return 0
    if "console_unread" not in g:
        from portal.services.publishing import review

        g.console_unread = review.notifications(user, 1, 1, unread_only=True)["unread"]
    return g.console_unread


_loaded = []


def init_app(app):
    """Import the console's modules (before the web blueprint is registered) and give the
    templates the menu and the unread count."""
    app.jinja_env.globals.update(
        console_nav=lambda: nav_for(g.get("user")), unread_count=unread_count
    )
    if _loaded:
        return
    _loaded.append(True)
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            import_module(f"{__name__}.{info.name}")
