"""The quality score: each criterion passing and failing, with the fix for the missed ones."""

import copy
from datetime import datetime

import pytest
from bson import ObjectId

from portal.services.statistics import quality
from tests.helpers import ml
from tests.statistics.helpers import LIB, STAT

FOUR = ml("Maktablar", "Мактаблар", "Школы", "Schools")
COMPLETE = {
    "_id": ObjectId(),
    "code": "2-001-99",
    "organization": "2-001",
    "title": dict(FOUR),
    "description": ml("Tavsif", "Тавсиф", "Описание", "Description"),
    "keywords": ["maktab", "ta'lim", "o'quvchi"],
    "sector": "education",
    "phone": "+998 71 200 00 00",
    "email": "info@stat.uz",
    "legal_basis": "Decree 123",
    "methodology": {"file_id": ObjectId(), "filename": "m.pdf"},
    "fields": [
        {"name": "Nomi", "type": "string", "caption": dict(FOUR), "visible": True},
        {"name": "Soni", "type": "number", "caption": dict(FOUR), "visible": True},
    ],
    "update_frequency": "annual",
    "current_version": 1,
    "versions": [{"number": 1, "rows": 12, "created_at": datetime(2026, 1, 1)}],
    "status": "published",
    "active": True,
}


def breaking(criterion):
    """A copy of the complete dataset that misses one criterion; and its state, DCAT answer."""
    doc = copy.deepcopy(COMPLETE)
    state, messages = "fresh", []
    if criterion == "title_languages":
        doc["title"]["engText"] = ""
    elif criterion == "description_languages":
        doc["description"]["rusText"] = " "
    elif criterion == "keywords":
        doc["keywords"] = ["maktab", "ta'lim"]
    elif criterion == "sector":
        doc["sector"] = None
    elif criterion == "contacts":
        doc["phone"] = ""
    elif criterion == "legal_basis":
        doc["legal_basis"] = ""
    elif criterion == "methodology":
        doc.pop("methodology")
    elif criterion == "structure_typed":
        doc["fields"][1]["type"] = "text"
    elif criterion == "captions":
        doc["fields"][0]["caption"] = {**FOUR, "rusText": "", "engText": ""}
    elif criterion == "frequency_kept":
        state = "overdue"
    elif criterion == "machine_readable":
        doc["current_version"] = 0  # nothing uploaded: nothing to download either
    elif criterion == "dcat":
        messages = ["dcat:Dataset needs dct:description"]
    elif criterion == "downloads":
        doc["versions"][0]["rows"] = 0
    return doc, state, messages


def test_a_complete_dataset_scores_the_maximum():
    result = quality.score(COMPLETE, "fresh", [])
    assert result["score"] == result["max"] == 100
    assert all(c["passed"] and c["fix"] is None for c in result["criteria"])


@pytest.mark.parametrize("criterion", [c[0] for c in quality.CRITERIA])
def test_each_criterion_fails_alone_with_its_fix(criterion):
    doc, state, messages = breaking(criterion)
    result = quality.score(doc, state, messages)
    failed = [c for c in result["criteria"] if not c["passed"]]
    also = ["downloads"] if criterion == "machine_readable" else []
    assert [c["id"] for c in failed] == [criterion, *also]
    points = {c[0]: c[1] for c in quality.CRITERIA}
    assert result["score"] == 100 - sum(points[c] for c in [criterion, *also])
    assert failed[0]["points"] == 0
    assert failed[0]["fix"] == {c[0]: c[2] for c in quality.CRITERIA}[criterion] or (
        criterion == "dcat" and "dct:description" in failed[0]["fix"]
    )


def test_an_irregular_frequency_is_not_a_kept_frequency():
    doc = dict(COMPLETE, update_frequency="irregular")
    result = quality.score(doc, "irregular", [])
    assert [c["id"] for c in result["criteria"] if not c["passed"]] == ["frequency_kept"]


@pytest.mark.wire
def test_quality_endpoint_follows_the_passport(client, author):
    first = client.get(f"/api/v1/datasets/{STAT}/quality").json
    assert first["max"] == 100 and len(first["criteria"]) == len(quality.CRITERIA)
    legal = next(c for c in first["criteria"] if c["id"] == "legal_basis")
    assert not legal["passed"] and legal["fix"]
    patch = client.patch(
        f"/api/v1/datasets/{STAT}", json={"legal_basis": "Law No. 1"}, headers=author.headers
    )
    assert patch.status_code == 200, patch.json
    second = client.get(f"/api/v1/datasets/{STAT}/quality").json
    legal = next(c for c in second["criteria"] if c["id"] == "legal_basis")
    assert legal["passed"] and legal["fix"] is None
    assert second["score"] == first["score"] + legal["max"]


@pytest.mark.wire
def test_dcat_record_validated_against_the_shapes(client, operator, author):
    from tests.helpers import new_dataset

    created = new_dataset(client, operator)
    bare = client.get(f"/api/v1/datasets/{created['code']}/quality", headers=author.headers).json
    dcat = next(c for c in bare["criteria"] if c["id"] == "dcat")
    assert not dcat["passed"] and "dcat:Dataset needs dct:description" in dcat["fix"]
    description = {"description": ml("Tavsif", "Тавсиф", "Описание", "Description")}
    client.patch(f"/api/v1/datasets/{created['code']}", json=description, headers=author.headers)
    done = client.get(f"/api/v1/datasets/{created['code']}/quality", headers=author.headers).json
    assert next(c for c in done["criteria"] if c["id"] == "dcat")["passed"]


def test_the_shapes_reject_a_distribution_without_access_url():
    from rdflib import Graph, URIRef
    from rdflib.namespace import DCAT, RDF

    from portal.services.statistics import dcat

    graph, node = Graph(), URIRef("urn:x:dataset")
    dist = URIRef("urn:x:dist")
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCAT.distribution, dist))
    graph.add((dist, RDF.type, DCAT.Distribution))
    messages = dcat.validate([(graph, node)])[node]
    assert "dcat:Distribution needs dcat:accessURL (an IRI)" in messages
    assert "dcat:Dataset needs dct:title" in messages


@pytest.mark.wire
def test_quality_of_a_hidden_dataset_is_not_public(client):
    from portal.db.models import Dataset

    Dataset.objects(code=LIB).update_one(set__active=False)
    assert client.get(f"/api/v1/datasets/{LIB}/quality").status_code == 404
