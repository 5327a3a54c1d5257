"""Request guards run before every view: unknown query parameters and unsafe JSON bodies.

Both work from what a view declares, so a new endpoint is covered without doing anything:
a flask-smorest view's query schemas (``@blp.arguments(..., location="query")``) list the
parameters it takes, a plain view lists them with ``portal.core.endpoints.takes_query``; any
other parameter is a 400. A schema that states ``unknown = INCLUDE`` or ``EXCLUDE`` in its Meta
(row filters, an identity provider's callback) takes what it says, and so does one with
``matches_names_itself = True`` (compat parameters, matched in any case); a blueprint with
``checks_own_query = True`` (the web pages, which read their query with a strict spec of
their own) is left to do so. Every JSON body is read once
by ``portal.core.jsonbody.load_json`` (depth, number and text limits) before any view sees it.
"""

from flask import current_app, request
from marshmallow import EXCLUDE, INCLUDE

from portal.core.errors import BadRequest
from portal.core.jsonbody import load_json

QUERY_LOCATIONS = ("query", "querystring")
UNGUARDED = ("static", "api-docs.")  # flask's static files and flask-smorest's own docs


def _schema_opts(schema):
    return schema.opts if hasattr(schema, "opts") else None


def allowed_query(view):
    """The query parameter names a view takes, or None when it takes any."""
    declared = getattr(view, "query_params", None)
    if declared is not None:
        return set(declared)
    names = set()
    params = getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    for param in params:
        if param.get("in") not in QUERY_LOCATIONS:
            continue
        schema = param["schema"]
        opts = _schema_opts(schema)
        if opts is not None and opts.unknown in (INCLUDE, EXCLUDE):
            return None
        if getattr(schema, "matches_names_itself", False):
            return None  # e.g. the compat parameters, named in any case: the schema refuses
        declared_fields = getattr(schema, "_declared_fields", None) or getattr(schema, "fields", {})
        for name, field in declared_fields.items():
            names.add(field.data_key or name)
    return names


def _view():
    if request.endpoint is None or request.endpoint.startswith(UNGUARDED):
        return None
    return current_app.view_functions.get(request.endpoint)


def refuse_unknown_query():
    """before_request: 400 for a query parameter the view does not declare."""
    if not request.args:
        return
    view = _view()
    if view is None:
        return
    blueprint = current_app.blueprints.get(request.blueprint or "")
    if getattr(blueprint, "checks_own_query", False):
        return  # e.g. the web pages: each view reads its query with a strict spec
    allowed = allowed_query(view)
    if allowed is None:
        return
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        takes = ", ".join(sorted(allowed)) if allowed else "no query parameters"
        names = ", ".join(repr(name[:60]) for name in unknown[:10])
        raise BadRequest(
            f"unknown query parameter{'s' if len(unknown) > 1 else ''} {names}: "
            f"this endpoint takes {takes}",
            {"query": {name[:60]: ["Unknown field."] for name in unknown[:10]}},
        )


def check_json_body():
    """before_request: read a JSON body once, safely; later readers get the cached value."""
    if not request.is_json or not request.content_length and not request.get_data(cache=True):
        return
    view = _view()
    if view is not None and getattr(view, "credentials_in_body", False):
        return  # the view answers bad bodies in its own shape
    value = load_json(request.get_data(cache=True))
    request._cached_json = (value, value)  # request.get_json() now returns the checked value


def register(app):
    """Install the guards; they run after the before_request hooks installed so far."""
    app.before_request_funcs.setdefault(None, []).extend([refuse_unknown_query, check_json_body])
