"""Fixtures: the app on mongomock, and (for tests marked `wire`) on a real SecantusDB server."""

import os
import tempfile

import pytest

from portal.embedded import EmbeddedMongo, free_port

_wire = {}


def pytest_generate_tests(metafunc):
    """Every test that builds the app runs twice: on mongomock and on the real wire server."""
    if "backend" in metafunc.fixturenames:
        only = os.environ.get("PORTAL_TEST_BACKEND")
        backends = ["mock", "wire"]
        if only:
            backends = [b for b in backends if b == only]
        metafunc.parametrize("backend", backends, scope="function")


def _wire_uri():
    if "server" not in _wire:
        folder = tempfile.mkdtemp(prefix="ochiq-wire-")
        server = EmbeddedMongo(port=free_port(), path=folder, cache="128M")
        server.start()
        _wire["server"] = server
    return _wire["server"].uri


def pytest_sessionfinish(session, exitstatus):
    server = _wire.pop("server", None)
    if server:
        from portal.ratelimits import close_storage

        close_storage()  # while its server still answers: a close after that waits 30 s
        server.stop()


def build_app(backend, overrides=None):
    """Yield the app on the backend's database (dropped afterwards), with config overrides."""
    from portal.app import create_app
    from portal.db.connection import disconnect, get_db

    overrides = {"LOAD_DEMO": True, **(overrides or {})}
    if backend == "wire":
        overrides["MONGO_URI"] = _wire_uri()
        overrides["MONGO_DB"] = f"ochiq_test_{os.getpid()}"
    application = create_app("testing", overrides)
    yield application
    db = get_db()
    if backend == "wire":
        db.client.drop_database(db.name)
    disconnect()


@pytest.fixture
def app(backend):
    yield from build_app(backend)


@pytest.fixture
def client(app):
    return app.test_client()


class Caller:
    """A user with a personal token, and its Authorization header."""

    def __init__(self, user, token):
        self.user = user
        self.token = token
        self.headers = {"Authorization": f"Bearer {token}"}

    @property
    def id(self):
        return str(self.user.id)


def make_caller(email, roles, organization=None):
    from portal.db.models import User
    from portal.services import tokens

    user = User(email=email, name=email.split("@")[0], roles=roles, organization=organization)
    user.save()
    _, token = tokens.issue(user)
    return Caller(user, token)


@pytest.fixture
def admin(app):
    return make_caller("admin@ochiq.uz", ["admin"])


@pytest.fixture
def operator(app):
    return make_caller("operator@ochiq.uz", ["operator"])


@pytest.fixture
def author(app):
    """An author of the statistics agency (organization 2-001)."""
    return make_caller("author@stat.uz", ["author"], "2-001")


@pytest.fixture
def other_author(app):
    """An author of the ministry of health (organization 4-019)."""
    return make_caller("author@ssv.uz", ["author"], "4-019")
