"""The DCAT-AP catalog in Turtle, JSON-LD and RDF/XML, paged with hydra links."""

import pytest
from rdflib import Graph, Literal, Namespace, URIRef, namespace

from tests.test_public_api import LIB, STAT, hide

HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
FREQ = "http://publications.europa.eu/resource/authority/frequency/"
SYNTAXES = {"ttl": "turtle", "jsonld": "json-ld", "rdf": "xml"}


def catalog(client, ext, page=None):
    resp = client.get(f"/catalog.{ext}", query_string={"page": page} if page else None)
    assert resp.status_code == 200, resp.data[:300]
    return Graph().parse(data=resp.data, format=SYNTAXES[ext])


def dataset_node(graph, code):
    return next(graph.subjects(namespace.DCTERMS.identifier, Literal(code)))


@pytest.mark.wire
@pytest.mark.parametrize("ext", ["ttl", "jsonld", "rdf"])
def test_catalog_describes_every_public_dataset(client, ext):
    graph = catalog(client, ext)
    datasets = set(graph.subjects(namespace.RDF.type, namespace.DCAT.Dataset))
    assert len(datasets) == 2
    lib = dataset_node(graph, LIB)
    titles = {t.language.lower(): str(t) for t in graph.objects(lib, namespace.DCTERMS.title)}
    assert titles == {
        "uz": "Bolalar kutubxonalari",
        "uz-cyrl": "Болалар кутубхоналари",
        "ru": "Детские библиотеки",
        "en": "Children's libraries",
    }
    assert {str(k) for k in graph.objects(lib, namespace.DCAT.keyword)} == {
        "library",
        "children",
        "kutubxona",
    }
    assert graph.value(lib, namespace.DCTERMS.accrualPeriodicity) == URIRef(FREQ + "QUARTERLY")
    assert graph.value(dataset_node(graph, STAT), namespace.DCTERMS.accrualPeriodicity) == URIRef(
        FREQ + "ANNUAL"
    )
    assert graph.value(lib, namespace.DCTERMS.modified) is not None
    publisher = graph.value(lib, namespace.DCTERMS.publisher)
    assert (publisher, namespace.RDF.type, namespace.FOAF.Agent) in graph
    assert "Ministry of Health" in {str(n) for n in graph.objects(publisher, namespace.FOAF.name)}
    distributions = list(graph.objects(lib, namespace.DCAT.distribution))
    media = {str(graph.value(d, namespace.DCAT.mediaType)) for d in distributions}
    assert "http://www.iana.org/assignments/media-types/text/csv" in media
    assert "http://www.iana.org/assignments/media-types/application/geo+json" in media
    for dist in distributions:
        assert (dist, namespace.RDF.type, namespace.DCAT.Distribution) in graph
        url = str(graph.value(dist, namespace.DCAT.downloadURL))
        assert client.get(url.split("8000", 1)[1]).status_code == 200, url
    stat_media = {
        str(graph.value(d, namespace.DCAT.mediaType))
        for d in graph.objects(dataset_node(graph, STAT), namespace.DCAT.distribution)
    }
    assert not any("geo+json" in m for m in stat_media)


def test_catalog_leaves_hidden_datasets_out(client):
    hide(LIB, status="rejected")
    graph = catalog(client, "ttl")
    assert len(set(graph.subjects(namespace.RDF.type, namespace.DCAT.Dataset))) == 1
    assert not list(graph.subjects(namespace.DCTERMS.identifier, Literal(LIB)))


@pytest.mark.wire
def test_catalog_pages_with_hydra_links(client, monkeypatch):
    from portal.services.discovery import catalog as catalog_service

    monkeypatch.setattr(catalog_service, "PAGE_SIZE", 1)
    first = catalog(client, "ttl", 1)
    view = next(first.subjects(namespace.RDF.type, HYDRA.PartialCollectionView))
    assert str(first.value(view, HYDRA.next)).endswith("/catalog.ttl?page=2")
    assert first.value(view, HYDRA.previous) is None
    assert next(first.objects(None, HYDRA.totalItems)).toPython() == 2
    second = catalog(client, "jsonld", 2)
    view = next(second.subjects(namespace.RDF.type, HYDRA.PartialCollectionView))
    assert str(second.value(view, HYDRA.previous)).endswith("/catalog.jsonld?page=1")
    assert second.value(view, HYDRA.next) is None
    assert len(set(second.subjects(namespace.RDF.type, namespace.DCAT.Dataset))) == 1
    assert client.get("/catalog.ttl?page=3").status_code == 404
    assert client.get("/catalog.csv").status_code == 404
