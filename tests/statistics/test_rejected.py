"""The stored table of rejected datasets follows each review decision at once."""

import csv
import io

import pytest

from portal.db.models import Dataset
from tests.statistics.helpers import LIB, STAT, midnight, run_daily


def rejected(client):
    resp = client.get("/api/v1/statistics/rejected")
    assert resp.status_code == 200, resp.json
    return resp.json


def reject(client, operator, code, reasons):
    resp = client.post(f"/api/v1/datasets/{code}/rejections", json={"reasons": reasons},
                       headers=operator.headers)  # fmt: skip
    assert resp.status_code == 201, resp.json


@pytest.mark.wire
def test_a_rejection_shows_at_once_and_an_acceptance_takes_it_out(client, app, operator):
    run_daily(app, midnight())
    assert rejected(client)["total"] == 0
    reject(client, operator, STAT, ["no units", "2023Y is empty"])
    table = rejected(client)
    assert table["total"] == 1 and table["page"] == 1
    (row,) = table["items"]
    assert (row["code"], row["reasons"]) == (STAT, ["no units", "2023Y is empty"])
    assert set(row) == {"id", "code", "title", "organization", "sector", "reasons",
                        "rejected_at"}  # fmt: skip
    assert row["organization"] == "2-001" and row["rejected_at"].startswith(str(midnight().year))
    reject(client, operator, LIB, ["no source"])
    assert [r["code"] for r in rejected(client)["items"]] == [STAT, LIB]  # oldest first
    resp = client.delete(f"/api/v1/datasets/{STAT}/rejections", headers=operator.headers)
    assert resp.status_code == 200, resp.json
    assert [r["code"] for r in rejected(client)["items"]] == [LIB]
    text = client.get("/api/v1/statistics/rejected?format=csv").data.decode("utf-8-sig")
    assert [(r["code"], r["reasons"]) for r in csv.DictReader(io.StringIO(text))] == [
        (LIB, "no source")
    ]


@pytest.mark.wire
def test_a_rejection_before_any_computation_shows(client, operator):
    reject(client, operator, STAT, ["no units"])
    assert [r["reasons"] for r in rejected(client)["items"]] == [["no units"]]


@pytest.mark.wire
def test_a_new_version_of_a_rejected_dataset_keeps_its_row(client, operator, author):
    reject(client, operator, STAT, ["x"])
    Dataset.objects(code=STAT).update_one(set__title__engText="Renamed before the new version")
    body = client.post(f"/api/v1/datasets/{STAT}/token", headers=author.headers).json["data"]
    body["data"][0]["2010Y"] = "1"
    assert client.post("/apiData/MainData/ExternalApi", json=body).status_code == 200
    (row,) = rejected(client)["items"]
    assert row["reasons"] == ["x"] and row["title"]["engText"] == "Renamed before the new version"


@pytest.mark.wire
def test_the_daily_run_rebuilds_the_table(client, app, operator):
    reject(client, operator, STAT, ["x"])
    # a change the table was not told of (written straight to the database)
    Dataset.objects(code=STAT).update_one(set__status="published", unset__rejection=True)
    assert rejected(client)["total"] == 1
    run_daily(app, midnight())
    assert rejected(client)["total"] == 0
    result = app.test_cli_runner().invoke(args=["statistics", "refresh"])
    assert result.exit_code == 0 and rejected(client)["total"] == 0
