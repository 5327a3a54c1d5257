"""The answer envelope of data.egov.uz: `result` beside `status`, `code`, `error`, `errors`.

A success carries `"status": 0, "code": 0, "error": null, "errors": null`; a failure carries
`"result": null`, `"status": 1`, the HTTP status as `code`, the message as `error` and the
details (which parameter, what is wrong) as `errors`, with that HTTP status (4xx).
"""

import logging
from http import HTTPStatus

import orjson
from flask import Response
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException

from portal.core.errors import PortalError

log = logging.getLogger("portal.errors")
JSON = "application/json; charset=utf-8"
OK = {"status": 0, "code": 0, "error": None, "errors": None}


def ok(result, status=200):
    """A success: `{"result": ..., "status": 0, "code": 0, "error": null, "errors": null}`."""
    return Response(orjson.dumps({"result": result, **OK}), status=status, content_type=JSON)


def failure(status, message, errors=None):
    """A failure in the envelope, answered with the HTTP status `status`."""
    body = {"result": None, "status": 1, "code": status, "error": message, "errors": errors}
    resp = Response(orjson.dumps(body), status=status, content_type=JSON)
    if status == 401:
        resp.headers["WWW-Authenticate"] = 'Bearer realm="ochiq"'
    return resp


def streamed(result_head, items, result_tail=b"}"):
    """Stream `{"result": <head>[items...]<tail>, ...envelope}`: `items` yields byte chunks."""
    yield b'{"result":' + result_head
    yield from items
    yield result_tail + b"," + orjson.dumps(OK)[1:]


def _message(messages):
    """'limit: Must be ...' from webargs' {"query": {"limit": ["Must be ..."]}}."""
    parts = []
    for where in (messages or {}).values():
        items = where.items() if isinstance(where, dict) else [("", where)]
        for name, problems in items:
            text = "; ".join(map(str, problems)) if isinstance(problems, list) else str(problems)
            parts.append(f"{name}: {text}" if name else text)
    return ", ".join(parts) or "the request does not match the schema"


def _portal_error(exc):
    return failure(exc.status, exc.message, exc.errors)


def _http_error(exc):
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    if "messages" in data:
        return failure(status, _message(data["messages"]), data["messages"])
    return failure(status, data.get("message") or exc.description or HTTPStatus(status).phrase)


def _unexpected(exc):
    log.exception("unhandled error")
    return failure(500, "internal error")


def blueprint(name, import_name, description):
    """A flask-smorest blueprint whose every error answers in the envelope."""
    blp = Blueprint(name, import_name, description=description)
    blp.register_error_handler(PortalError, _portal_error)
    blp.register_error_handler(HTTPException, _http_error)
    blp.register_error_handler(Exception, _unexpected)
    blp._prepare_doc_cbks.append(_document_errors_enveloped)
    return blp


def _document_errors_enveloped(doc, doc_info, *, spec, **kwargs):
    """The spec's `default` (any other status) of these operations is the envelope, as their
    errors are, not the /api/v1 error shape flask-smorest documents for every operation."""
    from schemas.compat import ErrorAnswer

    name = "ErrorAnswer"
    if name not in spec.components.schemas:
        spec.components.schema(name, schema=ErrorAnswer)
    doc.setdefault("responses", {})["default"] = {
        "description": "an error: a non-zero `code` and the message in `error`",
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
    }
    return doc
