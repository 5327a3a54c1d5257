"""Search: folding across scripts, case and apostrophes; ranking; facets; the query log."""

import pytest

from tests.test_public_api import LIB, STAT, hide


def codes(client, **params):
    resp = client.get("/api/v1/datasets", query_string=params)
    assert resp.status_code == 200, resp.json
    return [d["code"] for d in resp.json["items"]]


def make(code, title, *, keywords=(), description="", downloads=0, views=0, org="2-001"):
    """A published dataset with one row."""
    from portal.db.models import Dataset, Field, ml
    from portal.services import search_index, versions

    def four(text):
        return {"uzbText": text, "uzbKrText": text, "rusText": text, "engText": text}

    dataset = Dataset(
        code=code,
        organization=org,
        sector="economy",
        title=ml(four(title)),
        description=ml(four(description)) if description else None,
        keywords=list(keywords),
        fields=[Field(name="a", type="string", caption=ml(four("A")), order=1)],
        downloads=downloads,
        views=views,
    )
    search_index.refresh(dataset)
    dataset.save()
    versions.publish(dataset, [{"a": "x"}], source="upload", by="test")
    return dataset


@pytest.mark.wire
@pytest.mark.parametrize(
    "q",
    [
        "kutubxona",
        "кутубхона",
        "KUTUBXONA",
        "Кутубхона",
        "kutub",
        "библиотеки",
        "children's libraries",
        "bolalar kutubxonalari",
    ],
)
def test_cross_script_and_case(client, q):
    assert codes(client, q=q) == [LIB]


@pytest.mark.wire
@pytest.mark.parametrize(
    "q", ["sog'liqni", "sog‘liqni", "sog`liqni", "sogʻliqni", "sog’liqni", "sogliqni", "соғлиқни"]
)
def test_apostrophe_variants_find_the_organization(client, q):
    assert codes(client, q=q) == [LIB]


@pytest.mark.wire
def test_code_is_found_exactly(client):
    assert codes(client, q=STAT) == [STAT]
    assert codes(client, q="2-001-99999") == []


def test_every_word_must_match(client):
    assert codes(client, q="kutubxona statistika") == []
    assert codes(client, q="nothing-like-this") == []


@pytest.mark.wire
def test_ranking_title_then_keyword_then_description(client):
    make("2-001-0101", "Zebra population", downloads=0)
    make("2-001-0102", "Horses", keywords=["zebra"], downloads=50)
    make("2-001-0103", "Cattle", description="Not a zebra at all", downloads=500)
    make("2-001-0104", "Zebra crossings", downloads=10)
    assert codes(client, q="zebra") == ["2-001-0104", "2-001-0101", "2-001-0102", "2-001-0103"]
    # a whole word counts more than the beginning of one
    make("2-001-0105", "Zebralar", downloads=1000)
    assert codes(client, q="zebra")[:2] == ["2-001-0104", "2-001-0101"]


def test_popularity_breaks_ties_by_downloads_then_views(client):
    make("2-001-0201", "Okapi", downloads=1, views=9)
    make("2-001-0202", "Okapi", downloads=5, views=0)
    make("2-001-0203", "Okapi", downloads=1, views=50)
    assert codes(client, q="okapi") == ["2-001-0202", "2-001-0203", "2-001-0201"]


@pytest.mark.wire
def test_filters_facets_and_paging(client):
    make("2-001-0301", "Tiger", keywords=["animals"])
    body = client.get("/api/v1/datasets", query_string={"page_size": 2}).json
    assert body["total"] == 3 and len(body["items"]) == 2 and body["page"] == 1
    orgs = {f["code"]: f["count"] for f in body["facets"]["organization"]}
    assert orgs == {"2-001": 2, "4-019": 1}
    assert {"code": "animals", "count": 1} in body["facets"]["keyword"]
    assert codes(client, organization="4-019") == [LIB]
    assert codes(client, sector="culture") == [LIB]
    assert codes(client, keyword="animals") == ["2-001-0301"]
    assert codes(client, update_frequency="quarterly") == [LIB]
    assert set(codes(client, organization=["4-019", "2-001"])) == {LIB, STAT, "2-001-0301"}
    searched = client.get("/api/v1/datasets", query_string={"q": "tiger"}).json
    assert searched["facets"]["organization"] == [{"code": "2-001", "count": 1}]


def test_sorts(client):
    from portal.db.models import Dataset

    Dataset.objects(code=STAT).update_one(set__downloads=100)
    assert codes(client, sort="downloads")[0] == STAT
    make("2-001-0401", "Newest")
    assert codes(client, sort="recent")[0] == "2-001-0401"
    Dataset.objects(code=LIB).update_one(set__rating_sum=9, set__rating_count=2)
    assert codes(client, sort="rating")[0] == LIB
    assert client.get("/api/v1/datasets?sort=worst").status_code == 422


def test_hidden_datasets_are_not_found(client):
    hide(LIB, active=False)
    assert codes(client, q="kutubxona") == []
    assert LIB not in codes(client)


@pytest.mark.wire
def test_queries_are_logged_folded_with_counts(client):
    from portal.db.connection import get_db
    from portal.services import search

    codes(client, q="  КУТУБХОНА ")
    codes(client, q="kutubxona")
    codes(client, q="yo'q narsa")
    codes(client)  # a plain listing is not a query
    logged = list(get_db()["search_log"].find({}, {"_id": 0, "q": 1, "results": 1}))
    assert logged == [
        {"q": "kutubxona", "results": 1},
        {"q": "kutubxona", "results": 1},
        {"q": "yo'q narsa", "results": 0},
    ]
    assert search.popular(1) == [{"q": "kutubxona", "count": 2, "results": 1}]


def test_terms_keep_apostrophe_free_variants():
    from portal.services.search_index import _tagged

    assert _tagged("t", "O‘zbekiston") == ["t:o'zbekiston", "t:ozbekiston"]


def test_reindex_all(client):
    from portal.db.models import Dataset
    from portal.services import search_index

    Dataset.objects(code=LIB).update_one(set__terms=[])
    assert codes(client, q="kutubxona") == []
    assert search_index.reindex_all() == 2
    assert codes(client, q="kutubxona") == [LIB]
