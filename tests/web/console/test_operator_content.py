"""The operator's content editors: Markdown in four languages with a sanitized preview."""

from tests.web.console.authoring import HTML, assert_error_summary, sign_in

KEYS = ("uzbText", "uzbKrText", "rusText", "engText")


def four(name, text):
    return {f"{name}-{key}": f"{text} ({key})" for key in KEYS}


def test_news_preview_is_sanitized_and_keeps_the_form(client, operator):
    csrf = sign_in(client, "operator@ochiq.uz")
    body = {f"body-{k}": "**Yangi** <script>alert(1)</script> [x](javascript:alert(1))"
            for k in KEYS}  # fmt: skip
    resp = client.post("/en/console/operator/content/news/new",
                       data={"csrf_token": csrf, "action": "preview", **four("title", "Yangilik"),
                             **body})  # fmt: skip
    assert resp.status_code == 200
    preview = resp.text.split('id="preview-title"')[1].split("</section>")[0]
    assert "<strong>Yangi</strong>" in preview
    assert "<script>" not in preview and 'href="javascript:' not in preview
    assert 'value="Yangilik (engText)"' in resp.text
    assert client.get("/api/v1/news").json["total"] == client.get("/api/v1/news").json["total"]
    titles = [n["title"]["engText"] for n in client.get("/api/v1/news").json["items"]]
    assert "Yangilik (engText)" not in titles  # a preview saves nothing


def test_news_is_created_edited_and_removed(client, operator):
    csrf = sign_in(client, "operator@ochiq.uz")
    resp = client.post("/en/console/operator/content/news/new",
                       data={"csrf_token": csrf, **four("title", "Portal"),
                             "body-uzbText": "Matn", "datasets": "2-001-11072, 9-999-0000"})
    assert_error_summary(resp, "body-uzbKrText", "body-rusText", "body-engText")
    assert 'value="Portal (rusText)"' in resp.text and "9-999-0000" in resp.text
    resp = client.post("/en/console/operator/content/news/new",
                       data={"csrf_token": csrf, **four("title", "Portal"), **four("body", "Matn"),
                             "datasets": "2-001-11072, 9-999-0000"})  # fmt: skip
    assert_error_summary(resp, "datasets")
    resp = client.post("/en/console/operator/content/news/new",
                       data={"csrf_token": csrf, **four("title", "Portal"),
                             **four("body", "*Matn*"), "datasets": "2-001-11072"})  # fmt: skip
    assert resp.status_code == 303
    made = [n for n in client.get("/api/v1/news").json["items"]
            if n["title"]["engText"] == "Portal (engText)"][0]  # fmt: skip
    assert made["datasets"] == ["2-001-11072"]
    assert made["body_html"]["rusText"] == "<p><em>Matn</em> (rusText)</p>\n"
    edit = f"/en/console/operator/content/news/{made['id']}"
    assert 'value="Portal (uzbKrText)"' in client.get(edit, headers=HTML).text
    resp = client.post(edit, data={"csrf_token": csrf, **four("title", "Yangi nom"),
                                   **four("body", "Matn"), "datasets": ""})  # fmt: skip
    assert resp.status_code == 303
    got = client.get(f"/api/v1/news/{made['id']}").json
    assert got["title"]["uzbText"] == "Yangi nom (uzbText)" and got["datasets"] == []
    resp = client.post(f"{edit}/delete", data={"csrf_token": csrf})
    assert resp.status_code == 303
    assert client.get(f"/api/v1/news/{made['id']}").status_code == 404


def test_pages_faq_glossary_and_legislation(client, operator):
    csrf = sign_in(client, "operator@ochiq.uz")
    base = "/en/console/operator/content"
    resp = client.post(f"{base}/page/new", data={"csrf_token": csrf, "slug": "Ochiq Data",
                       **four("title", "Sahifa"), **four("body", "Matn")})  # fmt: skip
    assert_error_summary(resp, "slug")
    assert 'value="Ochiq Data"' in resp.text
    resp = client.post(f"{base}/page/new", data={"csrf_token": csrf, "slug": "hamkorlar",
                       **four("title", "Hamkorlar"), **four("body", "Matn")})  # fmt: skip
    assert resp.status_code == 303
    assert client.get("/api/v1/pages/hamkorlar").json["title"]["engText"] == "Hamkorlar (engText)"
    resp = client.post(f"{base}/page/about", data={"csrf_token": csrf,
                       **four("title", "Portal haqida"), **four("body", "Yangilangan")})
    assert resp.status_code == 303
    assert client.get("/api/v1/pages/about").json["body"]["uzbText"] == "Yangilangan (uzbText)"

    resp = client.post(f"{base}/faq/new", data={"csrf_token": csrf, **four("question", "Nima?"),
                       **four("answer", "Javob"), "order": "birinchi"})  # fmt: skip
    assert_error_summary(resp, "order")
    resp = client.post(f"{base}/faq/new", data={"csrf_token": csrf, **four("question", "Nima?"),
                       **four("answer", "Javob"), "order": "3"})  # fmt: skip
    assert resp.status_code == 303
    faq = client.get("/api/v1/faq").json["items"]
    assert any(f["question"]["engText"] == "Nima? (engText)" and f["order"] == 3 for f in faq)

    resp = client.post(f"{base}/glossary/new", data={"csrf_token": csrf, **four("term", "API"),
                       **four("definition", "Dasturiy interfeys")})  # fmt: skip
    assert resp.status_code == 303
    terms = client.get("/api/v1/glossary?page_size=100").json["items"]
    assert any(t["term"]["rusText"] == "API (rusText)" for t in terms)

    resp = client.post(f"{base}/legislation/new", data={"csrf_token": csrf, "number": "PQ-4699",
                       "date": "2020-02-31", **four("title", "Qaror"), "url": "ftp://lex.uz"})
    assert_error_summary(resp, "date", "url")
    assert 'value="PQ-4699"' in resp.text
    resp = client.post(f"{base}/legislation/new", data={"csrf_token": csrf, "number": "PQ-4699",
                       "date": "2020-04-28", **four("title", "Qaror"),
                       "url": "https://lex.uz/docs/4800657"})  # fmt: skip
    assert resp.status_code == 303
    laws = client.get("/api/v1/legislation").json["items"]
    assert any(law["number"] == "PQ-4699" and law["date"] == "2020-04-28" for law in laws)

    assert client.get(f"{base}/nothing", headers=HTML).status_code == 404
    assert client.post(f"{base}/page/about/delete", data={"csrf_token": csrf}).status_code == 404
