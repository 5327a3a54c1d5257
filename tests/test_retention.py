"""TTL indexes for sessions, jobs and raw searches; hashed session ids; unused indexes gone."""

import hashlib
from datetime import datetime

import pytest

from portal.db.retention import UNUSED_DATASET_INDEXES
from portal.services.discovery.search import PUBLIC

DAY = 86400


def _db():
    from portal.db.connection import get_db

    return get_db()


def test_session_ids_are_stored_hashed(client, author):
    resp = client.get("/auth/dev-login?email=author@stat.uz")
    assert resp.status_code == 302
    sid = client.get_cookie("session").value
    sessions = _db()["sessions"]
    assert sessions.find_one({"_id": sid}) is None, "the cookie's value is never stored"
    stored = sessions.find_one({"_id": hashlib.sha256(sid.encode()).hexdigest()})
    assert stored and stored["data"]["user_id"] == author.id
    assert client.get("/api/v1/me").json["id"] == author.id
    # A copied collection does not open a session: its ids are not cookies.
    other = client.application.test_client()
    other.set_cookie("session", stored["_id"])
    assert other.get("/api/v1/me").status_code == 401


def test_ttl_indexes_expire_sessions_jobs_and_raw_searches(app):
    expected = {
        "sessions": ("expires", 0),
        "jobs": ("finished_at", app.config["JOB_RETENTION_DAYS"] * DAY),
        "search_log": ("at", app.config["SEARCH_LOG_DAYS"] * DAY),
    }
    for name, (field, seconds) in expected.items():
        info = _db()[name].index_information()
        ttl = [i for i in info.values() if i.get("key") == [(field, 1)]]
        assert ttl and ttl[0].get("expireAfterSeconds") == seconds, (name, info)


def test_a_changed_lifetime_replaces_the_ttl_index(app):
    from portal.db import retention

    retention.ensure(search_log_days=7, job_days=1)
    info = _db()["search_log"].index_information()["at_ttl"]
    assert info["expireAfterSeconds"] == 7 * DAY


def test_unused_dataset_indexes_are_dropped_from_older_databases(app):
    from portal.db import retention

    datasets = _db()["datasets"]
    assert not set(UNUSED_DATASET_INDEXES) & set(datasets.index_information())
    # A database made before: the indexes are there until the next start.
    for key in (("sector", 1), ("terms", 1), ("keywords", 1), ("downloads", -1)):
        datasets.create_index([key])
    assert set(UNUSED_DATASET_INDEXES) <= set(datasets.index_information())
    retention.ensure(app.config["SEARCH_LOG_DAYS"], app.config["JOB_RETENTION_DAYS"])
    assert not set(UNUSED_DATASET_INDEXES) & set(datasets.index_information())


def _plan_indexes(plan):
    """Every index name a query plan mentions."""
    found = set()
    if isinstance(plan, dict):
        if "indexName" in plan:
            found.add(plan["indexName"])
        for value in plan.values():
            found |= _plan_indexes(value)
    elif isinstance(plan, list):
        for value in plan:
            found |= _plan_indexes(value)
    return found


@pytest.mark.wire
def test_the_queries_the_portal_runs_never_needed_the_dropped_indexes(backend, app):
    """Measured with explain: with the old indexes back, no query the code runs picks them."""
    if backend != "wire":
        pytest.skip("mongomock has no query planner: the wire run measures this")
    datasets = _db()["datasets"]
    for key in (("sector", 1), ("terms", 1), ("keywords", 1), ("downloads", -1)):
        datasets.create_index([key])
    queries = [
        ({"code": "2-001-11072"}, None),  # services.publishing.datasets.find
        ({"organization": "2-001"}, None),  # review.desk
        ({"updated_at": {"$gte": datetime(2020, 1, 1)}}, None),  # search_cache refresh
        (PUBLIC, [("code", 1)]),  # catalog
        ({**PUBLIC, "rating_count": {"$gt": 0}}, None),  # ratings.top_rated
    ]
    plans = {}
    for query, sort in queries:
        cursor = datasets.find(query)
        if sort:
            cursor = cursor.sort(sort)
        plans[str(query)] = used = _plan_indexes(cursor.explain())
        assert not used & set(UNUSED_DATASET_INDEXES), (query, used)
    # The planner does report the indexes it picks: the lookup by code uses its own.
    assert "code_1" in plans[str({"code": "2-001-11072"})], plans
