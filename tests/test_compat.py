"""The data.egov.uz read endpoints, used the way its existing clients use them."""

import csv
import io
import json
import re

import openpyxl
import pytest
from lxml import etree
from rdflib import Graph

from tests.compat_catalog import insert_catalog
from tests.test_public_api import LIB, STAT, hide

LANG_KEYS = {"uzbText", "uzbKrText", "rusText", "engText"}
ENVELOPE = {"status": 0, "code": 0, "error": None, "errors": None}
ITEM_KEYS = [
    "structId", "dataName", "orgName", "sphereName", "name", "fullCount", "userOrgId",
    "sphereId", "lateDay", "isAi", "isGraph", "isAral", "hasAi", "geoType", "rating",
    "updateDate", "lastUpdate", "createDate",
]  # fmt: skip
# the real portal's 19 spheres: guid, English, Uzbek Latin, Russian
SPHERES = [
    ("6076e30d7b6428eee08802aa", "Territory", "Hudud", "Территория"),
    ("607fe93e7b6428eee08802b0", "Economy", "Iqtisodiyot", "Экономика"),
    ("607fea677b6428eee08802b1", "Healthcare", "Sog'liqni saqlash", "Здоровье"),
    ("607fea9a7b6428eee08802b2", "Education", "Ta'lim", "Образование"),
    ("607fed667b6428eee08802b3", "Culture", "Madaniyat", "Культура"),
    ("607fedbd7b6428eee08802b4", "Business", "Biznes", "Бизнес"),
    ("607feecc7b6428eee08802b5", "Real estate", "Ko'chmas mulk", "Недвижимость"),
    ("607feffa7b6428eee08802b7", "SDG", "BRM", "ЦУР"),
    ("607ff03a7b6428eee08802b8", "Tourism and sport", "Turizm va sport", "Туризм и спорт"),
    ("607ff0997b6428eee08802b9", "Insurance", "Sug'urta", "Страхование"),
    ("607ff1137b6428eee08802ba", "Transportation", "Transport", "Транспорт"),
    ("607ff2e57b6428eee08802bb", "Ecology", "Ekologiya", "Экология"),
    ("607ff3197b6428eee08802bc", "Population", "Bandlik va ijtimoiy himoya",
     "Занятость и социальная защита"),
    ("607ff3627b6428eee08802bd", "Finance", "Moliya", "Финансы"),
    ("607ff39e7b6428eee08802be", "Trade", "Savdo", "Торговля"),
    ("607ff3e67b6428eee08802bf", "Offense", "Huquqbuzarlik", "Правонарушение"),
    ("607ff4227b6428eee08802c0", "Agriculture", "Qishloq xo'jaligi", "Сельское хозяйство"),
    ("607ff4557b6428eee08802c1", "ICT", "AKT", "ИКТ"),
    ("607ff4ba7b6428eee08802c2", "Justice and judge", "Adliya va sud", "Юстиция и суд"),
]  # fmt: skip
CULTURE, ECONOMY = SPHERES[4][0], SPHERES[1][0]
JS_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


class EgovClient:
    """A client as existing integrations write one: plain GETs, these parameters, these keys."""

    def __init__(self, http):
        self.http = http

    def _json(self, path, **params):
        resp = self.http.get(path, query_string=params)
        assert resp.status_code == 200, resp.data[:300]
        body = json.loads(resp.data)
        assert {k: body[k] for k in ENVELOPE} == ENVELOPE
        return body

    def table(self, limit=10, offset=0, text="", org_id="", sphere_id="", sort_type=""):
        body = self._json(
            "/apiClient/main/gettable",
            limit=limit,
            offset=offset,
            text=text,
            orgId=org_id,
            sphereId=sphere_id,
            sortType=sort_type,
        )
        return body["result"]["count"], body["result"]["data"]

    def passport(self, struct_id):
        return self._json("/apiClient/Main/GetById", id=struct_id)["result"]

    def file(self, struct_id, file_type, lang=1):
        return self.http.get(
            "/apiData/MainData/GetByFile",
            query_string={"id": struct_id, "fileType": file_type, "tableType": 1, "lang": lang},
        )

    def organizations(self):
        return self._json("/apiClient/Ref/OrgList")["result"]

    def spheres(self):
        return self._json("/apiClient/Main/GetSphereList")["result"]


@pytest.fixture
def egov(client):
    return EgovClient(client)


def _failure(resp, status):
    assert resp.status_code == status, resp.data[:300]
    body = resp.get_json()
    assert body["result"] is None and body["status"] == 1 and body["code"] == status
    assert body["error"]
    return body


@pytest.mark.wire
def test_gettable_items_carry_every_field_in_order(egov):
    count, data = egov.table()
    assert count == 2 and len(data) == 2
    item = next(d for d in data if d["name"] == LIB)
    assert list(item) == ITEM_KEYS
    assert len(item["structId"]) == 24
    for key in ("dataName", "orgName", "sphereName"):
        assert set(item[key]) == LANG_KEYS
    assert item["dataName"]["rusText"] == "Детские библиотеки"
    assert item["orgName"]["uzbText"] == "Sog'liqni saqlash vazirligi"
    assert item["sphereName"] == {
        "uzbText": "Madaniyat", "uzbKrText": "Маданият", "rusText": "Культура",
        "engText": "Culture",
    }  # fmt: skip
    assert item["fullCount"] == 3 and item["sphereId"] == CULTURE
    orgs = {o["code"]: o["id"] for o in egov.organizations()}
    assert item["userOrgId"] == orgs["4-019"] and isinstance(item["userOrgId"], int)
    assert item["geoType"] == ["location"]  # the polygon field is hidden
    assert (item["lateDay"], item["isAi"], item["hasAi"]) == (0, False, False)
    assert (item["isGraph"], item["isAral"], item["rating"]) == (False, False, 0)
    assert JS_TIME.match(item["updateDate"]) and JS_TIME.match(item["createDate"])
    assert re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$", item["lastUpdate"])
    stat = next(d for d in data if d["name"] == STAT)
    assert stat["geoType"] == [] and stat["fullCount"] == 15 and stat["sphereId"] == ECONOMY
    count, data = egov.table(text="кутубхона")
    assert count == 1 and data[0]["name"] == LIB


def test_gettable_rating_is_the_average(egov):
    from portal.db.models import Dataset

    Dataset.objects(code=LIB).update_one(set__rating_sum=9, set__rating_count=2)
    item = egov.table(text=LIB)[1][0]
    assert item["rating"] == 4.5


@pytest.mark.wire
def test_gettable_filters_paging_and_sorting(egov, client):
    orgs = {o["code"]: o for o in egov.organizations()}
    assert egov.table(org_id="2-001")[1][0]["name"] == STAT
    assert egov.table(org_id=orgs["4-019"]["id"])[1][0]["name"] == LIB
    assert egov.table(org_id=orgs["4-019"]["guidId"])[1][0]["name"] == LIB
    assert egov.table(sphere_id="culture")[1][0]["name"] == LIB
    assert egov.table(sphere_id=ECONOMY)[1][0]["name"] == STAT
    assert egov.table(org_id=987654) == (0, [])
    count, page = egov.table(limit=1, offset=1)
    assert count == 2 and len(page) == 1
    client.get(f"/api/v1/datasets/{STAT}/data.csv")
    assert egov.table(sort_type=2)[1][0]["name"] == STAT


@pytest.mark.wire
def test_the_19_sphere_ids(egov, client):
    spheres = egov.spheres()
    assert [s["guidId"] for s in spheres] == [guid for guid, *_ in SPHERES]
    for sphere, (_guid, en, uz, ru) in zip(spheres, SPHERES, strict=True):
        assert list(sphere) == ["guidId", "title", "image", "structCount", "structDownloadCount"]
        assert (sphere["title"]["engText"], sphere["title"]["uzbText"]) == (en, uz)
        assert sphere["title"]["rusText"] == ru and sphere["title"]["uzbKrText"]
    assert next(s for s in spheres if s["guidId"] == CULTURE)["structCount"] == 1
    codes = [s["code"] for s in client.get("/api/v1/sectors").json["items"]]
    by_guid = {s["guid"]: s["code"] for s in client.get("/api/v1/sectors").json["items"]}
    insert_catalog(2 * len(codes), sectors=sorted(codes))
    for guid, *_ in SPHERES:
        count, data = egov.table(sphere_id=guid, limit=100)
        expected = 2 + {"culture": 1, "economy": 1}.get(by_guid[guid], 0)
        assert count == expected and {d["sphereId"] for d in data} == {guid}
    spheres = {s["guidId"]: s for s in egov.spheres()}
    assert spheres[ECONOMY]["structCount"] == 3
    assert spheres[ECONOMY]["structDownloadCount"] > 0  # the inserted ones were downloaded


def test_uzbek_cyrillic_sphere_names(egov):
    names = {s["guidId"]: s["title"]["uzbKrText"] for s in egov.spheres()}
    assert names[SPHERES[0][0]] == "Ҳудуд"
    assert names[SPHERES[2][0]] == "Соғлиқни сақлаш"
    assert names[SPHERES[6][0]] == "Кўчмас мулк"
    assert names[SPHERES[12][0]] == "Бандлик ва ижтимоий ҳимоя"
    assert names[SPHERES[15][0]] == "Ҳуқуқбузарлик"
    assert names[SPHERES[16][0]] == "Қишлоқ хўжалиги"


@pytest.mark.wire
def test_sector_guid_accepted_by_the_api(client, operator):
    from tests.helpers import new_dataset

    ds = new_dataset(client, operator, sector=SPHERES[0][0])
    assert ds["sector"] == "territory"
    resp = client.patch(
        f"/api/v1/datasets/{ds['id']}", json={"sector": ECONOMY}, headers=operator.headers
    )
    assert resp.status_code == 200 and resp.json["sector"] == "economy"
    found = client.get(f"/api/v1/datasets?sector={CULTURE}").json
    assert [d["code"] for d in found["items"]] == [LIB]


def test_gettable_rejects_bad_input(client):
    cases = {
        "limit=many": "limit",
        "limit=-1": "limit",
        "limit=10001": "limit",
        "offset=-5": "offset",
        "offset=99999999999999999999999": "offset",
        "sortType=x": "sortType",
        "orgId=%24where": "orgId",
        "colour=red": "colour",
    }
    for query, name in cases.items():
        body = _failure(client.get(f"/apiClient/main/gettable?{query}"), 400)
        assert name in body["error"], (query, body)


@pytest.mark.wire
def test_get_by_id(egov):
    struct_id = egov.table(text=LIB)[1][0]["structId"]
    result = egov.passport(struct_id)
    assert result["name"] == LIB and result["code"] == LIB and result["structId"] == struct_id
    assert set(result["dataName"]) == LANG_KEYS
    assert result["rows"] == 3 and result["fullCount"] == 3
    names = [f["name"] for f in result["tableFields"]]
    assert names == ["Nomi", "Hudud", "Manzil", "Ochilgansana", "Kitoblarsoni", "Joylashuv"]
    first = result["tableFields"][0]["text"]
    assert first == {"uzbText": "Nomi", "uzbKrText": "Номи", "rusText": "Название",
                     "engText": "Name"}  # fmt: skip


def test_get_by_id_of_nothing(client):
    _failure(client.get("/apiClient/Main/GetById?id=000000000000000000000000"), 404)
    _failure(client.get("/apiClient/Main/GetById?id=%00%7B%22%24gt%22%3A1%7D"), 404)
    _failure(client.get("/apiClient/Main/GetById"), 400)


@pytest.mark.wire
def test_get_by_file_in_every_type(egov):
    struct_id = egov.table(text=LIB)[1][0]["structId"]
    rows = egov.file(struct_id, 1, lang=3)
    assert rows.status_code == 200
    data = json.loads(rows.data)
    assert isinstance(data, list) and len(data) == 3
    assert data[0]["Nomi"] == "Детская библиотека № 1" and data[0]["Kitoblarsoni"] == 15230
    # a client reads Object.values(row)[0] and [1]: the keys come in field order
    assert list(data[0]) == ["Nomi", "Hudud", "Manzil", "Ochilgansana", "Kitoblarsoni",
                             "Joylashuv"]  # fmt: skip
    xml = etree.fromstring(egov.file(struct_id, 2).data)
    assert len(xml.findall("row")) == 3
    sheet = openpyxl.load_workbook(io.BytesIO(egov.file(struct_id, 3).data)).active
    assert sheet.max_row == 4
    text = egov.file(struct_id, 4, lang=4).data.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert len(table) == 4 and table[1][0] == "Children's library No. 1"
    graph = Graph().parse(data=egov.file(struct_id, 5).data, format="xml")
    assert len({s for s in graph.subjects() if "/rows/" in str(s)}) == 3


def test_get_by_file_is_the_cached_download(egov, client):
    from portal.db.models import Dataset

    first = egov.file(LIB, 4)
    again = client.get(
        "/apiData/MainData/GetByFile",
        query_string={"id": LIB, "fileType": 4},
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304
    assert Dataset.objects(code=LIB).first().downloads_by_format == {"csv": 1}
    assert "fileType" in _failure(egov.file(LIB, 9), 400)["error"]
    _failure(egov.file(LIB, 1, lang=7), 400)


def test_hidden_dataset_is_missing_in_every_compat_endpoint(egov, client):
    struct_id = egov.table(text=LIB)[1][0]["structId"]
    hide(LIB, active=False)
    assert egov.table(text="kutubxona")[0] == 0
    _failure(client.get(f"/apiClient/Main/GetById?id={struct_id}"), 404)
    _failure(egov.file(struct_id, 1), 404)
    counts = {o["code"]: o["structCount"] for o in egov.organizations()}
    assert counts == {"2-001": 1, "4-019": 0}


@pytest.mark.wire
def test_org_list_is_an_array_with_numeric_ids(egov):
    orgs = egov.organizations()
    assert isinstance(orgs, list) and [o["code"] for o in orgs] == ["2-001", "4-019"]
    assert set(orgs[0]["name"]) == LANG_KEYS and len(orgs[0]["guidId"]) == 24
    ids = [o["id"] for o in orgs]
    assert all(isinstance(i, int) and i > 0 for i in ids) and len(set(ids)) == 2


@pytest.mark.wire
def test_new_organizations_get_the_next_numeric_id(client, admin, egov):
    before = {o["code"]: o["portal_id"] for o in client.get("/api/v1/organizations").json["items"]}
    made = []
    for code in ("7-101", "7-102"):
        body = {"code": code, "name": {k: f"Tashkilot {code}" for k in LANG_KEYS}}
        resp = client.post("/api/v1/organizations", json=body, headers=admin.headers)
        assert resp.status_code == 201
        made.append(resp.json["portal_id"])
    assert made[1] == made[0] + 1 and made[0] > max(before.values())
    assert client.get("/api/v1/organizations/7-101").json["portal_id"] == made[0]
    assert egov.table(org_id=made[0]) == (0, [])


@pytest.mark.wire
def test_start_up_numbers_old_organizations_and_gives_sectors_their_guid(app, egov):
    from portal.db.models import Organization, Sector
    from portal.services import startup

    Organization.objects(code="4-019").update_one(unset__portal_id=True)
    Sector.objects(code="culture").update_one(unset__guid=True)
    Sector.objects(code="insurance").delete()
    kept = Organization.objects(code="2-001").first().portal_id
    startup.prepare(load_demo=False)
    orgs = {o.code: o.portal_id for o in Organization.objects}
    assert orgs["2-001"] == kept and orgs["4-019"] > kept
    assert Sector.objects(code="culture").first().guid == CULTURE
    assert Sector.objects(code="insurance").first().guid == SPHERES[9][0]
    assert egov.table(org_id=orgs["4-019"])[1][0]["name"] == LIB


def test_robots_txt_allows_the_api_and_the_data(client):
    resp = client.get("/robots.txt")
    assert resp.status_code == 200 and resp.content_type.startswith("text/plain")
    lines = resp.get_data(as_text=True).splitlines()
    assert "User-agent: *" in lines
    for path in ("/api/", "/apiClient/", "/apiData/", "/apiPartner/"):
        assert f"Allow: {path}" in lines
    assert not [line for line in lines if line.strip() in ("Disallow: /", "Disallow: /api/")]
    assert any(line.startswith("Sitemap: ") and line.endswith("/sitemap.xml") for line in lines)


def test_paths_in_any_case(client):
    for path in ("/apiclient/main/gettable", "/APICLIENT/MAIN/GETTABLE", "/apiClient/Main/GetTable",
                 "/apiclient/ref/orglist", "/apiclient/main/getspherelist"):  # fmt: skip
        assert client.get(path).status_code == 200, path
    assert client.get(f"/apidata/maindata/getbyfile?id={LIB}&filetype=4").status_code == 200


def test_cors_preflight_from_another_origin(client):
    origin = {"Origin": "https://maps.example.org"}
    pre = client.options(
        "/apiClient/main/gettable",
        headers={**origin, "Access-Control-Request-Method": "GET",
                 "Access-Control-Request-Headers": "authorization"},
    )  # fmt: skip
    assert pre.status_code == 200
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in pre.headers["Access-Control-Allow-Methods"]
    assert "authorization" in pre.headers["Access-Control-Allow-Headers"].lower()
    assert "Access-Control-Allow-Credentials" not in pre.headers
    for path in (
        "/apiClient/main/gettable",
        f"/api/v1/datasets/{LIB}",
        f"/api/v1/datasets/{LIB}/data.csv",
        f"/apiData/MainData/GetByFile?id={LIB}&fileType=1",
        "/api/openapi.json",
    ):
        resp = client.get(path, headers=origin)
        assert resp.status_code == 200, path
        assert resp.headers["Access-Control-Allow-Origin"] == "*", path
        assert "Access-Control-Allow-Credentials" not in resp.headers
    download = client.get(f"/api/v1/datasets/{LIB}/data.csv", headers=origin)
    assert "ETag" in download.headers["Access-Control-Expose-Headers"]


def test_no_cors_on_writes(client, operator):
    origin = {"Origin": "https://evil.example.org"}
    pre = client.options(
        "/api/v1/datasets", headers={**origin, "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in pre.headers
    resp = client.post("/api/v1/datasets", json={}, headers={**origin, **operator.headers})
    assert "Access-Control-Allow-Origin" not in resp.headers


def test_every_compat_endpoint_is_in_the_openapi_spec(client):
    spec = client.get("/api/openapi.json").json
    expected = {
        "/apiClient/main/gettable": "get",
        "/apiClient/Main/GetById": "get",
        "/apiData/MainData/GetByFile": "get",
        "/apiClient/Ref/OrgList": "get",
        "/apiClient/Main/GetSphereList": "get",
        "/apiClient/Main/GetMainData": "post",
        "/apiPartner/Partner/WebService": "get",
        "/apiPartner/Partner/Get": "get",
        "/apiData/MainData/ExternalApi": "post",
        "/robots.txt": "get",
    }
    for path, method in expected.items():
        operation = spec["paths"][path][method]
        assert operation["summary"], path
    params = {p["name"] for p in spec["paths"]["/apiClient/main/gettable"]["get"]["parameters"]}
    assert {"limit", "offset", "text", "orgId", "sphereId", "sortType"} <= params
    assert "200" in spec["paths"]["/apiClient/main/gettable"]["get"]["responses"]


@pytest.mark.wire
def test_gettable_late_days_and_ai_come_from_monitoring_and_the_ai_section(
    egov, client, app, operator
):
    from datetime import timedelta

    from tests.statistics.helpers import last_updated, midnight, run_daily

    # STAT (annual) 400 days without new data: 35 days past due; LIB flagged for the AI section
    now = midnight()
    last_updated(STAT, now - timedelta(days=400))
    last_updated(LIB, now - timedelta(days=10))
    run_daily(app, now)
    flagged = client.put(f"/api/v1/datasets/{LIB}/ai", json={"flagged": True},
                         headers=operator.headers)  # fmt: skip
    assert flagged.status_code == 200
    items = {i["name"]: i for i in egov.table(limit=100)[1]}
    assert (items[STAT]["lateDay"], items[STAT]["isAi"], items[STAT]["hasAi"]) == (35, False, False)
    assert (items[LIB]["lateDay"], items[LIB]["isAi"], items[LIB]["hasAi"]) == (0, True, True)
    struct_id = items[STAT]["structId"]
    passport = client.get(f"/apiClient/Main/GetById?id={struct_id}").get_json()["result"]
    assert passport["lateDay"] == 35
    # Unflagged: out of the list's AI section at once
    client.put(f"/api/v1/datasets/{LIB}/ai", json={"flagged": False}, headers=operator.headers)
    items = {i["name"]: i for i in egov.table(limit=100)[1]}
    assert items[LIB]["isAi"] is False


def test_compat_reads_count_once_per_visitor_and_day(egov, client):
    from portal.db.models import Dataset

    struct_id = egov.table(text=LIB)[1][0]["structId"]
    views = Dataset.objects(code=LIB).first().views
    for _ in range(3):
        assert client.get(f"/apiClient/Main/GetById?id={struct_id}").status_code == 200
        assert egov.file(struct_id, 4).status_code == 200
    robot = {"User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"}
    client.get(f"/apiClient/Main/GetById?id={struct_id}", headers=robot)
    dataset = Dataset.objects(code=LIB).first()
    assert dataset.views == views + 1
    assert dataset.downloads_by_format == {"csv": 1}
