"""Browser sign-in through OneID (or an OpenID Connect provider), and sign-out."""

import ipaddress

from flask import current_app, redirect, request, session
from flask_smorest import Blueprint
from marshmallow import EXCLUDE, Schema, fields, validate

from portal.api.context import csrf_token
from portal.ratelimits import rate_limit
from portal.services.identity import signin

blp = Blueprint(
    "auth",
    __name__,
    url_prefix="/auth",
    description="Browser sign-in: a session cookie, with X-CSRF-Token on writes",
)

REDIRECT = {"302": {"description": "a redirect for the browser to follow"}}


class LoginArgs(Schema):
    next = fields.String(metadata={"description": "a path on this site to return to"})
    invite = fields.String(
        validate=validate.Length(max=100),
        metadata={"description": "a first-login code from an administrator"},
    )


class CallbackArgs(Schema):
    class Meta:
        # Providers add parameters of their own (iss, session_state, ...).
        unknown = EXCLUDE

    code = fields.String()
    state = fields.String()
    error = fields.String()


class DevLoginArgs(Schema):
    email = fields.String()
    next = fields.String()


FORWARDING_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")


def _loopback(address):
    try:
        return ipaddress.ip_address(str(address).split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def _on_loopback():
    """True when this request reached the portal on a loopback address, from this machine.

    The address is the connection's own (gunicorn and the Werkzeug server hand the socket
    over), so no setting and no Host header can widen it; a proxy in front gives itself away
    with its forwarding headers.
    """
    sock = request.environ.get("gunicorn.socket") or request.environ.get("werkzeug.socket")
    if sock is not None:
        try:
            local = sock.getsockname()[0]
        except (OSError, IndexError, TypeError):
            return False
        if not _loopback(local):
            return False
    if not _loopback(request.remote_addr):
        return False
    return not any(name in request.headers for name in FORWARDING_HEADERS)


def _open_session(user, provider, access_token):
    """A fresh session id for the signed-in user, so a planted cookie is worth nothing."""
    session.clear()
    session.regenerate()
    session["user_id"] = str(user.id)
    if provider and access_token:
        # Kept server-side only, to end the provider's session at logout.
        session["provider"] = provider
        session["provider_token"] = access_token
    csrf_token()


@blp.get("/login")
@rate_limit("signin")
@blp.arguments(LoginArgs, location="query")
@blp.doc(responses=REDIRECT)
def login(args):
    """Start signing in: redirect to the identity provider"""
    url, pending = signin.start(current_app.config, args.get("next"), args.get("invite"))
    session["signin"] = pending
    return redirect(url)


@blp.get("/callback")
@rate_limit("signin")
@blp.arguments(CallbackArgs, location="query")
@blp.doc(responses=REDIRECT)
def callback(args):
    """Finish signing in: check the state, exchange the code, open the session"""
    # Taken out whatever happens next: a state and a code are good for one try.
    pending = session.pop("signin", None)
    user, provider, access_token, target = signin.finish(current_app.config, pending, **args)
    _open_session(user, provider, access_token)
    return redirect(target)


@blp.post("/logout")
@blp.response(204)
def logout():
    """Sign out here and at the identity provider (needs X-CSRF-Token)"""
    provider = session.get("provider")
    access_token = session.get("provider_token")
    session.clear()
    signin.sign_out(current_app.config, provider, access_token)


@blp.get("/dev-login")
@rate_limit("signin")
@blp.arguments(DevLoginArgs, location="query")
@blp.doc(responses=REDIRECT)
def dev_login(args):
    """Sign in as an existing user by email (development only; 404 elsewhere)"""
    user = signin.dev_user(current_app.config, args.get("email"), on_loopback=_on_loopback())
    _open_session(user, None, None)
    return redirect(signin.safe_next(args.get("next")))
