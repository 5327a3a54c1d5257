"""A wide dataset (many columns) is read and downloaded in every format from its columnar file:
DuckDB's memory for a query grows with the columns it reads, so a fixed limit would fail."""

import json

import pytest

WIDE = "2-001-11072"
COLUMNS = 160  # ~2 MB of DuckDB memory each for a csv part: far past a fixed 64 MB
ROWS = 2500


def make_wide():
    """Version 2 of WIDE: COLUMNS fields (strings, numbers and texts) and ROWS rows."""
    from portal.core.langs import LANG_KEYS
    from portal.db.models import Dataset, Field, Multilingual
    from portal.services.publishing import versions

    ds = Dataset.objects(code=WIDE).first()
    kinds = ("string", "number", "text")
    ds.fields = [
        Field(
            name=f"F{i}",
            type=kinds[i % 3],
            caption=Multilingual(**dict.fromkeys(LANG_KEYS, f"F{i}")),
            order=i,
        )
        for i in range(COLUMNS)
    ]
    ds.save()

    def value(i, r):
        kind = kinds[i % 3]
        if kind == "number":
            return r * i + 0.5
        text = f"qiymat {r}-{i} текст"
        if kind == "string":
            return text
        return {"uzbText": text, "uzbKrText": text, "rusText": text, "engText": text}

    rows = [{f"F{i}": value(i, r) for i in range(COLUMNS)} for r in range(1, ROWS + 1)]
    fields = [f.to_dict() for f in ds.fields]
    return versions.publish(ds, rows, source="upload", by="test", fields=fields)["number"]


@pytest.mark.wire
@pytest.mark.parametrize("fmt", ["csv", "json", "nt", "xml", "xlsx", "parquet"])
def test_every_format_of_a_wide_version_is_built(client, fmt, tmp_path):
    number = make_wide()
    resp = client.get(f"/api/v1/datasets/{WIDE}/versions/{number}/data.{fmt}")
    assert resp.status_code == 200, resp.data[:300]
    if fmt == "csv":
        lines = resp.data.decode("utf-8-sig").splitlines()
        assert len(lines) == ROWS + 1
        assert lines[1].startswith("qiymat 1-0 текст,1.5,qiymat 1-2 текст,qiymat 1-2 текст,")
        assert lines[-1].endswith(f",qiymat {ROWS}-159 текст")
    elif fmt == "json":
        rows = json.loads(resp.data)
        rows = rows["data"] if isinstance(rows, dict) else rows
        assert len(rows) == ROWS
    elif fmt == "nt":
        assert resp.data.count(b"\n") > ROWS * COLUMNS
        assert 'F158> "qiymat 7-158 текст"@en .'.encode() in resp.data
    elif fmt == "parquet":
        import duckdb

        path = tmp_path / "wide.parquet"
        path.write_bytes(resp.data)
        con = duckdb.connect()
        got = con.execute('SELECT count(*), max("F1") FROM read_parquet(?)', [str(path)]).fetchone()
        assert got == (ROWS, ROWS * 1 + 0.5)


@pytest.mark.wire
def test_the_table_of_a_wide_version_answers(client):
    number = make_wide()
    base = f"/api/v1/datasets/{WIDE}/versions/{number}/rows"
    page = client.get(base, query_string={"page": "3", "page_size": "50", "sort": "-F1"})
    assert page.status_code == 200, page.json
    assert page.json["total"] == ROWS
    found = client.get(base, query_string={"F0.contains": "1-0 ТЕКСТ"})
    assert found.status_code == 200, found.json
    assert found.json["total"] >= 1


def test_limits_follow_the_columns_and_grow_after_running_out():
    import duckdb

    from portal.core import duck_memory

    assert duck_memory.columns_read([("a", "text"), ("b", "number"), ("c", "string")]) == 6
    assert duck_memory.limit(64, 10, 2.5) == "64MB"  # a narrow file keeps the base
    assert duck_memory.limit(64, 120, 2.5) == "300MB"
    seen = []

    def work():
        seen.append(duck_memory.limit(64, 120, 2.5))
        if len(seen) < 3:
            raise duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate")
        return "done"

    assert duck_memory.retrying(work) == "done"
    assert seen == ["300MB", "1200MB", "2048MB"]  # never past the cap
    assert duck_memory.limit(64, 120, 2.5) == "300MB"  # the growth ends with the work
    seen.clear()

    def never():
        seen.append(1)
        raise duckdb.OutOfMemoryException("Out of Memory Error")

    with pytest.raises(duckdb.OutOfMemoryException):
        duck_memory.retrying(never)
    assert len(seen) == 3


@pytest.mark.wire
def test_a_download_that_runs_out_is_built_again_with_more_memory(client, monkeypatch):
    """Long values can need more than the columns say: the build starts again, bigger."""
    import exporters
    from portal.core import duck_memory

    real = exporters.render
    limits = []

    def render(fmt, meta, fields, rows, lang):
        limits.append(duck_memory.limit(64))
        if len(limits) == 1:
            import duckdb

            yield b"partial "
            raise duckdb.OutOfMemoryException("Out of Memory Error: failed to allocate")
        yield from real(fmt, meta, fields, rows, lang)

    monkeypatch.setattr(exporters, "render", render)
    resp = client.get(f"/api/v1/datasets/{WIDE}/data.csv")
    assert resp.status_code == 200
    assert limits == ["64MB", "256MB"]
    assert not resp.data.startswith(b"partial")
    assert resp.data.decode("utf-8-sig").splitlines()[0].count(",") >= 1
