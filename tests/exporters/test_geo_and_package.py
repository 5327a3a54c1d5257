"""GeoJSON, Data Package and structure exports."""

import csv
import io

import orjson
import pytest

import exporters
from exporters.structure import render_structure

from .sample import FIELDS, META, ROWS, render


def test_geojson_points_in_lon_lat_order():
    doc = orjson.loads(render("geojson"))
    assert doc["type"] == "FeatureCollection"
    features = doc["features"]
    assert len(features) == len(ROWS)
    assert features[0]["geometry"] == {"type": "Point", "coordinates": [69.27974, 41.31108]}
    assert features[1]["geometry"] is None
    assert features[2]["geometry"]["coordinates"] == [18.4241, -33.9249]
    props = features[0]["properties"]
    assert "Joylashuv" not in props
    assert props["2010Y"] == -7 and props["Hudud"]["rusText"] == "Ташкент"
    assert props["Hudud chegarasi"].startswith("[41.3, 69.26]")


def test_geojson_polygon_geometry():
    fields = [f for f in FIELDS if f["type"] != "location"]
    doc = orjson.loads(render("geojson", lang="en", fields=fields))
    square = doc["features"][0]["geometry"]
    assert square["type"] == "Polygon"
    ring = square["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 5
    assert sorted(ring[:4]) == [[69.26, 41.3], [69.26, 41.32], [69.29, 41.3], [69.29, 41.32]]
    area = sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:], strict=False))
    assert area > 0  # counter-clockwise exterior ring (RFC 7946)
    reversed_square = doc["features"][3]["geometry"]["coordinates"][0]
    assert reversed_square[0] == reversed_square[-1]
    assert sorted(reversed_square[:4]) == sorted(ring[:4])
    assert doc["features"][1]["geometry"]["type"] == "LineString"
    assert doc["features"][0]["properties"]["Hudud"] == "Tashkent"


def test_geojson_needs_a_geometry_field():
    plain = [f for f in FIELDS if f["type"] not in ("location", "polygon")]
    assert exporters.supports("geojson", FIELDS)
    assert not exporters.supports("geojson", plain)
    with pytest.raises(ValueError):
        exporters.render("geojson", META, plain, iter(ROWS))


def test_registry():
    assert set(exporters.MEDIA_TYPES) == set(exporters.FORMATS)
    assert exporters.MEDIA_TYPES["csv"] == "text/csv; charset=utf-8"
    assert not exporters.supports("pdf", FIELDS)
    with pytest.raises(ValueError):
        exporters.render("pdf", META, FIELDS, iter(ROWS))
    with pytest.raises(ValueError):
        exporters.render("csv", META, FIELDS, iter(ROWS), lang="fr")


def _csv_header(lang):
    text = render("csv", lang=lang)[3:].decode()
    return next(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("lang", [None, "rusText"])
def test_datapackage_describes_the_csv(lang):
    consumed = []

    def rows():
        consumed.append(1)
        yield from ROWS

    data = b"".join(exporters.render("datapackage", META, FIELDS, rows(), lang=lang))
    assert not consumed  # the descriptor reads no rows
    pkg = orjson.loads(data)
    assert pkg["name"] == "2-001-11072"
    assert pkg["version"] == "3" and pkg["keywords"] == META["keywords"]
    assert pkg["title"] == (META["title"]["rusText"] if lang else META["title"]["uzbText"])
    assert pkg["licenses"] == [{"path": META["license"]}]
    data_resource = pkg["resources"][0]
    assert data_resource["path"].startswith(
        "http://127.0.0.1:8000/api/v1/datasets/2-001-11072/data.csv"
    )
    fields = data_resource["schema"]["fields"]
    assert [f["name"] for f in fields] == _csv_header(lang)
    types = {f["name"]: f["type"] for f in fields}
    assert types["2010Y"] == "number" and types["Sana"] == "date"
    assert types["Joylashuv"] == "string" and types["Hudud chegarasi"] == "string"
    formats = {r["format"] for r in pkg["resources"]}
    assert {"csv", "json", "xml", "xlsx", "rdf", "geojson"} <= formats


def test_datapackage_is_valid_frictionless():
    frictionless = pytest.importorskip("frictionless")
    for lang in (None, "en"):
        pkg = orjson.loads(render("datapackage", lang=lang))
        assert list(frictionless.Package.metadata_validate(pkg)) == []
        schema = frictionless.Package(pkg).resources[0].schema
        assert schema.field_names == _csv_header(lang)


def test_structure_json_and_csv():
    entries = orjson.loads(b"".join(render_structure("json", FIELDS)))
    assert [e["name"] for e in entries] == [f["name"] for f in FIELDS]
    assert entries[2] == {
        "name": "Viloyat",
        "type": "directory",
        "caption": FIELDS[2]["caption"],
        "visible": True,
        "order": 3,
        "directory": "regions",
    }
    data = b"".join(render_structure("csv", FIELDS))
    assert data.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(data[3:].decode())))
    assert table[0] == [
        "name",
        "type",
        "caption_uz",
        "caption_oz",
        "caption_ru",
        "caption_en",
        "visible",
        "order",
        "directory",
    ]
    assert table[1][:4] == ["Hudud", "text", "Hudud", "Ҳудуд"]
    assert len(table) == 1 + len(FIELDS)
    with pytest.raises(ValueError):
        render_structure("xml", FIELDS)


@pytest.mark.parametrize("lang", [None, "ru"])
def test_frictionless_reads_the_csv_with_the_schema(tmp_path, lang):
    frictionless = pytest.importorskip("frictionless")
    descriptor = orjson.loads(render("datapackage", lang=lang))["resources"][0]
    (tmp_path / "data.csv").write_bytes(render("csv", lang=lang))
    descriptor["path"] = "data.csv"
    resource = frictionless.Resource(descriptor, basepath=str(tmp_path))
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "note"])
    first = frictionless.Resource(descriptor, basepath=str(tmp_path)).read_rows()[0]
    assert first["2010Y"] == -7 and str(first["Sana"]) == "2001-03-12"
