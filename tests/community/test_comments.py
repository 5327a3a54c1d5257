"""Comments: plain text, one level of replies, the 15-minute edit, official answers, notices."""

from datetime import timedelta

import pytest

from tests.community.conftest import STATS, notices


def post(client, caller, text, reply_to=None, ds=STATS, **extra):
    body = {"text": text, **extra}
    if reply_to:
        body["reply_to"] = reply_to
    return client.post(f"/api/v1/datasets/{ds}/comments", json=body, headers=caller.headers)


@pytest.mark.wire
def test_comment_reply_and_listing(client, citizen, author):
    text = "<script>alert(1)</script> Ma’lumot qachon yangilanadi?"
    resp = post(client, citizen, text)
    assert resp.status_code == 201, resp.json
    question = resp.json
    assert question["text"] == text  # stored as sent: markup is data
    assert question["official"] is False and question["reply_to"] is None
    assert question["author_name"] == "citizen"
    answer = post(client, author, "Har yili mart oyida.", reply_to=question["id"]).json
    assert answer["official"] is True and answer["reply_to"] == question["id"]
    listing = client.get(f"/api/v1/datasets/{STATS}/comments").json
    assert [c["id"] for c in listing["items"]] == [question["id"], answer["id"]]
    assert listing["total"] == 2 and listing["page"] == 1
    assert set(listing["items"][0]) >= {"id", "text", "author_name", "created_at", "reply_to"}


@pytest.mark.wire
def test_authors_notified_of_comments_on_their_datasets(client, citizen, author, other_author):
    post(client, citizen, "Yaxshi to‘plam")
    mine = notices(client, author)
    assert len(mine) == 1 and mine[0]["kind"] == "comment"
    assert mine[0]["dataset_code"] == STATS and "Yaxshi to‘plam" in mine[0]["message"]
    assert mine[0]["subject"]["kind"] == "comment"
    assert notices(client, other_author) == []
    # The organization's own answers do not notify the organization.
    post(client, author, "Rahmat!")
    assert len(notices(client, author)) == 1


def test_replies_go_one_level_deep(client, citizen, citizens):
    first = post(client, citizen, "Savol").json
    reply = post(client, citizens[0], "Javob", reply_to=first["id"]).json
    resp = post(client, citizens[1], "Javobga javob", reply_to=reply["id"])
    assert resp.status_code == 422 and "reply_to" in resp.json["errors"]
    for bad in ("0" * 24, "nonsense"):
        resp = post(client, citizens[1], "x", reply_to=bad)
        assert resp.status_code == 422 and "reply_to" in resp.json["errors"]
    assert client.get(f"/api/v1/datasets/{STATS}/comments").json["total"] == 2


@pytest.mark.parametrize(
    "body, field",
    [
        ({"text": ""}, "text"),
        ({"text": "   \n\t "}, "text"),
        ({"text": "a" * 2001}, "text"),
        ({"text": 5}, "text"),
        ({}, "text"),
        ({"text": "ok", "author_name": "admin"}, "author_name"),
        ({"text": "ok", "official": True}, "official"),
    ],
)
def test_bad_comments_refused(client, citizen, body, field):
    resp = client.post(f"/api/v1/datasets/{STATS}/comments", json=body, headers=citizen.headers)
    assert resp.status_code == 422, resp.json
    assert field in resp.json["errors"]["json"]
    assert client.get(f"/api/v1/datasets/{STATS}/comments").json["total"] == 0


def test_comment_at_the_limit_accepted(client, citizen):
    assert post(client, citizen, "я" * 2000).status_code == 201


def test_comments_need_sign_in(client):
    assert client.post(f"/api/v1/datasets/{STATS}/comments", json={"text": "x"}).status_code == 401
    assert client.get("/api/v1/datasets/no-such/comments").status_code == 404


@pytest.mark.wire
def test_author_edits_within_fifteen_minutes(client, citizen, citizens):
    from portal.db.community import Comment
    from portal.db.models import utcnow

    comment = post(client, citizen, "Birinchi").json
    url = f"/api/v1/comments/{comment['id']}"
    resp = client.patch(url, json={"text": "Tuzatilgan"}, headers=citizen.headers)
    assert resp.status_code == 200 and resp.json["text"] == "Tuzatilgan"
    assert resp.json["edited_at"] is not None
    # Someone else may not edit it.
    assert client.patch(url, json={"text": "x"}, headers=citizens[0].headers).status_code == 403
    assert client.patch(url, json={"text": "  "}, headers=citizen.headers).status_code == 422
    # Sixteen minutes later the window is closed.
    Comment.objects(id=comment["id"]).update_one(set__created_at=utcnow() - timedelta(minutes=16))
    resp = client.patch(url, json={"text": "Kech"}, headers=citizen.headers)
    assert resp.status_code == 403 and "15 minutes" in resp.json["message"]
    assert client.get(f"/api/v1/datasets/{STATS}/comments").json["items"][0]["text"] == "Tuzatilgan"


def test_patch_needs_text_or_status(client, citizen, operator):
    comment = post(client, citizen, "Matn").json
    url = f"/api/v1/comments/{comment['id']}"
    resp = client.patch(url, json={"text": "a", "status": "hidden"}, headers=operator.headers)
    assert resp.status_code == 422
    resp = client.patch(url, json={"status": "gone"}, headers=operator.headers)
    assert resp.status_code == 422 and "status" in resp.json["errors"]["json"]
    # Only operators decide.
    resp = client.patch(url, json={"status": "hidden"}, headers=citizen.headers)
    assert resp.status_code == 403
    assert client.patch("/api/v1/comments/" + "0" * 24, json={"text": "a"},
                        headers=citizen.headers).status_code == 404  # fmt: skip


@pytest.mark.wire
def test_answer_figures_per_organization(client, citizen, citizens, author):
    from portal.db.community import Comment
    from portal.db.models import utcnow
    from portal.services.community import comments

    q1 = post(client, citizen, "Birinchi savol").json
    post(client, citizens[0], "Ikkinchi savol")
    Comment.objects(id=q1["id"]).update_one(set__created_at=utcnow() - timedelta(hours=3))
    post(client, author, "Javob", reply_to=q1["id"])
    post(client, author, "Yana javob", reply_to=q1["id"])  # only the first answer counts
    figures = comments.answer_figures()
    assert figures == [
        {
            "organization": "2-001",
            "questions": 2,
            "answered": 1,
            "share_answered": 0.5,
            "median_hours_to_answer": pytest.approx(3.0, abs=0.01),
        }
    ]
    assert client.get("/api/v1/community/answers").json["items"][0]["answered"] == 1


@pytest.mark.parametrize(
    "path, body, field",
    [
        (f"/api/v1/datasets/{STATS}/comments", '{"text": "a\\ud800b"}', "text"),
        ("/api/v1/proposals", '{"title": "\\udfff", "description": "d", "sector": "ict"}', "title"),
        ("/api/v1/feedback", '{"full_name": "A", "email": "a@b.uz", "message": "\\ud800"}',
         "message"),
        ("/api/v1/survey/answers", '{"answers": {"found_info": {"other": "\\ud800"}}}', "answers"),
    ],
)
def test_lone_surrogates_refused(client, citizen, path, body, field):
    resp = client.post(path, data=body, content_type="application/json", headers=citizen.headers)
    # Refused by the JSON body parser (400, naming the field) before any schema sees it.
    assert resp.status_code == 400, resp.data
    assert resp.json["message"].startswith(field) and "lone surrogate" in resp.json["message"]
