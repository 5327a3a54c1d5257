"""Step 1: the passport (the operator's part read-only, the author's part as a form)."""

import io

from tests.web.console.authoring import HTML, assert_error_summary, draft, sign_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _form(csrf, **changes):
    form = {
        "csrf_token": csrf,
        "desc_uzbText": "Maktablar soni",
        "desc_uzbKrText": "Мактаблар сони",
        "desc_rusText": "Число школ",
        "desc_engText": "Number of schools",
        "phone": "+998 71 203-80-29",
        "email": "opendata@stat.uz",
        "kind": "editable",
        "legal_basis": "PQ-4699, 2020",
        "keywords": "maktab, ta'lim",
        "external_link": "https://stat.uz/uz/",
    }
    form.update(changes)
    return form


def _post(client, code, form):
    return client.post(
        f"/en/console/datasets/{code}/", data=form, content_type="multipart/form-data"
    )


def test_passport_shows_the_operators_part_read_only(client, author, operator):
    code = draft(client, operator)
    sign_in(client, "author@stat.uz")
    html = client.get(f"/en/console/datasets/{code}/", headers=HTML).text
    assert f"<dd>{code}</dd>" in html and '<dd lang="ru">Школы</dd>' in html
    assert 'aria-current="step"' in html and "Step 1: Filling in the dataset passport" in html
    assert 'name="title' not in html and 'name="sector"' not in html  # not editable here
    for name in ("desc_engText", "phone", "email", "kind", "legal_basis", "keywords",
                 "external_link", "methodology"):  # fmt: skip
        assert f'name="{name}"' in html, name
    assert 'enctype="multipart/form-data"' in html and 'name="csrf_token"' in html


def test_save_stores_the_passport_and_the_methodology_and_moves_to_step_2(client, author, operator):
    code = draft(client, operator)
    csrf = sign_in(client, "author@stat.uz")
    form = _form(csrf, methodology=(io.BytesIO(PDF), "method.pdf"))
    resp = _post(client, code, form)
    assert resp.status_code == 303
    assert resp.headers["Location"] == f"/en/console/datasets/{code}/structure"
    stored = client.get(f"/api/v1/datasets/{code}", headers=author.headers).json
    assert stored["email"] == "opendata@stat.uz" and stored["kind"] == "editable"
    assert stored["keywords"] == ["maktab", "ta'lim"]
    assert stored["description"]["rusText"] == "Число школ"
    assert stored["methodology"]["content_type"] == "application/pdf"
    html = client.get(f"/en/console/datasets/{code}/structure", headers=HTML).text
    assert f"The passport of {code} is saved." in html
    html = client.get(f"/en/console/datasets/{code}/", headers=HTML).text
    assert 'value="opendata@stat.uz"' in html and f"{code}-methodology.pdf" in html


def test_missing_required_values_show_the_summary_and_keep_the_typed_ones(client, author, operator):
    code = draft(client, operator)
    csrf = sign_in(client, "author@stat.uz")
    resp = _post(client, code, _form(csrf, phone="", keywords=" ", legal_basis="Qonun 123"))
    assert_error_summary(resp, "phone", "keywords")
    assert 'value="opendata@stat.uz"' in resp.text and "Qonun 123</textarea>" in resp.text
    assert 'aria-invalid="true"' in resp.text
    assert client.get(f"/api/v1/datasets/{code}", headers=author.headers).json["email"] is None


def test_a_bad_email_is_named(client, author, operator):
    code = draft(client, operator)
    csrf = sign_in(client, "author@stat.uz")
    resp = _post(client, code, _form(csrf, email="not-an-address"))
    assert_error_summary(resp, "email")
    assert 'value="not-an-address"' in resp.text


def test_a_methodology_of_another_kind_is_refused_with_its_message(client, author, operator):
    code = draft(client, operator)
    csrf = sign_in(client, "author@stat.uz")
    form = _form(csrf, methodology=(io.BytesIO(b"MZ\x90\x00 not a document"), "virus.pdf"))
    resp = _post(client, code, form)
    assert_error_summary(resp, "methodology")
    assert "pdf, doc, docx, odt or xlsx" in resp.text


def test_passport_needs_the_csrf_token(client, author, operator):
    code = draft(client, operator)
    sign_in(client, "author@stat.uz")
    form = _form("")
    form.pop("csrf_token")
    assert _post(client, code, form).status_code == 403
    assert client.get(f"/api/v1/datasets/{code}", headers=author.headers).json["phone"] is None


def test_passport_of_another_organization_is_refused(client, author, operator):
    other = draft(client, operator, org="4-019")
    csrf = sign_in(client, "author@stat.uz")
    assert client.get(f"/en/console/datasets/{other}/", headers=HTML).status_code in (403, 404)
    assert _post(client, other, _form(csrf)).status_code in (403, 404)


def test_passport_sends_an_anonymous_person_to_sign_in(client, operator):
    code = draft(client, operator)
    resp = client.get(f"/en/console/datasets/{code}/", headers=HTML)
    assert resp.status_code == 303
    assert resp.headers["Location"] == f"/auth/login?next=/en/console/datasets/{code}/"


def test_passport_refuses_a_person_without_a_role(client, operator):
    from tests.conftest import make_caller

    code = draft(client, operator)
    make_caller("citizen@mail.uz", [])
    sign_in(client, "citizen@mail.uz")
    resp = client.get(f"/en/console/datasets/{code}/", headers=HTML)
    assert resp.status_code == 403 and "You may not open this page" in resp.text


def test_passport_page_in_russian(client, author, operator):
    code = draft(client, operator)
    sign_in(client, "author@stat.uz", lang="ru")
    html = client.get(f"/ru/console/datasets/{code}/", headers=HTML).text
    assert "Заполнение паспорта набора" in html and '<html lang="ru"' in html
