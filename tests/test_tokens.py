"""Personal API tokens: create, use, expire, revoke; shown once, stored hashed."""

from datetime import timedelta

import pytest


@pytest.mark.wire
def test_token_lifecycle(client, admin):
    user = client.post(
        "/api/v1/users",
        json={"email": "new@stat.uz", "name": "New", "organization": "2-001", "roles": ["author"]},
        headers=admin.headers,
    )
    assert user.status_code == 201, user.json
    uid = user.json["id"]
    made = client.post(
        f"/api/v1/users/{uid}/tokens", json={"name": "laptop", "days": 30}, headers=admin.headers
    )
    assert made.status_code == 201
    token = made.json["token"]
    assert token.startswith("oqp_")
    # use it
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json["email"] == "new@stat.uz"
    # stored hashed, shown once
    from portal.db.models import ApiToken

    record = ApiToken.objects(id=made.json["id"]).first()
    assert token not in (record.hash, record.lookup) and record.last_used_at is not None
    listed = client.get(f"/api/v1/users/{uid}/tokens", headers=admin.headers).json["items"]
    assert listed[0]["prefix"] == token[:16] and "token" not in listed[0]
    # the user may make their own tokens
    own = client.post(
        f"/api/v1/users/{uid}/tokens", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    assert own.status_code == 201
    # revoke
    resp = client.delete(
        f"/api/v1/tokens/{made.json['id']}",
        headers={"Authorization": f"Bearer {own.json['token']}"},
    )
    assert resp.status_code == 200 and resp.json["revoked_at"]
    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert resp.status_code == 401 and "revoked" in resp.json["message"]


def test_expired_token_is_refused(client, admin):
    from portal.db.models import ApiToken, utcnow

    made = client.post(
        f"/api/v1/users/{admin.id}/tokens", json={"days": 1}, headers=admin.headers
    ).json
    ApiToken.objects(id=made["id"]).update_one(set__expires_at=utcnow() - timedelta(seconds=1))
    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {made['token']}"})
    assert resp.status_code == 401
    assert "expired" in resp.json["message"]
    assert resp.headers["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header", ["Bearer oqp_000000000000_nope", "Bearer garbage", "Basic dXNlcjpwYXNz", "Bearer "]
)
def test_bad_tokens_are_401(client, header):
    resp = client.get("/api/v1/me", headers={"Authorization": header})
    assert resp.status_code == 401


def test_tokens_of_others_need_admin(client, author, other_author):
    resp = client.post(f"/api/v1/users/{other_author.id}/tokens", json={}, headers=author.headers)
    assert resp.status_code == 403
    resp = client.get(f"/api/v1/users/{other_author.id}/tokens", headers=author.headers)
    assert resp.status_code == 403
    mine = client.get(f"/api/v1/users/{author.id}/tokens", headers=author.headers).json
    resp = client.delete(f"/api/v1/tokens/{mine['items'][0]['id']}", headers=other_author.headers)
    assert resp.status_code == 403


def test_create_admin_command_prints_token_last(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "create-admin", "Boss@Example.uz"])
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    assert token.startswith("oqp_")
    client = app.test_client()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json
    assert me["email"] == "boss@example.uz" and me["roles"] == ["admin"]
    again = runner.invoke(args=["users", "create-admin", "boss@example.uz"])
    assert again.output.strip().splitlines()[-1] != token


def test_logs_carry_no_tokens(client, admin):
    import logging

    from portal.logs import JsonFormatter, redact

    assert "secret" not in redact("Authorization: Bearer oqp_abcdef012345_secretvalue")
    record = logging.LogRecord(
        "portal", logging.INFO, "", 0, "push token=oqd_abcdef012345_verysecret", None, None
    )
    assert "verysecret" not in JsonFormatter().format(record)
    lines = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(JsonFormatter().format(record))

    handler = Collect()
    logger = logging.getLogger("portal")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        issued = client.post(f"/api/v1/users/{admin.id}/tokens", headers=admin.headers).json
        client.get("/api/v1/me", headers={"Authorization": f"Bearer {issued['token']}"})
        client.post(
            "/apiData/MainData/ExternalApi",
            json={"data": [{"a": 1}], "id": "0" * 24, "token": issued["token"]},
        )
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
    requests = [line for line in lines if '"request"' in line]
    assert any('"/api/v1/me"' in line for line in requests), lines
    assert any("/apiData/MainData/ExternalApi" in line for line in requests), lines
    secret = issued["token"].rsplit("_", 1)[-1]
    assert all(secret not in line and admin.token not in line for line in lines)
