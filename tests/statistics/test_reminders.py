"""Reminders: one message per person per day on a change of state, never twice; operators get
a daily summary; e-mail when SMTP is configured."""

from datetime import timedelta

import pytest

from tests.conftest import build_app, make_caller
from tests.statistics.helpers import LIB, STAT, last_updated, midnight, run_daily
from tests.statistics.smtp import SmtpServer


@pytest.fixture
def smtp():
    server = SmtpServer()
    yield server
    server.stop()


@pytest.fixture
def mailing_app(backend, smtp):
    yield from build_app(backend, {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp.port})


def notices(client, caller, kind):
    resp = client.get("/api/v1/me/notifications?page_size=100", headers=caller.headers)
    assert resp.status_code == 200, resp.json
    return [n for n in resp.json["items"] if n["kind"] == kind]


@pytest.mark.wire
def test_reminder_once_on_a_change_of_state_and_not_again(mailing_app, smtp):
    client = mailing_app.test_client()
    author = make_caller("author@stat.uz", ["author"], "2-001")
    colleague = make_caller("second@stat.uz", ["author"], "2-001")
    operator = make_caller("operator@ochiq.uz", ["operator"])
    start = midnight(days_ago=365)  # STAT is annual: due 365 days after its last update
    last_updated(STAT, start)
    last_updated(LIB, midnight())
    day_before = start + timedelta(days=364, hours=2)
    due_day = start + timedelta(days=365, hours=2)

    run_daily(mailing_app, day_before)
    assert notices(client, author, "monitoring") == []
    assert len(notices(client, operator, "monitoring-summary")) == 1

    out = run_daily(mailing_app, due_day)
    assert "reminders to 2 author(s)" in out
    mine = notices(client, author, "monitoring")
    assert len(mine) == 1 and mine[0]["dataset_code"] == STAT
    assert STAT in mine[0]["reasons"][0] and "is due for an update" in mine[0]["reasons"][0]
    assert f"/console/datasets/{STAT}?step=3" in mine[0]["reasons"][0]
    assert len(notices(client, colleague, "monitoring")) == 1
    to = sorted(m["To"] for m in smtp.messages if "need an update" in m["Subject"])
    assert to == ["author@stat.uz", "second@stat.uz"]
    mailed = len(smtp.messages)

    # the same day again, and the next day while still due: nothing new
    assert "reminders to 0 author(s)" in run_daily(mailing_app, due_day + timedelta(hours=3))
    run_daily(mailing_app, due_day + timedelta(days=1))
    assert len(notices(client, author, "monitoring")) == 1
    assert len(smtp.messages) == mailed + 1  # only the operator's summary of the new day
    assert len(notices(client, operator, "monitoring-summary")) == 3

    # moving on to overdue is a new change of state
    run_daily(mailing_app, start + timedelta(days=395, hours=2))
    mine = notices(client, author, "monitoring")
    assert len(mine) == 2 and "is overdue" in mine[0]["reasons"][0]


@pytest.mark.wire
def test_one_message_groups_all_datasets_of_the_day(client, app, operator, author):
    from tests.helpers import ml

    body = {"organization": "2-001", "title": ml("Ikkinchi"), "sector": "economy",
            "is_priority": False, "update_frequency": "monthly"}  # fmt: skip
    created = client.post("/api/v1/datasets", json=body, headers=operator.headers)
    assert created.status_code == 201
    from portal.db.models import Dataset

    Dataset.objects(code=created.json["code"]).update_one(set__current_version=1)
    start = midnight(days_ago=400)
    last_updated(STAT, start)
    last_updated(created.json["code"], start)
    run_daily(app, midnight())
    mine = notices(client, author, "monitoring")
    assert len(mine) == 1
    codes = sorted(line.split(" ")[0] for line in mine[0]["reasons"])
    assert codes == sorted([STAT, created.json["code"]])
    assert mine[0]["dataset_code"] is None  # many datasets: no single one


@pytest.mark.wire
def test_without_smtp_nothing_is_mailed(app):
    last_updated(STAT, midnight(days_ago=500))
    assert "0 e-mail(s)" in run_daily(app, midnight())
