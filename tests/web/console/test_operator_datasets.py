"""The operator's console: every dataset with filters, a new passport, review and rejection."""

from tests.helpers import ml, new_dataset
from tests.web.console.authoring import HTML, assert_error_summary, sign_in

TITLE = {"title-uzbText": "Maktablar", "title-uzbKrText": "Мактаблар", "title-rusText": "Школы",
         "title-engText": "Schools"}  # fmt: skip
PAGES = [
    "/en/console/operator/datasets",
    "/en/console/operator/datasets/new",
    "/en/console/operator/datasets/2-001-11072",
    "/en/console/operator/moderation",
    "/en/console/operator/proposals",
    "/en/console/operator/feedback",
    "/en/console/operator/survey",
    "/en/console/operator/content",
    "/en/console/operator/content/faq/new",
    "/en/console/operator/monitoring",
    "/en/console/operator/exports",
]


def test_anonymous_is_sent_to_sign_in_and_other_roles_are_refused(client, author):
    for path in PAGES:
        resp = client.get(path, headers=HTML)
        assert resp.status_code == 303, path
        assert resp.headers["Location"].startswith("/auth/login?next=/en/console/operator/")
    resp = client.post("/en/console/operator/datasets/new", data={"organization": "2-001"})
    assert resp.status_code == 303 and "/auth/login" in resp.headers["Location"]
    sign_in(client, "author@stat.uz")
    for path in PAGES:
        resp = client.get(path, headers=HTML)
        assert resp.status_code == 403, path
        assert "This page needs the role: Operator" in resp.text


def test_operator_pages_answer_in_four_languages(client, operator):
    sign_in(client, "operator@ochiq.uz")
    heading = {"uz": "Barcha ma", "oz": "Барча ма", "ru": "Все наборы", "en": "All datasets"}
    for lang, tag in (("uz", "uz-Latn"), ("oz", "uz-Cyrl"), ("ru", "ru"), ("en", "en")):
        for path in PAGES:
            resp = client.get(path.replace("/en/", f"/{lang}/"), headers=HTML)
            assert resp.status_code == 200, (lang, path, resp.status_code)
            assert f'<html lang="{tag}"' in resp.text
        html = client.get(f"/{lang}/console/operator/datasets", headers=HTML).text
        assert heading[lang] in html, lang


def test_a_form_without_the_csrf_token_is_refused(client, operator):
    sign_in(client, "operator@ochiq.uz")
    resp = client.post("/en/console/operator/datasets/new", data={"organization": "2-001", **TITLE,
                       "sector": "education", "update_frequency": "annual"})  # fmt: skip
    assert resp.status_code == 403
    assert client.get("/api/v1/datasets?organization=2-001&q=Schools").json["total"] == 0


def test_operator_creates_a_passport(client, operator):
    csrf = sign_in(client, "operator@ochiq.uz")
    resp = client.post("/en/console/operator/datasets/new", data={"csrf_token": csrf,
                       "title-engText": "Schools", "sector": "education"})  # fmt: skip
    assert_error_summary(resp, "organization", "title-uzbText", "update_frequency")
    assert 'value="Schools"' in resp.text  # what was typed stays
    assert '<option value="education" selected>' in resp.text
    resp = client.post("/en/console/operator/datasets/new", data={"csrf_token": csrf,
                       "organization": "2-001", **TITLE, "sector": "education",
                       "update_frequency": "annual", "is_priority": "1"})  # fmt: skip
    assert resp.status_code == 303
    code = resp.headers["Location"].rsplit("/", 1)[1]
    page = client.get(resp.headers["Location"], headers=HTML).text
    assert f"The passport {code} was created" in page and 'role="status"' in page
    made = client.get(f"/api/v1/datasets/{code}", headers=operator.headers).json
    assert made["status"] == "draft" and made["organization"] == "2-001"
    assert made["title"]["rusText"] == "Школы" and made["is_priority"] is True
    assert made["update_frequency"] == "annual" and made["sector"] == "education"


def test_every_dataset_with_its_filters(client, operator):
    draft = new_dataset(client, operator)["code"]
    other = new_dataset(client, operator, org="4-019", title=ml("Kasalxonalar"))["code"]
    sign_in(client, "operator@ochiq.uz")
    html = client.get("/en/console/operator/datasets?status=draft", headers=HTML).text
    assert draft in html and other in html and "2-001-11072" not in html
    html = client.get("/en/console/operator/datasets?status=draft&organization=4-019").text
    assert other in html and draft not in html
    html = client.get("/en/console/operator/datasets?sector=education&status=draft").text
    assert draft in html
    html = client.get("/en/console/operator/datasets?late=1", headers=HTML).text
    assert draft not in html  # a draft without data is not monitored
    for bad in ("status=gone", "organization=9-999", "late=yes", "order=1"):
        resp = client.get(f"/en/console/operator/datasets?{bad}", headers=HTML)
        assert resp.status_code == 400, bad


def test_operator_rejects_with_reasons_and_the_author_is_notified(client, operator, author):
    lang = "en"
    code = new_dataset(client, operator)["code"]
    csrf = sign_in(client, "operator@ochiq.uz", lang)
    resp = client.post(f"/{lang}/console/operator/datasets/{code}/reject",
                       data={"csrf_token": csrf, "reasons": "  \n "})  # fmt: skip
    assert_error_summary(resp, "reasons")
    long = "x" * 2001
    resp = client.post(f"/{lang}/console/operator/datasets/{code}/reject",
                       data={"csrf_token": csrf, "reasons": f"Telefon yo'q\n{long}"})  # fmt: skip
    assert_error_summary(resp, "reasons")
    assert "Telefon yo&#39;q" in resp.text  # kept as typed
    resp = client.post(f"/{lang}/console/operator/datasets/{code}/reject",
                       data={"csrf_token": csrf,
                             "reasons": "Telefon yo'q\nTavsif bo'sh"})  # fmt: skip
    assert resp.status_code == 303
    notices = client.get("/api/v1/me/notifications", headers=author.headers).json["items"]
    mine = [n for n in notices if n["dataset_code"] == code]
    assert mine and mine[0]["reasons"] == ["Telefon yo'q", "Tavsif bo'sh"]
    passport = client.get(f"/api/v1/datasets/{code}", headers=operator.headers).json
    assert passport["status"] == "rejected"
    page = client.get(f"/{lang}/console/operator/datasets/{code}", headers=HTML).text
    assert "Tavsif bo&#39;sh" in page
    resp = client.post(f"/{lang}/console/operator/datasets/{code}/clear", data={"csrf_token": csrf})
    assert resp.status_code == 303
    passport = client.get(f"/api/v1/datasets/{code}", headers=operator.headers).json
    assert passport["status"] == "draft" and passport["rejection"] is None
    resp = client.post(f"/{lang}/console/operator/datasets/{code}/clear", data={"csrf_token": csrf})
    assert_error_summary(resp, "clear")
    resp = client.get(f"/{lang}/console/operator/datasets/9-999-0001", headers=HTML)
    assert resp.status_code == 404


def test_the_late_filter_lists_what_the_daily_run_holds_late(app, client, operator):
    from datetime import timedelta

    from tests.statistics.helpers import STAT, last_updated, midnight, run_daily

    last_updated(STAT, midnight(800))  # annual, two years without an update: late
    run_daily(app, midnight())
    sign_in(client, "operator@ochiq.uz")
    resp = client.get("/en/console/operator/datasets?late=1", headers=HTML)
    assert resp.status_code == 200 and STAT in resp.text
    last_updated(STAT, midnight() - timedelta(days=1))
    run_daily(app, midnight())
    resp = client.get("/en/console/operator/datasets?late=1", headers=HTML)
    assert resp.status_code == 200 and STAT not in resp.text
