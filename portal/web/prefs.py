"""The visitor's choices: the accessibility mode (a cookie) and signing out."""

from flask import current_app, redirect, request, session

from portal.services.identity import signin
from portal.web.frame import A11Y_COOKIE, A11Y_OPTIONS, bp

YEAR = 365 * 24 * 3600


def _back(default):
    """A path on this site to return to (never another host)."""
    target = request.form.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


@bp.post("/accessibility")
def accessibility():
    """Remember the accessibility options for a year (works without JavaScript)."""
    chosen = [m for m in A11Y_OPTIONS if request.form.get(m)]
    if request.form.get("reset"):
        chosen = []
    response = redirect(_back("/"), code=303)
    if chosen:
        response.set_cookie(A11Y_COOKIE, ".".join(chosen), max_age=YEAR, samesite="Lax")
    else:
        response.delete_cookie(A11Y_COOKIE)
    return response


@bp.post("/logout")
def logout():
    """Sign out (the form carries the session's CSRF token)."""
    provider = session.get("provider")
    access_token = session.get("provider_token")
    session.clear()
    signin.sign_out(current_app.config, provider, access_token)
    return redirect(_back("/"), code=303)
