"""The service base: health, docs, reference data, error shape, limits."""

import pytest


@pytest.mark.wire
def test_health_and_readiness(client):
    assert client.get("/healthz").json == {"status": "ok"}
    resp = client.get("/readyz")
    assert resp.status_code == 200
    assert resp.json["database"] == "ok"


@pytest.mark.wire
def test_reference_data_loaded_on_empty_database(client):
    orgs = client.get("/api/v1/organizations").json
    assert [o["code"] for o in orgs["items"]] == ["2-001", "4-019"]
    assert orgs["items"][0]["name"]["rusText"] == "Агентство статистики"
    sectors = client.get("/api/v1/sectors").json["items"]
    assert len(sectors) == 19
    regions = client.get("/api/v1/directories/regions").json
    assert len(regions["items"]) == 15
    assert {"code": "1726", "name": regions["items"][-1]["name"]} in regions["items"] or any(
        i["code"] == "1726" for i in regions["items"]
    )


def test_openapi_and_local_docs(client):
    spec = client.get("/api/openapi.json")
    assert spec.status_code == 200
    assert "/api/v1/organizations" in spec.json["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    html = docs.get_data(as_text=True)
    assert "/api/docs/assets/" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
    asset = client.get("/api/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.data) > 100_000


def test_error_shape_for_unknown_path(client):
    resp = client.get("/api/v1/nothing-here")
    assert resp.status_code == 404
    assert resp.json["code"] == 404
    assert resp.json["status"] == "Not Found"
    assert resp.json["message"]


def test_body_too_large_gives_413_with_message(app, admin):
    app.config["MAX_CONTENT_LENGTH"] = 1024
    resp = app.test_client().post(
        "/api/v1/organizations",
        data="x" * 5000,
        headers={**admin.headers, "Content-Type": "application/json"},
    )
    assert resp.status_code == 413
    assert "too large" in resp.json["message"]


def test_unknown_fields_rejected(client, admin):
    resp = client.post(
        "/api/v1/organizations",
        json={"code": "3-001", "name": _name("Test"), "evil": {"$gt": ""}},
        headers=admin.headers,
    )
    assert resp.status_code == 422
    assert "evil" in resp.json["errors"]["json"]


def _name(s):
    return {"uzbText": s, "uzbKrText": s, "rusText": s, "engText": s}


def test_production_refuses_default_secret(monkeypatch):
    import config

    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        config.load("production")
    monkeypatch.setenv("PORTAL_SECRET_KEY", "x" * 40)
    monkeypatch.setenv("PORTAL_MONGO_URI", "mongodb://db:27017")
    monkeypatch.setenv("PORTAL_DEV_LOGIN", "1")
    settings = config.load("production")
    assert settings["DEV_LOGIN"] is False


def test_too_many_form_parts_gives_413(client, author):
    data = {f"f{i}": "x" for i in range(150)}
    resp = client.post("/api/v1/datasets/2-001-11072/uploads", data=data,
                       headers=author.headers, content_type="multipart/form-data")
    assert resp.status_code == 413
    assert "form parts" in resp.json["message"]


def test_oversized_form_field_gives_413(client, author):
    resp = client.post("/api/v1/datasets/2-001-11072/uploads",
                       data={"note": "x" * (2 * 1024 * 1024)}, headers=author.headers,
                       content_type="multipart/form-data")
    assert resp.status_code == 413
    assert resp.json["code"] == 413


def test_index_points_to_api_and_docs(client):
    doc = client.get("/").json
    assert client.get(doc["docs"]).status_code == 200
    assert client.get(doc["datasets"]).status_code == 200
