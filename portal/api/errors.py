"""One error shape for every failure: {code, status, message, errors?}."""

import logging
from http import HTTPStatus

from flask import g, jsonify
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from portal.core.errors import PortalError
from portal.core.errors import error_body as body

log = logging.getLogger("portal.errors")


def _portal_error(exc):
    resp = jsonify(exc.to_dict())
    resp.status_code = exc.status
    if exc.status == 401:
        resp.headers["WWW-Authenticate"] = 'Bearer realm="ochiq"'
    if getattr(exc, "retry_after", None):
        resp.headers["Retry-After"] = str(exc.retry_after)
        g.retry_after = str(exc.retry_after)  # kept when the rate limiter writes its own
    return resp


def _too_large(exc):
    from flask import current_app

    limit = current_app.config["MAX_CONTENT_LENGTH"]
    message = (
        f"the request is too large: the limit is {limit // (1024 * 1024)} MiB for a body, "
        f"{current_app.config['MAX_FORM_MEMORY_SIZE'] // 1024} KiB for a form field and "
        f"{current_app.config['MAX_FORM_PARTS']} form parts"
    )
    resp = jsonify(body(413, message))
    resp.status_code = 413
    return resp


def _http_error(exc):
    payload = body(exc.code or 500, exc.description or HTTPStatus(exc.code).phrase)
    data = getattr(exc, "data", None)
    if data:
        if "messages" in data:
            payload["errors"] = data["messages"]
            payload["message"] = "the request does not match the schema"
        if "message" in data:
            payload["message"] = data["message"]
    resp = jsonify(payload)
    resp.status_code = exc.code or 500
    return resp


def _unexpected(exc):
    log.exception("unhandled error")
    resp = jsonify(body(500, "internal error"))
    resp.status_code = 500
    return resp


def register(app):
    """Install the handlers on the app."""
    app.register_error_handler(PortalError, _portal_error)
    app.register_error_handler(RequestEntityTooLarge, _too_large)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
