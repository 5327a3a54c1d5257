"""The integration push ("Get API"): the guide's example, keys, modes, idempotency, scope."""

import copy
import json
from pathlib import Path

import pytest

EXAMPLE = json.loads((Path(__file__).parent / "data" / "external-api-example.json").read_text())
STATS = "2-001-11072"
LIBRARIES = "4-019-0014"


def get_token(client, caller, ds):
    resp = client.post(f"/api/v1/datasets/{ds}/token", headers=caller.headers)
    assert resp.status_code == 201, resp.json
    return resp.json


def filled_example(ds_id, token):
    body = copy.deepcopy(EXAMPLE)
    body["id"], body["token"] = ds_id, token
    row = body["data"][0]
    row.update(
        {
            "Hudud": "Toshkent shahri",
            "Худуд": "Тошкент шаҳри",
            "Регион": "г. Ташкент",
            "Region": "Tashkent city",
            "O`lchov birligi": "mln. so'm",
            "Ўлчов бирлиги": "млн. сўм",
            "Ед,изм": "млн. сум",
            "Unit": "mln. UZS",
        }
    )
    for year in range(2010, 2024):
        row[f"{year}Y"] = str(1000 + year)
    return body


def rows_of(code):
    from portal.db import rows
    from portal.db.models import Dataset

    dataset = Dataset.objects(code=code).first()
    return dataset, list(rows.iter_rows(dataset.id, dataset.current_version))


@pytest.mark.wire
def test_get_api_answers_token_url_and_caption_template(client, author):
    got = get_token(client, author, STATS)
    assert got["method"] == "POST"
    assert got["url"].endswith("/apiData/MainData/ExternalApi")
    assert got["token"].startswith("oqd_")
    template = got["data"]["data"][0]
    assert list(template)[:8] == [
        "Hudud",
        "Худуд",
        "Регион",
        "Region",
        "O`lchov birligi",
        "Ўлчов бирлиги",
        "Ед.изм",
        "Unit",
    ]
    assert "2023Y" in template


@pytest.mark.wire
def test_guide_example_appends_a_row(client, author):
    dataset, before = rows_of(STATS)
    token = get_token(client, author, STATS)["token"]
    resp = client.post("/apiData/MainData/ExternalApi", json=filled_example(str(dataset.id), token))
    assert resp.status_code == 200, resp.json
    assert resp.json["success"] is True
    assert resp.json["version"] == 2
    assert resp.json["rows"] == len(before) + 1
    dataset, after = rows_of(STATS)
    assert after[:-1] == before
    assert after[-1]["Olchovbirligi"]["rusText"] == "млн. сум"
    assert after[-1]["Hudud"]["uzbKrText"] == "Тошкент шаҳри"
    assert after[-1]["2023Y"] == 3023


def test_replace_mode(client, author):
    dataset, before = rows_of(STATS)
    token = get_token(client, author, STATS)["token"]
    body = filled_example(str(dataset.id), token)
    body["mode"] = "replace"
    # One row in place of many: refused until the caller says it means it; nothing changes.
    resp = client.post("/apiData/MainData/ExternalApi", json=body)
    assert resp.status_code == 409, resp.json
    assert resp.json["success"] is False
    assert "confirm_removal" in resp.json["message"]
    assert f"remove {len(before) - 1:,} of the {len(before):,} rows" in resp.json["message"]
    assert rows_of(STATS)[1] == before
    body["confirm_removal"] = True
    resp = client.post("/apiData/MainData/ExternalApi", json=body)
    assert resp.status_code == 200, resp.json
    assert resp.json["rows"] == 1
    assert len(rows_of(STATS)[1]) == 1


def test_unknown_key_and_bad_value_are_named(client, author):
    dataset, before = rows_of(STATS)
    token = get_token(client, author, STATS)["token"]
    body = filled_example(str(dataset.id), token)
    body["data"][0]["Populyatsiya"] = "1"
    body["data"].append({"Hudud": "X", "2012Y": "abc"})
    resp = client.post("/apiData/MainData/ExternalApi", json=body)
    assert resp.status_code == 422
    assert resp.json["success"] is False
    text = json.dumps(resp.json, ensure_ascii=False)
    assert "Populyatsiya" in text
    bad = [e for e in resp.json["errors"] if e.get("column") == "2012Y"]
    assert bad and bad[0]["row"] == 2 and "abc" in bad[0]["message"]
    assert rows_of(STATS)[1] == before
    assert rows_of(STATS)[0].current_version == 1


@pytest.mark.wire
def test_idempotent_replay_writes_nothing(client, author):
    dataset, before = rows_of(STATS)
    token = get_token(client, author, STATS)["token"]
    body = filled_example(str(dataset.id), token)
    headers = {"Idempotency-Key": "batch-0001"}
    first = client.post("/apiData/MainData/ExternalApi", json=body, headers=headers)
    again = client.post("/apiData/MainData/ExternalApi", json=body, headers=headers)
    assert first.status_code == again.status_code == 200
    assert first.json == again.json
    dataset, after = rows_of(STATS)
    assert len(after) == len(before) + 1
    assert dataset.current_version == 2
    other = client.post(
        "/apiData/MainData/ExternalApi", json=body, headers={"Idempotency-Key": "batch-0002"}
    )
    assert other.json["version"] == 3


def test_token_scope_and_revocation(client, author, other_author):
    stats_token = get_token(client, author, STATS)["token"]
    libraries, _ = rows_of(LIBRARIES)
    body = {"data": [{"Manzil": "x"}], "id": str(libraries.id), "token": stats_token}
    resp = client.post("/apiData/MainData/ExternalApi", json=body)
    assert resp.status_code == 403
    assert resp.json["success"] is False
    # a dataset token is no personal token either
    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {stats_token}"})
    assert resp.status_code == 403
    # a new token revokes the old one
    dataset, _ = rows_of(STATS)
    newer = get_token(client, author, STATS)["token"]
    resp = client.post(
        "/apiData/MainData/ExternalApi", json=filled_example(str(dataset.id), stats_token)
    )
    assert resp.status_code == 401
    assert "revoked" in resp.json["message"]
    resp = client.post("/apiData/MainData/ExternalApi", json=filled_example(str(dataset.id), newer))
    assert resp.status_code == 200
    # only the organization's authors get the dataset's token
    resp = client.post(f"/api/v1/datasets/{STATS}/token", headers=other_author.headers)
    assert resp.status_code in (403, 404)


def test_push_body_is_strict(client, author):
    dataset, _ = rows_of(STATS)
    token = get_token(client, author, STATS)["token"]
    resp = client.post(
        "/apiData/MainData/ExternalApi", json={"data": [], "id": str(dataset.id), "token": token}
    )
    assert resp.status_code == 400
    resp = client.post(
        "/apiData/MainData/ExternalApi",
        json={"data": [{"a": 1}], "id": str(dataset.id), "token": token, "extra": 1},
    )
    assert resp.status_code == 400 and "extra" in resp.json["message"]
    before = client.get(f"/api/v1/datasets/{STATS}/versions").json["total"]
    resp = client.post(
        "/apiData/MainData/ExternalApi",
        json={"data": [{"$where": "1"}], "id": str(dataset.id), "token": token},
    )
    assert resp.status_code == 422 and resp.json["success"] is False
    assert any(e.get("column") == "$where" for e in resp.json["errors"]), resp.json
    assert client.get(f"/api/v1/datasets/{STATS}/versions").json["total"] == before
    resp = client.post(
        "/apiData/MainData/ExternalApi", json={"data": [{"a": 1}], "id": str(dataset.id)}
    )
    assert resp.status_code == 401
