"""Monitoring states at their boundaries, the outdated list, the ranking and its history."""

import csv
import io
from datetime import datetime, timedelta

import pytest

from portal.services.statistics import monitoring
from tests.statistics.helpers import LIB, STAT, last_updated, midnight, run_daily

LAST = datetime(2026, 1, 15, 9, 30)
SECOND = timedelta(seconds=1)


@pytest.mark.parametrize("frequency", sorted(monitoring.THRESHOLDS))
def test_each_state_at_its_boundary(frequency):
    due, overdue, delinquent = (LAST + timedelta(days=d) for d in monitoring.THRESHOLDS[frequency])
    expected = [
        (due - SECOND, "fresh"),
        (due, "due"),
        (overdue - SECOND, "due"),
        (overdue, "overdue"),
        (delinquent - SECOND, "overdue"),
        (delinquent, "delinquent"),
    ]
    for now, state in expected:
        got, due_at, late = monitoring.assess(frequency, LAST, now)
        assert (got, due_at) == (state, due), (frequency, now)
        assert late == (0 if now < due else (now - due).days)


def test_monthly_follows_the_hdx_thresholds():
    assert monitoring.THRESHOLDS["monthly"] == (30, 44, 60)


def test_irregular_is_never_late():
    for years in (0, 1, 10):
        now = LAST + timedelta(days=365 * years)
        assert monitoring.assess("irregular", LAST, now) == ("irregular", None, 0)


@pytest.mark.wire
def test_outdated_list_and_ranking(client, app):
    # STAT (annual, 2-001) is overdue: 400 days since its data changed; LIB (quarterly) fresh
    now = midnight()
    last_updated(STAT, now - timedelta(days=400))
    last_updated(LIB, now - timedelta(days=10))
    run_daily(app, now)
    outdated = client.get("/api/v1/monitoring/outdated").json
    assert outdated["total"] == 1
    row = outdated["items"][0]
    assert row["code"] == STAT and row["state"] == "overdue"
    assert row["update_frequency"] == "annual" and row["days_late"] == 35
    assert row["due_at"].startswith((now - timedelta(days=35)).strftime("%Y-%m-%d"))
    ranking = client.get("/api/v1/monitoring/organizations").json["items"]
    assert [(r["organization"], r["rank"], r["share_on_time"]) for r in ranking] == [
        ("4-019", 1, 1.0),
        ("2-001", 2, 0.0),
    ]
    assert ranking[1]["late"] == 1 and ranking[1]["overdue"] == 1
    text = client.get("/api/v1/monitoring/organizations?format=csv").data.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["organization"], r["rank"]) for r in rows] == [("4-019", "1"), ("2-001", "2")]
    outdated_csv = client.get("/api/v1/monitoring/outdated?format=csv").data.decode("utf-8-sig")
    assert list(csv.DictReader(io.StringIO(outdated_csv)))[0]["code"] == STAT


@pytest.mark.wire
def test_timeliness_has_a_history_per_organization(client, app):
    now = midnight()
    last_updated(STAT, now - timedelta(days=300))
    run_daily(app, now - timedelta(days=70))  # 230 days: fresh
    run_daily(app, now)  # 300 days: still fresh
    last_updated(STAT, now - timedelta(days=500))
    run_daily(app, now + timedelta(hours=1))  # the same day again: replaces that day's record
    history = client.get("/api/v1/monitoring/history?organization=2-001&days=100").json["items"]
    assert [(h["day"], h["share_on_time"]) for h in history] == [
        ((now - timedelta(days=70)).strftime("%Y-%m-%d"), 1.0),
        (now.strftime("%Y-%m-%d"), 0.0),
    ]


@pytest.mark.wire
def test_updated_lists_newest_first_with_state(client, app):
    run_daily(app, midnight())
    items = client.get("/api/v1/monitoring/updated").json["items"]
    assert {i["code"] for i in items} == {STAT, LIB}
    assert all(i["state"] == "fresh" for i in items)


@pytest.mark.wire
@pytest.mark.parametrize(
    "query", ["page=0", "page=x", "format=xml", "page_size=1000", "colour=red", "days=1"]
)
def test_bad_monitoring_queries_answer_400(client, query):
    resp = client.get(f"/api/v1/monitoring/outdated?{query}")
    assert resp.status_code == 400
    name = query.split("=")[0]
    assert name in str(resp.json)


def test_late_days_for_other_parts_of_the_portal(app):
    from portal.db.models import Dataset

    dataset = Dataset.objects(code=STAT).first()
    assert monitoring.late_days(dataset) == 0  # not computed yet: not late


def stored_state(code):
    from portal.db.models import Dataset

    found = monitoring.state_of(Dataset.objects(code=code).first().id)
    return found["state"], found["since"]


@pytest.mark.wire
def test_the_next_run_moves_a_changed_dataset_and_keeps_an_unchanged_one(client, app):
    day1, day2 = midnight(days_ago=1), midnight()
    last_updated(STAT, day1 - timedelta(days=10))
    last_updated(LIB, day1 - timedelta(days=200))  # quarterly: delinquent
    run_daily(app, day1)
    assert stored_state(LIB) == ("delinquent", monitoring.day_of(day1))
    last_updated(STAT, day1 - timedelta(days=400))  # its data now older: overdue
    run_daily(app, day2)
    run_daily(app, day2 + timedelta(hours=1))  # the same day again changes nothing
    assert stored_state(STAT) == ("overdue", monitoring.day_of(day2))
    assert stored_state(LIB) == ("delinquent", monitoring.day_of(day1))
    outdated = client.get("/api/v1/monitoring/outdated").json["items"]
    assert {(r["code"], r["state"]) for r in outdated} == {(STAT, "overdue"), (LIB, "delinquent")}
    # each move recorded once, on its day: STAT's on day 2, LIB's on day 1
    from portal.db.statistics import states

    moved = [(m["code"], m["to"]) for m in states.transitions_of(monitoring.day_of(day2))]
    assert moved == [(STAT, "overdue")]
    assert [m["code"] for m in states.transitions_of(monitoring.day_of(day1))] == [LIB]
    # a move recorded again (two runs at the same moment) is kept once
    states.add_transitions(states.transitions_of(monitoring.day_of(day2)))
    assert len(states.transitions_of(monitoring.day_of(day2))) == 1
    # a state written by another run meanwhile (not known as present) is replaced, not doubled
    from portal.db.models import Dataset

    lib = Dataset.objects(code=LIB).first().id
    doc = {**monitoring.state_of(lib), "since": "2000-01-01"}
    states.save_monitoring([doc])
    assert stored_state(LIB) == ("delinquent", "2000-01-01")
