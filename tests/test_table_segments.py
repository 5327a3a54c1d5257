"""A version's table as segment files: an append stores only its rows, answers stay the same."""

import pytest

STATS = "2-001-11072"
PUSH = "/apiData/MainData/ExternalApi"
QUERIES = [
    {},
    {"page": "2", "page_size": "4"},
    {"page": "3", "page_size": "7"},
    {"sort": "-2010Y,2011Y", "page_size": "100"},
    {"2010Y.gte": "5", "sort": "2011Y", "page_size": "100"},
    {"2010Y.in": "1,3,5,7", "page_size": "100"},
    {"2011Y.empty": "true"},
    {"group_by": "2011Y", "agg": "count,sum:2010Y,avg:2010Y,min:2010Y,max:2010Y"},
    {"agg": "count,count:2011Y,sum:2010Y,max:2011Y"},
]


def token_of(client, caller):
    resp = client.post(f"/api/v1/datasets/{STATS}/token", headers=caller.headers)
    assert resp.status_code == 201, resp.json
    return resp.json


def push(client, token, values):
    """An append of one row per value (2011Y left empty for every third)."""
    rows = [{"2010Y": str(v), **({"2011Y": str(v % 4 + 0.5)} if v % 3 else {})} for v in values]
    body = {"id": token["dataset"], "token": token["token"], "data": rows}
    resp = client.post(PUSH, json=body)
    assert resp.status_code == 200, resp.json
    return resp.json["version"]


def dataset():
    from portal.db.models import Dataset

    return Dataset.objects(code=STATS).first()


def segments_of(number):
    from portal.db import columnar
    from portal.services.discovery import table_files
    from portal.services.publishing import versions

    ds = dataset()
    record = versions.get(ds, number)
    schema = table_files.schema_of(table_files._fields_of(record))
    return columnar.manifest(table_files.key(ds.id, number, schema))


def republish(number):
    """The rows of version `number` published again in one replace: the next version."""
    from portal.db import rows as row_store
    from portal.services.publishing import versions

    ds = dataset()
    rows = list(row_store.iter_rows(ds.id, number))
    fields = [f.to_dict() for f in ds.fields]
    return versions.publish(ds, rows, source="upload", by="test", fields=fields)["number"]


def answers(client, number):
    """Every query of QUERIES and the csv and json downloads of a version."""
    base = f"/api/v1/datasets/{STATS}/versions/{number}"
    out = []
    for query in QUERIES:
        resp = client.get(f"{base}/rows", query_string=query)
        assert resp.status_code == 200, resp.json
        out.append(resp.json)
    for fmt in ("csv", "json"):
        resp = client.get(f"{base}/data.{fmt}")
        assert resp.status_code == 200
        out.append(resp.data)
    return out


def parquet_rows(client, number, tmp_path):
    import duckdb

    resp = client.get(f"/api/v1/datasets/{STATS}/versions/{number}/data.parquet")
    assert resp.status_code == 200
    path = tmp_path / f"v{number}.parquet"
    path.write_bytes(resp.data)
    with duckdb.connect() as con:
        return con.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall()


def forget_exports():
    from portal.db.connection import get_db

    get_db()["exports.files"].delete_many({})
    get_db()["exports.chunks"].delete_many({})


@pytest.mark.wire
def test_an_append_stores_only_its_rows_and_answers_as_one_file(client, author, tmp_path):
    from portal.db import columnar, columnar_file
    from portal.db.connection import get_db

    token = token_of(client, author)
    first = dataset().current_version
    first_rows = dataset().versions[-1].rows
    files = get_db()["columnar.files"]
    before = files.count_documents({})
    pushed = [push(client, token, values) for values in ([1], [2, 3], [4, 5, 6])]
    assert pushed == [first + 1, first + 2, first + 3]
    assert files.count_documents({}) == before + 3  # one new file per push, nothing copied
    segments = segments_of(pushed[-1])
    assert [(s["lo"], s["hi"]) for s in segments] == [
        (0, first_rows),
        (first_rows, first_rows + 1),
        (first_rows + 1, first_rows + 3),
        (first_rows + 3, first_rows + 6),
    ]
    assert segments[:3] == segments_of(pushed[1])  # shared, not copied
    for seg, rows in zip(segments[1:], (1, 2, 3), strict=True):
        doc = columnar.stored(seg["key"])
        assert doc["metadata"]["version"] == seg["version"]
        assert columnar_file.count(columnar.local_path(seg["key"])) == rows
    # the same rows published in one replace: one file, and every answer the same
    again = republish(pushed[-1])
    assert segments_of(again) is None and columnar.stored(segments_of(pushed[-1])[0]["key"])
    assert answers(client, pushed[-1]) == answers(client, again)
    assert parquet_rows(client, pushed[-1], tmp_path) == parquet_rows(client, again, tmp_path)


@pytest.mark.wire
def test_compaction_merges_small_segments_and_answers_stay(client, author, monkeypatch):
    from portal.db import columnar, columnar_file
    from portal.services.discovery import table_segments

    monkeypatch.setitem(table_segments._settings, "most", 3)
    token = token_of(client, author)
    pushed = [push(client, token, [v]) for v in range(1, 8)]
    early = answers(client, pushed[1])
    lists = [segments_of(n) for n in pushed]
    assert all(len(s) <= 3 for s in lists)
    assert max(len(s) for s in lists) == 3 and len({s[-1]["key"] for s in lists}) == len(pushed)
    merged = [s for s in lists[-1] if s["hi"] - s["lo"] > 1 and s["lo"] > 0]
    assert merged and merged[0]["version"] in pushed
    assert (
        columnar_file.count(columnar.local_path(merged[0]["key"]))
        == merged[0]["hi"] - merged[0]["lo"]
    )
    last = pushed[-1]
    again = republish(last)
    assert answers(client, last) == answers(client, again)
    # older versions keep their own lists and answer, byte for byte, what they answered
    assert all(columnar.stored(seg["key"]) for seg in lists[1])
    forget_exports()
    assert answers(client, pushed[1]) == early


def test_the_plan_merges_the_smallest_run_at_the_end():
    from portal.services.discovery.table_segments import plan

    def segs(*sizes):
        out, lo = [], 0
        for size in sizes:
            out.append({"lo": lo, "hi": lo + size})
            lo += size
        return out

    assert plan(segs(1000), 4) is None
    assert plan(segs(1000, 1, 1, 1), 4) is None
    assert plan(segs(1000, 1, 1, 1, 1), 4) == 1
    assert plan(segs(1000, 16, 1, 1, 1), 4) == 2  # the 16 waits for the small ones to add up
    assert plan(segs(1000, 16, 15, 1, 1), 4) == 3
    assert plan(segs(1000, 16, 15, 15), 3) == 1  # 16 <= 15 + 15: the run takes it in
    assert plan(segs(100, 60, 50), 16) == 0  # the small ones add up to the first: all merged


@pytest.mark.wire
def test_an_evicted_segment_is_made_again_from_its_rows(client, author):
    from portal.db import columnar, columnar_file
    from portal.services.discovery import table_segments

    token = token_of(client, author)
    pushed = [push(client, token, values) for values in ([1, 2], [3], [4, 5])]
    want = answers(client, pushed[-1])
    gone = segments_of(pushed[-1])[2]
    columnar.delete(columnar.stored(gone["key"])["_id"])
    columnar.evict_local()
    for path in (columnar.local_path(s["key"]) for s in segments_of(pushed[-1])):
        import os

        os.unlink(path)
    table_segments.forget()
    forget_exports()
    assert answers(client, pushed[-1]) == want
    assert columnar.stored(gone["key"]) is not None
    assert columnar_file.count(columnar.local_path(gone["key"])) == 1


@pytest.mark.wire
def test_a_version_without_its_files_is_made_whole_on_first_read(client, author):
    from portal.db import columnar
    from portal.db.connection import get_db
    from portal.services.discovery import table_segments

    token = token_of(client, author)
    pushed = [push(client, token, [v]) for v in (1, 2)]
    want = answers(client, pushed[-1])
    columnar.drop(dataset().id)
    table_segments.forget()
    forget_exports()
    assert answers(client, pushed[-1]) == want
    assert segments_of(pushed[-1]) is None
    kept = [d["metadata"]["version"] for d in get_db()["columnar.files"].find()]
    assert pushed[-1] in kept
    # the next push appends to the whole file made on that read
    nxt = push(client, token, [3])
    assert [s["version"] for s in segments_of(nxt)] == [pushed[-1], nxt]


@pytest.mark.wire
def test_a_structure_change_after_appends_is_one_whole_file_on_first_read(client, author):
    from portal.db import columnar
    from portal.services.discovery import table_files
    from portal.services.publishing import versions
    from tests.helpers import ml

    token = token_of(client, author)
    pushed = [push(client, token, [v]) for v in (1, 2)]
    before = answers(client, pushed[-1])
    resp = client.patch(
        f"/api/v1/datasets/{STATS}", json={"kind": "fillable"}, headers=author.headers
    )
    assert resp.status_code == 200, resp.json
    field = {"type": "number", "caption": ml("2024Y")}
    resp = client.post(f"/api/v1/datasets/{STATS}/fields", json=field, headers=author.headers)
    assert resp.status_code == 201, resp.json
    changed = dataset().current_version
    assert changed == pushed[-1] + 1
    rows = client.get(
        f"/api/v1/datasets/{STATS}/versions/{changed}/rows", query_string={"page_size": "100"}
    )
    assert rows.status_code == 200 and rows.json["total"] == before[0]["total"]
    assert segments_of(changed) is None
    ds = dataset()
    schema = table_files.schema_of(table_files._fields_of(versions.get(ds, changed)))
    assert columnar.stored(table_files.key(ds.id, changed, schema)) is not None
    assert answers(client, pushed[-1]) == before  # the appended version keeps its segments
    nxt = push(client, token_of(client, author), [3])
    assert [s["version"] for s in segments_of(nxt)] == [changed, nxt]


@pytest.mark.wire
def test_segments_under_a_store_cap_below_one_file(client, author, monkeypatch):
    import os

    from portal.db import columnar
    from portal.db.connection import get_db
    from portal.services.discovery import table_segments

    monkeypatch.setitem(columnar._settings, "store_cap", 1)  # each file put evicts the others
    token = token_of(client, author)
    pushed = [push(client, token, values) for values in ([1], [2, 3], [4])]
    assert get_db()["columnar.files"].count_documents({}) == 1
    want = answers(client, pushed[-1])
    for name in os.listdir(columnar.folder()):
        if name.endswith(".parquet"):
            os.unlink(os.path.join(columnar.folder(), name))
    table_segments.forget()
    forget_exports()
    assert answers(client, pushed[-1]) == want  # every segment made again from its rows
    assert len(segments_of(pushed[-1])) == 4


@pytest.mark.wire
def test_a_reader_waits_for_the_version_being_made_then_makes_it(client, author, monkeypatch):
    from portal.db import columnar, leases
    from portal.services.discovery import table_files
    from portal.services.publishing import versions

    token = token_of(client, author)
    monkeypatch.setitem(table_files._settings, "after_publish", "off")
    number = push(client, token, [1])
    ds = dataset()
    schema = table_files.schema_of(table_files._fields_of(versions.get(ds, number)))
    lease = columnar.lease_of(table_files.key(ds.id, number, schema))
    held = leases.acquire(lease, 60)  # an append's segment being made elsewhere
    monkeypatch.setitem(columnar._settings, "wait", 0.3)
    url = f"/api/v1/datasets/{STATS}/versions/{number}/rows"
    assert client.get(url).status_code == 503
    leases.release(lease, held)
    resp = client.get(url)
    assert resp.status_code == 200 and resp.json["total"] == ds.versions[-1].rows
    assert segments_of(number) is None  # made whole from the row collection
