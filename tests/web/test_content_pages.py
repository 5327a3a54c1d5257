"""News, FAQ, glossary, legislation and pages by slug, as pages in four languages."""

import pytest

pytest.importorskip("portal.services.content")

HTML = {"Accept": "text/html"}
TAGS = {"uz": "uz-Latn", "oz": "uz-Cyrl", "ru": "ru", "en": "en"}


@pytest.mark.parametrize("lang", list(TAGS))
def test_content_pages_render(client, lang):
    for path in ("/news", "/faq", "/glossary", "/legislation", "/pages/about"):
        resp = client.get(f"/{lang}{path}", headers=HTML)
        assert resp.status_code == 200, (path, resp.text[:300])
        assert f'<html lang="{TAGS[lang]}"' in resp.text and "<h1>" in resp.text
    footer = client.get(f"/{lang}/", headers=HTML).text
    assert f'href="/{lang}/pages/terms"' in footer


def test_faq_answers_open_without_javascript(client):
    html = client.get("/en/faq", headers=HTML).text
    assert '<details class="faq"><summary>' in html or "No questions yet." in html


def test_unknown_content_is_a_page_not_found(client):
    assert client.get("/en/pages/no-such-page", headers=HTML).status_code == 404
    assert client.get("/en/news/nope", headers=HTML).status_code == 404
    assert client.get("/en/faq?x=1", headers=HTML).status_code == 400
