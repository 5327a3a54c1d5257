"""data.egov.uz's row reads (Partner/Get, Partner/WebService, GetMainData) page a version by
its positions: the same rows, in the same order, as a read of every row, after appends and
replaces, and still right for a version whose positions have gaps."""

import pytest

from tests.test_compat_tables import _ok, _struct_id
from tests.test_public_api import LIB
from tests.test_versions import STATS, push, stats_rows, token_of


def _partner(client, author, guid, offset, limit):
    query = {"GuidId": guid, "offset": offset, "limit": limit, "token": author.token}
    return _ok(client.get("/apiPartner/Partner/Get", query_string=query))


def _web(client, author, offset, limit):
    query = {"token": author.token, "name": STATS, "offset": offset, "limit": limit, "lang": "uz"}
    return _ok(client.get("/apiPartner/Partner/WebService", query_string=query))


def _main(client, guid, offset, limit, fields=None):
    body = {"guidId": guid, "fields": fields or {}, "limit": limit, "offset": offset}
    return _ok(client.post(f"/apiClient/Main/GetMainData?GuidId={guid}", json=body))


def _values(rows):
    return [row["2010Y"] for row in rows]


def _every_page(read, total, limit):
    out = []
    for offset in range(0, total + limit, limit):
        out += read(offset, limit)
    return out


@pytest.mark.wire
def test_pages_follow_the_versions_order_after_appends_and_replaces(client, author):
    from portal.db import row_pages
    from portal.db.models import Dataset

    token = token_of(client, author)
    guid = _struct_id(client, STATS)
    push(client, token, stats_rows(range(1, 31)), mode="replace", confirm_removal=True)
    push(client, token, stats_rows(range(100, 112)))  # appended: 42 rows
    # a replace that keeps some rows, changes some and drops the tail: 25 rows
    replaced = list(range(1, 11)) + list(range(500, 510)) + list(range(100, 105))
    push(client, token, stats_rows(replaced), mode="replace", confirm_removal=True)
    expected = [float(v) for v in replaced]

    web = _every_page(lambda o, n: _web(client, author, o, n)["data"], 25, 7)
    assert _values(web) == expected
    assert _web(client, author, 3, 4)["count"] == 25
    records = _every_page(lambda o, n: _partner(client, author, guid, o, n)["data"], 25, 6)
    numbers = [r["tableColumn"]["2010Y"]["number"] for r in records]
    assert numbers == expected
    assert len({r["id"] for r in records}) == 25
    main = _every_page(lambda o, n: _main(client, guid, o, n)["data"], 25, 10)
    assert [r["tableColumn"]["2010Y"]["number"] for r in main] == expected
    deep = _partner(client, author, guid, 24, 10)
    assert deep["count"] == 25 and len(deep["data"]) == 1
    assert deep["data"][0]["tableColumn"]["2010Y"]["number"] == 104.0
    past = _partner(client, author, guid, 40, 10)
    assert past["count"] == 25 and past["data"] == []
    # a filter still counts and pages what matches
    found = _main(client, guid, 0, 10, {"2010Y": "505"})
    assert found["count"] == 1
    assert found["data"][0]["tableColumn"]["2010Y"]["number"] == 505.0
    dataset = Dataset.objects(code=STATS).first()
    assert row_pages.is_dense(dataset.id, dataset.current_version, 25), "paged by position"


@pytest.mark.wire
def test_a_version_with_gaps_in_its_positions_pages_by_order(client, author):
    from portal.db import row_pages, rows
    from portal.db.models import Dataset

    token = token_of(client, author)
    push(client, token, stats_rows(range(1, 11)), mode="replace", confirm_removal=True)
    dataset = Dataset.objects(code=STATS).first()
    col = rows.collection(dataset.id)
    live = rows.version_filter(dataset.current_version)
    # a store whose positions are not 1..n: every position doubled
    for doc in sorted(col.find(live), key=lambda d: -d["p"]):
        col.update_one({"_id": doc["_id"]}, {"$set": {"p": doc["p"] * 2}})
    row_pages.forget()
    assert not row_pages.is_dense(dataset.id, dataset.current_version, 10)
    web = _every_page(lambda o, n: _web(client, author, o, n)["data"], 10, 3)
    assert _values(web) == [float(v) for v in range(1, 11)]
    assert _web(client, author, 4, 3)["count"] == 10


FILTERS = [
    {"Kitoblarsoni": 15230},
    {"Kitoblarsoni": "40210"},
    {"Kitoblarsoni__gte": 10000},
    {"Kitoblarsoni__lte": "15230"},
    {"Nomi": "Детская библиотека № 1"},
    {"Nomi": "Nukus bolalar kutubxonasi"},
    {"Nomi": "no such library"},
    {"Hudud": "1718"},
    {"Manzil": "Nukus sh., Qoraqalpog'iston ko'chasi, 12"},
    {"Ochilgansana": "12.03.2001"},
    {"Ochilgansana__gte": "01.01.2000"},
    {"Kitoblarsoni__gte": 9000, "Hudud": "1726"},
]


@pytest.mark.wire
@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: ",".join(f))
def test_a_filtered_page_matches_what_the_row_documents_give(client, filters):
    """GetMainData's filters are answered from the version's columnar file: the same rows,
    ids and total as a query over the row documents."""
    from portal.db import row_pages
    from portal.db.models import Dataset
    from portal.services.discovery import browse

    guid = _struct_id(client, LIB)
    dataset = Dataset.objects(code=LIB).first()
    query = browse.row_query(browse.public_fields(dataset), filters)
    for offset, limit in ((0, 10), (1, 1), (0, 1)):
        docs, total = row_pages.page_records(
            dataset.id, dataset.current_version, query=query, skip=offset, limit=limit
        )
        got = _main(client, guid, offset, limit, filters)
        assert got["count"] == total
        assert [r["id"] for r in got["data"]] == [str(d["_id"]) for d in docs]
