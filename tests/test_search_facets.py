"""The search answer's facets over HTTP: the download formats and the AI section are counted
beside organizations, sectors, keywords and frequencies, and described in the OpenAPI document."""

from tests.statistics.helpers import LIB, midnight, run_daily


def facets(client, query=""):
    resp = client.get(f"/api/v1/datasets{query}")
    assert resp.status_code == 200, resp.json
    return resp.json, {
        name: {f["code"]: f["count"] for f in v} for name, v in resp.json["facets"].items()
    }


def test_format_facet_counts_every_format_and_geojson_only_with_places(client):
    body, counts = facets(client)
    assert set(counts) == {"organization", "sector", "keyword", "update_frequency", "format", "ai"}
    formats = counts["format"]
    for fmt in ("csv", "json", "xml", "xlsx", "rdf", "ttl", "jsonld", "nt", "parquet"):
        assert formats[fmt] == body["total"], fmt
    # of the demo datasets only the libraries have a location field
    assert formats["geojson"] == 1
    narrowed, counts = facets(client, "?q=kutubxona")
    assert counts["format"]["csv"] == narrowed["total"] >= 1
    assert counts["format"]["geojson"] == 1
    _, counts = facets(client, "?q=xyzzynothing")
    assert counts["format"] == {} and counts["ai"] == {}


def test_ai_facet_counts_the_datasets_of_the_ai_section(client, app, operator):
    run_daily(app, midnight())
    assert facets(client)[0]["facets"]["ai"] == []
    resp = client.put(f"/api/v1/datasets/{LIB}/ai", json={"flagged": True},
                      headers=operator.headers)  # fmt: skip
    assert resp.status_code == 200, resp.json
    body, counts = facets(client)
    assert body["facets"]["ai"] == [{"code": "1", "count": 1}]
    section = client.get("/api/v1/datasets?ai=1").json
    assert section["total"] == counts["ai"]["1"]
    assert facets(client, "?q=kutubxona")[1]["ai"] == {"1": 1}
    assert facets(client, "?sector=economy")[1]["ai"] == {}


def test_openapi_describes_the_format_and_ai_facets(client):
    spec = client.get("/api/openapi.json").json
    props = spec["components"]["schemas"]["Facets"]["properties"]
    for name in ("organization", "sector", "keyword", "update_frequency", "format", "ai"):
        assert props[name]["type"] == "array", name
    assert "geojson" in props["format"]["description"]
    assert "AI section" in props["ai"]["description"]
