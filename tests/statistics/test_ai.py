"""The AI-ready section: operators' flags and computed readiness."""

import copy

import pytest

from portal.services.statistics import ai
from tests.statistics.helpers import LIB, STAT, midnight, run_daily
from tests.statistics.test_quality import COMPLETE


def ready_doc(rows=500):
    doc = copy.deepcopy(COMPLETE)
    doc["versions"][0]["rows"] = rows
    return doc


def test_readiness_lists_what_is_missing():
    assert ai.readiness(ready_doc(), "fresh", 90, 100) == {"ready": True, "missing": []}
    doc = ready_doc(rows=10)
    doc["fields"] = [f for f in doc["fields"] if f["type"] != "number"]
    doc.pop("methodology")
    result = ai.readiness(doc, "delinquent", 40, 100)
    assert result["ready"] is False
    assert result["missing"] == [
        "typed numeric, date or location columns",
        f"at least {ai.MIN_ROWS} rows",
        "updated on time",
        "a methodology file",
        f"a quality score of at least {ai.MIN_QUALITY}%",
    ]
    assert ai.readiness(ready_doc(), "irregular", 60, 100)["ready"]  # irregular is never late


@pytest.mark.wire
def test_operator_flags_a_dataset_into_the_section(client, app, operator, author):
    run_daily(app, midnight())
    assert client.get("/api/v1/datasets?ai=1").json["total"] == 0  # demo data has 3 rows
    denied = client.put(
        f"/api/v1/datasets/{LIB}/ai", json={"flagged": True}, headers=author.headers
    )
    assert denied.status_code == 403
    put = client.put(f"/api/v1/datasets/{LIB}/ai", json={"flagged": True}, headers=operator.headers)
    assert put.status_code == 200 and put.json["flagged"] is True
    section = client.get("/api/v1/datasets?ai=1").json
    assert [d["code"] for d in section["items"]] == [LIB]
    assert section["items"][0]["ai"]["flagged"] is True and section["items"][0]["title"]
    from portal.db.models import Dataset

    assert ai.ai_ready(Dataset.objects(code=LIB).first())
    assert not ai.ai_ready(Dataset.objects(code=STAT).first())
    client.put(f"/api/v1/datasets/{LIB}/ai", json={"flagged": False}, headers=operator.headers)
    assert client.get("/api/v1/datasets?ai=1").json["total"] == 0


@pytest.mark.wire
def test_computed_readiness_puts_a_dataset_in_the_section(client, app, monkeypatch):
    monkeypatch.setattr(ai, "MIN_ROWS", 1)
    monkeypatch.setattr(ai, "MIN_QUALITY", 0)
    monkeypatch.setattr(ai.readiness, "__defaults__", (1, 0))
    from bson import ObjectId

    from portal.db.models import Dataset

    Dataset.objects(code=LIB).update_one(set__methodology={"file_id": ObjectId()})
    run_daily(app, midnight())
    items = client.get("/api/v1/datasets?ai=1").json["items"]
    assert [(d["code"], d["ai"]["ready"], d["ai"]["flagged"]) for d in items] == [
        (LIB, True, False)
    ]


@pytest.mark.wire
@pytest.mark.parametrize("query", ["ai=1&q=kutubxona", "ai=1&sector=culture", "ai=maybe"])
def test_the_section_is_not_a_filter(client, query):
    resp = client.get(f"/api/v1/datasets?{query}")
    assert resp.status_code in (400, 422)
    assert resp.json["message"]
