"""`POST /apiData/MainData/ExternalApi`: the integration push, in the portal's own shape."""

from flask import current_app, jsonify, request
from flask_smorest import Blueprint
from marshmallow import ValidationError

from portal.core.endpoints import credentials_in_body
from portal.core.errors import BadRequest
from portal.core.jsonbody import load_json
from portal.ratelimits import rate_limit
from portal.services.identity.access import integration_endpoint
from portal.services.publishing import integration
from schemas.datasets import PushBody

blp = Blueprint("compat_push", __name__, description="data.egov.uz: row pushes")
PUSH_DOC = {
    "requestBody": {
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["data", "id"],
                    "properties": {
                        "data": {"type": "array", "items": {"type": "object"}},
                        "id": {"type": "string", "description": "the dataset id"},
                        "token": {"type": "string", "description": "its integration token"},
                        "mode": {"type": "string", "enum": ["append", "replace"]},
                        "confirm_removal": {
                            "type": "boolean",
                            "description": "needed by a replace that keeps fewer than half "
                            "of the current rows",
                        },
                    },
                }
            }
        }
    },
    "responses": {
        "200": {"description": '{"success": true, "version": N, "rows": R}'},
    },
}
REFUSAL = {
    "description": "a refusal: the error shape of /api/v1 with `success: false`; row errors "
    "as [{row, column, message}]",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "required": ["code", "status", "message", "success"],
                "properties": {
                    "code": {"type": "integer"},
                    "status": {"type": "string"},
                    "message": {"type": "string"},
                    "errors": {},
                    "success": {"type": "boolean", "enum": [False]},
                },
            }
        }
    },
}


def _document_refusals(doc, doc_info, **kwargs):
    doc.setdefault("responses", {})["default"] = REFUSAL
    return doc


blp._prepare_doc_cbks.append(_document_refusals)

ALLOWED_KEYS = frozenset(PushBody().fields)


def _body():
    """The checked JSON body: an object with string id and token, a mode, and data."""
    if not request.get_data(cache=True):
        raise BadRequest('send a JSON object {"data": [...], "id": ..., "token": ...}')
    payload = load_json(request.get_data(cache=True))
    if not isinstance(payload, dict):
        raise BadRequest('send a JSON object {"data": [...], "id": ..., "token": ...}')
    unknown = sorted(set(payload) - ALLOWED_KEYS)
    if unknown:
        raise BadRequest(f"unknown keys in the body: {', '.join(unknown)}")
    try:
        return PushBody().load(payload)
    except ValidationError as exc:
        messages = exc.normalized_messages()
        first = next(iter(messages))
        text = messages[first][0] if isinstance(messages[first], list) else messages[first]
        if first == "mode":
            text = "'mode' is 'append' (the default) or 'replace'"
        raise BadRequest(f"'{first}': {text}", messages) from None


@blp.after_request
def _in_the_push_shape(response):
    """Every refusal of the push (the view's, and those made before it runs: rate limit, body
    too large, guards) answers in the push's shape: integrators read `success`."""
    if response.status_code >= 400 and response.is_json:
        doc = response.get_json(silent=True)
        if isinstance(doc, dict) and "success" not in doc:
            response.set_data(jsonify({**doc, "success": False}).get_data())
    return response


@blp.post("/apiData/MainData/ExternalApi")
@rate_limit("push")
@blp.doc(**PUSH_DOC)
@integration_endpoint
@credentials_in_body
def external_api():
    """Append (or with "mode": "replace", replace) rows of a dataset with its integration token."""
    payload = _body()
    if not payload.get("token"):
        # The token may come as a bearer header instead of in the body.
        scheme, _, value = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            payload["token"] = value.strip()
    integration.parse_dataset_id(payload.get("id"))
    status, answer = integration.push(
        payload,
        max_rows=current_app.config["MAX_JSON_ROWS"],
        max_errors=current_app.config["MAX_ROW_ERRORS"],
        idempotency_key=request.headers.get("Idempotency-Key"),
    )
    return jsonify(answer), status
