"""Statistics: totals, every table as JSON and as CSV, and bad input answered 400."""

import csv
import io
from datetime import timedelta

import pytest

from portal.services.statistics import tables
from tests.statistics.helpers import LIB, STAT, last_updated, midnight, run_daily

UA = {"User-Agent": "Mozilla/5.0 Firefox/130.0"}


def prepare(client, app, operator):
    client.get(f"/api/v1/datasets/{LIB}/data.csv", headers=UA)
    client.get(f"/api/v1/datasets/{LIB}", headers=UA)
    client.get("/api/v1/datasets?q=kutubxona", headers=UA)
    client.get("/api/v1/datasets?q=nothingatall", headers=UA)
    rating = {"stars": 4}
    rated = client.put(f"/api/v1/datasets/{LIB}/rating", json=rating, headers=operator.headers)
    assert rated.status_code == 200
    client.post(
        f"/api/v1/datasets/{STAT}/rejections",
        json={"reasons": ["no units"]},
        headers=operator.headers,
    )
    last_updated(STAT, midnight(days_ago=500))
    run_daily(app, midnight())


@pytest.mark.wire
def test_totals_and_live_counters(client, app, operator):
    prepare(client, app, operator)
    totals = client.get("/api/v1/statistics").json
    assert totals["datasets"] == 1 and totals["organizations"] >= 2
    assert totals["downloads"] >= 1 and totals["views"] >= 1
    # a download after the computation shows at once
    client.get(f"/api/v1/datasets/{LIB}/data.json", headers=UA)
    assert client.get("/api/v1/statistics").json["downloads"] == totals["downloads"] + 1
    # the tables by sector and organization follow at their next computation
    app.test_cli_runner().invoke(args=["statistics", "refresh"])
    sectors = client.get("/api/v1/statistics/sectors").json["items"]
    culture = next(s for s in sectors if s["sector"] == "culture")
    assert culture["datasets"] == 1 and culture["downloads"] == totals["downloads"] + 1
    assert client.get("/api/v1/statistics").json["downloads"] == totals["downloads"] + 1


@pytest.mark.wire
def test_tables_show_what_happened(client, app, operator):
    prepare(client, app, operator)
    get = lambda name: client.get(f"/api/v1/statistics/{name}").json  # noqa: E731
    assert get("downloads")["items"][0]["code"] == LIB
    assert get("views")["items"][0]["code"] == LIB
    rejected = get("rejected")["items"]
    assert [(r["code"], r["reasons"]) for r in rejected] == [(STAT, ["no units"])]
    orgs = {r["organization"]: r for r in get("organizations")["items"]}
    assert orgs["2-001"]["public"] == 0 and orgs["2-001"]["datasets"] == 1
    assert orgs["4-019"]["downloads"] >= 1 and orgs["4-019"]["share_on_time"] == 1.0
    assert "comment_answer_rate" in orgs["4-019"] and orgs["4-019"]["quality"] is not None
    assert [r["query"] for r in get("searches-empty")["items"]] == ["nothingatall"]
    month = midnight().strftime("%Y-%m")
    monthly = {r["month"]: r for r in get("monthly")["items"]}
    assert monthly[month]["downloads"] >= 1 and monthly[month]["datasets"] >= 2


@pytest.mark.wire
@pytest.mark.parametrize("name", tables.TABLES)
def test_every_table_as_csv(client, app, operator, name):
    prepare(client, app, operator)
    page = client.get(f"/api/v1/statistics/{name}?page_size=100").json
    resp = client.get(f"/api/v1/statistics/{name}?format=csv")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    assert f"statistics-{name}.csv" in resp.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(resp.data.decode("utf-8-sig"))))
    assert len(rows) == page["total"] >= 1
    first = page["items"][0]
    key = next(k for k in ("code", "organization", "sector", "query", "month") if k in first)
    assert rows[0][key] == str(first[key])


@pytest.mark.wire
@pytest.mark.parametrize(
    "path, named",
    [
        ("/api/v1/statistics/popular", "popular"),
        ("/api/v1/statistics/downloads?page=0", "page"),
        ("/api/v1/statistics/downloads?page=two", "page"),
        ("/api/v1/statistics/downloads?format=pdf", "format"),
        ("/api/v1/statistics/downloads?page_size=500", "page_size"),
        ("/api/v1/statistics/downloads?sort=%24where", "sort"),
        ("/api/v1/statistics/downloads?lang=de", "lang"),
    ],
)
def test_bad_input_answers_400_naming_it(client, path, named):
    resp = client.get(path)
    assert resp.status_code == 400
    assert named in str(resp.json)


@pytest.mark.wire
def test_csv_cells_are_plain_text(client, app, operator):
    prepare(client, app, operator)
    text = client.get("/api/v1/statistics/rejected?format=csv&lang=en").data.decode("utf-8-sig")
    row = next(csv.DictReader(io.StringIO(text)))
    assert row["reasons"] == "no units" and row["code"] == STAT
    assert row["title"] and not row["title"].startswith("{")


def test_late_tables_use_the_days_since_due(app):
    from portal.services.statistics import listings

    last_updated(STAT, midnight(days_ago=400))
    run_daily(app, midnight())
    later = listings.outdated(1, 20, now=midnight() + timedelta(days=3))
    assert later["items"][0]["days_late"] == 38


@pytest.mark.wire
def test_top_rated_uses_the_community_ranking_and_the_passport_shows_quality(
    client, app, author, other_author
):
    for caller, stars in ((author, 5), (other_author, 5)):
        resp = client.put(f"/api/v1/datasets/{LIB}/rating", json={"stars": stars},
                          headers=caller.headers)  # fmt: skip
        assert resp.status_code == 200, resp.json
    client.put(f"/api/v1/datasets/{STAT}/rating", json={"stars": 4}, headers=author.headers)
    run_daily(app, midnight())
    rated = client.get("/api/v1/statistics/rated").json["items"]
    assert [(r["code"], r["count"]) for r in rated] == [(LIB, 2), (STAT, 1)]
    assert (rated[0]["average"], rated[1]["average"]) == (5.0, 4.0)
    assert rated[0]["score"] > rated[1]["score"]
    passport = client.get(f"/api/v1/datasets/{LIB}").json
    assert passport["quality"]["max"] == 100 and passport["quality"]["score"] > 0
