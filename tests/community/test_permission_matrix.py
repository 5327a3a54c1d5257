"""Who may do what: the public, a signed-in person, an author of another organization, an
operator, on every community and content write."""

import pytest

from tests.community.conftest import STATS
from tests.helpers import ml

CONTENT = {"title": ml("Sarlavha"), "body": ml("Matn")}

# (method, path, body, expected status per caller: public, citizen, other_author, operator)
MATRIX = [
    ("put", f"/api/v1/datasets/{STATS}/rating", {"stars": 4}, (401, 200, 200, 200)),
    ("post", f"/api/v1/datasets/{STATS}/comments", {"text": "Savol"}, (401, 201, 201, 201)),
    ("put", f"/api/v1/datasets/{STATS}/follow", None, (401, 200, 200, 200)),
    ("post", "/api/v1/proposals", {"title": "T", "description": "D", "sector": "ict"},
     (401, 201, 201, 201)),
    ("post", "/api/v1/feedback", {"full_name": "A", "email": "a@b.uz", "message": "M"},
     (201, 201, 201, 201)),
    ("get", "/api/v1/moderation", None, (401, 403, 403, 200)),
    ("get", "/api/v1/feedback", None, (401, 403, 403, 200)),
    ("get", "/api/v1/survey/results", None, (401, 403, 403, 200)),
    ("post", "/api/v1/news", CONTENT, (401, 403, 403, 201)),
    ("put", "/api/v1/pages/about", CONTENT, (401, 403, 403, 200)),
    ("post", "/api/v1/faq", {"question": ml("Q"), "answer": ml("A")}, (401, 403, 403, 201)),
    ("post", "/api/v1/glossary", {"term": ml("T"), "definition": ml("D")}, (401, 403, 403, 201)),
    ("post", "/api/v1/legislation",
     {"number": "1", "date": "2020-01-01", "title": ml("L"), "url": None}, (401, 403, 403, 201)),
]  # fmt: skip


@pytest.mark.parametrize("method, path, body, expected", MATRIX)
def test_permission_matrix(client, citizen, other_author, operator, method, path, body, expected):
    callers = (None, citizen, other_author, operator)
    for caller, status in zip(callers, expected, strict=True):
        headers = caller.headers if caller else {}
        kwargs = {"json": body} if body is not None else {}
        resp = getattr(client, method)(path, headers=headers, **kwargs)
        who = caller.user.email if caller else "public"
        assert resp.status_code == status, (who, resp.json)


@pytest.mark.wire
def test_only_the_datasets_organization_answers_officially(client, author, other_author):
    url = f"/api/v1/datasets/{STATS}/comments"
    question = client.post(url, json={"text": "Savol"}, headers=other_author.headers).json
    assert question["official"] is False  # an author, but of another organization
    answer = client.post(url, json={"text": "Javob", "reply_to": question["id"]},
                         headers=author.headers).json  # fmt: skip
    assert answer["official"] is True


def test_operator_moves_and_others_do_not(client, citizen, other_author, operator):
    body = {"title": "T", "description": "D", "sector": "ict"}
    pid = client.post("/api/v1/proposals", json=body, headers=citizen.headers).json["id"]
    for caller, status in ((citizen, 403), (other_author, 403), (operator, 200)):
        resp = client.patch(f"/api/v1/proposals/{pid}", json={"status": "voting"},
                            headers=caller.headers)  # fmt: skip
        assert resp.status_code == status
    assert client.patch(f"/api/v1/proposals/{pid}", json={"status": "declined"}).status_code == 401
