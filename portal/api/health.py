"""Liveness, readiness and the API docs' local assets."""

import swagger_ui_bundle
from flask import Blueprint, jsonify, send_from_directory

from portal.db.connection import ping

blp = Blueprint("health", __name__)


@blp.get("/api")
def index():
    """Where things are: the API, its docs, the catalog."""
    return jsonify(
        {
            "name": "Ochiq open data portal",
            "api": "/api/v1",
            "datasets": "/api/v1/datasets",
            "docs": "/api/docs",
            "openapi": "/api/openapi.json",
            "catalog": ["/catalog.ttl", "/catalog.jsonld", "/catalog.rdf"],
            "health": "/healthz",
        }
    )


@blp.get("/healthz")
def healthz():
    """The process answers."""
    return jsonify({"status": "ok"})


@blp.get("/readyz")
def readyz():
    """The database answers."""
    try:
        ping()
    except Exception as exc:  # noqa: BLE001 - any failure means not ready
        return jsonify({"status": "unavailable", "database": type(exc).__name__}), 503
    return jsonify({"status": "ok", "database": "ok"})


@blp.get("/api/docs/assets/<path:filename>")
def docs_assets(filename):
    """Swagger UI assets, served locally (no CDN)."""
    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)
