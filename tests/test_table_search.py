"""`contains` over a text field's four languages: one prepared, lowercased column per text
field in the version's file, and the same answers from files written before it existed."""

import pytest

from portal.db import columnar_file
from portal.services.discovery import table, table_files
from tests.test_public_api import LIB, publish_v2

LIB_ROWS = f"/api/v1/datasets/{LIB}/rows"
SCHEMA = (("Nomi", "text"), ("Soni", "number"))
FIELDS = [{"name": "Nomi", "type": "text"}, {"name": "Soni", "type": "number"}]


def names(i):
    return {
        "uzbText": f"Toshkent kutubxona {i}",
        "uzbKrText": f"Тошкент КУТУБХОНА {i}" if i % 2 else "",
        "rusText": f"Ташкентская библиотека {i}" if i % 3 else "",
        "engText": f"Tashkent library {i}",
    }


def rows(n):
    return [
        {
            "Nomi": names(i),
            "Hudud": "1726",
            "Manzil": None,
            "Ochilgansana": "2020-01-01",
            "Kitoblarsoni": i,
        }
        for i in range(1, n + 1)
    ]


def expected(n, needle):
    """The places (after the 3 seeded rows) whose Nomi holds `needle` in a language."""
    needle = needle.lower()
    return {
        i
        for i in range(1, n + 1)
        if any(needle in (text or "").lower() for text in names(i).values())
    }


def found(client, needle, **extra):
    resp = client.get(LIB_ROWS, query_string={"Nomi.contains": needle, "page_size": "100", **extra})
    assert resp.status_code == 200, resp.json
    body = resp.json
    return {r["Kitoblarsoni"] for r in body["items"]}, body["total"]


@pytest.mark.wire
def test_contains_reads_the_search_column_and_matches_each_language(client):
    publish_v2(LIB, rows(40))
    for needle in ("кутубхона 1", "ТАШКЕНТСКАЯ", "library 3", "toshkent kutubxona 2"):
        hits, total = found(client, needle)
        assert hits == expected(40, needle), needle
        assert total == len(hits)
    # a needle across the end of one language and the start of the next matches nothing
    assert found(client, "1Тошкент") == (set(), 0)
    assert found(client, "1\x1fтошкент") == (set(), 0)
    # lang= looks at that language alone
    hits, _ = found(client, "кутубхона", lang="uzbKrText")
    seeded = {9800, 15230, 40210}  # the seeded rows' Cyrillic names say кутубхонаси
    assert hits == {i for i in range(1, 41) if i % 2} | seeded


def _file(path, schema, values, offset=0):
    spool = columnar_file.Spool(schema, str(path.parent), start=offset)
    for i in values:
        spool.add({"Nomi": names(i), "Soni": i})
    columnar_file.write(spool, str(path), offset=offset)
    spool.discard()
    return str(path)


def _contains(files, needle, page=1):
    answer = table.run(
        files, FIELDS, {"Nomi.contains": [needle]}, lang=None, page=page, page_size=5,
        total_rows=None,
    )  # fmt: skip
    return [r["Soni"] for r in answer["items"]], answer["total"]


def test_files_without_search_columns_answer_the_same(app, tmp_path, monkeypatch):
    with monkeypatch.context() as m:  # a segment written before search columns existed
        m.setattr(columnar_file, "search_columns", lambda schema: "")
        old = _file(tmp_path / "old.parquet", SCHEMA, range(1, 31))
    new = _file(tmp_path / "new.parquet", SCHEMA, range(31, 61), offset=30)
    assert "s0" not in columnar_file.columns_of(old)
    assert "s0" in columnar_file.columns_of(new)
    mixed = table_files.TableFile([old, new], SCHEMA)
    assert mixed.searched == frozenset()
    assert table_files.TableFile([new], SCHEMA).searched == {0}
    want = sorted(expected(60, "КУТУБХОНА 5"))
    assert _contains(mixed, "КУТУБХОНА 5") == (want[:5], len(want))
    # merging makes the search column for every row, old ones included
    merged = str(tmp_path / "merged.parquet")
    columnar_file.merge([old, new], merged, SCHEMA)
    whole = table_files.TableFile([merged], SCHEMA)
    assert whole.searched == {0}
    assert _contains(whole, "КУТУБХОНА 5") == (want[:5], len(want))
    assert _contains(whole, "КУТУБХОНА 5", page=2) == (want[5:10], len(want))
    assert list(whole.rows()) == list(mixed.rows())


def test_a_page_past_the_matches_still_counts_them(app, tmp_path):
    files = table_files.TableFile([_file(tmp_path / "f.parquet", SCHEMA, range(1, 21))], SCHEMA)
    total = len(expected(20, "library 1"))
    assert _contains(files, "library 1", page=9) == ([], total)
