"""Step 1 and 2: the passport and the structure, with roles and organizations checked."""

import pytest

from tests.helpers import add_field, ml, new_dataset


@pytest.mark.wire
def test_operator_creates_passport_with_next_code(client, operator):
    first = new_dataset(client, operator)
    second = new_dataset(client, operator)
    assert first["status"] == "draft"
    assert first["code"].startswith("2-001-")
    assert int(second["code"].rsplit("-", 1)[1]) == int(first["code"].rsplit("-", 1)[1]) + 1
    assert len(first["id"]) == 24
    # demo dataset 2-001-11072 exists, so serials continue after it
    assert int(first["code"].rsplit("-", 1)[1]) > 11072


def test_create_requires_operator(client, author):
    body = {
        "organization": "2-001",
        "title": ml("A"),
        "sector": "economy",
        "update_frequency": "annual",
    }
    assert client.post("/api/v1/datasets", json=body).status_code == 401
    resp = client.post("/api/v1/datasets", json=body, headers=author.headers)
    assert resp.status_code == 403
    assert "operator" in resp.json["message"]


def test_create_needs_all_four_titles_and_known_values(client, operator):
    body = {
        "organization": "9-999",
        "title": {"uzbText": "A"},
        "sector": "nope",
        "update_frequency": "hourly",
    }
    resp = client.post("/api/v1/datasets", json=body, headers=operator.headers)
    assert resp.status_code == 422
    errors = resp.json["errors"]["json"]
    assert "uzbKrText" in errors["title"] and "update_frequency" in errors
    body.update(title=ml("A"), update_frequency="annual")
    resp = client.post("/api/v1/datasets", json=body, headers=operator.headers)
    assert resp.status_code == 422
    assert set(resp.json["errors"]) == {"organization", "sector"}


@pytest.mark.wire
def test_author_completes_passport_with_normalized_values(client, operator, author):
    ds = new_dataset(client, operator)
    resp = client.patch(
        f"/api/v1/datasets/{ds['id']}",
        json={
            "description": ml("Tavsif", "Тавсиф", "Описание", "Description"),
            "phone": "(71) 203-80-29",
            "email": "Opendata@STAT.uz",
            "kind": "editable",
            "keywords": " maktab, school ,Maktab,, ta'lim ",
            "external_link": "https://stat.uz/ru/",
            "legal_basis": "Decree 123",
        },
        headers=author.headers,
    )
    assert resp.status_code == 200, resp.json
    doc = resp.json
    assert doc["phone"] == "+998712038029"
    assert doc["email"].endswith("@stat.uz")
    assert doc["keywords"] == ["maktab", "school", "ta'lim"]
    assert doc["kind"] == "editable"
    assert doc["description"]["rusText"] == "Описание"


@pytest.mark.parametrize(
    "values, field",
    [
        ({"phone": "12345"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"external_link": "ftp://stat.uz/file"}, "external_link"),
        ({"external_link": "javascript:alert(1)"}, "external_link"),
        ({"keywords": " , ,"}, "keywords"),
        ({"keywords": []}, "keywords"),
        ({"kind": "other"}, "kind"),
    ],
)
def test_invalid_passport_values_name_the_field(client, operator, author, values, field):
    ds = new_dataset(client, operator)
    resp = client.patch(f"/api/v1/datasets/{ds['id']}", json=values, headers=author.headers)
    assert resp.status_code == 422
    errors = resp.json["errors"]
    named = errors.get("json", errors)
    assert field in named, resp.json


def test_other_organization_cannot_touch_dataset(client, operator, other_author):
    ds = new_dataset(client, operator)
    resp = client.patch(
        f"/api/v1/datasets/{ds['id']}", json={"kind": "editable"}, headers=other_author.headers
    )
    assert resp.status_code in (403, 404)
    resp = client.post(
        f"/api/v1/datasets/{ds['code']}/fields",
        json={"type": "string", "caption": ml("Nomi")},
        headers=other_author.headers,
    )
    assert resp.status_code in (403, 404)


def test_author_cannot_change_operator_values(client, operator, author):
    ds = new_dataset(client, operator)
    resp = client.patch(
        f"/api/v1/datasets/{ds['id']}", json={"sector": "finance"}, headers=author.headers
    )
    assert resp.status_code == 403
    assert "sector" in resp.json["message"]


@pytest.mark.wire
def test_field_names_made_from_captions_and_unique(client, operator, author):
    ds = new_dataset(client, operator)
    f1 = add_field(
        client, author, ds["id"], "text", ml("O`lchov birligi", "Ўлчов бирлиги", "Ед.изм", "Unit")
    )
    assert f1["name"] == "Olchovbirligi"
    f2 = add_field(client, author, ds["id"], "string", ml("O'lchov birligi"))
    assert f2["name"] == "Olchovbirligi_2"
    resp = client.post(
        f"/api/v1/datasets/{ds['id']}/fields",
        json={"name": "Olchovbirligi", "type": "number", "caption": ml("X")},
        headers=author.headers,
    )
    assert resp.status_code == 409
    resp = client.post(
        f"/api/v1/datasets/{ds['id']}/fields",
        json={"type": "directory", "caption": ml("Hudud"), "directory": "nope"},
        headers=author.headers,
    )
    assert resp.status_code == 422
    assert "directory" in resp.json["errors"]
    resp = client.post(
        f"/api/v1/datasets/{ds['id']}/fields",
        json={"type": "money", "caption": ml("X")},
        headers=author.headers,
    )
    assert resp.status_code == 422
    assert "type" in resp.json["errors"]["json"]


def test_field_edit_and_delete_before_data(client, operator, author):
    ds = new_dataset(client, operator)
    add_field(client, author, ds["id"], "number", ml("Soni"))
    resp = client.patch(
        f"/api/v1/datasets/{ds['id']}/fields/Soni",
        json={"visible": False, "caption": ml("Soni", "Сони", "Кол-во", "Count")},
        headers=author.headers,
    )
    assert resp.status_code == 200
    assert resp.json["visible"] is False and resp.json["caption"]["engText"] == "Count"
    resp = client.delete(f"/api/v1/datasets/{ds['id']}/fields/Soni", headers=author.headers)
    assert resp.status_code == 204
    resp = client.delete(f"/api/v1/datasets/{ds['id']}/fields/Soni", headers=author.headers)
    assert resp.status_code == 404


def test_methodology_checked_by_content(client, operator, author):
    import io

    ds = new_dataset(client, operator)
    url = f"/api/v1/datasets/{ds['id']}/methodology"
    fake = {"file": (io.BytesIO(b"MZ\x90\x00 not a pdf"), "method.pdf")}
    resp = client.put(url, data=fake, headers=author.headers, content_type="multipart/form-data")
    assert resp.status_code == 400
    assert "pdf" in resp.json["message"]
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    resp = client.put(
        url,
        data={"file": (io.BytesIO(pdf), "m.bin")},
        headers=author.headers,
        content_type="multipart/form-data",
    )
    assert resp.status_code == 200, resp.json
    assert resp.json["content_type"] == "application/pdf"
    got = client.get(url, headers=author.headers)
    assert got.status_code == 200
    assert got.data == pdf
    assert got.headers["X-Content-Type-Options"] == "nosniff"
    assert got.headers["Content-Disposition"].startswith("attachment")
