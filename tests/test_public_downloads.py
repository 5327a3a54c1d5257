"""Downloads: every format parses back, old versions never change, files are cached."""

import csv
import io
import json

import openpyxl
import pytest
from lxml import etree
from rdflib import Graph

from tests.test_public_api import LIB, STAT, hide, publish_v2

RDF_SYNTAXES = {"rdf": "xml", "ttl": "turtle", "jsonld": "json-ld", "nt": "nt"}
NEW_ROW = {
    "Nomi": {
        "uzbText": "Yangi kutubxona",
        "uzbKrText": "Янги кутубхона",
        "rusText": "Новая",
        "engText": "New",
    },
    "Manzil": "=SUM(A1)",
    "Kitoblarsoni": 7,
    "Joylashuv": [41.0, 69.0],
}


def count_rows(fmt, data):
    """Parse a download with a standard parser and count its rows."""
    if fmt == "csv":
        return len(list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))) - 1
    if fmt == "json":
        return len(json.loads(data))
    if fmt == "geojson":
        return len(json.loads(data)["features"])
    if fmt == "xml":
        return len(etree.fromstring(data).findall("row"))
    if fmt == "xlsx":
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True).active.max_row - 1
    graph = Graph().parse(data=data, format=RDF_SYNTAXES[fmt])
    return len({s for s in graph.subjects() if "/rows/" in str(s)})


def dataset_doc(code):
    from portal.db.models import Dataset

    return Dataset.objects(code=code).first()


@pytest.mark.wire
@pytest.mark.parametrize("fmt", ["csv", "json", "xml", "xlsx", "rdf", "ttl", "jsonld", "geojson"])
def test_every_format_current_and_old_version(client, fmt):
    publish_v2(LIB, [NEW_ROW])
    current = client.get(f"/api/v1/datasets/{LIB}/data.{fmt}")
    assert current.status_code == 200, current.data[:300]
    assert count_rows(fmt, current.data) == 4
    assert current.headers["Content-Disposition"] == f'attachment; filename="{LIB}-v2.{fmt}"'
    old = client.get(f"/api/v1/datasets/{LIB}/versions/1/data.{fmt}")
    assert old.status_code == 200
    assert count_rows(fmt, old.data) == 3
    assert "max-age=" in old.headers["Cache-Control"]
    assert old.headers["Content-Length"] == str(len(old.data))


@pytest.mark.wire
def test_old_version_is_byte_identical_after_a_new_one(client):
    first = client.get(f"/api/v1/datasets/{LIB}/versions/1/data.csv")
    current = client.get(f"/api/v1/datasets/{LIB}/data.csv")
    assert first.data == current.data
    publish_v2(LIB, [NEW_ROW])
    again = client.get(f"/api/v1/datasets/{LIB}/versions/1/data.csv")
    assert again.data == first.data
    assert again.headers["ETag"] == first.headers["ETag"]
    assert count_rows("csv", again.data) == 3
    assert count_rows("csv", client.get(f"/api/v1/datasets/{LIB}/data.csv").data) == 4


def test_old_version_keeps_its_captions_but_not_fields_hidden_since(client):
    first = client.get(f"/api/v1/datasets/{LIB}/data.xlsx")
    dataset = dataset_doc(LIB)
    dataset.fields[0].caption.uzbText = "Kutubxona nomi"
    dataset.save()
    renamed = client.get(f"/api/v1/datasets/{LIB}/data.xlsx")
    assert renamed.headers["ETag"] != first.headers["ETag"]
    header = next(
        openpyxl.load_workbook(io.BytesIO(renamed.data)).active.iter_rows(values_only=True)
    )
    assert header[0].startswith("Kutubxona nomi")
    publish_v2(LIB)
    old = client.get(f"/api/v1/datasets/{LIB}/versions/1/data.xlsx")
    assert old.data == first.data  # the snapshot kept with version 1
    dataset = dataset_doc(LIB)
    dataset.fields[2].visible = False  # Manzil
    dataset.save()
    for path in ("data.csv", "versions/1/data.csv"):
        text = client.get(f"/api/v1/datasets/{LIB}/{path}").data.decode("utf-8-sig")
        assert "Manzil" not in text.splitlines()[0] and "Amir Temur" not in text


@pytest.mark.wire
def test_etag_gives_304_and_downloads_are_counted(client):
    first = client.get(f"/api/v1/datasets/{STAT}/data.json")
    etag = first.headers["ETag"]
    assert etag.startswith('"') and first.headers["Cache-Control"] == "public, no-cache"
    cached = client.get(f"/api/v1/datasets/{STAT}/data.json", headers={"If-None-Match": etag})
    assert cached.status_code == 304 and cached.data == b""
    client.get(f"/api/v1/datasets/{STAT}/data.csv")
    doc = dataset_doc(STAT)
    assert doc.downloads == 2
    assert doc.downloads_by_format == {"json": 1, "csv": 1}


def test_file_is_built_once_per_key(client):
    from portal.db.connection import get_db

    for _ in range(3):
        assert client.get(f"/api/v1/datasets/{STAT}/data.csv").status_code == 200
    client.get(f"/api/v1/datasets/{STAT}/data.csv?lang=ru")
    files = list(get_db()["exports.files"].find({}, {"metadata": 1}))
    assert len(files) == 2
    assert {f["metadata"]["lang"] for f in files} == {None, "rusText"}


def test_language_choice(client):
    text = client.get(f"/api/v1/datasets/{STAT}/data.csv?lang=ru").data.decode("utf-8-sig")
    header, first = list(csv.reader(io.StringIO(text)))[:2]
    assert header[0] == "Hudud" and first[0] == "Республика Узбекистан"
    every = client.get(f"/api/v1/datasets/{STAT}/data.csv").data.decode("utf-8-sig")
    assert every.splitlines()[0].startswith("Hudud_uz,Hudud_oz,Hudud_ru,Hudud_en")
    resp = client.get(f"/api/v1/datasets/{STAT}/data.csv?lang=4")
    assert resp.headers["Content-Disposition"].endswith('-v1-en.csv"')


@pytest.mark.wire
def test_formulas_are_neutralized_in_csv_and_xlsx(client):
    publish_v2(LIB, [NEW_ROW])
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/api/v1/datasets/{LIB}/data.csv").data.decode("utf-8-sig"))
        )
    )
    assert rows[-1]["Manzil"] == "'=SUM(A1)"
    sheet = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/api/v1/datasets/{LIB}/data.xlsx").data)
    ).active
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row=5, column=header.index("Manzil") + 1)
    assert cell.data_type == "s" and cell.value == "'=SUM(A1)"


def test_geojson_needs_geometry(client):
    resp = client.get(f"/api/v1/datasets/{STAT}/data.geojson")
    assert resp.status_code == 404
    assert "location or polygon" in resp.json["message"]
    assert client.get(f"/api/v1/datasets/{STAT}/data.pdf").status_code == 404


def test_datapackage_points_at_downloads(client):
    doc = client.get(f"/api/v1/datasets/{LIB}/datapackage.json").json
    assert doc["resources"][0]["path"].endswith(f"/api/v1/datasets/{LIB}/data.csv")
    names = [f["name"] for f in doc["resources"][0]["schema"]["fields"]]
    assert "Xizmathududi" not in names
    for resource in doc["resources"]:
        path = resource["path"].split("/api/v1", 1)[1]
        assert client.get(f"/api/v1{path}").status_code == 200, path


def test_hidden_dataset_files_are_not_served(client):
    assert client.get(f"/api/v1/datasets/{LIB}/data.csv").status_code == 200
    hide(LIB, active=False)
    assert client.get(f"/api/v1/datasets/{LIB}/data.csv").status_code == 404
    assert client.get(f"/api/v1/datasets/{LIB}/versions/1/data.csv").status_code == 404


@pytest.mark.wire
def test_two_builds_of_one_file_keep_the_first_closed(client):
    """Should two builds of one file ever run (a lease that ran out), one file is kept.
    Concurrent requests: tests/test_export_builds.py."""
    from portal.db.connection import get_db
    from portal.services.discovery import browse, downloads

    dataset = dataset_doc(STAT)
    fields = browse.public_fields(dataset, 1)
    key = downloads.cache_key(dataset, 1, "csv", None, fields)

    class Lease:  # the lease of each build, let go once its file is stored
        stopped = 0

        def stop(self):
            Lease.stopped += 1

    first = downloads._build(dataset, 1, "csv", None, fields, key, "http://x")
    second = downloads._build(dataset, 1, "csv", None, fields, key, "http://x")
    assert first.doc["sha256"] == second.doc["sha256"] and first.id != second.id
    bodies = [b"".join(built.store(Lease())) for built in (first, second)]
    assert bodies[0] == bodies[1] and len(bodies[0]) == first.doc["length"]
    assert Lease.stopped == 2
    assert downloads.export_store.find(key)["_id"] == first.id
    assert get_db()["exports.files"].count_documents({"metadata.key": key}) == 1
    assert get_db()["exports.chunks"].count_documents({"files_id": first.id}) >= 1
    assert get_db()["exports.chunks"].count_documents({"files_id": {"$ne": first.id}}) == 0
    downloads.drop(dataset.id)
    assert get_db()["exports.files"].count_documents({}) == 0


@pytest.mark.wire
def test_a_failed_build_leaves_nothing(client, monkeypatch):
    import exporters
    from portal.db.connection import get_db

    def broken(*args, **kwargs):
        yield b"a,b\r\n"
        raise RuntimeError("disk full")

    monkeypatch.setattr(exporters, "render", broken)
    assert client.get(f"/api/v1/datasets/{STAT}/data.csv").status_code == 500
    assert get_db()["exports.files"].count_documents({}) == 0
    assert get_db()["exports.chunks"].count_documents({}) == 0
    assert get_db()["leases"].count_documents({}) == 0
