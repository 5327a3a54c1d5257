"""Step 2: the structure (add a field of each type, edit, reorder, hide, remove)."""

import re

from tests.helpers import ml
from tests.web.console.authoring import HTML, assert_error_summary, draft, sign_in


def _field(csrf, type_, caption, **extra):
    names = ml(caption)
    return {
        "csrf_token": csrf,
        "type": type_,
        **{f"cap_{k}": v for k, v in names.items()},
        "visible": "1",
        **extra,
    }


def _add(client, code, form):
    return client.post(f"/en/console/datasets/{code}/structure", data=form)


def _fields(client, author, code):
    return client.get(f"/api/v1/datasets/{code}", headers=author.headers).json["fields"]


def test_structure_page_has_the_table_and_a_hint_for_each_type(client, author, operator):
    code = draft(client, operator)
    sign_in(client, "author@stat.uz")
    html = client.get(f"/en/console/datasets/{code}/structure", headers=HTML).text
    assert "A date, for example 12.03.2021." in html
    assert "LATITUDE LONGITUDE" in html and "[lat, lon], [lat, lon], ..." in html
    assert 'name="directory"' in html and "Step 2: Creating a dataset structure" in html


def test_one_field_of_each_type_is_added(client, author, operator):
    directory = client.get("/api/v1/directories", headers=operator.headers).json["items"]
    code = draft(client, operator)
    csrf = sign_in(client, "author@stat.uz")
    kinds = ["date", "text", "string", "number", "location", "polygon"]
    for kind in kinds:
        resp = _add(client, code, _field(csrf, kind, f"Maydon {kind}"))
        assert resp.status_code == 303, (kind, resp.status_code)
    if directory:
        form = _field(csrf, "directory", "Hudud", directory=directory[0]["code"])
        assert _add(client, code, form).status_code == 303
        kinds.append("directory")
    assert [f["type"] for f in _fields(client, author, code)] == kinds
    html = client.get(f"/en/console/datasets/{code}/structure", headers=HTML).text
    for column in ("Name", "Is Visible", "Uzb Text", "Rus Text", "Eng Text", "UzbCry Text", "Edit"):
        assert f'<th scope="col">{column}</th>' in html
    assert "The field is added." in html


def test_add_field_errors_keep_what_was_typed(client, author, operator):
    code = draft(client, operator)
    csrf = sign_in(client, "author@stat.uz")
    form = _field(csrf, "", "Soni", cap_rusText="")
    resp = _add(client, code, form)
    assert_error_summary(resp, "type", "cap_rusText")
    assert 'value="Soni"' in resp.text
    resp = _add(client, code, _field(csrf, "directory", "Hudud"))
    assert_error_summary(resp, "directory")
    resp = _add(client, code, _field(csrf, "directory", "Hudud", directory="no-such"))
    assert_error_summary(resp, "directory")
    assert _fields(client, author, code) == []


def test_edit_reorder_hide_and_remove_a_field(client, author, operator):
    code = draft(client, operator)
    csrf = sign_in(client, "author@stat.uz")
    _add(client, code, _field(csrf, "string", "Hudud"))
    _add(client, code, _field(csrf, "number", "Soni"))
    first, second = [f["name"] for f in _fields(client, author, code)]
    base = f"/en/console/datasets/{code}/fields"
    form = _field(csrf, "", "Viloyat")
    form.pop("type")
    form.pop("visible")
    assert client.post(f"{base}/{first}", data=form).status_code == 303
    html = client.get(f"/en/console/datasets/{code}/structure", headers=HTML).text
    row = html.split(f'<tr id="f-{first}">', 1)[1].split("</tr>", 1)[0]
    assert '<td lang="en">Viloyat</td>' in row and "<span>No</span>" in row  # hidden now
    assert [f["name"] for f in _fields(client, author, code)] == [second]  # public: shown ones
    resp = client.post(f"{base}/{second}/move", data={"csrf_token": csrf, "way": "up"})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"#f-{second}")
    client.post(f"{base}/{first}/visible", data={"csrf_token": csrf, "visible": "1"})
    assert [f["name"] for f in _fields(client, author, code)] == [second, first]
    assert client.post(f"{base}/{first}/delete", data={"csrf_token": csrf}).status_code == 303
    assert [f["name"] for f in _fields(client, author, code)] == [second]


def test_edit_field_errors_keep_what_was_typed(client, author, operator):
    code = draft(client, operator)
    csrf = sign_in(client, "author@stat.uz")
    _add(client, code, _field(csrf, "string", "Hudud"))
    name = _fields(client, author, code)[0]["name"]
    form = _field(csrf, "", "Yangi", cap_engText="")
    form.pop("type")
    resp = client.post(f"/en/console/datasets/{code}/fields/{name}", data=form)
    assert_error_summary(resp, "cap_engText")
    assert 'value="Yangi"' in resp.text


def test_structure_writes_need_csrf_and_the_organization(client, author, operator):
    code = draft(client, operator)
    other = draft(client, operator, org="4-019")
    csrf = sign_in(client, "author@stat.uz")
    form = _field(csrf, "string", "Hudud")
    form.pop("csrf_token")
    assert _add(client, code, form).status_code == 403
    assert _add(client, other, _field(csrf, "string", "Hudud")).status_code in (403, 404)
    assert client.get(f"/en/console/datasets/{other}/structure", headers=HTML).status_code in (
        403,
        404,
    )
    move = {"csrf_token": csrf, "way": "sideways"}
    resp = client.post(f"/en/console/datasets/{code}/fields/x/move", data=move)
    assert resp.status_code == 400


def test_structure_sends_an_anonymous_person_to_sign_in(client, operator):
    code = draft(client, operator)
    resp = client.get(f"/en/console/datasets/{code}/structure", headers=HTML)
    assert resp.status_code == 303 and "/auth/login?next=" in resp.headers["Location"]
    assert re.search(r"next=/en/console/datasets/[^/]+/structure$", resp.headers["Location"])
