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


def test_new_upload_lifts_rejection(client, operator, author):
    client.post(
        f"/api/v1/datasets/{STATS}/rejections", json={"reasons": ["x"]}, headers=operator.headers
    )
    token = client.post(f"/api/v1/datasets/{STATS}/token", headers=author.headers).json
    body = token["data"]
    body["data"][0]["2010Y"] = "1"
    resp = client.post("/apiData/MainData/ExternalApi", json=body)
    assert resp.status_code == 200, resp.json
    from portal.db.models import Dataset

    dataset = Dataset.objects(code=STATS).first()
    assert dataset.status == "updated" and dataset.is_public


def test_author_hides_dataset(client, author):
    resp = client.patch(f"/api/v1/datasets/{STATS}", json={"active": False}, headers=author.headers)
    assert resp.status_code == 200
    from portal.db.models import Dataset

    assert not Dataset.objects(code=STATS).first().is_public
    desk = client.get("/api/v1/me/datasets", headers=author.headers).json
    assert next(r for r in desk["items"] if r["code"] == STATS)["active"] is False
