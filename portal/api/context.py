"""Who is calling: a bearer token or a session cookie, and CSRF for cookie writes."""

import hmac
import secrets

from flask import current_app, g, request, session

from portal.core.errors import CsrfRefused, Forbidden, Unauthorized
from portal.db.models import User
from portal.services.identity import tokens
from portal.services.identity.access import allows_integration_token

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")  # the pages' forms


def load_caller():
    """before_request: set g.user and g.token from the Authorization header or the session."""
    g.user = None
    g.token = None
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "credentials_in_body", False):
        return  # e.g. the integration push: its token is in the body, whatever the headers say
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if header and not value.strip() and request.path.lower().startswith("/apipartner/"):
        scheme, value = "bearer", scheme  # data.egov.uz's Partner clients send it bare
    if header and (scheme.lower() == "bearer" or request.path.startswith("/api/v1/")):
        if scheme.lower() != "bearer" or not value.strip():
            raise Unauthorized("use 'Authorization: Bearer <token>'")
        user, token = tokens.authenticate(value.strip())
        if token.scope != "personal" and not allows_integration_token(
            current_app.view_functions.get(request.endpoint)
        ):
            # Held here, for every route: a leaked integration token is worth one dataset's pushes.
            raise Forbidden("an integration token can only push rows to its dataset")
        g.user, g.token = user, token
        return
    # Outside /api/v1 a header of another scheme is not ours to judge: the data.egov.uz-shaped
    # endpoints read their own credentials (a token in the body or the query).
    user_id = session.get("user_id")
    if not user_id:
        view = current_app.view_functions.get(request.endpoint)
        if (
            request.method not in SAFE_METHODS
            and request.path.startswith("/api/v1/")
            and not getattr(view, "anonymous_write", False)
        ):
            # Every management write needs a caller: say so before judging the body.
            raise Unauthorized("sign in or send 'Authorization: Bearer <token>'")
        return
    user = User.objects(id=user_id, active=True).first()
    if user is None:
        session.clear()
        return
    if request.method not in SAFE_METHODS:
        sent = request.headers.get("X-CSRF-Token", "")
        if not sent and request.mimetype in FORM_TYPES:
            sent = request.form.get("csrf_token", "")  # an HTML form of the pages
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            raise CsrfRefused(
                "missing or wrong X-CSRF-Token header for a cookie-authenticated write"
            )
    g.user = user


def anonymous_write(view):
    """Mark a view that anyone may write to without signing in (feedback, the survey)."""
    view.anonymous_write = True
    return view


def csrf_token():
    """The session's CSRF token (made on first use)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def current_user():
    """The signed-in user with a personal token or a session; integration tokens do not count."""
    if g.get("token") is not None and g.token.scope != "personal":
        raise Forbidden("an integration token can only push rows to its dataset")
    return g.get("user")
