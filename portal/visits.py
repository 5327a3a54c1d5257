"""The visitor of a request, as counting needs it (no raw address leaves this module)."""

from flask import current_app, request

from portal.services.statistics.counting import Visit

PURPOSE_HEADERS = ("Sec-Purpose", "Purpose", "X-Purpose", "X-Moz")


def visit():
    """The caller's address, user agent and prefetch purpose."""
    purpose = " ".join(request.headers.get(h, "") for h in PURPOSE_HEADERS).strip().lower()
    return Visit(request.remote_addr or "", request.headers.get("User-Agent", ""), purpose)


def secret():
    return current_app.config["SECRET_KEY"]
