"""The table API over each version's columnar file: operators, sorts, groups, bad input."""

import pytest

from tests.test_public_api import LIB, STAT, publish_v2

LIB_ROWS = f"/api/v1/datasets/{LIB}/rows"
STAT_ROWS = f"/api/v1/datasets/{STAT}/rows"


def get(client, url, **query):
    resp = client.get(url, query_string=query)
    assert resp.status_code == 200, resp.json
    return resp.json


def many_rows(n):
    return [
        {
            "Nomi": {"uzbText": f"Kutubxona {i}", "uzbKrText": "", "rusText": "", "engText": ""},
            "Hudud": ("1726", "1718", "1735")[i % 3],
            "Manzil": f"Ko'cha {i}" if i % 5 else None,
            "Ochilgansana": f"20{10 + i % 10}-01-0{1 + i % 9}",
            "Kitoblarsoni": i * 10,
        }
        for i in range(1, n + 1)
    ]


@pytest.mark.wire
def test_each_operator_selects_what_it_says(client):
    publish_v2(LIB, many_rows(60))  # version 2: the 3 seeded rows and 60 more
    assert get(client, LIB_ROWS)["total"] == 63
    gt = get(client, LIB_ROWS, **{"Kitoblarsoni.gt": "500", "page_size": "100"})
    assert sorted(r["Kitoblarsoni"] for r in gt["items"]) == [
        *range(510, 601, 10),
        9800,
        15230,
        40210,
    ]
    lt = get(client, LIB_ROWS, **{"Kitoblarsoni.lt": "30"})
    assert [r["Kitoblarsoni"] for r in lt["items"]] == [10, 20]
    between = get(client, LIB_ROWS, **{"Kitoblarsoni.gte": "100", "Kitoblarsoni.lte": "120"})
    assert [r["Kitoblarsoni"] for r in between["items"]] == [100, 110, 120]
    ne = get(client, LIB_ROWS, **{"Hudud.ne": "1726"})
    assert ne["total"] == 63 - 21
    inside = get(client, LIB_ROWS, **{"Hudud.in": "1718,1735"})
    assert inside["total"] == 42
    assert {r["Hudud"] for r in inside["items"]} == {"1718", "1735"}
    contains = get(client, LIB_ROWS, **{"Nomi.contains": "KUTUBXONA 1"})
    # "Kutubxona 1", "10".."19" and the seeded "1-son bolalar kutubxonasi" does not match
    assert contains["total"] == 11
    empty = get(client, LIB_ROWS, **{"Manzil.empty": "true"})
    assert empty["total"] == 12
    assert all(r["Manzil"] is None for r in empty["items"])
    assert get(client, LIB_ROWS, **{"Manzil.empty": "false"})["total"] == 51
    dated = get(client, LIB_ROWS, **{"Ochilgansana.gte": "01.01.2018", "page_size": "100"})
    assert dated["total"] == 12
    assert all(r["Ochilgansana"] >= "2018-01-01" for r in dated["items"])
    assert get(client, LIB_ROWS, Hudud="1735", Kitoblarsoni="20")["total"] == 1


@pytest.mark.wire
def test_pages_at_any_depth_and_sorts(client):
    publish_v2(LIB, many_rows(60))
    last = get(client, LIB_ROWS, page="7", page_size="10")
    assert last["total"] == 63 and [r["Kitoblarsoni"] for r in last["items"]] == [580, 590, 600]
    assert get(client, LIB_ROWS, page="8", page_size="10")["items"] == []
    by_region = get(client, LIB_ROWS, sort="Hudud,-Kitoblarsoni", page_size="100")["items"]
    keys = [(r["Hudud"], -r["Kitoblarsoni"]) for r in by_region]
    assert keys == sorted(keys)
    second_page = get(client, LIB_ROWS, sort="-Kitoblarsoni", page="2", page_size="5")["items"]
    assert [r["Kitoblarsoni"] for r in second_page] == [580, 570, 560, 550, 540]
    by_name = get(client, LIB_ROWS, sort="Nomi", lang="en", page_size="3")["items"]
    assert [r["Nomi"] for r in by_name] == ["", "", ""] or by_name[0]["Nomi"] <= by_name[1]["Nomi"]


@pytest.mark.wire
def test_groups_and_aggregations(client):
    publish_v2(LIB, many_rows(60))
    grouped = get(client, LIB_ROWS, group_by="Hudud", agg="count,sum:Kitoblarsoni,max:Ochilgansana")
    assert grouped["total"] == 3
    by_code = {g["Hudud"]: g for g in grouped["items"]}
    expected_sum = sum(i * 10 for i in range(1, 61) if i % 3 == 0) + 15230
    assert by_code["1726"]["count"] == 21
    assert by_code["1726"]["sum:Kitoblarsoni"] == expected_sum
    assert by_code["1726"]["max:Ochilgansana"] == "2019-01-01" or by_code["1726"][
        "max:Ochilgansana"
    ].startswith("201")
    ordered = get(client, LIB_ROWS, group_by="Hudud", agg="sum:Kitoblarsoni",
                  sort="-sum:Kitoblarsoni")["items"]  # fmt: skip
    sums = [g["sum:Kitoblarsoni"] for g in ordered]
    assert sums == sorted(sums, reverse=True)
    totals = get(client, LIB_ROWS, agg="count,avg:Kitoblarsoni,min:Kitoblarsoni")
    assert totals["total"] == 1
    assert totals["items"][0]["count"] == 63 and totals["items"][0]["min:Kitoblarsoni"] == 10
    filtered = get(client, LIB_ROWS, group_by="Hudud", **{"Kitoblarsoni.lte": "30"})
    assert {g["Hudud"]: g["count"] for g in filtered["items"]} == {"1726": 1, "1718": 1, "1735": 1}
    regions = get(client, STAT_ROWS, group_by="Hudud", lang="ru", agg="sum:2023Y")["items"]
    assert len(regions) == 15 and all(isinstance(g["Hudud"], str) for g in regions)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"nothing": "1"}, "nothing"),
        ({"Xizmathududi": "1"}, "Xizmathududi"),  # a hidden field
        ({"Kitoblarsoni.between": "1"}, "between"),
        ({"Kitoblarsoni.gte": "abc"}, "Kitoblarsoni.gte"),
        ({"Kitoblarsoni": "1" * 400}, "Kitoblarsoni"),
        ({"Ochilgansana.lt": "31.02.2020"}, "Ochilgansana.lt"),
        ({"Manzil.gt": "a"}, "Manzil.gt"),
        ({"Kitoblarsoni.contains": "1"}, "Kitoblarsoni.contains"),
        ({"Manzil.empty": "maybe"}, "Manzil.empty"),
        ({"agg": "sum:Nomi"}, "Nomi"),
        ({"agg": "avg:Hudud"}, "Hudud"),
        ({"agg": "median:Kitoblarsoni"}, "median"),
        ({"agg": "sum:nothing"}, "nothing"),
        ({"group_by": "Joylashuv"}, "Joylashuv"),
        ({"group_by": "nothing"}, "nothing"),
        ({"sort": "nothing"}, "nothing"),
        ({"sort": "Joylashuv"}, "Joylashuv"),
        ({"group_by": "Hudud", "sort": "Manzil"}, "Manzil"),
        ({"Manzil[$ne]": "x"}, "Manzil[$ne]"),
    ],
)
def test_bad_queries_answer_400_naming_the_problem(client, query, named):
    resp = client.get(LIB_ROWS, query_string=query)
    assert resp.status_code == 400, resp.json
    assert named in resp.json["message"]


def test_a_repeated_filter_is_refused_but_in_takes_several(client):
    resp = client.get(f"{LIB_ROWS}?Hudud=1718&Hudud=1726")
    assert resp.status_code == 400 and "Hudud" in resp.json["message"]
    both = client.get(f"{LIB_ROWS}?Hudud.in=1718&Hudud.in=1726").json
    assert both["total"] == 2


def test_values_are_bound_never_sql(client):
    for value in ("x' OR '1'='1", "1); DROP TABLE t; --", '"c0"', "\\"):
        resp = client.get(LIB_ROWS, query_string={"Manzil": value})
        assert resp.status_code == 200 and resp.json["total"] == 0
    resp = client.get(LIB_ROWS, query_string={"Manzil.contains": "%"})
    assert resp.status_code == 200 and resp.json["total"] == 0


def generated_versions(monkeypatch, tmp_path, rows, string="'x' || i"):
    """Every version read as the structure over `rows` generated rows (strings `string`)."""
    import duckdb

    from portal.db import columnar_file
    from portal.services.discovery import table_files

    real = table_files.open_version

    def big(dataset, record):
        small = real(dataset, record)
        path = str(tmp_path / "big.parquet")
        cols = ["i AS _p"]
        for i, (_, kind) in enumerate(small.schema):
            sql_type = columnar_file.SQL_TYPES[kind]
            value = {"number": "random() * 1e6", "string": string}.get(kind, "NULL")
            cols += [f"CAST({value} AS {sql_type}) AS c{i}", f"CAST(NULL AS VARCHAR) AS x{i}"]
        with duckdb.connect() as con:
            select = f"SELECT {', '.join(cols)} FROM range(1, {rows + 1}) t(i)"  # noqa: S608
            con.execute(f"COPY ({select}) TO '{path}'")
        return table_files.TableFile(path, small.schema)

    monkeypatch.setattr(table_files, "open_version", big)


def test_a_query_past_the_time_limit_answers_422(client, monkeypatch, tmp_path):
    from portal.services.discovery import table

    generated_versions(monkeypatch, tmp_path, 3_000_000)  # a sort takes a while
    monkeypatch.setitem(table._settings, "seconds", 0.05)
    resp = client.get(LIB_ROWS, query_string={"sort": "-Manzil,Kitoblarsoni", "page": "9000"})
    assert resp.status_code == 422
    assert "narrow" in resp.json["message"]
    monkeypatch.setitem(table._settings, "seconds", 60)
    resp = client.get(LIB_ROWS, query_string={"page": "9000", "page_size": "2"})
    assert resp.status_code == 200 and resp.json["items"][0]["Manzil"] == "x17999"


def test_a_query_past_the_memory_answers_422(client, monkeypatch, tmp_path):
    import duckdb

    from portal.db import columnar_file

    generated_versions(monkeypatch, tmp_path, 500_000, string="repeat('x', 40) || i")

    def small_database():
        con = duckdb.connect(config={"threads": 1, "memory_limit": "4MB"})
        con.execute("SET temp_directory = ''")  # nothing spilled to disk either
        return con

    monkeypatch.setattr(columnar_file, "connect", small_database)
    resp = client.get(LIB_ROWS, query_string={"sort": "-Manzil,Kitoblarsoni", "page": "9000"})
    assert resp.status_code == 422, resp.json
    assert "more memory" in resp.json["message"] and "narrow" in resp.json["message"]
    monkeypatch.undo()
    assert client.get(LIB_ROWS).status_code == 200


@pytest.mark.wire
def test_old_versions_have_their_table(client):
    publish_v2(LIB, many_rows(6))
    old = get(client, f"/api/v1/datasets/{LIB}/versions/1/rows", sort="Kitoblarsoni")
    assert old["total"] == 3 and [r["Kitoblarsoni"] for r in old["items"]] == [9800, 15230, 40210]
    assert get(client, f"/api/v1/datasets/{LIB}/versions/2/rows")["total"] == 9
    assert client.get(f"/api/v1/datasets/{LIB}/versions/5/rows").status_code == 404


@pytest.mark.wire
def test_rows_read_back_exactly_as_stored(client):
    from portal.db import rows as row_store
    from portal.db.models import Dataset
    from portal.services.discovery import table_files
    from portal.services.publishing import versions

    big = 2**60 + 1
    publish_v2(STAT, [{"Hudud": None, "2010Y": big, "2011Y": 0.1 + 0.2, "2012Y": -0.0}])
    dataset = Dataset.objects(code=STAT).first()
    stored = list(row_store.iter_rows(dataset.id, 2))
    record = versions.get(dataset, 2)
    from_file = list(table_files.open_version(dataset, record).rows())
    names = [f.name for f in dataset.fields]
    assert [{n: r.get(n) for n in names} for r in stored] == from_file
    assert from_file[-1]["2010Y"] == big and type(from_file[-1]["2010Y"]) is int
    page = get(client, STAT_ROWS, page="2", page_size="15")
    assert page["items"][0]["2010Y"] == big


def test_version_zero_is_404_everywhere(client):
    assert client.get(f"/api/v1/datasets/{LIB}/versions/0/rows").status_code == 404
    assert client.get(f"/api/v1/datasets/{LIB}/versions/0/data.csv").status_code == 404
    assert client.get(f"/api/v1/datasets/{LIB}/versions/0/data.parquet").status_code == 404


@pytest.mark.wire
def test_columnar_files_are_shared_evicted_and_made_again(client, monkeypatch, tmp_path):
    from portal.db import columnar
    from portal.db.connection import get_db

    assert get(client, LIB_ROWS)["total"] == 3
    files = get_db()["columnar.files"]
    assert files.count_documents({}) >= 1
    # another host: an empty local folder, the file fetched from GridFS
    monkeypatch.setitem(columnar._settings, "folder", str(tmp_path))
    assert get(client, LIB_ROWS, sort="-Kitoblarsoni")["items"][0]["Kitoblarsoni"] == 40210
    assert len(list(tmp_path.glob("*.parquet"))) == 1
    # a store capped below one file keeps only the newest
    monkeypatch.setitem(columnar._settings, "store_cap", 1)
    publish_v2(LIB, many_rows(3))
    assert get(client, LIB_ROWS)["total"] == 6
    dataset_id = get(client, f"/api/v1/datasets/{LIB}")["id"]
    kept = [d["metadata"]["version"] for d in files.find({"metadata.dataset": dataset_id})]
    assert kept == [2]
    for path in tmp_path.glob("*.parquet"):
        path.unlink()
    assert get(client, f"/api/v1/datasets/{LIB}/versions/1/rows")["total"] == 3  # made again
