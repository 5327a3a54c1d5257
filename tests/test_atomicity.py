"""A failed or killed write leaves the previous version whole; writers take turns."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime
from pathlib import Path

import pytest

from tests.helpers import upload, xlsx_bytes

LIBRARIES = "4-019-0014"


def current(code):
    from portal.db import rows
    from portal.db.models import Dataset

    dataset = Dataset.objects(code=code).first()
    return dataset, list(rows.iter_rows(dataset.id, dataset.current_version))


def library_rows(n, tag="row"):
    return [
        [f"{tag} {i}", "", "", "", "1726", f"street {i}", "01.01.2020", i, "41.3 69.2", ""]
        for i in range(n)
    ]


def library_header():
    from portal.core.columns import template_columns
    from portal.db.models import Dataset

    dataset = Dataset.objects(code=LIBRARIES).first()
    return [c.header for c in template_columns([f.to_dict() for f in dataset.fields])]


@pytest.fixture
def health_author(app):
    from tests.conftest import make_caller

    return make_caller("author2@ssv.uz", ["author"], "4-019")


def test_upload_while_another_writes_gets_409(client, health_author):
    from portal.services.publishing import versions

    dataset, before = current(LIBRARIES)
    data = xlsx_bytes(library_header(), library_rows(3))
    with versions.writing(dataset):
        resp = upload(client, health_author, LIBRARIES, data)
    assert resp.status_code == 409
    assert "try again" in resp.json["message"]
    assert current(LIBRARIES)[1] == before
    resp = upload(client, health_author, LIBRARIES, data)
    assert resp.status_code == 201
    assert resp.json["version"] == 2


@pytest.mark.wire
def test_concurrent_uploads_one_wins(app, health_author, backend):
    if backend != "wire":
        pytest.skip("threads need a real server (mongomock is not thread-safe)")
    header = library_header()
    files = [xlsx_bytes(header, library_rows(3000, tag=f"t{k}")) for k in range(4)]
    statuses = []

    def send(data):
        with app.test_client() as c:
            statuses.append(upload(c, health_author, LIBRARIES, data).status_code)

    threads = [threading.Thread(target=send, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses.count(201) >= 1
    assert set(statuses) <= {201, 409}
    dataset, rows = current(LIBRARIES)
    numbers = [v.number for v in dataset.versions]
    assert numbers == sorted(numbers) == list(range(1, len(numbers) + 1))
    assert dataset.current_version == 1 + statuses.count(201)
    assert len(rows) == 3000 and len({r["Nomi"]["uzbText"].split()[0] for r in rows}) == 1


def test_failure_mid_write_discards_partial_version(client, health_author, monkeypatch):
    from portal.db import row_writer
    from portal.db import rows as row_store

    dataset, before = current(LIBRARIES)
    stored_before = row_store.storage_count(dataset.id)
    original = row_writer.VersionWriter._flush
    calls = {"n": 0}

    def failing_flush(self):
        original(self)
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")

    monkeypatch.setattr(row_writer.VersionWriter, "_flush", failing_flush)
    monkeypatch.setattr(row_store, "BATCH", 100)
    resp = upload(client, health_author, LIBRARIES, xlsx_bytes(library_header(), library_rows(500)))
    assert resp.status_code == 500
    assert resp.json["message"] == "internal error"
    dataset, after = current(LIBRARIES)
    assert after == before and dataset.current_version == 1
    assert row_store.storage_count(dataset.id) == stored_before
    assert "id" not in (dataset.lock or {})


@pytest.mark.wire
def test_killed_writer_leaves_previous_version_readable(app, health_author, backend):
    if backend != "wire":
        pytest.skip("a second process needs a real server")
    from portal.db import rows as row_store
    from portal.db.connection import get_db

    dataset, before = current(LIBRARIES)
    db = get_db()
    uri = app.config["MONGO_URI"]
    proc = subprocess.run(
        [sys.executable, "-m", "tests.crash_writer", uri, db.name, LIBRARIES, "4500"],
        cwd=Path(__file__).parents[1],
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == -9, proc.stderr.decode()[-2000:]
    dataset, after = current(LIBRARIES)
    assert after == before, "the previous version reads back whole"
    assert dataset.current_version == 1 and [v.number for v in dataset.versions] == [1]
    assert row_store.storage_count(dataset.id) > len(before), "the crash left partial rows"
    # The dead writer's lease runs out; the next upload cleans up and publishes version 2.
    from portal.db.models import Dataset

    Dataset._get_collection().update_one(
        {"_id": dataset.id}, {"$set": {"lock.until": datetime(2000, 1, 1)}}
    )
    client = app.test_client()
    resp = upload(client, health_author, LIBRARIES, xlsx_bytes(library_header(), library_rows(5)))
    assert resp.status_code == 201, resp.json
    assert resp.json["version"] == 2
    assert row_store.storage_count(dataset.id) == len(before) + 5
    assert current(LIBRARIES)[1][0]["Nomi"]["uzbText"] == "row 0"


@pytest.mark.wire
def test_writer_stopped_past_its_lease_is_fenced(app, health_author, backend):
    """The first writer is stopped (SIGSTOP) past its lease while writing; a second one takes
    the lock over and publishes; the first resumes, stops at its next step with 409 and removes
    only its own rows: the published version stays whole and verifiable."""
    if backend != "wire":
        pytest.skip("a second process needs a real server")
    from portal.db import rows as row_store
    from portal.db.connection import get_db
    from portal.db.models import Dataset
    from portal.services.publishing import versions

    dataset, before = current(LIBRARIES)
    stored_before = row_store.storage_count(dataset.id)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_writer", app.config["MONGO_URI"], get_db().name,
         LIBRARIES, "20000", "slow", "1"],
        cwd=Path(__file__).parents[1],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        assert proc.stdout.readline().strip() == b"WRITING", proc.stderr.read()[-2000:]
        os.kill(proc.pid, signal.SIGSTOP)
        time.sleep(2)  # past the first writer's lease of 1 s
        client = app.test_client()
        data = xlsx_bytes(library_header(), library_rows(7, tag="second"))
        resp = upload(client, health_author, LIBRARIES, data)
        assert resp.status_code == 201, resp.json
        assert resp.json["version"] == 2
    finally:
        os.kill(proc.pid, signal.SIGCONT)
    out, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err.decode()[-2000:]
    assert out.decode().splitlines()[-1].startswith("STATUS 409"), out.decode()
    dataset, after = current(LIBRARIES)
    assert dataset.current_version == 2
    assert [r["Nomi"]["uzbText"] for r in after] == [f"second {i}" for i in range(7)]
    assert versions.verify(dataset, 2) and versions.verify(dataset, 1)
    assert row_store.storage_count(dataset.id) == stored_before + 7, "the first writer's rows"
    doc = Dataset._get_collection().find_one({"_id": dataset.id})
    assert not doc.get("unclean") and "lock" not in doc
    assert before and current(LIBRARIES)[1] == after
