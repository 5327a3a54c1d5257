"""Feedback from anyone with an operator inbox; the survey once per browser; follows."""

from datetime import timedelta

import pytest

from tests.community.conftest import STATS, notices, publish_dataset

FEEDBACK = {"full_name": "Aliyev Vali", "email": "vali@Mail.UZ", "message": "Sayt juda qulay!"}


@pytest.mark.wire
def test_feedback_from_anyone_to_the_inbox(client, operator, citizen):
    resp = client.post("/api/v1/feedback", json=FEEDBACK)
    assert resp.status_code == 201, resp.json
    fid = resp.json["id"]
    assert set(resp.json) == {"id", "created_at"}  # the sender sees no inbox data
    inbox = client.get("/api/v1/feedback", headers=operator.headers).json
    assert inbox["total"] == 1
    item = inbox["items"][0]
    assert item["email"] == "vali@mail.uz" and item["handled"] is False
    resp = client.patch(f"/api/v1/feedback/{fid}", json={"handled": True, "reply": "Rahmat!"},
                        headers=operator.headers)  # fmt: skip
    assert resp.status_code == 200 and resp.json["handled"] and resp.json["reply"] == "Rahmat!"
    assert client.get("/api/v1/feedback?handled=false", headers=operator.headers).json[
        "total"
    ] == 0
    assert client.get("/api/v1/feedback", headers=citizen.headers).status_code == 403
    assert client.get("/api/v1/feedback").status_code == 401
    assert client.patch(f"/api/v1/feedback/{fid}", json={"handled": True},
                        headers=citizen.headers).status_code == 403  # fmt: skip


@pytest.mark.parametrize(
    "body, field",
    [
        ({**FEEDBACK, "email": "not-an-address"}, "email"),
        ({**FEEDBACK, "email": ""}, "email"),
        ({**FEEDBACK, "message": "m" * 5001}, "message"),
        ({**FEEDBACK, "message": " \n "}, "message"),
        ({**FEEDBACK, "full_name": ""}, "full_name"),
        ({**FEEDBACK, "phone": "+998"}, "phone"),
        ({"email": "a@b.uz", "message": "x"}, "full_name"),
    ],
)
def test_bad_feedback_refused(client, operator, body, field):
    resp = client.post("/api/v1/feedback", json=body)
    assert resp.status_code == 422, resp.json
    errors = resp.json["errors"]
    assert field in errors.get("json", errors)
    assert client.get("/api/v1/feedback", headers=operator.headers).json["total"] == 0


def test_honeypot_and_links_hold_feedback_for_review(client, operator):
    client.post("/api/v1/feedback", json={**FEEDBACK, "website": "http://bot.example"})
    client.post("/api/v1/feedback", json={**FEEDBACK, "message": "Arzon: www.spam.example.com"})
    queue = client.get("/api/v1/moderation?kind=feedback", headers=operator.headers).json
    assert sorted(i["hold_reason"] for i in queue["items"]) == [
        "honeypot", "links from an anonymous sender",
    ]  # fmt: skip
    assert {i["status"] for i in queue["items"]} == {"held"}


@pytest.mark.wire
def test_survey_questions_answers_and_results(client, operator, app):
    survey = client.get("/api/v1/survey").json
    ids = [q["id"] for q in survey["questions"]]
    assert ids == ["found_site", "found_info", "purpose"]
    first = survey["questions"][0]
    assert first["text"]["uzbText"] == "Siz bizning saytni qanday topdingiz?"
    langs = {"uzbText", "uzbKrText", "rusText", "engText"}
    assert first["other"] is True and all(set(o["text"]) == langs for o in first["options"])
    answers = {"found_site": "search_engine", "found_info": "partly",
               "purpose": {"other": "Diplom ishi uchun"}}  # fmt: skip
    resp = client.post("/api/v1/survey/answers", json={"answers": answers})
    assert resp.status_code == 201, resp.json
    assert "ochiq_survey=" in resp.headers["Set-Cookie"]
    # The same browser again within 30 days.
    again = client.post("/api/v1/survey/answers", json={"answers": {"found_info": "yes"}})
    assert again.status_code == 409 and "answers" in again.json["errors"]
    # Another browser may answer.
    other_browser = app.test_client()
    resp = other_browser.post("/api/v1/survey/answers", json={"answers": {"found_info": "yes"}})
    assert resp.status_code == 201
    results = client.get("/api/v1/survey/results", headers=operator.headers).json
    assert results["answers"] == 2
    by_id = {q["id"]: q for q in results["questions"]}
    counts = {o["id"]: o["count"] for o in by_id["found_info"]["options"]}
    assert counts == {"yes": 1, "partly": 1, "no": 0}
    assert by_id["purpose"]["other"] == 1
    assert by_id["purpose"]["other_answers"] == ["Diplom ishi uchun"]
    assert client.get("/api/v1/survey/results").status_code == 401


def test_survey_answer_after_the_period(client):
    from portal.db.community import SurveyAnswer
    from portal.db.models import utcnow

    client.post("/api/v1/survey/answers", json={"answers": {"found_info": "no"}})
    SurveyAnswer.objects.update(set__created_at=utcnow() - timedelta(days=31))
    resp = client.post("/api/v1/survey/answers", json={"answers": {"found_info": "yes"}})
    assert resp.status_code == 201


@pytest.mark.parametrize(
    "answers, key",
    [
        ({"found_info": "maybe"}, "found_info"),
        ({"colour": "red"}, "colour"),
        ({"found_info": {"other": "  "}}, "found_info"),
        ({"found_info": {"other": "x" * 501}}, "found_info"),
        ({"found_info": {"else": "x"}}, "found_info"),
        ({"found_info": 3}, "found_info"),
    ],
)
def test_bad_survey_answers_refused(client, operator, answers, key):
    resp = client.post("/api/v1/survey/answers", json={"answers": answers})
    assert resp.status_code == 422
    assert key in resp.json["errors"]["answers"]
    assert client.get("/api/v1/survey/results", headers=operator.headers).json["answers"] == 0
    assert client.post("/api/v1/survey/answers", json={"answers": {}}).status_code == 422
    assert client.post("/api/v1/survey/answers", json={"x": 1}).status_code == 422


@pytest.mark.wire
def test_followers_hear_of_new_versions_once_a_day(client, operator, author, citizen, citizens):
    from portal.db.community import FollowNotice
    from portal.db.models import utcnow
    from tests.helpers import upload, xlsx_bytes

    ds = publish_dataset(client, operator, author)
    resp = client.put(f"/api/v1/datasets/{ds}/follow", headers=citizen.headers)
    assert resp.json == {"following": True, "followers": 1}
    assert client.put(f"/api/v1/datasets/{ds}/follow", headers=citizen.headers).json[
        "followers"
    ] == 1
    client.put(f"/api/v1/datasets/{ds}/follow", headers=citizens[0].headers)
    upload(client, author, ds, xlsx_bytes(["Nomi"], [["A"], ["C"]]))
    upload(client, author, ds, xlsx_bytes(["Nomi"], [["D"]]))  # same day: no second notice
    got = notices(client, citizen)
    assert len(got) == 1 and got[0]["kind"] == "new_version" and got[0]["dataset_code"] == ds
    assert len(notices(client, citizens[0])) == 1
    FollowNotice.objects.update(set__at=utcnow() - timedelta(days=1, minutes=1))
    client.delete(f"/api/v1/datasets/{ds}/follow", headers=citizens[0].headers)
    upload(client, author, ds, xlsx_bytes(["Nomi"], [["E"]]))
    assert len(notices(client, citizen)) == 2
    assert len(notices(client, citizens[0])) == 1
    assert client.get(f"/api/v1/datasets/{ds}/follow").json == {"following": False,
                                                                "followers": 1}  # fmt: skip
    assert client.put(f"/api/v1/datasets/{STATS}/follow").status_code == 401
