"""Methodology replace and token rotation: each one step, safe against a concurrent one."""

import io

import pytest

STATS = "2-001-11072"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def put_methodology(client, author, content):
    return client.put(
        f"/api/v1/datasets/{STATS}/methodology",
        data={"file": (io.BytesIO(content), "m.pdf")},
        headers=author.headers,
        content_type="multipart/form-data",
    )


def stored_files():
    from portal.db.connection import get_db

    return list(get_db()["methodology.files"].find({}, {"_id": 1}))


@pytest.mark.wire
def test_methodology_replace_keeps_one_file(client, author):
    for version in (b"1", b"2", b"3"):
        resp = put_methodology(client, author, PDF + version)
        assert resp.status_code == 200, resp.json
    assert len(stored_files()) == 1
    got = client.get(f"/api/v1/datasets/{STATS}/methodology", headers=author.headers)
    assert got.status_code == 200 and got.data == PDF + b"3"


@pytest.mark.wire
def test_concurrent_methodology_replace_loses_nothing(client, author, monkeypatch):
    """A replace that read the dataset before another replace landed gets 409; the other's
    file stays, and the loser's upload is not left behind."""
    from portal.db.models import Dataset
    from portal.services.publishing import methodology

    assert put_methodology(client, author, PDF + b"a").status_code == 200
    stale = Dataset.objects(code=STATS).first()
    assert put_methodology(client, author, PDF + b"b").status_code == 200
    monkeypatch.setattr(methodology.datasets, "for_author", lambda user, ref: stale)
    resp = put_methodology(client, author, PDF + b"c")
    assert resp.status_code == 409
    monkeypatch.undo()
    assert len(stored_files()) == 1
    got = client.get(f"/api/v1/datasets/{STATS}/methodology", headers=author.headers)
    assert got.data == PDF + b"b"


@pytest.mark.wire
def test_token_rotation_leaves_exactly_the_newest_token(client, author):
    from portal.db.models import ApiToken, Dataset

    first = client.post(f"/api/v1/datasets/{STATS}/token", headers=author.headers).json
    second = client.post(f"/api/v1/datasets/{STATS}/token", headers=author.headers).json
    dataset = Dataset.objects(code=STATS).first()
    valid = ApiToken.objects(scope="dataset", dataset=dataset.id, revoked_at=None)
    assert [str(t.id) for t in valid] == [second["id"]]
    body = second["data"]
    body["data"][0]["2010Y"] = "5"
    assert client.post("/apiData/MainData/ExternalApi", json=body).status_code == 200
    body["token"] = first["token"]
    assert client.post("/apiData/MainData/ExternalApi", json=body).status_code == 401


@pytest.mark.wire
def test_rotation_racing_another_keeps_the_newer(client, author):
    """Two rotations at once: each revokes only the tokens older than its own, so the newest
    stays valid (revoking first and issuing after could leave none, or two)."""
    from portal.db.models import ApiToken, Dataset
    from portal.services.identity import tokens

    dataset = Dataset.objects(code=STATS).first()
    rotated = client.post(f"/api/v1/datasets/{STATS}/token", headers=author.headers).json
    # a second rotation issued its token before this one revoked: newer than `rotated`
    newer, _ = tokens.issue(author.user, scope="dataset", dataset=dataset.id, name="other")
    again = client.post(f"/api/v1/datasets/{STATS}/token", headers=author.headers).json
    valid = [str(t.id) for t in ApiToken.objects(dataset=dataset.id, revoked_at=None)]
    assert valid == [again["id"]]
    assert rotated["id"] != again["id"] and str(newer.id) not in valid
