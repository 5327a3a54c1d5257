"""A service's refusal on a console page is worded by the page, in its language: a Russian page
shows none of the services' English refusals."""

import io

from tests.conftest import make_caller
from tests.helpers import add_field, ml
from tests.web.console.authoring import HTML, draft, sign_in

STATS = "2-001-11072"
NOBODY = "0" * 24


def _refused(resp, ours, english):
    """A page of the form again, with our Russian message and none of the service's words."""
    assert resp.status_code in (409, 422), resp.status_code
    assert '<html lang="ru"' in resp.text and 'class="error-summary"' in resp.text
    assert ours in resp.text, ours
    assert english not in resp.text, english


def test_the_operators_refusals_are_in_russian(client, operator):
    citizen = make_caller("citizen@mail.uz", [])
    csrf = sign_in(client, "operator@ochiq.uz", lang="ru")
    # lifting a rejection that is not there (409, "clear")
    resp = client.post(f"/ru/console/operator/datasets/{STATS}/clear", data={"csrf_token": csrf})
    _refused(resp, "Набор данных не отклонён", "is not rejected")
    # deciding on an item that is gone (404, "reason")
    resp = client.post(f"/ru/console/operator/moderation/comment/{NOBODY}",
                       data={"csrf_token": csrf, "status": "hidden"})  # fmt: skip
    _refused(resp, "Этой записи больше нет", "no comment")
    # handling a message that is gone (404, "reply")
    resp = client.post(f"/ru/console/operator/feedback/{NOBODY}",
                       data={"csrf_token": csrf, "handled": "1"})  # fmt: skip
    _refused(resp, "Этого сообщения больше нет", "no feedback")
    # a move the proposal may not make (409, "status")
    pid = client.post("/api/v1/proposals", json={"title": "Bekatlar", "description": "Har biri",
                      "sector": "economy"}, headers=citizen.headers).json["id"]  # fmt: skip
    for status, value in (("in_progress", {"organization": "2-001"}),
                          ("fulfilled", {"dataset": STATS})):  # fmt: skip
        resp = client.post(f"/ru/console/operator/proposals/{pid}",
                           data={"csrf_token": csrf, "status": status, **value})  # fmt: skip
        _refused(resp, "Предложение не может перейти", "proposal can move to")
    # a passport for an organization that does not exist (the form's own message)
    title = {f"title-{k}": v for k, v in ml("Bekatlar").items()}
    resp = client.post("/ru/console/operator/datasets/new", data={
        "csrf_token": csrf, "organization": "2-999", "sector": "economy",
        "update_frequency": "annual", **title})  # fmt: skip
    _refused(resp, "Выберите организацию", "no organization")


def test_an_unreadable_upload_is_explained_in_russian(app, client, author, operator):
    from portal.services.publishing import upload_jobs

    code = draft(client, operator)
    add_field(client, author, code, "string", ml("Hudud"), name="hudud")
    csrf = sign_in(client, "author@stat.uz", lang="ru")

    def upload(name):
        form = {"csrf_token": csrf, "file": (io.BytesIO(b"\x00\x01 not a table" * 20), name)}
        return client.post(f"/ru/console/datasets/{code}/data", data=form,
                           content_type="multipart/form-data")  # fmt: skip

    upload("x.xlsx")
    resp = client.get(f"/ru/console/datasets/{code}/preview", headers=HTML)
    assert resp.status_code == 400 and 'class="error-summary"' in resp.text
    assert "Файл не читается как таблица" in resp.text and "spreadsheet" not in resp.text
    # the same file checked by a job: its status page says it in Russian too
    app.config["UPLOAD_JOB_THRESHOLD"] = 100
    job = upload("y.xlsx")
    assert upload_jobs.run_next(upload_jobs.JobSettings(app.config)) == "failed"
    page = client.get(job.headers["Location"], headers=HTML).text
    assert "Файл не читается как таблица" in page and "spreadsheet" not in page


def test_a_refusal_of_no_known_field_has_the_generic_message_of_its_status(app):
    from portal.core.errors import Conflict, NotFound, PortalError
    from portal.web.console.refusals import refusal

    with app.test_request_context("/ru/console/"):
        from flask_babel import force_locale

        with force_locale("ru"):
            assert refusal(NotFound("no thing"), "title") == "Этого больше нет: обновите страницу"
            assert refusal(Conflict("busy"), "title").startswith("Это уже изменили")
            odd = PortalError("odd")
            odd.status = 418
            assert refusal(odd, "x") == "Портал не смог это выполнить: попробуйте позже"


def test_a_console_error_page_in_russian_says_why_in_russian(client, author, operator):
    sign_in(client, "author@stat.uz", lang="ru")
    resp = client.get("/ru/console/operator/datasets", headers=HTML)
    assert resp.status_code == 403 and '<html lang="ru"' in resp.text
    assert "Для этой страницы нужна роль: Оператор" in resp.text
    assert "needs the role" not in resp.text and '<p lang="en">' not in resp.text
    resp = client.post(f"/ru/console/datasets/{STATS}/discard", data={"csrf_token": "forged"})
    assert resp.status_code == 403 and "Форма открыта в другом сеансе" in resp.text
    assert "CSRF" not in resp.text
    resp = client.get("/ru/console/datasets/2-001-99999/", headers=HTML)
    assert resp.status_code == 404 and "Такой страницы или записи нет" in resp.text
    assert "no dataset" not in resp.text
    resp = client.get("/ru/console/?nope=1", headers=HTML)
    assert resp.status_code == 400 and "В адресе страницы есть неизвестный" in resp.text
    assert "unknown query parameter" not in resp.text
    # a public page's error says it by status too, without the service's English words
    resp = client.get("/ru/datasets/2-001-99999", headers=HTML)
    assert resp.status_code == 404 and 'lang="en">' not in resp.text.split("<main", 1)[-1]
