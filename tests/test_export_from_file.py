"""csv and json of a version made from its columnar file by DuckDB: the same bytes as the row
writers give for the same rows, awkward values included."""

import pytest

from tests.test_public_api import LIB, publish_v2

BASE = f"/api/v1/datasets/{LIB}/versions/2"


def nomi(uz, oz="", ru="", en=""):
    return {"uzbText": uz, "uzbKrText": oz, "rusText": ru, "engText": en}


AWKWARD = [
    {
        "Nomi": nomi('Say "hi", then\nleave', "=1+2", "+7 (71) 200", "-минус"),
        "Hudud": "1726",
        "Manzil": "\tTab ichida, vergul",
        "Ochilgansana": "2001-03-12",
        "Kitoblarsoni": -12.5,
        "Joylashuv": [-41.0, 69.5],
        "Xizmathududi": [[41.0, 69.25], [41.5, -69.0], [1e-05, 1e16], [-0.0, 9.5e15]],
    },
    {
        "Nomi": nomi("@mention", "Тошкент шаҳри", "", "engl\r\nish"),
        "Hudud": "1718",
        "Manzil": "qator\r\nikkinchi",
        "Ochilgansana": "1960-01-01",
        "Kitoblarsoni": 0.1 + 0.2,
        "Joylashuv": None,
        "Xizmathududi": [],
    },
    {
        "Nomi": None,
        "Hudud": None,
        "Manzil": None,
        "Ochilgansana": None,
        "Kitoblarsoni": -0.0,
        "Joylashuv": [0.0, -0.0],
        "Xizmathududi": None,
    },  # fmt: skip
    {
        "Nomi": nomi("", "", "", ""),
        "Hudud": "1735",
        "Manzil": "",
        "Ochilgansana": "2024-02-29",
        "Kitoblarsoni": 2**53 - 1,
        "Joylashuv": [41.31108, 69.27974],
        "Xizmathududi": [[1.5e-07, 123456789.125]],
    },
    {
        "Nomi": nomi("'already quoted", 'a""b', "«ёлка»", "a,b"),
        "Hudud": "=1726",
        "Manzil": '"quoted"',
        "Ochilgansana": "2020-12-31",
        "Kitoblarsoni": 9.5e15,
        "Joylashuv": [1e16, -1e-05],
        "Xizmathududi": [[-90.0, 180.0], [90.0, -180.0], [0.5, 0.25]],
    },
    {
        "Nomi": nomi("=SUM(A1:A3)", "+", "-", "@"),
        "Hudud": "1726",
        "Manzil": "-5 kvartal",
        "Ochilgansana": "1999-09-09",
        "Kitoblarsoni": 1e16,
        "Joylashuv": [-0.5, -0.25],
        "Xizmathududi": [[41.2, 69.2], [41.3, 69.3], [41.25, 69.4]],
    },
    {
        "Nomi": nomi("\rcarriage", "tab\there", "x", "y"),
        "Hudud": "1718",
        "Manzil": "+998 71",
        "Ochilgansana": "2010-10-10",
        "Kitoblarsoni": 1.5e-7,
        "Joylashuv": [12.0, 13.0],
        "Xizmathududi": [[12.0, 13.0]],
    },  # fmt: skip
    {
        "Nomi": nomi("@", "", "", ""),
        "Hudud": "1735",
        "Manzil": "@home",
        "Ochilgansana": "2011-11-11",
        "Kitoblarsoni": 5e-324,
        "Joylashuv": [45.0, -71.5],
        "Xizmathududi": [[45.0, -71.5], [45.5, -71.0]],
    },  # fmt: skip
]


def show_polygon():
    """Make the seeded hidden polygon field visible, so that the files carry a polygon."""
    from portal.db.models import Dataset

    dataset = Dataset.objects(code=LIB).first()
    for field in dataset.fields:
        field.visible = True
    dataset.save()


def reference(fmt, lang):
    """The bytes the row writers give for version 2's rows (read back from its file)."""
    from exporters import csv_file, json_file
    from portal.db.models import Dataset
    from portal.services.discovery import browse, table_files
    from portal.services.publishing import versions

    dataset = Dataset.objects(code=LIB).first()
    fields = browse.public_fields(dataset, 2)
    table = table_files.open_version(dataset, versions.get(dataset, 2))
    rows = table.rows({f["name"] for f in fields})
    if fmt == "csv":
        return b"".join(csv_file.render_rows(fields, rows, lang))
    convert = json_file.row_converter(fields, lang)
    return b"".join(json_file.json_array(map(convert, rows)))


def no_row_path(monkeypatch):
    """Make the row writers fail: a file built while this holds was made by DuckDB."""
    from exporters import csv_file, json_file

    def fail(*args, **kwargs):
        raise AssertionError("the row path was taken")

    monkeypatch.setattr(csv_file, "render_rows", fail)
    monkeypatch.setattr(json_file, "render_rows", fail)


@pytest.mark.wire
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_awkward_values_give_the_row_writers_bytes(client, monkeypatch, fmt):
    show_polygon()
    publish_v2(LIB, AWKWARD * 30)  # several row groups would need more; order is checked anyway
    files = {}
    with monkeypatch.context() as m:
        no_row_path(m)
        for lang, query in ((None, ""), ("rusText", "?lang=ru"), ("uzbKrText", "?lang=oz")):
            resp = client.get(f"{BASE}/data.{fmt}{query}")
            assert resp.status_code == 200, resp.data[:300]
            files[lang] = resp.data
    for lang, data in files.items():
        assert data == reference(fmt, lang), lang
    if fmt == "csv":
        text = files[None].decode("utf-8")
        assert text.startswith("\ufeffNomi_uz,Nomi_oz,Nomi_ru,Nomi_en,Hudud,")
        first = text.split("\r\n")[4]  # the seeded 3 rows come first
        assert first.startswith('"Say ""hi"", then\nleave",\'=1+2,\'+7 (71) 200,\'-минус,1726,')
        polygon = "[41, 69.25], [41.5, -69], [1e-05, 1e+16], [-0, 9500000000000000]"
        assert first.endswith(f',\'-41 69.5,"{polygon}"')  # the polygon is the last column
    else:
        assert b'"Joylashuv":"-41 69.5"' in files[None]


@pytest.mark.wire
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_value_its_column_cannot_carry_takes_the_row_path(client, fmt):
    show_polygon()
    publish_v2(LIB, [*AWKWARD, {**AWKWARD[0], "Kitoblarsoni": 2**60 + 1}])
    resp = client.get(f"{BASE}/data.{fmt}")
    assert resp.status_code == 200
    assert resp.data == reference(fmt, None)
    assert str(2**60 + 1).encode() in resp.data


@pytest.mark.wire
def test_many_parts_keep_the_rows_in_order(client, monkeypatch):
    from exporters import _sql

    monkeypatch.setattr(_sql, "PART_ROWS", 7)
    show_polygon()
    publish_v2(LIB, AWKWARD * 6)
    for fmt in ("csv", "json"):
        with monkeypatch.context() as m:
            no_row_path(m)
            resp = client.get(f"{BASE}/data.{fmt}")
        assert resp.status_code == 200
        assert resp.data == reference(fmt, None), fmt


def test_parts_are_written_two_at_a_time_in_order_and_none_is_left_behind():
    import tempfile
    import threading
    from pathlib import Path

    from exporters import _sql

    threads = set()

    def copy(con, lo, hi, target):
        threads.add(threading.get_ident())
        sql = "COPY (SELECT range AS n FROM range(?, ?)) TO ? (HEADER false)"
        con.execute(sql, [lo, hi, target])

    def left():
        return set(Path(tempfile.gettempdir()).glob("export-*.csv"))

    before = left()
    ranges = [(k * 10, k * 10 + 10) for k in range(7)]
    config = {"threads": 1, "memory_limit": "64MB"}
    data = b"".join(_sql.files_of(ranges, copy, ".csv", config))
    assert data.split() == [str(n).encode() for n in range(70)]
    assert len(threads) == 2  # this thread and one helper
    parts = _sql.files_of(ranges, copy, ".csv", config)
    next(parts)  # a reader that stops after the first part: the second was written meanwhile
    parts.close()
    assert not left() - before


NT_ROWS = [
    {
        "Nomi": nomi('Say "hi"\\ then\nleave', "tab\there\rcr", "\x01control\x0bchars\ufffe", ""),
        "Hudud": "1726",
        "Manzil": 'back\\slash "q"',
        "Ochilgansana": "2001-03-12",
        "Kitoblarsoni": -12.5,
        "Joylashuv": [-41.0, 69.5],
        "Xizmathududi": [[41.0, 69.25], [41.5, -69.0], [1e-05, 1e16], [-0.0, 9.5e15]],
    },
    {
        "Nomi": nomi("", "Тошкент шаҳри", "\x02", "engl\r\nish"),
        "Hudud": "1718",
        "Manzil": "",
        "Ochilgansana": None,
        "Kitoblarsoni": 0.1 + 0.2,
        "Joylashuv": None,
        "Xizmathududi": [[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [1.0, 2.0]],
    },
    AWKWARD[2],  # every value empty but -0.0 and a location of zeros
    {
        "Nomi": nomi("«ёлка»", "", "", "a,b"),
        "Hudud": "1735",
        "Manzil": "\x7f and é",
        "Ochilgansana": "2024-02-29",
        "Kitoblarsoni": 2**53 - 1,
        "Joylashuv": [41.31108, 69.27974],
        "Xizmathududi": [[1.5e-07, 123456789.125]],
    },
    {
        "Nomi": nomi("x", "y", "z", "w"),
        "Hudud": "1726",
        "Manzil": "@home",
        "Ochilgansana": "1960-01-01",
        "Kitoblarsoni": 9.5e15,
        "Joylashuv": [12.0, 13.0],
        "Xizmathududi": [[12.0, 13.0]],
    },  # fmt: skip
]


def nt_by_rows(client, query, monkeypatch):
    """The N-Triples the row writer gives for version 2 (the file path turned off)."""
    from exporters import _sql
    from portal.services.discovery import downloads

    with monkeypatch.context() as m:
        m.setattr(_sql, "usable", lambda table, fields: False)
        downloads.drop(dataset_id())
        resp = client.get(f"{BASE}/data.nt{query}")
    assert resp.status_code == 200
    downloads.drop(dataset_id())
    return resp.data


def dataset_id():
    from portal.db.models import Dataset

    return Dataset.objects(code=LIB).first().id


@pytest.mark.wire
def test_ntriples_from_the_file_give_the_row_writers_bytes(client, monkeypatch):
    import rdflib

    from exporters import rdf_ntriples

    show_polygon()
    publish_v2(LIB, NT_ROWS * 5)
    files = {}
    for query in ("", "?lang=ru", "?lang=oz"):
        with monkeypatch.context() as m:
            m.setattr(rdf_ntriples, "render_rows", lambda *a: pytest.fail("the row path"))
            resp = client.get(f"{BASE}/data.nt{query}")
        assert resp.status_code == 200, resp.data[:300]
        assert resp.data == nt_by_rows(client, query, monkeypatch), query
        files[query] = resp.data.decode()
    text = files[""]
    graph = rdflib.Graph().parse(data=text, format="nt")
    assert len({s for s in graph.subjects() if "/rows/" in str(s)}) == 3 + 25
    assert '"Say \\"hi\\"\\\\ then\\nleave"@uz ' in text
    assert '"tab\there\\rcr"@uz-Cyrl ' in text
    assert '"controlchars"@ru ' in text  # the characters XML forbids are dropped
    ring = "POLYGON((69.25 41.0, -69.0 41.5, 1e+16 1e-05, 9500000000000000.0 -0.0, 69.25 41.0))"
    assert ring in text
    assert "POLYGON((2.0 1.0, 4.0 3.0, 6.0 5.0, 2.0 1.0))" in text  # closed already
    assert "POINT(123456789.125 1.5e-07)" in text
    assert '"-0"^^<http://www.w3.org/2001/XMLSchema#decimal>' in text  # a location's -0.0
    assert "@uz " not in files["?lang=oz"] and "@uz-Cyrl " in files["?lang=oz"]


@pytest.mark.wire
def test_ntriples_with_a_decimal_in_exponent_form_take_the_row_path(client, monkeypatch):
    from exporters import rdf_ntriples

    show_polygon()
    publish_v2(LIB, [*NT_ROWS, {**NT_ROWS[0], "Kitoblarsoni": 1e16}])
    taken = []
    real = rdf_ntriples.render_rows
    monkeypatch.setattr(rdf_ntriples, "render_rows", lambda *a: taken.append(1) or real(*a))
    resp = client.get(f"{BASE}/data.nt")
    assert resp.status_code == 200 and taken
    assert b'"10000000000000000"^^<http://www.w3.org/2001/XMLSchema#decimal>' in resp.data


@pytest.mark.wire
def test_ntriples_of_a_value_its_column_cannot_carry_take_the_row_path(client, monkeypatch):
    from exporters import rdf_ntriples

    show_polygon()
    publish_v2(LIB, [*NT_ROWS, {**NT_ROWS[0], "Kitoblarsoni": 2**60 + 1}])
    expected = nt_by_rows(client, "", monkeypatch)
    calls = []
    real = rdf_ntriples.render_rows

    def counted(*args):
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(rdf_ntriples, "render_rows", counted)
    resp = client.get(f"{BASE}/data.nt")
    assert resp.status_code == 200
    assert calls == [1] and resp.data == expected
    assert f'"{2**60 + 1}"^^'.encode() in resp.data
