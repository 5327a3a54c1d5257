"""The table reads of data.egov.uz: GetMainData (its table view) and the Partner web service
(a person's personal token), paged the way their clients page."""

import json

import pytest

from tests.test_compat import ENVELOPE, LANG_KEYS, _failure
from tests.test_public_api import LIB, STAT, hide

LIB_FIELDS = ["Nomi", "Hudud", "Manzil", "Ochilgansana", "Kitoblarsoni", "Joylashuv"]


def _struct_id(client, code):
    found = client.get(f"/apiClient/main/gettable?text={code}").get_json()
    return found["result"]["data"][0]["structId"]


def _ok(resp):
    assert resp.status_code == 200, resp.data[:300]
    body = json.loads(resp.data)
    assert {k: body[k] for k in ENVELOPE} == ENVELOPE
    return body["result"]


def main_data_pages(client, guid, limit):
    """What the portal's table view does: POST pages, offset += len(data) until offset >= count."""
    offset, pages, rows = 0, 0, []
    while True:
        body = {"guidId": guid, "fields": {}, "limit": limit, "offset": offset}
        result = _ok(client.post(f"/apiClient/Main/GetMainData?GuidId={guid}", json=body))
        rows += result["data"]
        offset += len(result["data"])
        pages += 1
        if offset >= result["count"] or not result["data"]:
            return result, rows, pages


@pytest.mark.wire
def test_get_main_data_paged_to_the_end(client):
    guid = _struct_id(client, STAT)
    last, rows, pages = main_data_pages(client, guid, limit=4)
    assert last["count"] == 15 and len(rows) == 15 and pages == 4
    assert len({r["id"] for r in rows}) == 15
    assert [f["name"] for f in last["tableFields"]][:3] == ["Hudud", "Olchovbirligi", "2010Y"]
    assert set(last["tableFields"][0]["text"]) == LANG_KEYS
    record = rows[0]
    assert list(record) == ["id", "dateTime", "userId", "tableStructId", "tableColumn"]
    assert record["tableStructId"] == guid and isinstance(record["userId"], int)
    assert record["dateTime"].endswith("Z")
    region = record["tableColumn"]["Hudud"]
    assert region["text"]["uzbText"] == "O'zbekiston Respublikasi"
    assert region["default"] == "O'zbekiston Respublikasi"
    number = record["tableColumn"]["2010Y"]
    assert number["text"] is None and number["number"] == 7561.2 and number["default"] == 7561.2
    assert list(record["tableColumn"]) == [f["name"] for f in last["tableFields"]]


@pytest.mark.wire
def test_get_main_data_cells_by_type(client):
    guid = _struct_id(client, LIB)
    result, rows, _ = main_data_pages(client, guid, limit=200)
    assert len(rows) == 3 and [f["name"] for f in result["tableFields"]] == LIB_FIELDS
    cells = rows[0]["tableColumn"]
    assert cells["Ochilgansana"]["data"] == "2001-03-12" == cells["Ochilgansana"]["default"]
    assert cells["Kitoblarsoni"]["default"] == 15230
    assert cells["Joylashuv"]["default"] == "41.31108 69.27974"
    assert cells["Hudud"]["default"] == "1726" and cells["Hudud"]["text"] is None
    assert "Xizmathududi" not in cells  # hidden
    one = _ok(
        client.post(
            f"/apiClient/Main/GetMainData?GuidId={guid}",
            json={"guidId": guid, "fields": {"Kitoblarsoni": 15230}, "limit": 10, "offset": 0},
        )
    )
    assert one["count"] == 1


def test_get_main_data_bad_input(client):
    guid = _struct_id(client, LIB)
    url = f"/apiClient/Main/GetMainData?GuidId={guid}"
    for body in (
        {"guidId": guid, "fields": {}, "limit": -1, "offset": 0},
        {"guidId": guid, "fields": {}, "limit": 10, "offset": -3},
        {"guidId": guid, "fields": {}, "limit": 10**7, "offset": 0},
        {"guidId": guid, "fields": {"$where": "1"}, "limit": 10, "offset": 0},
        {"guidId": guid, "fields": {"Nomi": {"$ne": 1}}, "limit": 10, "offset": 0},
        {"guidId": guid, "fields": [], "limit": 10, "offset": 0},
        {"guidId": guid, "colour": "red"},
    ):
        _failure(client.post(url, json=body), 400)
    _failure(client.post("/apiClient/Main/GetMainData", json={"fields": {}}), 400)
    _failure(client.post("/apiClient/Main/GetMainData?GuidId=nope", json={}), 404)
    hide(LIB, active=False)
    _failure(client.post(url, json={"guidId": guid}), 404)


@pytest.mark.wire
def test_partner_web_service_with_a_personal_token(client, other_author):
    token = other_author.token
    params = {"token": token, "name": LIB, "offset": 0, "limit": 2, "lang": "ru"}
    result = _ok(client.get("/apiPartner/Partner/WebService", query_string=params))
    assert result["count"] == 3 and len(result["data"]) == 2
    row = result["data"][0]
    assert list(row) == LIB_FIELDS
    assert row["Nomi"] == "Детская библиотека № 1" and row["Kitoblarsoni"] == 15230
    params["offset"] = 2
    rest = _ok(client.get("/apiPartner/Partner/WebService", query_string=params))
    assert len(rest["data"]) == 1
    params.update(lang="uz", offset=0, limit=10)
    uz = _ok(client.get("/apiPartner/Partner/WebService", query_string=params))
    assert uz["data"][0]["Nomi"] == "1-son bolalar kutubxonasi"


@pytest.mark.wire
def test_partner_get_token_as_parameter_or_bare_header(client, author):
    guid = _struct_id(client, STAT)
    query = {"GuidId": guid, "offset": 0, "limit": 5}
    by_param = _ok(
        client.get("/apiPartner/Partner/Get", query_string={**query, "token": author.token})
    )
    bare = _ok(
        client.get(
            "/apiPartner/Partner/Get", query_string=query, headers={"Authorization": author.token}
        )
    )
    bearer = _ok(client.get("/apiPartner/Partner/Get", query_string=query, headers=author.headers))
    assert by_param == bare == bearer
    assert by_param["count"] == 15 and len(by_param["data"]) == 5
    assert set(by_param["data"][0]) == {"id", "dateTime", "userId", "tableStructId", "tableColumn"}
    lower = _ok(
        client.get(
            "/apipartner/partner/get",
            query_string={"guidId": guid, "limit": 5, "offset": 10, "token": author.token},
        )
    )
    assert len(lower["data"]) == 5


def test_partner_refuses_missing_and_wrong_tokens(client, author):
    from portal.db.models import User
    from portal.services.identity import tokens

    guid = _struct_id(client, STAT)
    base = "/apiPartner/Partner/Get"
    _failure(client.get(base, query_string={"GuidId": guid}), 401)
    _failure(client.get(base, query_string={"GuidId": guid, "token": "6456300b8e739cc5"}), 401)
    wrong = author.token[:-4] + "AAAA"
    _failure(client.get(base, query_string={"GuidId": guid, "token": wrong}), 401)
    _failure(client.get(base, query_string={"GuidId": guid}, headers={"Authorization": wrong}), 401)
    user = User.objects(id=author.user.id).first()
    ds_id = client.get(f"/api/v1/datasets/{STAT}").json["id"]
    _, integration = tokens.issue(user, scope="dataset", dataset=ds_id)
    _failure(client.get(base, query_string={"GuidId": guid, "token": integration}), 401)
    web = "/apiPartner/Partner/WebService"
    _failure(client.get(web, query_string={"name": STAT}), 401)
    ok = {"name": STAT, "token": author.token}
    for bad in ({"limit": -1}, {"offset": -1}, {"limit": 10**6}, {"lang": "xx"}, {"x": 1}):
        _failure(client.get(web, query_string={**ok, **bad}), 400)
    _failure(client.get(web, query_string={**ok, "name": "9-999-0001"}), 404)


def test_a_signed_in_person_gets_a_personal_token_for_the_partner_service(client):
    from portal.db.models import User

    citizen = User(email="citizen@example.uz", name="citizen", roles=[]).save()
    assert client.get("/auth/dev-login?email=citizen@example.uz&next=/").status_code == 302
    me = client.get("/api/v1/me").json
    resp = client.post(
        f"/api/v1/users/{citizen.id}/tokens",
        json={"name": "partner"},
        headers={"X-CSRF-Token": me["csrf_token"]},
    )
    assert resp.status_code == 201, resp.json
    query = {"token": resp.json["token"], "name": LIB}
    result = _ok(client.get("/apiPartner/Partner/WebService", query_string=query))
    assert result["count"] == 3


def test_a_large_limit_answers_what_there_is(client):
    guid = _struct_id(client, LIB)
    result = _ok(
        client.post(
            f"/apiClient/Main/GetMainData?GuidId={guid}",
            json={"guidId": guid, "fields": {}, "limit": 10000, "offset": 2},
        )
    )
    assert result["count"] == 3 and len(result["data"]) == 1
