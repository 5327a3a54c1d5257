"""Get API: method, URL, data, id and the integration token, which pushes rows."""

import json
import re

from tests.helpers import add_field, ml
from tests.web.console.authoring import HTML, draft, sign_in


def test_api_page_shows_the_guides_table_without_a_token(client, author, operator):
    code = draft(client, operator)
    add_field(client, author, code, "text", ml("Hudud", "Худуд", "Регион", "Region"))
    sign_in(client, "author@stat.uz")
    html = client.get(f"/en/console/datasets/{code}/api", headers=HTML).text
    for name in ("Method", "URL", "data", "id", "token"):
        assert f'<th scope="row">{name}</th>' in html
    assert "/apiData/MainData/ExternalApi" in html and "&#34;Регион&#34;" in html
    assert 'data-copy="api-url"' in html and ">Get token</button>" in html


def test_get_token_issues_a_token_that_pushes_rows(client, author, operator):
    code = draft(client, operator)
    add_field(client, author, code, "string", ml("Hudud"), name="hudud")
    csrf = sign_in(client, "author@stat.uz")
    resp = client.post(f"/en/console/datasets/{code}/api", data={"csrf_token": csrf})
    assert resp.status_code == 200 and resp.headers["Cache-Control"] == "no-store"
    token = re.search(r'<code id="api-token" class="copy-source">([^<]+)</code>', resp.text)
    dataset_id = re.search(r'<code id="api-id" class="copy-source">([^<]+)</code>', resp.text)
    body = {"data": [{"Hudud": "Toshkent"}], "id": dataset_id.group(1), "token": token.group(1)}
    push = client.post("/apiData/MainData/ExternalApi", data=json.dumps(body),
                       content_type="application/json")  # fmt: skip
    assert push.status_code == 200 and push.json["success"] is True, push.json
    assert client.get(f"/api/v1/datasets/{code}", headers=author.headers).json["version"] == 1
    again = client.get(f"/en/console/datasets/{code}/api", headers=HTML).text
    assert token.group(1) not in again  # shown once


def test_get_token_needs_csrf_and_the_author_role(client, author, operator):
    code = draft(client, operator)
    sign_in(client, "author@stat.uz")
    assert client.post(f"/en/console/datasets/{code}/api", data={}).status_code == 403
    other = client.application.test_client()
    csrf = sign_in(other, "operator@ochiq.uz")
    assert (
        other.post(f"/en/console/datasets/{code}/api", data={"csrf_token": csrf}).status_code == 403
    )


def test_api_page_sends_an_anonymous_person_to_sign_in(client, operator):
    code = draft(client, operator)
    resp = client.get(f"/en/console/datasets/{code}/api", headers=HTML)
    assert resp.status_code == 303 and resp.headers["Location"].startswith("/auth/login?next=")
