"""Fixtures: the app on mongomock, and (for tests marked `wire`) on a real SecantusDB server."""

import copy
import os
import shutil
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
    """Yield the app on the backend's database (dropped afterwards), with config overrides.

    Without overrides the app is built once per backend and reused: each test gets it back
    with the database as the first build left it (seeded), its config as built, fresh
    caches and its own rate counters.
    """
    from portal.app import create_app
    from portal.db.connection import disconnect, get_db

    if not overrides:
        yield from _reused_app(backend)
        return
    application = create_app("testing", _settings(backend, overrides))
    yield application
    _drop(backend, get_db())
    disconnect()


def _settings(backend, overrides=None):
    settings = {"LOAD_DEMO": True, **(overrides or {})}
    if backend == "wire":
        settings["MONGO_URI"] = _wire_uri()
        settings["MONGO_DB"] = f"ochiq_test_{os.getpid()}"
    return settings


def _drop(backend, db):
    if backend == "wire":
        db.client.drop_database(db.name)


_built = {}


def _reused_app(backend):
    from portal.app import create_app
    from portal.db.connection import disconnect, get_db

    if backend not in _built:
        application = create_app("testing", _settings(backend))
        _built[backend] = (application, copy.deepcopy(dict(application.config)), _dump(get_db()))
    else:
        application, config, dump = _built[backend]
        _reactivate(application, config, dump)
    yield application
    _drop(backend, get_db())
    disconnect()


def _dump(db):
    """Every collection's indexes and documents."""
    return {
        name: (db[name].index_information(), list(db[name].find()))
        for name in db.list_collection_names()
    }


def _restore(db, dump):
    for name, (indexes, docs) in dump.items():
        collection = db[name]
        for index, spec in indexes.items():
            if index == "_id_":
                continue
            options = {k: v for k, v in spec.items() if k not in ("key", "v", "ns")}
            collection.create_index(spec["key"], name=index, **options)
        if docs:
            collection.insert_many(copy.deepcopy(docs))


def _reactivate(application, config, dump):
    """The app as it was built: config, a new connection to the seeded database, and no
    state a previous test left in the process (caches, table files, rate counters)."""
    from limits.storage import storage_from_string
    from limits.strategies import STRATEGIES

    from portal import ratelimits
    from portal.db import columnar, columnar_file, row_pages
    from portal.db.connection import connect, get_db
    from portal.db.publishing import history
    from portal.services import discovery
    from portal.services.discovery import labels, table_cache, table_segments
    from portal.web import helpers as page_helpers
    from portal.web import quality as quality_words
    from portal.web import statistics as statistics_pages

    application.config.clear()
    application.config.update(copy.deepcopy(config))
    connect(config["MONGO_URI"], config["MONGO_DB"])
    _restore(get_db(), dump)
    folder = columnar.folder()
    shutil.rmtree(folder, ignore_errors=True)
    os.makedirs(folder, exist_ok=True)
    discovery.configure(application.config)
    labels.forget()
    table_cache.forget()
    table_segments.forget()
    row_pages.forget()
    columnar_file.columns_of.cache_clear()
    statistics_pages.forget()
    page_helpers.forget()
    quality_words.forget()
    history._snapshot.cache_clear()
    ratelimits.close_storage()
    limiter = ratelimits.limiter
    limiter.enabled = config["RATELIMIT_ENABLED"]
    limiter._storage = storage_from_string(
        config["RATELIMIT_STORAGE_URI"], **config["RATELIMIT_STORAGE_OPTIONS"]
    )
    limiter._limiter = STRATEGIES[limiter._strategy](limiter._storage)


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
    from portal.services.identity import tokens

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
