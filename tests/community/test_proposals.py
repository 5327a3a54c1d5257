"""Proposals: submitted -> voting | declined -> in_progress -> fulfilled, votes, notices."""

import pytest

from tests.community.conftest import STATS, notices

BODY = {
    "title": "Maktabgacha ta’lim muassasalari",
    "description": "Har bir tumandagi bog‘chalar ro‘yxati va o‘rinlar soni",
    "sector": "education",
}


def propose(client, caller, **extra):
    return client.post("/api/v1/proposals", json={**BODY, **extra}, headers=caller.headers)


def move(client, operator, pid, **body):
    return client.patch(f"/api/v1/proposals/{pid}", json=body, headers=operator.headers)


def vote(client, caller, pid, method="post"):
    return getattr(client, method)(f"/api/v1/proposals/{pid}/votes", headers=caller.headers)


def public_ids(client, query=""):
    return [p["id"] for p in client.get(f"/api/v1/proposals{query}").json["items"]]


@pytest.mark.wire
def test_the_whole_path_with_votes_and_notices(client, citizen, citizens, operator):
    resp = propose(client, citizen)
    assert resp.status_code == 201, resp.json
    p = resp.json
    assert p["status"] == "submitted" and p["votes"] == 0
    pid = p["id"]
    # Not public until an operator publishes it; it waits in the moderation queue.
    assert public_ids(client) == []
    assert client.get(f"/api/v1/proposals/{pid}").status_code == 404
    assert client.get(f"/api/v1/proposals/{pid}", headers=citizen.headers).status_code == 200
    queue = client.get("/api/v1/moderation?kind=proposal", headers=operator.headers).json
    assert queue["items"][0]["id"] == pid and queue["items"][0]["state"] == "submitted"
    assert vote(client, citizens[0], pid).status_code == 404  # not public yet
    assert vote(client, citizen, pid).status_code == 409  # not voting yet

    assert move(client, operator, pid, status="voting").json["status"] == "voting"
    assert client.get("/api/v1/moderation?kind=proposal", headers=operator.headers).json[
        "total"
    ] == 0
    assert public_ids(client) == [pid]
    assert vote(client, citizens[0], pid).json == {"votes": 1}
    assert vote(client, citizens[1], pid).json == {"votes": 2}
    resp = vote(client, citizens[1], pid)
    assert resp.status_code == 409 and "vote" in resp.json["errors"]
    assert vote(client, citizens[2], pid).json == {"votes": 3}
    assert vote(client, citizens[2], pid, "delete").json == {"votes": 2}
    assert vote(client, citizens[2], pid, "delete").status_code == 404
    listed = client.get("/api/v1/proposals", headers=citizens[0].headers).json["items"][0]
    assert listed["votes"] == 2 and listed["voted"] is True

    resp = move(client, operator, pid, status="in_progress", organization="4-019")
    assert resp.status_code == 200 and resp.json["organization"] == "4-019"
    assert vote(client, citizens[3], pid).status_code == 409  # only while voting
    resp = move(client, operator, pid, status="fulfilled", dataset=STATS)
    assert resp.json["status"] == "fulfilled" and resp.json["dataset"] == STATS
    assert [h["state"] for h in resp.json["history"]] == [
        "submitted", "voting", "in_progress", "fulfilled",
    ]  # fmt: skip

    # The proposer heard of every move, each voter of every move after their vote.
    kinds = [n["message"] for n in notices(client, citizen)]
    assert len(kinds) == 3 and "fulfilled" in kinds[0] and STATS in kinds[0]
    assert len(notices(client, citizens[0])) == 2  # in_progress, fulfilled
    assert len(notices(client, citizens[2])) == 0  # took the vote back


@pytest.mark.wire
def test_declines_need_a_reason_and_are_final(client, citizen, operator):
    pid = propose(client, citizen).json["id"]
    resp = move(client, operator, pid, status="declined")
    assert resp.status_code == 422 and "reason" in resp.json["errors"]
    resp = move(client, operator, pid, status="declined", reason="Bunday ma’lumot mavjud")
    assert resp.status_code == 200 and resp.json["reason"] == "Bunday ma’lumot mavjud"
    resp = move(client, operator, pid, status="voting")
    assert resp.status_code == 409 and "status" in resp.json["errors"]
    assert "declined" in notices(client, citizen)[0]["message"]


@pytest.mark.parametrize(
    "path, body, field",
    [
        ([], {"status": "fulfilled", "dataset": STATS}, "status"),
        ([], {"status": "in_progress", "organization": "2-001"}, "status"),
        (["voting"], {"status": "fulfilled", "dataset": STATS}, "status"),
        (["voting"], {"status": "in_progress"}, "organization"),
        (["voting"], {"status": "in_progress", "organization": "9-999"}, "organization"),
        (["voting", "in_progress"], {"status": "fulfilled"}, "dataset"),
        (["voting", "in_progress"], {"status": "fulfilled", "dataset": "nope"}, "dataset"),
        (["voting", "in_progress"], {"status": "declined", "reason": "x"}, "status"),
        ([], {"status": "submitted"}, "status"),
    ],
)
def test_moves_api_md_does_not_allow(client, citizen, operator, path, body, field):
    pid = propose(client, citizen).json["id"]
    for state in path:
        extra = {"organization": "2-001"} if state == "in_progress" else {}
        assert move(client, operator, pid, status=state, **extra).status_code == 200
    resp = move(client, operator, pid, **body)
    assert resp.status_code in (409, 422), resp.json
    assert field in resp.json["errors"]
    got = client.get(f"/api/v1/proposals/{pid}", headers=operator.headers).json
    assert got["status"] == (path[-1] if path else "submitted")


@pytest.mark.parametrize(
    "body, field",
    [
        ({**BODY, "sector": "astrology"}, "sector"),
        ({**BODY, "title": "  "}, "title"),
        ({**BODY, "description": ""}, "description"),
        ({**BODY, "title": "t" * 301}, "title"),
        ({**BODY, "votes": 100}, "votes"),
        ({"title": "x", "description": "y"}, "sector"),
    ],
)
def test_bad_proposals_refused(client, citizen, operator, body, field):
    resp = client.post("/api/v1/proposals", json=body, headers=citizen.headers)
    assert resp.status_code == 422, resp.json
    errors = resp.json["errors"]
    assert field in errors.get("json", errors)
    assert client.get("/api/v1/proposals", headers=operator.headers).json["total"] == 0


def test_permissions(client, citizen, author, operator):
    assert client.post("/api/v1/proposals", json=BODY).status_code == 401
    pid = propose(client, citizen).json["id"]
    assert move(client, citizen, pid, status="voting").status_code == 403
    assert move(client, author, pid, status="voting").status_code == 403
    assert client.post(f"/api/v1/proposals/{pid}/votes").status_code == 401
    assert client.get("/api/v1/proposals?status=submitted").json["total"] == 0
    ops = client.get("/api/v1/proposals?status=submitted", headers=operator.headers).json
    assert ops["total"] == 1
    mine = client.get("/api/v1/proposals?mine=1", headers=citizen.headers).json
    assert [p["id"] for p in mine["items"]] == [pid] and mine["items"][0]["status"] == "submitted"
    assert client.get("/api/v1/proposals?mine=1", headers=author.headers).json["total"] == 0
    assert client.get("/api/v1/proposals?mine=1").status_code == 401
    assert client.get("/api/v1/proposals?sort=oldest").status_code == 422
    assert client.get("/api/v1/proposals?limit=5").status_code == 400


def test_sorted_by_votes_or_recency(client, citizen, citizens, operator):
    first = propose(client, citizen, title="Birinchi").json["id"]
    second = propose(client, citizen, title="Ikkinchi").json["id"]
    for pid in (first, second):
        move(client, operator, pid, status="voting")
    vote(client, citizens[0], first)
    assert public_ids(client, "?sort=votes") == [first, second]
    assert public_ids(client, "?sort=recent") == [second, first]
    assert public_ids(client, "?status=voting&sector=education") == [first, second]
    assert public_ids(client, "?sector=health") == []


@pytest.mark.wire
def test_three_reports_hide_a_proposal(client, citizen, citizens, operator):
    pid = propose(client, citizen).json["id"]
    move(client, operator, pid, status="voting")
    for caller in citizens[:3]:
        resp = client.post(f"/api/v1/proposals/{pid}/reports", json={"reason": "abuse"},
                           headers=caller.headers)  # fmt: skip
        assert resp.status_code == 201
    assert public_ids(client) == []
    client.post(f"/api/v1/moderation/proposal/{pid}", json={"status": "visible"},
                headers=operator.headers)  # fmt: skip
    assert public_ids(client) == [pid]
