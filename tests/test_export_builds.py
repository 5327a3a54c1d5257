"""Export builds: one per file at a time, bounded waits, a capped store, parquet downloads."""

import io
import threading
import time

import pytest

from tests.test_public_api import LIB, STAT, publish_v2

URL = f"/api/v1/datasets/{STAT}/data.csv"


def slow_render(monkeypatch):
    """exporters.render held at its start until `release` is set; counts its calls."""
    import exporters

    real = exporters.render
    state = {"calls": 0, "started": threading.Event(), "release": threading.Event()}

    def render(fmt, *args, **kwargs):
        state["calls"] += 1
        state["started"].set()
        assert state["release"].wait(20)
        yield from real(fmt, *args, **kwargs)

    monkeypatch.setattr(exporters, "render", render)
    return state


def waiting(monkeypatch):
    """An event set when a request starts waiting for another request's build."""
    from portal.db import leases

    real = leases.wait_for
    event = threading.Event()

    def wait_for(*args, **kwargs):
        event.set()
        return real(*args, **kwargs)

    monkeypatch.setattr(leases, "wait_for", wait_for)
    return event


@pytest.mark.wire
def test_concurrent_requests_build_a_file_once(app, monkeypatch):
    from portal.db.connection import get_db

    state = slow_render(monkeypatch)
    second_waits = waiting(monkeypatch)
    results = {}

    def fetch(name):
        results[name] = app.test_client().get(URL)

    first = threading.Thread(target=fetch, args=("first",))
    first.start()
    assert state["started"].wait(20)
    second = threading.Thread(target=fetch, args=("second",))
    second.start()
    assert second_waits.wait(20)  # the second request is inside, waiting for the first build
    state["release"].set()
    first.join(30)
    second.join(30)
    assert state["calls"] == 1
    assert results["first"].status_code == results["second"].status_code == 200
    assert results["first"].data == results["second"].data
    assert get_db()["exports.files"].count_documents({}) == 1
    assert get_db()["leases"].count_documents({}) == 0


def test_a_request_waits_a_bounded_time_then_gets_503(app, monkeypatch):
    from portal.services.discovery import downloads

    state = slow_render(monkeypatch)
    monkeypatch.setitem(downloads._settings, "wait", 0.3)
    results = {}
    first = threading.Thread(target=lambda: results.update(first=app.test_client().get(URL)))
    first.start()
    assert state["started"].wait(20)
    busy = app.test_client().get(URL)
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == str(downloads.RETRY_AFTER)
    assert busy.json["code"] == 503 and "try again" in busy.json["message"]
    state["release"].set()
    first.join(30)
    assert results["first"].status_code == 200
    assert app.test_client().get(URL).data == results["first"].data


def test_a_dead_builders_lease_runs_out(client):
    from datetime import timedelta

    from portal.db.connection import get_db
    from portal.db.models import utcnow

    get_db()["leases"].insert_one(
        {"_id": "export:x", "holder": "dead", "until": utcnow() - timedelta(seconds=1)}
    )
    from portal.db import leases

    token = leases.acquire("export:x", 60)
    assert token and leases.acquire("export:x", 60) is None
    leases.release("export:x", "dead")  # not its lease any more: nothing happens
    assert leases.held("export:x")
    leases.release("export:x", token)
    assert not leases.held("export:x")


@pytest.mark.wire
def test_the_store_evicts_the_least_recently_used(client, monkeypatch):
    from portal.db.connection import get_db
    from portal.services.discovery import downloads

    sizes = {}
    for fmt in ("csv", "json", "xml"):
        resp = client.get(f"/api/v1/datasets/{STAT}/data.{fmt}")
        sizes[fmt] = len(resp.data)
    client.get(f"/api/v1/datasets/{STAT}/data.csv")  # csv again: not touched within the hour
    files = get_db()["exports.files"]
    files.update_one({"metadata.format": "json"}, {"$set": {"metadata.used": None}})
    monkeypatch.setitem(downloads._settings, "cap", sizes["csv"] + sizes["xml"] + 100)
    client.get(f"/api/v1/datasets/{STAT}/data.ttl")
    left = {d["metadata"]["format"] for d in files.find()}
    assert "ttl" in left and "json" not in left
    assert sum(d["length"] for d in files.find()) <= downloads._settings["cap"] or left == {"ttl"}
    orphans = get_db()["exports.chunks"].distinct("files_id")
    assert set(orphans) == {d["_id"] for d in files.find()}


def test_orphaned_chunks_are_collected(client):
    from datetime import timedelta

    from bson import ObjectId

    from portal.db import export_store
    from portal.db.connection import get_db
    from portal.db.models import utcnow

    assert client.get(URL).status_code == 200
    chunks = get_db()["exports.chunks"]
    old = ObjectId.from_datetime(utcnow() - timedelta(hours=5))
    young = ObjectId()
    chunks.insert_many(
        [{"files_id": old, "n": 0, "data": b"x"}, {"files_id": young, "n": 0, "data": b"y"}]
    )
    assert export_store.collect_orphans() == 1
    assert chunks.count_documents({"files_id": old}) == 0
    assert chunks.count_documents({"files_id": young}) == 1  # may still be building
    assert client.get(URL).status_code == 200


@pytest.mark.wire
def test_parquet_downloads_read_back_with_duckdb(client):
    import duckdb

    publish_v2(LIB, [{"Manzil": "Yangi", "Kitoblarsoni": 2**60 + 1}])
    resp = client.get(f"/api/v1/datasets/{LIB}/data.parquet")
    assert resp.status_code == 200
    assert resp.headers["Content-Type"] == "application/vnd.apache.parquet"
    old = client.get(f"/api/v1/datasets/{LIB}/versions/1/data.parquet?lang=ru")
    with duckdb.connect() as con:
        current = con.read_parquet(_file(resp.data)).fetchall()
        columns = con.read_parquet(_file(resp.data)).columns
        russian = con.read_parquet(_file(old.data)).fetchall()
    assert columns == ["Nomi", "Hudud", "Manzil", "Ochilgansana", "Kitoblarsoni", "Joylashuv"]
    assert len(current) == 4 and len(russian) == 3
    first = dict(zip(columns, current[0], strict=True))
    assert first["Nomi"]["rusText"] == "Детская библиотека № 1"
    assert str(first["Ochilgansana"]) == "2001-03-12" and first["Kitoblarsoni"] == 15230
    assert first["Joylashuv"] == [41.31108, 69.27974]
    assert current[-1][2] == "Yangi" and current[-1][4] == float(2**60 + 1)
    assert russian[0][0] == "Детская библиотека № 1"
    again = client.get(f"/api/v1/datasets/{LIB}/data.parquet")
    assert again.data == resp.data


_files = []


def _file(data):
    import tempfile

    f = tempfile.NamedTemporaryFile(suffix=".parquet", delete=False)  # noqa: SIM115
    f.write(data)
    f.close()
    _files.append(f.name)
    return f.name


def test_every_format_is_built_from_the_columnar_file(client, monkeypatch):
    from portal.db import rows as row_store

    def no_database(*args, **kwargs):
        raise AssertionError("an export read the row collection")

    client.get(f"/api/v1/datasets/{LIB}/rows")  # the table file exists from here on
    monkeypatch.setattr(row_store, "iter_rows", no_database)
    for fmt in ("csv", "json", "xml", "xlsx", "rdf", "ttl", "jsonld", "nt", "geojson", "parquet"):
        resp = client.get(f"/api/v1/datasets/{LIB}/data.{fmt}")
        assert resp.status_code == 200, fmt
        assert len(io.BytesIO(resp.data).getvalue()) > 100


@pytest.mark.wire
def test_requests_during_the_store_behind_the_answer_wait_for_it(app, monkeypatch):
    """The first answer comes from the local file; while its store runs, another request
    waits for the stored file (503 after a bounded wait), and gets it once it is in."""
    from portal.db import export_store
    from portal.db.connection import get_db
    from portal.services.discovery import downloads

    monkeypatch.setitem(downloads._settings, "store", "thread")
    monkeypatch.setitem(downloads._settings, "wait", 0.3)
    release, storing = threading.Event(), threading.Event()
    real_close = export_store.Upload.close

    def slow_close(self, sha256):
        storing.set()
        assert release.wait(20)
        return real_close(self, sha256)

    monkeypatch.setattr(export_store.Upload, "close", slow_close)
    client = app.test_client()
    first = client.get(URL)
    assert first.status_code == 200 and first.headers["ETag"]
    assert storing.wait(20)  # the answer is whole while the file is still being stored
    busy = client.get(URL)
    assert busy.status_code == 503 and busy.headers["Retry-After"]
    assert get_db()["exports.files"].count_documents({}) == 0
    results = {}
    waiter = threading.Thread(target=lambda: results.update(late=app.test_client().get(URL)))
    monkeypatch.setitem(downloads._settings, "wait", 20.0)
    waits = waiting(monkeypatch)
    waiter.start()
    assert waits.wait(20)  # inside, waiting for the store
    release.set()
    waiter.join(30)
    assert results["late"].status_code == 200
    assert results["late"].data == first.data
    assert results["late"].headers["ETag"] == first.headers["ETag"]
    assert get_db()["exports.files"].count_documents({}) == 1
    deadline = time.monotonic() + 20  # the store lets its lease go right after the file is in
    while get_db()["leases"].count_documents({}) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert get_db()["leases"].count_documents({}) == 0
