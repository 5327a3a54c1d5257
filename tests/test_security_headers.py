"""Security headers on every answer; pages without inline scripts; HSTS in production."""

import re

import pytest

from portal.db.connection import disconnect

STAT = "2-001-11072"
HEADERS = {
    "Content-Security-Policy",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "X-Frame-Options",
}
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)


def _paths(app):
    """Every GET route of the app, with sample values in its variables."""
    samples = {"ds": STAT, "number": "1", "fmt": "csv", "code": "2-001", "ext": "ttl"}
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        path = rule.rule
        for name in rule.arguments:
            path = re.sub(rf"<(?:[^:<>]+:)?{name}>", samples.get(name, "x"), path)
        yield path


def test_every_answer_carries_the_security_headers(client, app, author):
    seen = 0
    for path in _paths(app):
        for headers in ({}, author.headers):
            resp = client.get(path, headers=headers)
            missing = HEADERS - set(resp.headers.keys())
            assert not missing, (path, resp.status_code, missing)
            csp = resp.headers["Content-Security-Policy"]
            assert "frame-ancestors 'none'" in csp and "script-src 'self';" in csp, csp
            assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, csp
            assert resp.headers["X-Content-Type-Options"] == "nosniff"
            assert "Strict-Transport-Security" not in resp.headers, "not over plain development"
            seen += 1
    # Errors too: a 404, a 401 and a refused body.
    for resp in (
        client.get("/no/such/page"),
        client.post("/api/v1/datasets", json={}),
        client.post("/api/v1/datasets", json={"x": 1}, headers=author.headers),
    ):
        assert set(resp.headers.keys()) >= HEADERS, resp.status_code
    assert seen > 40


def test_the_api_docs_page_has_no_inline_script(client):
    page = client.get("/api/docs")
    assert page.status_code == 200
    scripts = SCRIPT.findall(page.get_data(as_text=True))
    assert scripts, "the page loads Swagger UI"
    for attributes, body in scripts:
        assert "src=" in attributes and not body.strip(), attributes
    assert not re.search(r"\son[a-z]+\s*=", page.get_data(as_text=True)), "no inline handlers"
    start = client.get("/api/docs/start.js")
    assert start.status_code == 200 and start.mimetype == "text/javascript"
    assert b"SwaggerUIBundle" in start.data
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_production_sends_hsts():
    from portal.app import create_app

    secret = "p" * 40
    app = create_app(
        "production",
        {"SECRET_KEY": secret, "MONGO_URI": "mongomock://localhost", "LOAD_DEMO": False},
    )
    try:
        resp = app.test_client().get("/healthz")
        assert resp.headers["Strict-Transport-Security"].startswith("max-age=")
        assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    finally:
        disconnect()


@pytest.mark.parametrize("value", ["default-src 'none'; frame-ancestors 'none'"])
def test_the_policy_is_one_setting(backend, value):
    from tests.conftest import build_app

    for app in build_app(backend, {"CONTENT_SECURITY_POLICY": value}):
        assert app.test_client().get("/").headers["Content-Security-Policy"] == value


def test_pages_and_api_answer_with_the_one_configured_policy(backend):
    from tests.conftest import build_app

    policy = "default-src 'self'; img-src 'self' data: https://tiles.example.uz"
    settings = {"CONTENT_SECURITY_POLICY": policy, "REFERRER_POLICY": "no-referrer"}
    for app in build_app(backend, settings):
        client = app.test_client()
        for path in ("/en/", "/en/datasets", "/static/web/site.css", "/api/v1/datasets"):
            resp = client.get(path)
            assert resp.status_code == 200, path
            assert resp.headers["Content-Security-Policy"] == policy, path
            assert resp.headers["Referrer-Policy"] == "no-referrer", path
