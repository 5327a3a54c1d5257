"""Security headers on every answer, and the API docs' start script (no inline script)."""

from pathlib import Path

from flask import Blueprint, Response, current_app

blp = Blueprint("security", __name__)

_START = (Path(__file__).parent / "assets" / "docs-start.js").read_bytes()


def add_headers(response):
    """after_request: CSP, framing, referrer, nosniff, and HSTS where the settings ask for it."""
    config = current_app.config
    headers = response.headers
    headers.setdefault("Content-Security-Policy", config["CONTENT_SECURITY_POLICY"])
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", config["REFERRER_POLICY"])
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if config.get("HSTS"):
        headers.setdefault("Strict-Transport-Security", config["HSTS"])
    return response


@blp.get("/api/docs/start.js")
def docs_start():
    """The script that starts Swagger UI (a file, so the page needs no inline script)."""
    return Response(_START, mimetype="text/javascript", headers={"Cache-Control": "max-age=3600"})
