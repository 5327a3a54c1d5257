"""Rate limits per token or person and per address: headers, 429 with Retry-After, shared store."""

import pytest

from tests.conftest import build_app, make_caller
from tests.test_integration import filled_example, get_token

HIGH = "100000 per minute"
STATS = "2-001-11072"


def limited(backend, kind, caller=HIGH, ip=HIGH, **settings):
    from config import TestConfig

    limits = {k: dict(v) for k, v in TestConfig.RATE_LIMITS.items()}
    limits[kind] = {"caller": caller, "ip": ip}
    return build_app(backend, {"RATE_LIMITS": limits, **settings})


def _assert_refused(resp):
    assert resp.status_code == 429, resp.get_data(as_text=True)
    assert set(resp.json) >= {"code", "status", "message"} and resp.json["code"] == 429
    assert "Retry-After" in resp.json["message"]
    assert 0 <= int(resp.headers["Retry-After"]) <= 60
    assert resp.headers["X-RateLimit-Remaining"] == "0"


@pytest.mark.wire
def test_a_token_over_its_search_limit_gets_429_with_the_headers(backend):
    for app in limited(backend, "search", caller="3 per minute"):
        client = app.test_client()
        reader = make_caller("reader@ochiq.uz", [])
        answers = [client.get("/api/v1/datasets", headers=reader.headers) for _ in range(3)]
        assert [r.status_code for r in answers] == [200, 200, 200]
        assert [r.headers["X-RateLimit-Remaining"] for r in answers] == ["2", "1", "0"]
        assert {r.headers["X-RateLimit-Limit"] for r in answers} == {"3"}
        assert all(int(r.headers["X-RateLimit-Reset"]) > 0 for r in answers)
        assert "Retry-After" not in answers[0].headers
        _assert_refused(client.get("/api/v1/datasets?q=maktab", headers=reader.headers))
        # Rows filters count as searches too; other people and the public are not held up.
        _assert_refused(client.get(f"/api/v1/datasets/{STATS}/rows", headers=reader.headers))
        other = make_caller("other@ochiq.uz", [])
        assert client.get("/api/v1/datasets", headers=other.headers).status_code == 200
        assert client.get("/api/v1/datasets").status_code == 200
        # Downloads are another kind, with their own counter.
        data = client.get(f"/api/v1/datasets/{STATS}/data.csv", headers=reader.headers)
        assert data.status_code == 200


@pytest.mark.wire
def test_the_address_limit_holds_anonymous_callers(backend):
    for app in limited(backend, "download", ip="2 per minute"):
        client = app.test_client()
        for _ in range(2):
            assert client.get(f"/api/v1/datasets/{STATS}/data.csv").status_code == 200
        _assert_refused(client.get(f"/api/v1/datasets/{STATS}/versions/1/data.json"))
        # Another address is counted apart.
        elsewhere = client.get(
            f"/api/v1/datasets/{STATS}/data.csv", environ_base={"REMOTE_ADDR": "10.1.2.3"}
        )
        assert elsewhere.status_code == 200


def test_behind_a_trusted_proxy_each_client_is_counted_apart(backend):
    csv = f"/api/v1/datasets/{STATS}/data.csv"

    def via_proxy(client, address):
        return client.get(csv, environ_base={"REMOTE_ADDR": "127.0.0.1"},
                          headers={"X-Forwarded-For": address})  # fmt: skip

    for app in limited(backend, "download", ip="1 per minute", TRUSTED_PROXIES=1):
        client = app.test_client()
        assert via_proxy(client, "203.0.113.7").status_code == 200
        _assert_refused(via_proxy(client, "203.0.113.7"))
        assert via_proxy(client, "198.51.100.20").status_code == 200
    # Without a trusted proxy the header is the client's to forge: it changes nothing.
    for app in limited(backend, "download", ip="1 per minute"):
        client = app.test_client()
        assert via_proxy(client, "203.0.113.7").status_code == 200
        _assert_refused(via_proxy(client, "198.51.100.20"))


@pytest.mark.wire
def test_pushes_are_counted_per_token_in_the_body(backend):
    for app in limited(backend, "push", caller="1 per minute"):
        client = app.test_client()
        author = make_caller("author@stat.uz", ["author"], "2-001")
        got = get_token(client, author, STATS)
        body = filled_example(got["dataset"], got["token"])
        assert client.post("/apiData/MainData/ExternalApi", json=body).status_code == 200
        refused = client.post("/apiData/MainData/ExternalApi", json=body)
        _assert_refused(refused)
        # In the push's own shape, as its other refusals: integrators test `success`.
        assert refused.json["success"] is False


def test_every_other_write_falls_under_the_write_limit(backend):
    for app in limited(backend, "write", caller="2 per minute"):
        client = app.test_client()
        admin = make_caller("admin@ochiq.uz", ["admin"])
        for n in range(2):
            made = client.post(
                "/api/v1/users",
                json={"email": f"u{n}@ochiq.uz", "name": "U", "roles": []},
                headers=admin.headers,
            )
            assert made.status_code == 201
        # Another endpoint, the same kind: the counter is shared.
        _assert_refused(
            client.post(f"/api/v1/users/{admin.id}/tokens", json={}, headers=admin.headers)
        )
        # Reads are not writes.
        assert client.get("/api/v1/users", headers=admin.headers).status_code == 200


def test_sign_in_is_limited_per_address(backend):
    for app in limited(backend, "signin", ip="2 per minute"):
        client = app.test_client()
        for _ in range(2):
            assert client.get("/auth/dev-login?email=nobody@x.uz").status_code == 404
        _assert_refused(client.get("/auth/dev-login?email=nobody@x.uz"))


@pytest.mark.wire
def test_the_counters_live_in_the_shared_database(backend):
    """Two apps (two workers) on one database count together."""
    if backend != "wire":
        pytest.skip("mongomock has no server to share: the wire run checks this")
    from portal.db.connection import get_db

    for app in limited(backend, "search", caller="2 per minute"):
        reader = make_caller("reader@ochiq.uz", [])
        assert app.config["RATELIMIT_STORAGE_URI"].startswith("mongodb://")
        first = app.test_client()
        assert first.get("/api/v1/datasets", headers=reader.headers).status_code == 200
        assert get_db()["rate_limits"].count_documents({}) >= 1
        from portal import ratelimits

        # A second worker: a fresh storage client on the same database.
        ratelimits.limiter.init_app(app)
        second = app.test_client()
        assert second.get("/api/v1/datasets", headers=reader.headers).status_code == 200
        _assert_refused(second.get("/api/v1/datasets", headers=reader.headers))


_EXITS = """
import gc
import sys
from portal.app import create_app
from portal.ratelimits import limiter
gc.disable()  # as in a long test run: cycles wait for the collection at exit
held = []
for name in ("first", "second", "third"):
    app = create_app("testing", {"MONGO_URI": sys.argv[1], "MONGO_DB": "ochiq_exit_" + name})
    answer = app.test_client().post("/api/v1/feedback", json={})
    assert answer.headers["X-RateLimit-Remaining"], answer.headers
    cycle = [limiter._storage]
    cycle.append(cycle)  # a storage held in a reference cycle, as tracebacks hold them
    held.append(app)
print("built", flush=True)
"""


@pytest.mark.wire
def test_a_process_with_the_counters_in_mongodb_exits_cleanly(backend):
    # The counters' client used to be closed by the garbage collector at interpreter exit:
    # pymongo's monitors are stopped by then, so the close either failed or started a monitor
    # thread and waited for it forever (a worker, or a test run, that never ends).
    import subprocess
    import sys
    from pathlib import Path

    from tests.conftest import _wire_uri

    if backend != "wire":
        pytest.skip("the counters live in MongoDB only on the wire server")
    done = subprocess.run(
        [sys.executable, "-c", _EXITS, _wire_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(Path(__file__).resolve().parents[1]),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "built"
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr, done.stderr


@pytest.mark.wire
def test_community_writes_have_a_strict_limit_per_person(backend):
    for app in limited(backend, "community", caller="2 per minute"):
        client = app.test_client()
        talker = make_caller("talker@mail.uz", [])
        for n in range(2):
            made = client.post(
                f"/api/v1/datasets/{STATS}/comments", json={"text": f"Savol {n}"},
                headers=talker.headers,
            )  # fmt: skip
            assert made.status_code == 201, made.json
        # Every community write of the person shares the counter: a rating is the third.
        rating = {"stars": 4}
        _assert_refused(
            client.put(f"/api/v1/datasets/{STATS}/rating", json=rating, headers=talker.headers)
        )
        _assert_refused(client.post("/api/v1/proposals/x/votes", headers=talker.headers))
        # Reading goes on; another person behind the same address is not held up.
        assert client.get(f"/api/v1/datasets/{STATS}/comments").status_code == 200
        other = make_caller("other@mail.uz", [])
        answer = client.post(
            f"/api/v1/datasets/{STATS}/comments", json={"text": "Men ham"}, headers=other.headers
        )
        assert answer.status_code == 201
        # Nothing was written by the refused requests.
        listed = client.get(f"/api/v1/datasets/{STATS}/comments").json
        assert sorted(c["text"] for c in listed["items"]) == ["Men ham", "Savol 0", "Savol 1"]
        assert client.get(f"/api/v1/datasets/{STATS}/rating").json["count"] == 0


@pytest.mark.wire
def test_anonymous_feedback_is_held_by_the_address_limit_on_pages_too(backend):
    for app in limited(backend, "community", ip="2 per minute"):
        client = app.test_client()
        body = {"full_name": "Ali Valiyev", "email": "ali@example.uz", "message": "Rahmat!"}
        assert client.post("/api/v1/feedback", json=body).status_code == 201
        form = client.post("/ru/feedback", data=body)
        assert form.status_code == 303  # the page's form counts under the same address
        _assert_refused(client.post("/api/v1/feedback", json=body))
        page = client.post("/ru/feedback", data=body, headers={"Accept": "text/html"})
        assert page.status_code == 429
        assert int(page.headers["Retry-After"]) > 0
        assert "Слишком много запросов" in page.text and "Подождите минуту" in page.text
        assert "too many" not in page.text.lower()
        # Showing the form is not a write: it still opens.
        assert client.get("/ru/feedback", headers={"Accept": "text/html"}).status_code == 200
        # Another address is counted apart.
        elsewhere = client.post(
            "/api/v1/feedback", json=body, environ_base={"REMOTE_ADDR": "10.9.8.7"}
        )
        assert elsewhere.status_code == 201
