"""The upload errors of the console's data step in the page's language: the error table, the
marked workbook's comments; a message of no known shape kept in English, marked lang="en"; a
public page's error without the service's English words."""

import io
import re

from openpyxl import load_workbook

from tests.helpers import add_field, ml
from tests.web.console.authoring import HTML, draft, sign_in

ROWS = [["ko'p", "32.13.2024", "XX99", "41.2 abc", "[41.2, 69.1]"]]
ENGLISH = ("not a number", "not a date", "unknown code or name", "not a location", "polygon needs")


def _ready(client, author, operator, lang, app=None):
    """A dataset of the five field types, its bad row uploaded (checked by a job if `app`)."""
    code = draft(client, operator)
    add_field(client, author, code, "number", ml("Soni"), name="soni")
    add_field(client, author, code, "date", ml("Sana"), name="sana")
    add_field(client, author, code, "directory", ml("Viloyat"), name="viloyat",
              directory="regions")  # fmt: skip
    add_field(client, author, code, "location", ml("Joy"), name="joy")
    add_field(client, author, code, "polygon", ml("Hudud"), name="hudud")
    csrf = sign_in(client, "author@stat.uz", lang=lang)
    resp = client.get(f"/api/v1/datasets/{code}/template.xlsx")
    book = load_workbook(io.BytesIO(resp.data))
    for row in ROWS:
        book.worksheets[0].append(row)
    out = io.BytesIO()
    book.save(out)
    if app is not None:
        app.config["UPLOAD_JOB_THRESHOLD"] = 100
    form = {"csrf_token": csrf, "file": (io.BytesIO(out.getvalue()), "filled.xlsx")}
    resp = client.post(f"/{lang}/console/datasets/{code}/data", data=form,
                       content_type="multipart/form-data")  # fmt: skip
    assert resp.status_code == 303
    return code


def _messages(html):
    cells = re.findall(r"<tr><td>2</td><td>[^<]*</td><td><code>[^<]*</code></td><td([^>]*)>([^<]*)"
                       r"</td></tr>", html)  # fmt: skip
    return cells


def _comments(client, lang, code):
    resp = client.get(f"/{lang}/console/datasets/{code}/preview/marked.xlsx")
    assert resp.status_code == 200
    sheet = load_workbook(io.BytesIO(resp.data)).worksheets[0]
    return [c.comment.text for r in sheet.iter_rows() for c in r if c.comment is not None]


def _no_english(texts):
    for text in texts:
        assert not any(words in text for words in ENGLISH), text


def test_the_error_table_and_the_marked_workbook_in_russian(client, author, operator):
    code = _ready(client, author, operator, "ru")
    resp = client.get(f"/ru/console/datasets/{code}/preview", headers=HTML)
    assert resp.status_code == 422
    cells = _messages(resp.text)
    texts = [text for _attrs, text in cells]
    assert len(cells) == 5 and all('lang="en"' not in attrs for attrs, _text in cells)
    _no_english(texts)
    assert "не число: &#34;ko&#39;p&#34;" in texts
    assert "не дата (дд.мм.гггг или гггг-мм-дд): &#39;32.13.2024&#39;" in texts
    assert "в справочнике «regions» нет такого кода или названия: &#39;XX99&#39;" in texts
    assert "не местоположение (широта долгота): &#39;41.2 abc&#39;" in texts
    assert "в полигоне нужно не меньше двух точек" in texts
    comments = _comments(client, "ru", code)
    assert len(comments) == 5 and 'не число: "ko\'p"' in comments
    assert "в полигоне нужно не меньше двух точек" in comments
    _no_english(comments)


def test_the_error_table_and_the_marked_workbook_in_uzbek_cyrillic(client, author, operator):
    code = _ready(client, author, operator, "oz")
    html = client.get(f"/oz/console/datasets/{code}/preview", headers=HTML).text
    cells = _messages(html)
    texts = [text for _attrs, text in cells]
    assert len(cells) == 5 and all('lang="en"' not in attrs for attrs, _text in cells)
    _no_english(texts)
    assert "сон эмас: &#34;ko&#39;p&#34;" in texts
    assert "“regions” маълумотномасида бундай код ёки ном йўқ: &#39;XX99&#39;" in texts
    assert "ҳудудга камида иккита нуқта керак" in texts
    comments = _comments(client, "oz", code)
    assert "сана эмас (КК.ОО.ЙЙЙЙ ёки ЙЙЙЙ-ОО-КК): '32.13.2024'" in comments
    _no_english(comments)
    # the English page keeps the English words (ours, the same as the API's)
    html = client.get(f"/en/console/datasets/{code}/preview", headers=HTML).text
    assert "not a number: &#34;ko&#39;p&#34;" in html


def test_a_large_files_job_errors_in_russian(app, client, author, operator):
    from portal.services.publishing import upload_jobs

    code = _ready(client, author, operator, "ru", app=app)
    upload_jobs.run_next(upload_jobs.JobSettings(app.config))
    page = client.get(f"/ru/console/datasets/{code}/preview", headers=HTML, follow_redirects=True)
    cells = _messages(page.text)
    assert len(cells) == 5 and all('lang="en"' not in attrs for attrs, _text in cells)
    _no_english(text for _attrs, text in cells)
    assert "в полигоне нужно не меньше двух точек" in [text for _attrs, text in cells]
    comments = _comments(client, "ru", code)
    assert len(comments) == 5 and "в полигоне нужно не меньше двух точек" in comments


def test_the_api_keeps_its_english_messages(client, author, operator):
    code = _ready(client, author, operator, "ru")
    resp = client.get(f"/api/v1/datasets/{code}/template.xlsx")
    book = load_workbook(io.BytesIO(resp.data))
    book.worksheets[0].append(ROWS[0])
    out = io.BytesIO()
    book.save(out)
    resp = client.post(f"/api/v1/datasets/{code}/uploads",
                       data={"file": (io.BytesIO(out.getvalue()), "filled.xlsx")},
                       headers=author.headers, content_type="multipart/form-data")  # fmt: skip
    assert resp.status_code == 422
    messages = [e["message"] for e in resp.json["errors"]]
    assert 'not a number: "ko\'p"' in messages
    assert "polygon needs at least two points" in messages


def test_each_message_the_core_words_is_known(app):
    from portal.web.cell_messages import words

    said = {
        "not a number: 12 characters (at most 10)": "не число: 12 символов (не больше 10)",
        "point 3: latitude 91.0 is out of range [-90, 90]":
            "точка 3: широта 91.0 вне диапазона [-90, 90]",
        "header does not match the structure: missing columns: 'A; unknown columns: x', 'B'; "
        "unknown columns: 'C'": "заголовок не соответствует структуре: недостающие столбцы: "
        "'A; unknown columns: x', 'B'; неизвестные столбцы: 'C'",
        "rusText: not text: 5": "rusText: не текст: 5",
        "duplicate key 'a': same column as 'b'":
            "повторяющийся ключ «a»: тот же столбец, что и «b»",
        "the cell has 40,000 characters; at most 32,767 are allowed":
            "в ячейке 40,000 символов; допускается не больше 32,767",
        "directory 'nope' is not available": "справочник 'nope' недоступен",
        "a polygon has at most 10,000 points; this one 10,001":
            "в полигоне не больше 10,000 точек; в этом 10,001",
    }  # fmt: skip
    with app.test_request_context("/ru/"):
        from flask import g

        g.lang = "ru"
        for english, russian in said.items():
            assert words(english) == (russian, False), english
        assert words("point x: nope") == ("point x: nope", True)
        assert words("something new: 'v'") == ("something new: 'v'", True)


def test_an_unknown_message_is_kept_in_english_marked(monkeypatch, client, author, operator):
    from portal.core.errors import InvalidData
    from portal.services.publishing import preview

    code = _ready(client, author, operator, "ru")
    error = {"row": 2, "column": "Soni", "value": "v", "message": "a brand new problem: 'v'"}

    def odd(*args, **kwargs):
        raise InvalidData("1 error", [error])

    monkeypatch.setattr(preview, "preview", odd)
    html = client.get(f"/ru/console/datasets/{code}/preview", headers=HTML).text
    assert '<td lang="en">a brand new problem: &#39;v&#39;</td>' in html
    assert "не число" not in html


def test_a_public_page_error_in_russian_shows_no_english(client):
    resp = client.get("/ru/datasets/2-001-99999", headers=HTML)
    assert resp.status_code == 404 and '<html lang="ru"' in resp.text
    assert "Такой страницы или записи нет" in resp.text
    assert 'lang="en"' not in resp.text.split("<main", 1)[-1]
    assert "no dataset" not in resp.text
    resp = client.get("/ru/datasets?nope=1", headers=HTML)
    assert resp.status_code == 400 and "В адресе страницы есть неизвестный" in resp.text
    assert "unknown query parameter" not in resp.text
    resp = client.get("/en/datasets/2-001-99999", headers=HTML)  # English keeps the detail
    assert resp.status_code == 404 and '<p class="secondary" lang="en">' in resp.text
