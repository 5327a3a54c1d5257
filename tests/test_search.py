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
    from portal.services.discovery import search_index
    from portal.services.publishing import versions

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
    from portal.services.discovery import search

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
    from portal.services.discovery.search_index import _tagged

    assert _tagged("t", "O‘zbekiston") == ["t:o'zbekiston", "t:ozbekiston"]


def test_reindex_all(client):
    from portal.db.models import Dataset
    from portal.services.discovery import search_index

    Dataset.objects(code=LIB).update_one(set__terms=[])
    assert codes(client, q="kutubxona") == []
    assert search_index.reindex_all() == 2
    assert codes(client, q="kutubxona") == [LIB]


# ---------------------------------------------------------------- the search records


def age_everything(days=1):
    """Move every dataset's `updated_at` back, out of the catch-up window of the records."""
    from datetime import timedelta

    from portal.db.models import Dataset, utcnow

    Dataset.objects.update(set__updated_at=utcnow() - timedelta(days=days))


def full(client, **params):
    resp = client.get("/api/v1/datasets", query_string=params)
    assert resp.status_code == 200, resp.json
    body = resp.json
    return body["total"], [d["code"] for d in body["items"]], body["facets"]


@pytest.mark.wire
def test_passport_updates_are_found_at_once(client, operator):
    age_everything()
    assert codes(client, q="kutubxona") == [LIB]  # the records are loaded
    title = {"uzbText": "Okapilar", "uzbKrText": "Окапилар", "rusText": "Окапи", "engText": "Okapi"}
    resp = client.patch(f"/api/v1/datasets/{LIB}", json={"title": title}, headers=operator.headers)
    assert resp.status_code == 200, resp.json
    assert codes(client, q="окапи") == [LIB]
    assert codes(client, q="bolalar kutubxonalari") == []
    created = client.post(
        "/api/v1/datasets",
        headers=operator.headers,
        json={"organization": "2-001", "sector": "economy", "update_frequency": "annual",
              "title": title},
    )  # fmt: skip
    assert created.status_code == 201
    assert codes(client, q="okapi") == [LIB]  # a draft without data stays out
    make("2-001-0501", "Okapi population")
    assert codes(client, q="okapi") == ["2-001-0501", LIB]  # a whole word first


@pytest.mark.wire
def test_a_shown_dataset_is_checked_against_the_database(client):
    from portal.db.models import Dataset

    age_everything()
    assert codes(client, q="kutubxona") == [LIB]
    hide(LIB, active=False)  # directly in the database: updated_at stays old
    total, found, _ = full(client, q="kutubxona")
    assert (total, found) == (0, [])
    assert LIB not in codes(client)
    Dataset.objects(code=STAT).update_one(set__downloads=7)
    first = client.get("/api/v1/datasets", query_string={"sort": "downloads"}).json["items"][0]
    assert (first["code"], first["downloads"]) == (STAT, 7)


def test_counters_reach_the_order_with_the_periodic_reload(client, monkeypatch):
    import threading

    from portal.db import search_cache
    from portal.db.models import Dataset

    make("2-001-0601", "Alpha")
    age_everything()
    assert codes(client, sort="downloads", page_size=1) == ["2-001-0601"]
    Dataset.objects(code=LIB).update_one(set__downloads=50)  # not on the page, not updated
    assert codes(client, sort="downloads", page_size=1) == ["2-001-0601"]
    monkeypatch.setattr(search_cache, "RELOAD_SECONDS", -1)
    codes(client)
    for thread in threading.enumerate():
        if thread.name == "search-reload":
            thread.join(10)
    monkeypatch.setattr(search_cache, "RELOAD_SECONDS", 600)
    assert codes(client, sort="downloads", page_size=1) == [LIB]


def test_reindex_tells_every_process_to_reload(client):
    from portal.db import search_cache
    from portal.db.connection import get_db
    from portal.services.discovery import search_index

    before = search_cache.generation(get_db())
    search_index.reindex_all()
    assert search_cache.generation(get_db()) != before


@pytest.mark.wire
def test_kept_records_answer_as_freshly_loaded_ones(client, operator):
    """After creates, updates, versions and a rejection, the records kept up to date answer
    every query as records loaded from scratch do."""
    from portal.db import search_cache

    queries = [
        {}, {"q": "zebra"}, {"q": "ze"}, {"q": "зебра"}, {"q": "zebra", "sort": "recent"},
        {"q": "zebra", "sort": "downloads"}, {"q": "zebra", "sort": "rating"},
        {"sort": "downloads"}, {"sort": "rating"}, {"keyword": "animals"},
        {"q": "2-001-0702"}, {"organization": "2-001", "q": "zebra"}, {"page": 2, "page_size": 2},
        {"q": "savanna", "page_size": 1, "page": 2},
    ]  # fmt: skip
    age_everything()
    for q in queries:
        full(client, **q)  # records loaded and in use
    make("2-001-0701", "Zebra herds", keywords=["animals"], downloads=3)
    make("2-001-0702", "Savanna", keywords=["zebra"], downloads=3, views=2)
    make("2-001-0703", "Savanna birds", description="zebra finches", views=9)
    for body in (
        {"keywords": "animals, savanna", "description": {"uzbText": "Zebralar"}},
        {"title": {"uzbText": "Zebra", "uzbKrText": "Зебра", "rusText": "Зебра", "engText": "Z"}},
    ):
        resp = client.patch(f"/api/v1/datasets/{STAT}", json=body, headers=operator.headers)
        assert resp.status_code == 200, resp.json
    resp = client.post(
        "/api/v1/datasets/2-001-0701/rejections",
        json={"reasons": ["no source"]},
        headers=operator.headers,
    )
    assert resp.status_code == 201, resp.json
    kept = [full(client, **q) for q in queries]
    search_cache.forget()
    assert [full(client, **q) for q in queries] == kept


def test_kept_orders_match_a_fresh_sort():
    import random
    from datetime import datetime, timedelta

    from bson import ObjectId

    from portal.db.search_records import Snapshot
    from portal.services.discovery.search import ORDERS

    rnd = random.Random(1)
    snap = Snapshot(ORDERS)
    ids = [ObjectId() for _ in range(60)]

    def doc(i):
        return {
            "_id": ids[i], "code": f"1-001-{i:04d}", "current_version": rnd.choice((0, 1, 2)),
            "status": rnd.choice(("published", "rejected", "updated")), "active": rnd.random() > .1,
            "downloads": rnd.randint(0, 3), "views": rnd.randint(0, 3),
            "rating_sum": rnd.randint(0, 9), "rating_count": rnd.randint(0, 2),
            "updated_at": datetime(2024, 1, 1) + timedelta(days=rnd.randint(0, 3)),
            "organization": rnd.choice("ab"), "keywords": rnd.sample("xyz", 2),
            "terms": [f"t:{rnd.choice(('zebra', 'zebu', 'okapi'))}", f"d:{i}"],
        }  # fmt: skip

    for i in range(60):
        snap.apply(doc(i))
    for name in ORDERS:
        snap.order(name)  # kept from here on
    for _ in range(300):
        snap.apply(doc(rnd.randrange(60)), keep_terms=rnd.random() < 0.3)
    public = {s for s in range(60) if snap.records[s].public}
    assert snap.public == public
    for name in ORDERS:
        assert snap.order(name) == sorted(public, key=snap.key_of[name].__getitem__)
    for term, holders in snap.postings.items():
        assert sorted(holders) == [s for s in range(60) if term in snap.terms[s]]
    assert snap.sorted_terms == sorted(snap.postings)
    assert snap.facets["keyword"]["x"] == {s for s in range(60) if "x" in snap.keywords[s]}
