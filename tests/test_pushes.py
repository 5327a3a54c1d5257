"""Pushes with an Idempotency-Key: claimed before publishing, bound to their body."""

import threading
from datetime import timedelta

import pytest

STATS = "2-001-11072"


def token_of(client, caller):
    resp = client.post(f"/api/v1/datasets/{STATS}/token", headers=caller.headers)
    assert resp.status_code == 201, resp.json
    return resp.json


def body_of(token, values):
    rows = [{"2010Y": str(v)} for v in values]
    return {"id": token["dataset"], "token": token["token"], "data": rows}


def current_version():
    from portal.db.models import Dataset

    return Dataset.objects(code=STATS).first().current_version


@pytest.mark.wire
def test_same_key_with_another_body_is_refused(client, author):
    token = token_of(client, author)
    headers = {"Idempotency-Key": "k-1"}
    first = client.post("/apiData/MainData/ExternalApi", json=body_of(token, [1]), headers=headers)
    assert first.status_code == 200, first.json
    before = current_version()
    again = client.post("/apiData/MainData/ExternalApi", json=body_of(token, [1]), headers=headers)
    assert again.status_code == 200 and again.json == first.json
    other = client.post("/apiData/MainData/ExternalApi", json=body_of(token, [2]), headers=headers)
    assert other.status_code == 422
    assert "Idempotency-Key" in other.json["message"] and other.json["success"] is False
    assert current_version() == before


@pytest.mark.wire
def test_failed_push_gives_its_key_back(client, author):
    token = token_of(client, author)
    headers = {"Idempotency-Key": "k-2"}
    bad = body_of(token, ["not a number"])
    resp = client.post("/apiData/MainData/ExternalApi", json=bad, headers=headers)
    assert resp.status_code == 422
    resp = client.post("/apiData/MainData/ExternalApi", json=body_of(token, [3]), headers=headers)
    assert resp.status_code == 200, resp.json


@pytest.mark.wire
def test_claim_of_a_request_that_died_is_taken_over(client, author):
    from portal.db.models import IdempotencyRecord, utcnow
    from portal.services.identity.tokens import authenticate
    from portal.services.publishing import idempotency

    token = token_of(client, author)
    _, record = authenticate(token["token"])
    body = body_of(token, [4])
    IdempotencyRecord(
        key=f"{record.id}:k-3",
        state="pending",
        fingerprint=idempotency.fingerprint(body),
        claim="dead",
        created_at=utcnow() - idempotency.STALE - timedelta(seconds=1),
    ).save()
    before = current_version()
    headers = {"Idempotency-Key": "k-3"}
    resp = client.post("/apiData/MainData/ExternalApi", json=body, headers=headers)
    assert resp.status_code == 200, resp.json
    assert current_version() == before + 1
    assert IdempotencyRecord.objects(key=f"{record.id}:k-3").first().state == "done"


@pytest.mark.wire
def test_concurrent_pushes_with_one_key_append_once(app, author, backend):
    if backend != "wire":
        pytest.skip("threads need a real server (mongomock is not thread-safe)")
    client = app.test_client()
    token = token_of(client, author)
    before = current_version()
    body = body_of(token, [5, 6])
    answers = []

    def send():
        with app.test_client() as c:
            resp = c.post(
                "/apiData/MainData/ExternalApi", json=body, headers={"Idempotency-Key": "k-4"}
            )
            answers.append((resp.status_code, resp.json))

    threads = [threading.Thread(target=send) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [status for status, _ in answers] == [200] * 4, answers
    assert len({a["version"] for _, a in answers}) == 1
    assert current_version() == before + 1
