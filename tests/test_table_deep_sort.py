"""Sorted pages at any depth: the positions are sorted, then the page's rows are read by them."""

import pytest

from tests.test_public_api import LIB, publish_v2

ROWS = f"/api/v1/datasets/{LIB}/versions/2/rows"


def tied_rows(n):
    """Rows whose sort keys repeat (ties) and are sometimes missing (NULLS LAST)."""
    return [
        {
            "Nomi": {"uzbText": f"K{i % 4}", "uzbKrText": "", "rusText": "", "engText": ""},
            "Hudud": ("1726", "1718", "1735")[i % 3],
            "Manzil": None if i % 9 == 0 else f"Ko'cha {i % 5}",
            "Ochilgansana": f"20{10 + i % 3}-01-01",
            "Kitoblarsoni": None if i % 11 == 0 else (i % 7) * 10 - 20,
        }
        for i in range(1, n + 1)
    ]


def expected(key, desc, size, page, where=None):
    """The page as a sort of every row by (key, position) in Python, nulls last."""
    from portal.db.models import Dataset
    from portal.services.discovery import browse, table_files
    from portal.services.publishing import versions

    dataset = Dataset.objects(code=LIB).first()
    names = [f["name"] for f in browse.public_fields(dataset, 2)]
    table = table_files.open_version(dataset, versions.get(dataset, 2))
    rows = [r for r in table.rows() if where is None or where(r)]
    if key == "Nomi":
        value = [None if r["Nomi"] is None else r["Nomi"]["uzbText"] for r in rows]
    else:
        value = [r[key] for r in rows]
    place = range(len(rows))
    # a stable sort keeps ties in order of position, reverse=True too
    known = sorted((p for p in place if value[p] is not None), key=value.__getitem__, reverse=desc)
    order = known + [p for p in place if value[p] is None]
    start = (page - 1) * size
    return [{n: rows[p].get(n) for n in names} for p in order[start : start + size]]


@pytest.mark.wire
@pytest.mark.parametrize("key", ["Kitoblarsoni", "Nomi", "Ochilgansana"])
def test_sorted_pages_at_any_depth_are_the_sorted_rows(client, key):
    publish_v2(LIB, tied_rows(230))
    for desc in (False, True):
        sort = f"-{key}" if desc else key
        for page in (1, 2, 7, 11, 12, 13):
            resp = client.get(ROWS, query_string={"sort": sort, "page": page, "page_size": 20})
            assert resp.status_code == 200, resp.json
            assert resp.json["total"] == 233
            assert resp.json["items"] == expected(key, desc, 20, page), (sort, page)


@pytest.mark.wire
def test_a_filtered_deep_sorted_page_and_a_page_past_the_end(client):
    publish_v2(LIB, tied_rows(230))
    query = {"Hudud": "1718", "sort": "-Kitoblarsoni", "page_size": 9}
    for page in (1, 4, 8, 9):
        resp = client.get(ROWS, query_string={**query, "page": page})
        assert resp.status_code == 200, resp.json
        want = expected("Kitoblarsoni", True, 9, page, where=lambda r: r["Hudud"] == "1718")
        assert resp.json["items"] == want, page
    past = client.get(ROWS, query_string={**query, "page": 50}).json
    assert past["items"] == [] and past["total"] == resp.json["total"] > 70
