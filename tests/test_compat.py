"""The data.egov.uz read endpoints, used the way its existing clients use them."""

import csv
import io
import json

import openpyxl
import pytest
from lxml import etree
from rdflib import Graph

from tests.test_public_api import LIB, STAT, hide

LANG_KEYS = {"uzbText", "uzbKrText", "rusText", "engText"}


class EgovClient:
    """A client as existing integrations write one: plain GETs, these parameters, these keys."""

    def __init__(self, http):
        self.http = http

    def _json(self, path, **params):
        resp = self.http.get(path, query_string=params)
        assert resp.status_code == 200, resp.data[:300]
        return json.loads(resp.data)

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
        resp = self.http.get(
            "/apiData/MainData/GetByFile",
            query_string={"id": struct_id, "fileType": file_type, "tableType": 1, "lang": lang},
        )
        return resp

    def organizations(self):
        return self._json("/apiClient/Ref/OrgList")["result"]["data"]

    def spheres(self):
        return self._json("/apiClient/Main/GetSphereList")["result"]["data"]


@pytest.fixture
def egov(client):
    return EgovClient(client)


@pytest.mark.wire
def test_gettable_lists_and_searches(egov):
    count, data = egov.table()
    assert count == 2 and len(data) == 2
    item = next(d for d in data if d["name"] == LIB)
    assert len(item["structId"]) == 24
    for key in ("dataName", "orgName", "sphereName"):
        assert set(item[key]) == LANG_KEYS
    assert item["dataName"]["rusText"] == "Детские библиотеки"
    assert item["orgName"]["uzbText"] == "Sog'liqni saqlash vazirligi"
    assert item["sphereName"]["engText"] == "Culture"
    assert item["updateDate"]
    count, data = egov.table(text="кутубхона")
    assert count == 1 and data[0]["name"] == LIB


@pytest.mark.wire
def test_gettable_filters_paging_and_sorting(egov, client):
    orgs = {o["code"]: o["id"] for o in egov.organizations()}
    assert egov.table(org_id="2-001")[1][0]["name"] == STAT
    assert egov.table(org_id=orgs["4-019"])[1][0]["name"] == LIB
    assert egov.table(sphere_id="culture")[1][0]["name"] == LIB
    spheres = {s["code"]: s["id"] for s in egov.spheres()}
    assert egov.table(sphere_id=spheres["economy"])[1][0]["name"] == STAT
    count, page = egov.table(limit=1, offset=1)
    assert count == 2 and len(page) == 1
    client.get(f"/api/v1/datasets/{STAT}/data.csv")
    assert egov.table(sort_type=2)[1][0]["name"] == STAT


def test_gettable_rejects_bad_numbers(client):
    resp = client.get("/apiClient/main/gettable?limit=many")
    assert resp.status_code == 400 and "limit" in resp.json["message"]


@pytest.mark.wire
def test_get_by_id(egov):
    struct_id = egov.table(text=LIB)[1][0]["structId"]
    result = egov.passport(struct_id)
    assert result["name"] == LIB and result["code"] == LIB
    assert set(result["dataName"]) == LANG_KEYS
    assert result["rows"] == 3
    names = [f["name"] for f in result["tableFields"]]
    assert names == ["Nomi", "Hudud", "Manzil", "Ochilgansana", "Kitoblarsoni", "Joylashuv"]
    assert set(result["tableFields"][0]["caption"]) == LANG_KEYS


@pytest.mark.wire
def test_get_by_file_in_every_type(egov):
    struct_id = egov.table(text=LIB)[1][0]["structId"]
    rows = egov.file(struct_id, 1, lang=3)
    assert rows.status_code == 200
    data = json.loads(rows.data)
    assert isinstance(data, list) and len(data) == 3
    assert data[0]["Nomi"] == "Детская библиотека № 1" and data[0]["Kitoblarsoni"] == 15230
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
    assert egov.file(LIB, 9).status_code == 400


def test_hidden_dataset_is_missing_in_every_compat_endpoint(egov, client):
    struct_id = egov.table(text=LIB)[1][0]["structId"]
    hide(LIB, active=False)
    assert egov.table(text="kutubxona")[0] == 0
    assert client.get(f"/apiClient/Main/GetById?id={struct_id}").status_code == 404
    assert egov.file(struct_id, 1).status_code == 404
    counts = {o["code"]: o["datasetCount"] for o in egov.organizations()}
    assert counts == {"2-001": 1, "4-019": 0}


@pytest.mark.wire
def test_reference_lists(egov):
    orgs = egov.organizations()
    assert [o["code"] for o in orgs] == ["2-001", "4-019"]
    assert set(orgs[0]["name"]) == LANG_KEYS and len(orgs[0]["id"]) == 24
    spheres = egov.spheres()
    assert len(spheres) == 16
    culture = next(s for s in spheres if s["code"] == "culture")
    assert culture["name"]["rusText"] == "Культура" and culture["datasetCount"] == 1
