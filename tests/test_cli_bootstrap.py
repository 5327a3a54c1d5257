"""`flask --app wsgi users create-admin EMAIL` beside `make run`, with no PORTAL_MONGO_URI."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from portal.embedded import free_port

ROOT = Path(__file__).resolve().parent.parent


def _flask(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    clean.update({"PORTAL_ENV": "development", "PORTAL_LOAD_DEMO": "false", **env})
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.wire
def test_create_admin_finds_the_embedded_database_by_itself(backend, tmp_path):
    if backend != "wire":
        pytest.skip("needs the embedded server: the wire run checks this")
    from pymongo import MongoClient

    from tests.conftest import _wire, _wire_uri

    _wire_uri()
    server = _wire["server"]
    name = f"ochiq_cli_{os.getpid()}"
    done = _flask(
        "users",
        "create-admin",
        "Boss@Ochiq.uz",
        PORTAL_EMBEDDED_HOST=server.host,
        PORTAL_EMBEDDED_PORT=str(server.port),
        PORTAL_MONGO_DB=name,
    )
    client = MongoClient(server.uri)
    try:
        assert done.returncode == 0, done.stderr
        token = done.stdout.strip().splitlines()[-1]
        assert token.startswith("oqp_")
        user = client[name]["users"].find_one({"email": "boss@ochiq.uz"})
        assert user and user["roles"] == ["admin"]
        stored = client[name]["tokens"].find_one({"user": user["_id"]})
        assert stored and token not in str(stored)
    finally:
        client.drop_database(name)
        client.close()


def test_create_admin_says_when_the_embedded_database_is_not_running():
    port = free_port()  # nothing listens there
    done = _flask("users", "create-admin", "boss@ochiq.uz", PORTAL_EMBEDDED_PORT=str(port))
    assert done.returncode != 0
    assert f"the embedded database is not running on 127.0.0.1:{port}" in done.stderr
    assert "make run" in done.stderr and "PORTAL_MONGO_URI" in done.stderr
    assert "Traceback" not in done.stderr
