"""The updated datasets list (`/monitoring/updated` and its API) is made from the search records,
the list views and the states the daily run stored, reading no dataset document: it shows the
same rows, newest first, before a run and after one, and a new title at once."""

import re

import lxml.html

from tests.statistics.helpers import LIB, STAT, last_updated, midnight, run_daily

HTML = {"Accept": "text/html"}


def rows(client, lang="en"):
    resp = client.get(f"/{lang}/monitoring/updated", headers=HTML)
    assert resp.status_code == 200, resp.text[:300]
    doc = lxml.html.fromstring(resp.text)
    return [[re.sub(r"\s+", " ", c.text_content()).strip() for c in tr.xpath("./th|./td")]
            for tr in doc.xpath("//table/tbody/tr")]  # fmt: skip


def title(client, code):
    return client.get(f"/api/v1/datasets/{code}").json["title"]


def test_before_the_first_run_titles_come_from_the_datasets_and_no_state_shows(client):
    shown = {r[0].split()[-1]: r for r in rows(client)}
    assert set(shown) == {LIB, STAT}
    for code in (LIB, STAT):
        assert shown[code][0] == f"{title(client, code)['engText']} {code}"
        assert shown[code][4] == "—"
    items = client.get("/api/v1/monitoring/updated?lang=ru").json["items"]
    assert {i["code"]: i["title"] for i in items} == {
        code: title(client, code)["rusText"] for code in (LIB, STAT)
    }
    assert all(i["state"] is None for i in items)


def test_after_a_run_the_newest_update_comes_first_with_its_state(client, app):
    last_updated(STAT, midnight(days_ago=500))
    last_updated(LIB, midnight(days_ago=1))
    run_daily(app, midnight())
    shown = rows(client)
    assert [r[0].split()[-1] for r in shown] == [LIB, STAT]
    assert shown[0][4] == "Up to date" and shown[1][4] == "Delinquent"
    assert shown[0][0] == f"{title(client, LIB)['engText']} {LIB}"
    items = client.get("/api/v1/monitoring/updated").json["items"]
    assert [i["code"] for i in items] == [LIB, STAT]
    assert items[0]["title"] == {k: v or "" for k, v in title(client, LIB).items()}
    assert items[1]["last_update"].startswith(midnight(days_ago=500).date().isoformat())
    assert [i["state"] for i in items] == ["fresh", "delinquent"]
    # the Russian page names the same state in Russian
    assert rows(client, "ru")[1][4] not in ("Delinquent", "—")


def test_frequency_names_and_dates_are_in_each_page_language(client):
    en, ru = (
        {r[0].split()[-1]: r for r in rows(client)},
        {r[0].split()[-1]: r for r in rows(client, "ru")},
    )
    assert en[LIB][2] == "Quarterly" and ru[LIB][2] not in ("", "Quarterly")
    assert en[LIB][3] and ru[LIB][3] and en[LIB][3] != ru[LIB][3]  # month names
    # and again in English: what was made for Russian does not show
    assert {r[0].split()[-1]: r for r in rows(client)}[LIB][2:4] == en[LIB][2:4]


def test_a_renamed_dataset_shows_its_new_title_at_once(client, app, operator):
    run_daily(app, midnight())
    new = {"uzbText": "Yangi nom", "uzbKrText": "Янги ном", "rusText": "Новое имя",
           "engText": "A new name"}  # fmt: skip
    resp = client.patch(f"/api/v1/datasets/{STAT}", json={"title": new}, headers=operator.headers)
    assert resp.status_code == 200, resp.json
    shown = {r[0].split()[-1]: r for r in rows(client)}
    assert shown[STAT][0] == f"A new name {STAT}"
    items = client.get("/api/v1/monitoring/updated?lang=ru").json["items"]
    assert {i["code"]: i["title"] for i in items}[STAT] == "Новое имя"
