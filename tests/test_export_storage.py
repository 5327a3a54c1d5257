"""Stored downloads span many GridFS chunks intact; version reads page by position windows."""

import hashlib

import pytest

from tests.test_public_api import LIB, STAT, publish_v2


@pytest.mark.wire
def test_a_file_of_many_chunks_is_stored_and_streamed_whole(client, monkeypatch):
    from portal.db import export_store
    from portal.db.connection import get_db

    monkeypatch.setattr(export_store, "FILE_CHUNK", 1000)
    publish_v2(LIB, [{"Manzil": f"Manzil {i}", "Kitoblarsoni": i} for i in range(200)])
    first = client.get(f"/api/v1/datasets/{LIB}/data.csv")
    assert first.status_code == 200 and len(first.data) > 5000
    assert first.headers["ETag"] == f'"{hashlib.sha256(first.data).hexdigest()}"'
    assert first.data.decode("utf-8-sig").count("Manzil ") == 200
    stored = get_db()["exports.files"].find_one()
    assert stored["chunkSize"] == 1000 and stored["length"] == len(first.data)
    chunks = list(get_db()["exports.chunks"].find({"files_id": stored["_id"]}).sort("n", 1))
    assert [c["n"] for c in chunks] == list(range(-(-len(first.data) // 1000)))
    assert b"".join(c["data"] for c in chunks) == first.data
    again = client.get(f"/api/v1/datasets/{LIB}/data.csv")
    assert again.data == first.data


def test_a_failed_build_leaves_no_chunks(client, monkeypatch):
    import exporters
    from portal.db import export_store
    from portal.db.connection import get_db

    def broken(fmt, meta, fields, rows, lang=None):
        yield b"x" * 2500
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_store, "FILE_CHUNK", 1000)
    monkeypatch.setattr(exporters, "render", broken)
    assert client.get(f"/api/v1/datasets/{STAT}/data.csv").status_code == 500
    assert get_db()["exports.chunks"].count_documents({}) == 0
    assert get_db()["exports.files"].count_documents({}) == 0


def _stored(fmt, timeout=30.0):
    """The stored file of a format once the store behind the answer is done ({} for none)."""
    import time

    from portal.db.connection import get_db

    deadline = time.monotonic() + timeout
    while get_db()["leases"].count_documents({}) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not get_db()["leases"].count_documents({}), "the store behind the answer never ended"
    return get_db()["exports.files"].find_one({"metadata.format": fmt}) or {}


@pytest.mark.wire
def test_the_first_answer_comes_from_the_build_and_the_store_follows(client, monkeypatch):
    from portal.db import export_store
    from portal.db.connection import get_db
    from portal.services.discovery import downloads

    monkeypatch.setitem(downloads._settings, "store", "thread")
    monkeypatch.setattr(export_store, "FILE_CHUNK", 1000)
    publish_v2(LIB, [{"Manzil": f"Manzil {i}", "Kitoblarsoni": i} for i in range(200)])
    first = client.get(f"/api/v1/datasets/{LIB}/data.csv")
    assert first.status_code == 200 and len(first.data) > 5000
    assert first.headers["ETag"] == f'"{hashlib.sha256(first.data).hexdigest()}"'
    assert int(first.headers["Content-Length"]) == len(first.data)
    stored = _stored("csv")
    assert stored and stored["length"] == len(first.data)
    assert stored["sha256"] == hashlib.sha256(first.data).hexdigest()
    assert get_db()["leases"].count_documents({}) == 0
    again = client.get(f"/api/v1/datasets/{LIB}/data.csv")  # from GridFS now
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert get_db()["exports.files"].count_documents({}) == 1


@pytest.mark.wire
def test_a_store_that_fails_behind_the_answer_leaves_nothing(client, monkeypatch):
    from portal.db import export_store
    from portal.db.connection import get_db
    from portal.services.discovery import downloads

    def broken(self, sha256):
        raise RuntimeError("the database went away")

    monkeypatch.setitem(downloads._settings, "store", "thread")
    monkeypatch.setattr(export_store, "FILE_CHUNK", 1000)
    with monkeypatch.context() as m:
        m.setattr(export_store.Upload, "close", broken)
        first = client.get(f"/api/v1/datasets/{LIB}/data.csv")
        assert first.status_code == 200
        assert first.data.decode("utf-8-sig").count("\r\n") == 4  # header and 3 rows, whole
        assert _stored("csv") == {}
    assert get_db()["exports.chunks"].count_documents({}) == 0
    again = client.get(f"/api/v1/datasets/{LIB}/data.csv")  # built again, stored this time
    assert again.data == first.data
    assert _stored("csv")["sha256"] == hashlib.sha256(first.data).hexdigest()


def test_version_rows_come_in_order_across_windows_and_gaps(app):
    from portal.db import rows as row_store
    from portal.db.models import LIVE

    col = row_store.collection("windows")
    positions = [1, 2, 3, 9, 10, 30, 31, 32, 100]
    docs = [{"p": p, "h": str(p), "f": 1, "t": LIVE, "d": {"n": p}} for p in positions]
    docs.append({"p": 4, "h": "old", "f": 1, "t": 1, "d": {"n": "closed"}})  # not in version 1
    docs.append({"p": 5, "h": "new", "f": 2, "t": LIVE, "d": {"n": "later"}})  # version 2 only
    col.insert_many(docs[::-1])
    got = [r["n"] for r in row_store.iter_rows("windows", 1, batch=3)]
    assert got == positions
    assert [r["n"] for r in row_store.iter_rows("windows", 1)] == positions
