"""Proposals (list, propose, vote), feedback and the survey as pages with plain forms."""

import re

import pytest

pytest.importorskip("portal.services.community.proposals")

HTML = {"Accept": "text/html"}


def csrf_of(client, path="/en/"):
    html = client.get(path, headers=HTML).text
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    return found.group(1) if found else ""


def sign_in(client, email):
    client.get(f"/auth/dev-login?email={email}&next=/en/")
    return csrf_of(client)


def test_propose_is_reviewed_then_voted(client, author, operator):
    csrf = sign_in(client, "author@stat.uz")
    resp = client.post("/en/proposals/new", data={"csrf_token": csrf, "title": "", "sector": ""})
    assert resp.status_code == 422
    assert 'href="#title"' in resp.text and 'aria-invalid="true"' in resp.text
    assert "<title>Error: " in resp.text
    data = {"csrf_token": csrf, "title": "Bus stops", "description": "Every stop with its routes.",
            "sector": "economy"}  # fmt: skip
    resp = client.post("/en/proposals/new", data=data)
    assert resp.status_code == 303 and "sent=1" in resp.headers["Location"]
    assert "Bus stops" not in client.get("/en/proposals", headers=HTML).text  # awaiting review
    mine = client.get("/api/v1/proposals?mine=1").json["items"][0]
    resp = client.patch(
        f"/api/v1/proposals/{mine['id']}", json={"status": "voting"}, headers=operator.headers
    )
    assert resp.status_code == 200, resp.json
    html = client.get("/en/proposals", headers=HTML).text
    assert "Bus stops" in html
    resp = client.post(f"/en/proposals/{mine['id']}/vote", data={"csrf_token": csrf})
    assert resp.status_code == 303
    html = client.get("/en/proposals", headers=HTML).text
    assert "You voted for this" in html
    resp = client.post(f"/en/proposals/{mine['id']}/vote", data={"csrf_token": csrf, "undo": "1"})
    assert "You voted for this" not in client.get("/en/proposals", headers=HTML).text


def test_feedback_form_with_its_errors(client):
    resp = client.post("/ru/feedback", data={"full_name": "", "email": "", "message": ""})
    assert resp.status_code == 422
    for field in ("full_name", "email", "message"):
        assert f'href="#{field}"' in resp.text
    data = {"full_name": "Ali Valiyev", "email": "ali@example.uz", "message": "Rahmat!"}
    resp = client.post("/ru/feedback", data=data)
    assert resp.status_code == 303
    assert "Спасибо" in client.get(resp.headers["Location"], headers=HTML).text


def test_survey_answers_once_per_browser(client):
    html = client.get("/uz/survey", headers=HTML).text
    names = sorted(set(re.findall(r'name="(q-[^"]+)" value="([^"]+)"', html)))
    assert names, "the survey has questions"
    first = {}
    for name, value in names:
        if value != "other":
            first.setdefault(name, value)
    assert client.post("/uz/survey", data={}).status_code == 422
    resp = client.post("/uz/survey", data=first)
    assert resp.status_code == 303
    again = client.post("/uz/survey", data=first)
    assert again.status_code == 422 and "allaqachon" in again.text


def test_feedback_tells_a_bad_address(client):
    data = {"full_name": "Ali", "email": "not-an-address", "message": "Salom"}
    resp = client.post("/en/feedback", data=data)
    assert resp.status_code == 422 and 'href="#email"' in resp.text
