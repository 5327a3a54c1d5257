"""The public read API: passport, structure, rows, versions; hidden datasets look missing."""

import pytest

LIB = "4-019-0014"
STAT = "2-001-11072"


def hide(code, **changes):
    """Change a passport in place, stamped as the services stamp every change they make."""
    from portal.db.models import Dataset, utcnow

    changes = {**changes, "updated_at": utcnow()}
    Dataset.objects(code=code).update_one(**{f"set__{k}": v for k, v in changes.items()})


def publish_v2(code, extra_rows=()):
    """Version 2: the rows of version 1 and `extra_rows`."""
    from portal.db import rows as row_store
    from portal.db.models import Dataset
    from portal.services.publishing import versions

    dataset = Dataset.objects(code=code).first()
    rows = list(row_store.iter_rows(dataset.id, 1)) + list(extra_rows)
    fields = [f.to_dict() for f in dataset.fields]
    return versions.publish(dataset, rows, source="upload", by="test", fields=fields)


@pytest.mark.wire
def test_passport_counts_views_and_hides_hidden_fields(client):
    first = client.get(f"/api/v1/datasets/{LIB}")
    assert first.status_code == 200
    doc = first.json
    assert doc["code"] == LIB and doc["version"] == 1 and doc["rows"] == 3
    assert "Xizmathududi" not in [f["name"] for f in doc["fields"]]
    formats = [d["format"] for d in doc["distributions"]]
    assert {"csv", "json", "xml", "xlsx", "rdf", "ttl", "jsonld", "geojson"} <= set(formats)
    # another visitor counts; the same visitor again the same day does not
    other = {"REMOTE_ADDR": "10.1.2.3"}
    second = client.get(f"/api/v1/datasets/{doc['id']}?lang=ru", environ_base=other)
    assert second.json["title"] == "Детские библиотеки"
    assert second.json["views"] == doc["views"] + 1
    again = client.get(f"/api/v1/datasets/{doc['id']}", environ_base=other)
    assert again.json["views"] == second.json["views"]


def test_passport_without_geometry_offers_no_geojson(client):
    doc = client.get(f"/api/v1/datasets/{STAT}").json
    assert "geojson" not in [d["format"] for d in doc["distributions"]]


def test_unknown_language_is_rejected(client):
    resp = client.get(f"/api/v1/datasets/{LIB}?lang=de")
    assert resp.status_code == 422


@pytest.mark.wire
def test_structure_lists_visible_fields(client):
    doc = client.get(f"/api/v1/datasets/{LIB}/structure").json
    names = [f["name"] for f in doc["fields"]]
    assert names == ["Nomi", "Hudud", "Manzil", "Ochilgansana", "Kitoblarsoni", "Joylashuv"]
    as_json = client.get(f"/api/v1/datasets/{LIB}/structure.json")
    assert as_json.status_code == 200
    assert [f["name"] for f in as_json.json] == names
    as_csv = client.get(f"/api/v1/datasets/{LIB}/structure.csv")
    assert as_csv.status_code == 200
    lines = as_csv.data.decode("utf-8-sig").splitlines()
    assert len(lines) == 1 + len(names)
    assert client.get(f"/api/v1/datasets/{LIB}/structure.yaml").status_code == 404


@pytest.mark.wire
def test_rows_paged_filtered_and_sorted(client):
    url = f"/api/v1/datasets/{LIB}/rows"
    page = client.get(f"{url}?page_size=2").json
    assert page["total"] == 3 and len(page["items"]) == 2 and page["page_size"] == 2
    assert "Xizmathududi" not in page["items"][0]
    ranged = client.get(f"{url}?Kitoblarsoni__gte=10000&Kitoblarsoni__lte=20000").json
    assert [r["Kitoblarsoni"] for r in ranged["items"]] == [15230]
    dated = client.get(f"{url}?Ochilgansana__gte=01.01.2000").json
    assert all(r["Ochilgansana"] >= "2000-01-01" for r in dated["items"])
    assert dated["total"] >= 1
    by_region = client.get(f"{url}?Hudud=1718&lang=en").json
    assert by_region["total"] == 1
    assert by_region["items"][0]["Nomi"] == "Samarkand regional children's library"
    by_text = client.get(f"{url}", query_string={"Nomi": "Детская библиотека № 1"}).json
    assert by_text["total"] == 1
    ordered = client.get(f"{url}?sort=-Kitoblarsoni").json["items"]
    numbers = [r["Kitoblarsoni"] for r in ordered]
    assert numbers == sorted(numbers, reverse=True)


@pytest.mark.parametrize(
    "query",
    [
        "Xizmathududi=1",  # hidden field
        "nothing=1",
        "Manzil__gte=a",  # ranges on numbers and dates only
        "Kitoblarsoni=abc",
        "Kitoblarsoni__ne=1",
        "sort=Xizmathududi",
    ],
)
def test_rows_reject_unknown_or_bad_filters(client, query):
    resp = client.get(f"/api/v1/datasets/{LIB}/rows?{query}")
    assert resp.status_code == 400
    assert resp.json["code"] == 400 and resp.json["message"]


def test_rows_filter_values_cannot_be_operators(client):
    resp = client.get(f"/api/v1/datasets/{LIB}/rows", query_string={"Manzil": '{"$ne": null}'})
    assert resp.status_code == 200 and resp.json["total"] == 0
    resp = client.get(f"/api/v1/datasets/{LIB}/rows", query_string={"Manzil[$ne]": "x"})
    assert resp.status_code == 400


@pytest.mark.wire
def test_versions_history_and_record(client):
    publish_v2(
        LIB,
        [
            {
                "Nomi": {"uzbText": "Yangi", "uzbKrText": "", "rusText": "", "engText": ""},
                "Kitoblarsoni": 5,
            }
        ],
    )
    history = client.get(f"/api/v1/datasets/{LIB}/versions").json
    assert history["total"] == 2
    newest, oldest = history["items"]
    assert (newest["number"], newest["rows"], newest["added"]) == (2, 4, 1)
    assert oldest["number"] == 1 and oldest["source"] == "seed" and oldest["checksum"]
    record = client.get(f"/api/v1/datasets/{LIB}/versions/1").json
    assert record["rows"] == 3
    assert "Xizmathududi" not in [f["name"] for f in record["fields"]]
    assert client.get(f"/api/v1/datasets/{LIB}/versions/9").status_code == 404
    assert client.get(f"/api/v1/datasets/{LIB}/rows").json["total"] == 4


HIDDEN_PATHS = [
    "",
    "/structure",
    "/structure.csv",
    "/rows",
    "/versions",
    "/versions/1",
    "/data.csv",
    "/versions/1/data.json",
    "/datapackage.json",
]


@pytest.mark.wire
@pytest.mark.parametrize("change", [{"active": False}, {"status": "rejected"}])
def test_hidden_dataset_looks_missing_to_the_public(client, change):
    missing = client.get("/api/v1/datasets/4-019-9999")
    hide(LIB, **change)
    for path in HIDDEN_PATHS:
        resp = client.get(f"/api/v1/datasets/{LIB}{path}")
        assert resp.status_code == 404, path
        assert set(resp.json) == set(missing.json) == {"code", "status", "message"}
    listed = client.get("/api/v1/datasets").json
    assert LIB not in [d["code"] for d in listed["items"]]


def test_draft_without_data_looks_missing(client, operator):
    created = client.post(
        "/api/v1/datasets",
        headers=operator.headers,
        json={
            "organization": "2-001",
            "sector": "economy",
            "update_frequency": "annual",
            "title": {
                "uzbText": "Qoralama",
                "uzbKrText": "Қоралама",
                "rusText": "Черновик",
                "engText": "Draft",
            },
        },
    )
    assert created.status_code == 201
    code = created.json["code"]
    assert client.get(f"/api/v1/datasets/{code}").status_code == 404
    assert client.get(f"/api/v1/datasets/{code}", headers=operator.headers).status_code == 200
    resp = client.get(f"/api/v1/datasets/{code}/data.csv", headers=operator.headers)
    assert resp.status_code == 404 and "no data" in resp.json["message"]


def test_hidden_dataset_stays_readable_to_its_organization(client, other_author, author):
    hide(LIB, active=False)
    own = client.get(f"/api/v1/datasets/{LIB}", headers=other_author.headers)
    assert own.status_code == 200 and own.json["active"] is False
    rows = client.get(f"/api/v1/datasets/{LIB}/rows", headers=other_author.headers)
    assert rows.status_code == 200 and rows.json["total"] == 3
    data = client.get(f"/api/v1/datasets/{LIB}/data.csv", headers=other_author.headers)
    assert data.status_code == 200
    assert data.headers["Cache-Control"].startswith("private")
    assert client.get(f"/api/v1/datasets/{LIB}", headers=author.headers).status_code == 404


def test_public_endpoints_in_openapi(client):
    paths = client.get("/api/openapi.json").json["paths"]
    for path in (
        "/api/v1/datasets",
        "/api/v1/datasets/{ds}/rows",
        "/api/v1/datasets/{ds}/versions/{number}/data.{fmt}",
        "/catalog.{ext}",
    ):
        assert path in paths, path
    assert "get" in paths["/api/v1/datasets/{ds}"] and "patch" in paths["/api/v1/datasets/{ds}"]
