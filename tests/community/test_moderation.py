"""The moderation spine: reports, three reporters hide, the operator queue and decisions."""

from datetime import timedelta

import pytest

from tests.community.conftest import STATS, notices


def post(client, caller, text, ds=STATS):
    return client.post(f"/api/v1/datasets/{ds}/comments", json={"text": text},
                       headers=caller.headers)  # fmt: skip


def report(client, caller, comment_id, reason="spam"):
    return client.post(
        f"/api/v1/comments/{comment_id}/reports", json={"reason": reason}, headers=caller.headers
    )


def visible_ids(client):
    return [c["id"] for c in client.get(f"/api/v1/datasets/{STATS}/comments").json["items"]]


@pytest.mark.wire
def test_three_reporters_hide_until_an_operator_restores(client, citizen, citizens, operator,
                                                         author):  # fmt: skip
    comment = post(client, citizen, "Reklama").json
    cid = comment["id"]
    assert report(client, citizens[0], cid).json == {"status": "visible", "reports": 1}
    # The same person twice is one reporter.
    assert report(client, citizens[0], cid, "abuse").status_code == 409
    assert report(client, citizens[1], cid, "abuse").json == {"status": "visible", "reports": 2}
    # A reported item's notices are held back.
    assert notices(client, author) == []
    assert report(client, citizens[2], cid, "off_topic").json == {"status": "hidden", "reports": 3}
    assert cid not in visible_ids(client)
    # Hidden: nobody can report it any more.
    assert report(client, citizens[3], cid).status_code == 404

    queue = client.get("/api/v1/moderation", headers=operator.headers).json
    assert queue["total"] == 1
    row = queue["items"][0]
    assert row["kind"] == "comment" and row["id"] == cid and row["status"] == "hidden"
    assert row["reasons"] == {"spam": 1, "abuse": 1, "off_topic": 1} and row["reports"] == 3

    resp = client.patch(
        f"/api/v1/comments/{cid}", json={"status": "visible", "reason": "not spam"},
        headers=operator.headers,
    )  # fmt: skip
    assert resp.status_code == 200 and resp.json["status"] == "visible"
    assert cid in visible_ids(client)
    assert client.get("/api/v1/moderation", headers=operator.headers).json["total"] == 0
    # Cleared: the organization now gets the notice.
    assert [n["subject"]["id"] for n in notices(client, author)] == [cid]
    steps = client.get(f"/api/v1/moderation/comment/{cid}", headers=operator.headers).json
    actions = [(s["action"], s["by"]) for s in steps["items"]]
    assert actions[-2:] == [("hidden", "system"), ("visible", str(operator.user.id))]
    assert steps["items"][-1]["reason"] == "not spam"
    assert [a for a, _ in actions].count("reported") == 3


@pytest.mark.wire
def test_operator_hides_and_the_record_says_why(client, citizen, operator):
    cid = post(client, citizen, "Haqorat").json["id"]
    resp = client.post(
        f"/api/v1/moderation/comment/{cid}", json={"status": "hidden", "reason": "abuse"},
        headers=operator.headers,
    )  # fmt: skip
    assert resp.status_code == 200 and resp.json == {"kind": "comment", "id": cid,
                                                     "status": "hidden"}  # fmt: skip
    assert visible_ids(client) == []
    steps = client.get(f"/api/v1/moderation/comment/{cid}", headers=operator.headers).json["items"]
    assert steps[-1]["status_from"] == "visible" and steps[-1]["status_to"] == "hidden"
    assert steps[-1]["reason"] == "abuse" and steps[-1]["at"]


def test_report_reasons_are_a_fixed_list(client, citizen, citizens):
    cid = post(client, citizen, "Matn").json["id"]
    resp = report(client, citizens[0], cid, "boring")
    assert resp.status_code == 422 and "reason" in resp.json["errors"]["json"]
    resp = client.post(f"/api/v1/comments/{cid}/reports", json={"reason": "spam", "x": 1},
                       headers=citizens[0].headers)  # fmt: skip
    assert resp.status_code == 422 and "x" in resp.json["errors"]["json"]
    anonymous = client.post(f"/api/v1/comments/{cid}/reports", json={"reason": "spam"})
    assert anonymous.status_code == 401
    assert report(client, citizens[0], "0" * 24).status_code == 404


def test_queue_is_for_operators_and_filters(client, citizen, citizens, operator, author):
    cid = post(client, citizen, "Bir").json["id"]
    report(client, citizens[0], cid, "personal_data")
    assert client.get("/api/v1/moderation", headers=citizen.headers).status_code == 403
    assert client.get("/api/v1/moderation", headers=author.headers).status_code == 403
    assert client.get("/api/v1/moderation").status_code == 401
    get = lambda q: client.get(f"/api/v1/moderation?{q}", headers=operator.headers)  # noqa: E731
    assert get("kind=comment").json["total"] == 1
    assert get("kind=proposal").json["total"] == 0
    assert get("status=visible").json["total"] == 1
    assert get("status=hidden").json["total"] == 0
    assert get("reason=personal_data").json["total"] == 1
    assert get("reason=spam").json["total"] == 0
    assert get("kind=post").status_code == 422
    assert get("color=red").status_code == 400  # an unknown query parameter


@pytest.mark.wire
def test_new_account_posting_links_is_held(client, citizen, operator, author):
    from portal.db.models import User, utcnow

    resp = post(client, citizen, "Arzon narx: www.example.com va https://spam.example.uz")
    assert resp.status_code == 201 and resp.json["status"] == "held"
    cid = resp.json["id"]
    assert visible_ids(client) == []
    assert notices(client, author) == []
    queue = client.get("/api/v1/moderation?status=held", headers=operator.headers).json
    assert queue["items"][0]["hold_reason"] == "links from a new account"
    client.post(f"/api/v1/moderation/comment/{cid}", json={"status": "visible"},
                headers=operator.headers)  # fmt: skip
    assert visible_ids(client) == [cid]
    assert len(notices(client, author)) == 1
    # An older account may post a link without review.
    User.objects(id=citizen.user.id).update_one(set__created_at=utcnow() - timedelta(days=2))
    assert post(client, citizen, "Manba: stat.uz/uz/rasmiy").json["status"] == "visible"


@pytest.mark.parametrize(
    "text",
    [
        "a.uz b.uz c.uz d.uz",
        "http://1.ru http://2.ru www.3.com ссылка.рф",
    ],
)
def test_too_many_links_refused(client, citizen, text):
    resp = post(client, citizen, text)
    assert resp.status_code == 422 and "links" in resp.json["errors"]["text"]


@pytest.mark.parametrize(
    "text",
    [
        "Ma’lumotlar 2023-yil uchun to‘liq emas. Rahmat!",
        "Маълумотлар 2023 йил учун тўлиқ эмас.",
        "Данные за 2023 г. неполные, т.е. нет декабря.",
        "The figures for Q1 are missing, e.g. Jan. and Feb.",
    ],
)
def test_ordinary_text_in_every_script_is_not_held(client, citizen, text):
    resp = post(client, citizen, text)
    assert resp.status_code == 201 and resp.json["status"] == "visible"
