"""Content: news with sanitized Markdown, pages by slug, FAQ, glossary, legislation."""

import pytest

from tests.helpers import ml

LANGS = ("uzbText", "uzbKrText", "rusText", "engText")


def each(text):
    return {k: text for k in LANGS}


NEWS = {
    "title": ml("Yangi to‘plamlar", "Янги тўпламлар", "Новые наборы", "New datasets"),
    "body": each("**Qalin** matn <script>alert(1)</script> [havola](javascript:alert(1)) "
                 "va [sayt](https://data.egov.uz)"),  # fmt: skip
    "datasets": ["2-001-11072"],
}


@pytest.mark.wire
def test_news_markdown_is_rendered_and_sanitized(client, operator):
    resp = client.post("/api/v1/news", json=NEWS, headers=operator.headers)
    assert resp.status_code == 201, resp.json
    item = resp.json
    html = item["body_html"]["uzbText"]
    assert "<strong>Qalin</strong>" in html
    assert "<script>" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html  # raw HTML in Markdown stays text
    assert 'href="https://data.egov.uz"' in html and 'rel="noopener noreferrer"' in html
    assert item["body"]["uzbText"] == NEWS["body"]["uzbText"]  # the Markdown as written
    assert item["datasets"] == ["2-001-11072"]
    listing = client.get("/api/v1/news").json
    assert listing["total"] == 1 and listing["items"][0]["id"] == item["id"]
    nid = item["id"]
    resp = client.patch(f"/api/v1/news/{nid}", json={"body": each("# Sarlavha")},
                        headers=operator.headers)  # fmt: skip
    assert resp.json["body_html"]["engText"] == "<h1>Sarlavha</h1>\n"
    revisions = client.get(f"/api/v1/news/{nid}/revisions", headers=operator.headers).json
    assert [r["action"] for r in revisions["items"]] == ["created", "changed"]
    assert revisions["items"][0]["snapshot"]["body"]["uzbText"] == NEWS["body"]["uzbText"]
    assert client.delete(f"/api/v1/news/{nid}", headers=operator.headers).status_code == 204
    assert client.get(f"/api/v1/news/{nid}").status_code == 404
    revisions = client.get(f"/api/v1/news/{nid}/revisions", headers=operator.headers).json
    assert [r["action"] for r in revisions["items"]] == ["created", "changed", "deleted"]


def test_scheduled_news_is_for_operators_until_published(client, operator):
    body = {**NEWS, "published_at": "2099-01-01T09:00:00Z"}
    nid = client.post("/api/v1/news", json=body, headers=operator.headers).json["id"]
    assert client.get("/api/v1/news").json["total"] == 0
    assert client.get(f"/api/v1/news/{nid}").status_code == 404
    assert client.get("/api/v1/news", headers=operator.headers).json["total"] == 1


@pytest.mark.parametrize(
    "body, field",
    [
        ({**NEWS, "title": {**NEWS["title"], "engText": "  "}}, "title"),
        ({**NEWS, "title": {"uzbText": "x"}}, "title"),
        ({**NEWS, "datasets": ["no-such"]}, "datasets"),
        ({**NEWS, "author": "me"}, "author"),
        ({**NEWS, "body": {**NEWS["body"], "html": "<b>"}}, "body"),
        ({**NEWS, "published_at": "yesterday"}, "published_at"),
    ],
)
def test_bad_news_refused(client, operator, body, field):
    resp = client.post("/api/v1/news", json=body, headers=operator.headers)
    assert resp.status_code == 422, resp.json
    errors = resp.json["errors"]
    assert field in errors.get("json", errors)
    assert client.get("/api/v1/news", headers=operator.headers).json["total"] == 0


def test_writing_content_is_for_operators(client, author, citizen):
    for caller in (author, citizen):
        assert client.post("/api/v1/news", json=NEWS, headers=caller.headers).status_code == 403
        resp = client.put("/api/v1/pages/about", json={"title": each("x"), "body": each("y")},
                          headers=caller.headers)  # fmt: skip
        assert resp.status_code == 403
    assert client.post("/api/v1/faq", json={}).status_code == 401


@pytest.mark.wire
def test_seeded_pages_in_four_languages(client):
    for slug in ("about", "open-data", "terms", "instructions"):
        page = client.get(f"/api/v1/pages/{slug}").json
        assert page["slug"] == slug
        for lang in LANGS:
            assert page["title"][lang] and len(page["body"][lang]) > 200
            assert page["body_html"][lang].startswith("<")
    about = client.get("/api/v1/pages/about").json
    assert about["title"]["uzbKrText"] == "Портал ҳақида"
    assert client.get("/api/v1/pages/nothing-here").status_code == 404


@pytest.mark.wire
def test_pages_are_replaced_with_a_revision(client, operator):
    body = {"title": each("Aloqa"), "body": each("Telefon: *+998 71 000-00-00*")}
    resp = client.put("/api/v1/pages/contacts", json=body, headers=operator.headers)
    assert resp.status_code == 201 and resp.json["body_html"]["uzbText"] == (
        "<p>Telefon: <em>+998 71 000-00-00</em></p>\n"
    )
    resp = client.put("/api/v1/pages/contacts", json={**body, "title": each("Kontaktlar")},
                      headers=operator.headers)  # fmt: skip
    assert resp.status_code == 200 and resp.json["title"]["rusText"] == "Kontaktlar"
    revs = client.get("/api/v1/pages/contacts/revisions", headers=operator.headers).json["items"]
    assert [r["number"] for r in revs] == [1, 2]
    for bad in ("Bad_Slug", "a--b", "-a", "a-", "ёж"):
        resp = client.put(f"/api/v1/pages/{bad}", json=body, headers=operator.headers)
        assert resp.status_code == 422 and "slug" in resp.json["errors"], bad


@pytest.mark.wire
def test_seeded_faq_and_glossary(client):
    faq = client.get("/api/v1/faq?page_size=100").json
    assert faq["total"] >= 5
    assert [i["order"] for i in faq["items"]] == sorted(i["order"] for i in faq["items"])
    assert all(i["question"][lang] and i["answer"][lang] for i in faq["items"] for lang in LANGS)
    glossary = client.get("/api/v1/glossary?page_size=100").json
    assert glossary["total"] >= 8
    terms = [t["term"]["engText"] for t in glossary["items"]]
    assert "Open data" in terms and "Dataset" in terms


@pytest.mark.wire
def test_faq_glossary_legislation_edits(client, operator):
    resp = client.post("/api/v1/faq", json={"question": each("Savol?"), "answer": each("Javob."),
                                            "order": 0}, headers=operator.headers)  # fmt: skip
    assert resp.status_code == 201
    fid = resp.json["id"]
    assert client.get("/api/v1/faq").json["items"][0]["id"] == fid  # order 0 comes first
    resp = client.patch(f"/api/v1/faq/{fid}", json={"order": 99}, headers=operator.headers)
    assert resp.json["order"] == 99 and resp.json["answer_html"]["uzbText"] == "<p>Javob.</p>\n"
    assert client.patch(f"/api/v1/faq/{fid}", json={"rank": 1},
                        headers=operator.headers).status_code == 422  # fmt: skip
    resp = client.post("/api/v1/glossary", json={"term": each("Geo"), "definition": each("Joy")},
                       headers=operator.headers)  # fmt: skip
    tid = resp.json["id"]
    assert client.delete(f"/api/v1/glossary/{tid}", headers=operator.headers).status_code == 204
    law = {"number": "ЗРУ-560", "date": "2003-12-11", "title": each("Axborotlashtirish"),
           "url": "https://lex.uz/docs/82956"}  # fmt: skip
    resp = client.post("/api/v1/legislation", json=law, headers=operator.headers)
    assert resp.status_code == 201, resp.json
    assert resp.json["date"] == "2003-12-11" and resp.json["number"] == "ЗРУ-560"
    listing = client.get("/api/v1/legislation").json
    assert listing["items"][0]["url"] == "https://lex.uz/docs/82956"
    for bad, field in (
        ({**law, "date": "11.12.2003"}, "date"),
        ({**law, "url": "javascript:alert(1)"}, "url"),
        ({**law, "number": ""}, "number"),
    ):
        resp = client.post("/api/v1/legislation", json=bad, headers=operator.headers)
        assert resp.status_code == 422 and field in resp.json["errors"]["json"]
    assert client.get("/api/v1/legislation/" + "0" * 24).status_code == 404
    assert client.get("/api/v1/legislation/zzz").status_code == 404


def test_lone_surrogate_in_content_refused(client, operator):
    body = '{"term": {"uzbText": "\\ud800", "uzbKrText": "a", "rusText": "a", "engText": "a"},' \
           ' "definition": {"uzbText": "a", "uzbKrText": "a", "rusText": "a", "engText": "a"}}'
    resp = client.post("/api/v1/glossary", data=body, content_type="application/json",
                       headers=operator.headers)  # fmt: skip
    assert resp.status_code == 400 and resp.json["message"].startswith("term")
