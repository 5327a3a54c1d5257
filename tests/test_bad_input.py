"""Bad input answers 4xx naming the field and stores nothing (issue 7, items 16 and 17)."""

import json

import pytest

from tests.helpers import add_field, csv_bytes, ml, new_dataset, upload

PUSH = "/apiData/MainData/ExternalApi"


@pytest.fixture
def places(client, operator, author):
    """A dataset of text (one caption in every language), number, location and polygon."""
    ds = new_dataset(client, operator)
    names = {
        "title": add_field(client, author, ds["id"], "text", ml("Nomi"))["name"],
        "count": add_field(client, author, ds["id"], "number", ml("Soni"))["name"],
        "point": add_field(client, author, ds["id"], "location", ml("Joy"))["name"],
        "area": add_field(client, author, ds["id"], "polygon", ml("Hudud"))["name"],
    }
    resp = client.post(f"/api/v1/datasets/{ds['id']}/token", headers=author.headers)
    assert resp.status_code == 201
    return {**ds, "names": names, "token": resp.json["token"], "get_api": resp.json}


def version_of(ds_id):
    from portal.db.models import Dataset

    return Dataset.objects(id=ds_id).first().current_version


def push_raw(client, body, **headers):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post(PUSH, data=data, content_type="application/json", headers=headers)


def assert_refused(resp, *words, status=400):
    assert resp.status_code == status, resp.data[:500]
    body = json.loads(resp.data.decode("utf-8"))  # always valid UTF-8 JSON
    for word in words:
        assert word in body["message"], body
    return body


@pytest.mark.parametrize("token", [{"$ne": None}, 5, ["a"], True])
def test_push_token_that_is_not_a_string(client, places, token):
    body = {"data": [{"Soni": 1}], "id": places["id"], "token": token}
    assert_refused(push_raw(client, body), "'token'")
    assert version_of(places["id"]) == 0


@pytest.mark.parametrize("ds_id", [{"$gt": ""}, 5, [1]])
def test_push_id_that_is_not_a_string(client, places, ds_id):
    body = {"data": [{"Soni": 1}], "id": ds_id, "token": places["token"]}
    assert_refused(push_raw(client, body), "'id'")


def test_push_numbers_beyond_int64(client, places):
    body = {"data": [{"Soni": 12345678901234567890}], "id": places["id"], "token": places["token"]}
    assert_refused(push_raw(client, body), "data[0].Soni", "out of range")
    raw = '{"data": [{"Soni": %s}], "id": "%s", "token": "%s"}'
    digits = "9" * 5000
    assert_refused(push_raw(client, raw % (digits, places["id"], places["token"])), "digits")
    body["data"][0]["Soni"] = "12345678901234567890"
    resp = assert_refused(push_raw(client, body), status=422)
    assert "out of range" in resp["errors"][0]["message"]
    body["data"][0]["Soni"] = "9" * 5000
    assert_refused(push_raw(client, body), status=422)
    assert version_of(places["id"]) == 0


def test_push_coordinate_beyond_float(client, places):
    raw = '{"data": [{"Joy": [1%s, 2]}], "id": "%s", "token": "%s"}'
    resp = push_raw(client, raw % ("0" * 400, places["id"], places["token"]))
    assert_refused(resp, "out of range")
    body = {"data": [{"Joy": "1" + "0" * 400 + " 2"}], "id": places["id"]}
    body["token"] = places["token"]
    assert_refused(push_raw(client, body), status=422)
    assert version_of(places["id"]) == 0


def test_push_nested_990_levels(client, places):
    deep = "[" * 990 + "]" * 990
    raw = '{"data": [{"Hudud": %s}], "id": "%s", "token": "%s"}'
    assert_refused(push_raw(client, raw % (deep, places["id"], places["token"])), "nested")
    assert_refused(push_raw(client, "[" * 990 + "]" * 990), "nested")


def test_api_body_nested_990_levels_and_huge_integers(client, operator):
    deep = '{"organization": ' + "[" * 990 + "]" * 990 + "}"
    resp = client.post(
        "/api/v1/datasets", data=deep, content_type="application/json", headers=operator.headers
    )
    assert_refused(resp, "nested")
    huge = '{"organization": "2-001", "is_priority": %s}' % ("1" * 5000)
    resp = client.post(
        "/api/v1/datasets", data=huge, content_type="application/json", headers=operator.headers
    )
    assert_refused(resp, "digits")


@pytest.mark.parametrize("where", ["token", "id", "key", "cell"])
def test_lone_surrogate_anywhere_in_a_push(client, places, where):
    body = {"data": [{"Nomi (uz)": "x"}], "id": places["id"], "token": places["token"]}
    if where == "key":
        body["data"] = [{"Nomi (uz)\ud800": "x"}]
    elif where == "cell":
        body["data"] = [{"Nomi (uz)": "x\ud800"}]
    else:
        body[where] = "\ud800"
    raw = json.dumps(body)  # ensure_ascii: the surrogate travels as the escape \ud800
    assert_refused(push_raw(client, raw), "lone surrogate")
    assert version_of(places["id"]) == 0


def test_lone_surrogate_in_an_api_body(client, operator):
    body = json.dumps({"organization": "2-001\udfff", "title": ml("x")})
    resp = client.post(
        "/api/v1/datasets", data=body, content_type="application/json", headers=operator.headers
    )
    assert_refused(resp, "organization", "lone surrogate")


def test_a_17_mb_cell(client, places):
    cell = {"Nomi (uz)": "x" * 17_000_000}
    body = {"data": [cell], "id": places["id"], "token": places["token"]}
    resp = assert_refused(push_raw(client, body), status=422)
    assert "characters" in resp["errors"][0]["message"]
    assert len(resp["errors"][0]["value"]) < 300
    assert version_of(places["id"]) == 0


def test_object_of_other_keys_as_a_cell(client, places):
    cell = {places["names"]["title"]: {"foo": ""}}
    body = {"data": [cell], "id": places["id"], "token": places["token"]}
    resp = assert_refused(push_raw(client, body), status=422)
    assert "unknown language 'foo'" in resp["errors"][0]["message"]
    assert version_of(places["id"]) == 0


def test_row_filter_numbers_beyond_int64(client, author, places):
    url = f"/api/v1/datasets/{places['id']}/rows"
    name = places["names"]["count"]
    get = lambda query: client.get(f"{url}?{query}", headers=author.headers)  # noqa: E731
    assert_refused(get(f"{name}=12345678901234567890"), name, "out of range")
    assert_refused(get(f"{name}__gte={'9' * 5000}"), name)
    assert get(f"{name}=12").status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/datasets",
        "/api/v1/organizations",
        "/api/v1/directories",
        "/api/v1/me/datasets",
        "/api/v1/me/notifications",
        "/api/v1/users",
        "/api/v1/ratings/top",
        "/api/v1/datasets/2-001-11072/comments",
        "/api/v1/datasets/2-001-11072/versions",
    ],
)
def test_paging_out_of_bounds_on_every_list(client, admin, path):
    for query in ("page_size=-1", "page_size=1000", "page=0", "page=1e31", "page=" + "9" * 40):
        resp = client.get(f"{path}?{query}", headers=admin.headers)
        assert resp.status_code in (400, 422), (query, resp.json)
        assert set(resp.json["errors"]["query"]) <= {"page", "page_size"}
    assert client.get(f"{path}?page=2&page_size=5", headers=admin.headers).status_code == 200


def test_unknown_query_parameters_are_refused(client, author, places):
    data = csv_bytes(["Nomi (uz)", "Soni"], [["a", "1"]])
    resp = upload(client, author, places["id"], data, "x.csv", query="?dryrun=1")
    body = assert_refused(resp, "'dryrun'", "dry_run")
    assert body["errors"] == {"query": {"dryrun": ["Unknown field."]}}
    assert version_of(places["id"]) == 0
    for path in (
        f"/api/v1/datasets/{places['id']}/structure?x=1",
        f"/api/v1/datasets/{places['id']}/versions?x=1",
        "/api/v1/sectors?x=1",
        "/healthz?x=1",
    ):
        assert_refused(client.get(path, headers=author.headers), "'x'")
    for path in ("/apiClient/main/gettable?limit=1&x=1", "/apiClient/Ref/OrgList?x=1"):
        resp = client.get(path)  # the compat envelope: {"code": 400, "error": ...}
        assert resp.status_code == 400 and "x" in resp.json["error"], resp.json
    # declared parameters still work, and row filters are field names
    assert client.get("/apiClient/main/gettable?limit=1").status_code == 200
    name = places["names"]["count"]
    assert client.get(f"/api/v1/datasets/{places['id']}/rows?{name}=1").status_code != 400


def test_push_with_body_token_and_another_authorization_header(client, places):
    body = {"data": [{"Soni": 1}], "id": places["id"], "token": places["token"]}
    for header in ("Basic dXNlcjpwYXNz", places["token"], "Token abc"):
        resp = push_raw(client, body, Authorization=header)
        assert resp.status_code == 200, resp.json
    assert version_of(places["id"]) == 3


def test_get_api_template_filled_and_pushed_back(client, places):
    """The text field has the caption 'Nomi' in all four languages."""
    template = places["get_api"]["data"]
    row = template["data"][0]
    assert len(row) == 4 + 3
    for key in row:
        row[key] = "41.3 69.2" if key == "Joy" else "1"
    row["Hudud"] = "[41.3, 69.2], [41.4, 69.3]"
    resp = push_raw(client, template)
    assert resp.status_code == 200, resp.json
    assert resp.json["rows"] == 1
