"""The public pages over HTTP: frame, languages, search, the dataset page and its tabs."""

import json
import re

import pytest

LIBRARIES = "4-019-0014"  # demo dataset with directory, date, number and location fields
HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
LANG_TAGS = {"uz": "uz-Latn", "oz": "uz-Cyrl", "ru": "ru", "en": "en"}
SKIP_LINK = {
    "uz": "Asosiy mazmunga o‘tish",
    "oz": "Асосий мазмунга ўтиш",
    "ru": "Перейти к основному содержанию",
    "en": "Skip to main content",
}


def page(client, path, status=200, **kw):
    resp = client.get(path, headers=HTML, **kw)
    assert resp.status_code == status, (path, resp.status_code, resp.text[:500])
    return resp


def test_root_sends_a_browser_to_its_language_and_json_clients_to_the_index(client):
    resp = client.get("/", headers={**HTML, "Accept-Language": "ru-RU,ru;q=0.9"})
    assert resp.status_code == 302 and resp.headers["Location"] == "/ru/"
    resp = client.get("/", headers={**HTML, "Accept-Language": "uz-Cyrl"})
    assert resp.headers["Location"] == "/oz/"
    assert client.get("/", headers={"Accept": "application/json"}).json["api"] == "/api/v1"
    assert client.get("/api").json["docs"] == "/api/docs"


@pytest.mark.parametrize("lang", ["uz", "oz", "ru", "en"])
def test_every_page_renders_in_each_language_with_its_lang_attribute(client, lang):
    paths = [
        "/",
        "/datasets",
        "/datasets?q=kutubxona",
        "/sectors/culture",
        "/organizations",
        "/sitemap",
        f"/datasets/{LIBRARIES}",
    ] + [f"/datasets/{LIBRARIES}?tab={t}" for t in ("structure", "table", "api", "versions")]
    for path in paths:
        html = page(client, f"/{lang}{path}").text
        assert f'<html lang="{LANG_TAGS[lang]}"' in html
        assert SKIP_LINK[lang] in html
        assert 'href="#main"' in html and 'id="main"' in html
        assert "<h1" in html


def test_pages_carry_a_strict_csp_and_no_inline_script_or_style(client):
    resp = page(client, f"/uz/datasets/{LIBRARIES}")
    csp = resp.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    html = resp.text
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert 'src="/static/web/' in tag or 'type="application/ld+json"' in tag, tag
    assert " style=" not in html and "<style" not in html
    assert "http://" not in re.sub(
        r'(href|content|action)="[^"]*"', "", html.split("</script>")[-1]
    )


def test_language_switcher_keeps_the_page_and_query(client):
    html = page(client, "/uz/datasets?q=kutubxona").text
    assert 'href="/ru/datasets?q=kutubxona" lang="ru"' in html
    assert 'href="/oz/datasets?q=kutubxona" lang="uz-Cyrl"' in html


def test_search_finds_opens_and_filters(client):
    html = page(client, "/en/datasets?q=kutubxona").text
    assert "1 dataset found" in html
    assert f'href="/en/datasets/{LIBRARIES}"' in html
    html = page(client, "/en/datasets?sector=economy").text
    assert "1 dataset found" in html and "Initial cost of computer equipment" in html
    html = page(client, "/ru/datasets?sort=downloads&page=1").text
    assert "Найдено 2 набора" in html


def test_nothing_found_offers_suggestions(client):
    html = page(client, "/en/datasets?q=zzzqqqxxx&sector=culture").text
    assert "Nothing was found." in html
    assert "search without the chosen filters" in html
    assert "browse the datasets by sector" in html


def test_bad_query_parameters_get_a_page_not_a_500(client):
    resp = page(client, "/en/datasets?bogus=1", status=400)
    assert "bogus" in resp.text and resp.mimetype == "text/html"
    page(client, "/en/datasets?page=abc", status=400)
    page(client, "/en/datasets?sort=worst", status=400)
    page(client, f"/en/datasets/{LIBRARIES}?tab=nope", status=400)
    assert "Page not found" in page(client, "/en/no-such-page", status=404).text
    assert "Page not found" in page(client, "/en/datasets/9-999-9999", status=404).text


def test_sector_page_lists_only_its_sector(client):
    html = page(client, "/uz/sectors/culture").text
    assert "Bolalar kutubxonalari" in html and "Tijorat korxonalarining" not in html
    page(client, "/uz/sectors/nonexistent", status=404)


def test_passport_tab_shows_the_guide_fields_and_json_ld(client):
    html = page(client, f"/uz/datasets/{LIBRARIES}").text
    for label in ("Identifikatsiya raqami (kodi)", "Telefon raqami", "Elektron pochta manzili",
                  "Kalit so‘zlar", "So‘nggi o‘zgartirish kiritilgan sana"):  # fmt: skip
        assert label in html
    assert "+998 71 239-47-87" in html and "info@ssv.uz" in html
    raw = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1)
    data = json.loads(raw)
    assert data["@type"] == "Dataset" and data["identifier"] == LIBRARIES
    assert data["name"] == "Bolalar kutubxonalari"
    assert any(d["encodingFormat"].startswith("text/csv") for d in data["distribution"])


def test_every_download_link_of_the_page_answers(client):
    html = page(client, f"/en/datasets/{LIBRARIES}?tab=table").text
    links = set(re.findall(r'href="(/api/v1/datasets/[^"]+)" download', html))
    formats = {re.search(r"data\.(\w+)", link).group(1) for link in links if "data." in link}
    assert {"csv", "json", "xml", "xlsx", "rdf"} <= formats
    for link in sorted(links):
        resp = client.get(link.replace("&amp;", "&"))
        assert resp.status_code == 200, link
        assert resp.data


def test_structure_and_versions_tabs(client):
    html = page(client, f"/en/datasets/{LIBRARIES}?tab=structure").text
    assert "<caption>Fields of the dataset</caption>" in html
    assert "Number of books" in html and "structure.csv" in html
    html = page(client, f"/en/datasets/{LIBRARIES}?tab=versions").text
    assert "/versions/1/data.xlsx" in html and "Version history" in html
    assert client.get(f"/api/v1/datasets/{LIBRARIES}/versions/1/data.csv").status_code == 200


def test_table_tab_sorts_filters_and_tells_a_bad_filter(client):
    base = f"/en/datasets/{LIBRARIES}?tab=table"
    html = page(client, base + "&sort=-Kitoblarsoni").text
    assert 'aria-sort="descending"' in html
    assert html.index("40210") < html.index("15230")
    html = page(client, base + "&field=Hudud&value=1718").text
    assert "1 row" in html and "Samarkand regional children" in html
    html = page(client, base + "&field=Kitoblarsoni&value=many").text
    assert 'class="error-summary"' in html and "The filter could not be applied" in html


def test_web_service_tab_sends_and_shows_json(client):
    html = page(client, f"/en/datasets/{LIBRARIES}?tab=api&send=1").text
    assert f"/api/v1/datasets/{LIBRARIES}/rows" in html
    body = re.search(r'<pre class="json"[^>]*><code>(.*?)</code>', html, re.S).group(1)
    assert "&#34;total&#34;: 3" in body or "&quot;total&quot;: 3" in body


def test_a_value_missing_in_the_language_falls_back_marked(client, operator):
    resp = client.patch(
        f"/api/v1/datasets/{LIBRARIES}",
        json={"description": {"rusText": "Только по-русски"}},
        headers=operator.headers,
    )
    assert resp.status_code == 200, resp.json
    html = page(client, f"/en/datasets/{LIBRARIES}").text
    assert (
        '<span lang="ru">Только по-русски</span> <span class="fallback">(in Russian)</span>' in html
    )
    html = page(client, f"/ru/datasets/{LIBRARIES}").text
    assert "Только по-русски" in html and "(на русском)" not in html


def test_accessibility_mode_is_remembered_without_javascript(client):
    resp = client.post(
        "/en/accessibility", data={"large": "1", "contrast": "1", "next": "/en/datasets"}
    )
    assert resp.status_code == 303 and resp.headers["Location"] == "/en/datasets"
    html = page(client, "/en/datasets").text
    assert 'class="a11y-large a11y-contrast ' in html
    assert 'id="a11y-large" name="large" value="1" checked' in html
    resp = client.post("/en/accessibility", data={"reset": "1", "next": "//evil.example/"})
    assert resp.headers["Location"] == "/"
    assert 'class=""' in page(client, "/en/").text


def test_old_portal_links_redirect_to_the_dataset_page(client):
    resp = client.get(f"/data/{LIBRARIES}", headers={**HTML, "Accept-Language": "en"})
    assert resp.status_code == 301 and resp.headers["Location"] == f"/en/datasets/{LIBRARIES}"
    ident = client.get(f"/api/v1/datasets/{LIBRARIES}").json["id"]
    assert client.get(f"/data/{ident}", headers=HTML).headers["Location"].endswith(LIBRARIES)
    page(client, "/data/nothing-here", status=404)


def test_sitemaps_list_the_pages_in_four_languages(client):
    index = client.get("/sitemap.xml")
    assert index.status_code == 200 and "sitemap-datasets-1.xml" in index.text
    pages = client.get("/sitemap-pages.xml").text
    assert "/oz/organizations</loc>" in pages and 'hreflang="uz-Cyrl"' in pages
    datasets = client.get("/sitemap-datasets-1.xml").text
    assert f"/ru/datasets/{LIBRARIES}</loc>" in datasets
    assert client.get("/sitemap-datasets-9.xml").status_code == 404


def test_signed_in_person_signs_out_with_the_form(client, author):
    resp = client.get("/auth/dev-login?email=author@stat.uz&next=/uz/")
    assert resp.status_code == 302
    html = page(client, "/uz/").text
    assert "Chiqish" in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert client.post("/uz/logout", data={"next": "/uz/"}).status_code == 403
    resp = client.post("/uz/logout", data={"csrf_token": token, "next": "/uz/"})
    assert resp.status_code == 303
    assert "Kirish" in page(client, "/uz/").text


def test_get_token_shows_a_working_personal_token_once(client, author):
    client.get("/auth/dev-login?email=author@stat.uz&next=/en/")
    html = page(client, f"/en/datasets/{LIBRARIES}?tab=api").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    resp = client.post(f"/en/datasets/{LIBRARIES}/token", data={"csrf_token": csrf})
    assert resp.status_code == 200
    token = re.search(r'<code class="token">([^<]+)</code>', resp.text).group(1)
    check = client.get("/api/v1/me/datasets", headers={"Authorization": f"Bearer {token}"})
    assert check.status_code == 200
    assert 'class="token"' not in page(client, f"/en/datasets/{LIBRARIES}?tab=api").text


def test_get_token_asks_a_visitor_to_log_in(client):
    resp = client.post(f"/en/datasets/{LIBRARIES}/token")
    assert resp.status_code == 303 and resp.headers["Location"].startswith("/auth/login?next=")
