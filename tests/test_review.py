"""Rejection by an operator, notices to authors, and the author's desk."""

import pytest

STATS = "2-001-11072"


@pytest.mark.wire
def test_rejection_hides_and_notifies(client, operator, author, other_author):
    resp = client.post(
        f"/api/v1/datasets/{STATS}/rejections",
        json={"reasons": ["Units are missing", "2023Y is empty"]},
        headers=operator.headers,
    )
    assert resp.status_code == 201, resp.json
    assert resp.json["status"] == "rejected"
    from portal.db.models import Dataset

    assert not Dataset.objects(code=STATS).first().is_public
    notes = client.get("/api/v1/me/notifications", headers=author.headers).json
    assert notes["unread"] == 1
    assert notes["items"][0]["reasons"] == ["Units are missing", "2023Y is empty"]
    assert notes["items"][0]["dataset_code"] == STATS
    assert client.get("/api/v1/me/notifications", headers=other_author.headers).json["total"] == 0
    notice = notes["items"][0]["id"]
    resp = client.post(f"/api/v1/me/notifications/{notice}/read", headers=author.headers)
    assert resp.json == {"unread": 0}
    desk = client.get("/api/v1/me/datasets", headers=author.headers).json
    row = next(r for r in desk["items"] if r["code"] == STATS)
    assert row["status"] == "rejected" and row["rejection"] == [
        "Units are missing",
        "2023Y is empty",
    ]
    assert set(row) >= {"id", "title", "structure", "status", "updated_at", "active"}


def test_rejection_needs_operator_and_reasons(client, author):
    resp = client.post(
        f"/api/v1/datasets/{STATS}/rejections", json={"reasons": ["x"]}, headers=author.headers
    )
    assert resp.status_code == 403
    assert (
        client.post(
            f"/api/v1/datasets/{STATS}/rejections", json={"reasons": []}, headers=author.headers
        ).status_code
        == 422
    )


@pytest.mark.wire
def test_push_keeps_rejection_until_operator_clears_it(client, operator, author):
    resp = client.post(
        f"/api/v1/datasets/{STATS}/rejections", json={"reasons": ["x"]}, headers=operator.headers
    )
    assert resp.status_code == 201
    token = client.post(f"/api/v1/datasets/{STATS}/token", headers=author.headers).json
    body = token["data"]
    body["data"][0]["2010Y"] = "1"
    resp = client.post("/apiData/MainData/ExternalApi", json=body)
    assert resp.status_code == 200, resp.json
    from portal.db.models import Dataset

    dataset = Dataset.objects(code=STATS).first()
    assert dataset.status == "rejected" and not dataset.is_public
    assert list(dataset.rejection.reasons) == ["x"]
    passport = client.get(f"/api/v1/datasets/{STATS}", headers=author.headers).json
    assert passport["rejection"]["reasons"] == ["x"]
    # the operators hear of the new version of a rejected dataset
    notes = client.get("/api/v1/me/notifications", headers=operator.headers).json
    kinds = [n["kind"] for n in notes["items"]]
    assert "new-version-of-rejected" in kinds
    assert client.get(f"/api/v1/datasets/{STATS}").status_code == 404
    # only an operator clears it
    resp = client.delete(f"/api/v1/datasets/{STATS}/rejections", headers=author.headers)
    assert resp.status_code == 403
    resp = client.delete(f"/api/v1/datasets/{STATS}/rejections", headers=operator.headers)
    assert resp.status_code == 200, resp.json
    assert resp.json["status"] == "updated" and resp.json["rejection"] is None
    assert client.get(f"/api/v1/datasets/{STATS}").status_code == 200
    resp = client.delete(f"/api/v1/datasets/{STATS}/rejections", headers=operator.headers)
    assert resp.status_code == 409
    # the history of rejections stays readable
    history = client.get(f"/api/v1/datasets/{STATS}/rejections", headers=author.headers).json
    assert history["total"] == 1
    assert history["items"][0]["reasons"] == ["x"] and history["items"][0]["cleared_at"]
    assert client.get(f"/api/v1/datasets/{STATS}/rejections").status_code in (401, 404)


@pytest.mark.wire
def test_reject_while_a_version_is_written_stays_rejected(client, operator, author):
    """The publishing update is conditional on the status it read: a rejection that comes in
    while a version is being written is not overwritten by `updated`."""
    from portal.db.models import Dataset
    from portal.services.publishing import review, versions, writelock

    dataset = Dataset.objects(code=STATS).first()
    original = writelock.Lock.begin

    def begin_then_reject(self, first):
        original(self, first)
        review.reject(operator.user, STATS, ["late review"])

    writelock.Lock.begin = begin_then_reject
    try:
        fields = [f.to_dict() for f in dataset.fields]
        versions.publish(dataset, [{fields[0]["name"]: None}], source="push", by="t", mode="append")
    finally:
        writelock.Lock.begin = original
    dataset.reload()
    assert dataset.status == "rejected"
    assert list(dataset.rejection.reasons) == ["late review"]


def test_author_hides_dataset(client, author):
    resp = client.patch(f"/api/v1/datasets/{STATS}", json={"active": False}, headers=author.headers)
    assert resp.status_code == 200
    from portal.db.models import Dataset

    assert not Dataset.objects(code=STATS).first().is_public
    desk = client.get("/api/v1/me/datasets", headers=author.headers).json
    assert next(r for r in desk["items"] if r["code"] == STATS)["active"] is False
