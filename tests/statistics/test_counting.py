"""Downloads and views count once per visitor per day, never robots or prefetches; searches
count with their result counts, Latin and Cyrillic spellings together."""

from datetime import timedelta

import pytest

from portal.db.connection import get_db
from portal.db.models import Dataset, utcnow
from portal.services.statistics import counting
from tests.statistics.helpers import LIB

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"


def downloads(code):
    return Dataset.objects(code=code).first().downloads


def get(client, path, ip="10.0.0.1", ua=BROWSER, **headers):
    return client.get(path, headers={"User-Agent": ua, **headers}, environ_base={"REMOTE_ADDR": ip})


@pytest.mark.wire
def test_download_counted_once_per_visitor_per_day_and_never_for_a_bot(client, monkeypatch):
    path = f"/api/v1/datasets/{LIB}/data.csv"
    before = downloads(LIB)
    assert get(client, path).status_code == 200
    assert get(client, path).status_code == 200
    assert downloads(LIB) == before + 1  # the same visitor the same day
    get(client, path, ip="10.0.0.2")
    assert downloads(LIB) == before + 2  # another address is another visitor
    get(client, path, ua="Mozilla/5.0 (compatible; Googlebot/2.1)", ip="10.0.0.3")
    get(client, path, ip="10.0.0.4", **{"Sec-Purpose": "prefetch"})
    get(client, path, ua="", ip="10.0.0.5")
    assert downloads(LIB) == before + 2  # a crawler, a prefetch and no user agent at all
    tomorrow = utcnow() + timedelta(days=1)
    monkeypatch.setattr(counting, "utcnow", lambda: tomorrow)
    get(client, path)
    assert downloads(LIB) == before + 3  # the first visitor again, the next day


@pytest.mark.wire
def test_downloads_counted_per_version_and_format_without_the_address(client):
    dataset = Dataset.objects(code=LIB).first()
    get(client, f"/api/v1/datasets/{LIB}/versions/1/data.json")
    get(client, f"/api/v1/datasets/{LIB}/data.csv")
    get(client, f"/api/v1/datasets/{LIB}/data.csv", ua="curl/8.5.0")  # a script is a person
    assert counting.by_version(dataset.id) == {1: {"json": 1, "csv": 2}}
    assert Dataset.objects(code=LIB).first().downloads_by_format["csv"] >= 2
    marks = list(get_db()["stat_seen"].find())
    assert marks and not any("10.0.0.1" in m["_id"] for m in marks)
    # HEAD and a conditional request answered 304 send no file and count nothing
    before = downloads(LIB)
    client.head(f"/api/v1/datasets/{LIB}/data.xml", headers={"User-Agent": BROWSER})
    assert downloads(LIB) == before


@pytest.mark.wire
def test_views_counted_once_per_visitor_per_day(client):
    first = get(client, f"/api/v1/datasets/{LIB}").json["views"]
    assert get(client, f"/api/v1/datasets/{LIB}").json["views"] == first
    assert get(client, f"/api/v1/datasets/{LIB}", ip="10.9.9.9").json["views"] == first + 1
    bot = get(client, f"/api/v1/datasets/{LIB}", ip="10.9.9.8", ua="Bingbot/2.0 bot")
    assert bot.json["views"] == first + 1


@pytest.mark.wire
def test_searches_counted_with_latin_and_cyrillic_together(client, app):
    assert get(client, "/api/v1/datasets?q=Kutubxona").json["total"] >= 1
    get(client, "/api/v1/datasets?q=кутубхона")
    get(client, "/api/v1/datasets?q=kutubxona&page=2")  # a further page is the same search
    get(client, "/api/v1/datasets?q=qqqzzz+xyzzy")
    app.test_cli_runner().invoke(args=["statistics", "refresh"])
    popular = client.get("/api/v1/statistics/searches").json["items"]
    row = next(r for r in popular if r["query"] == "kutubxona")
    assert row["count"] == 2 and row["results"] >= 1
    empty = client.get("/api/v1/statistics/searches-empty").json["items"]
    assert [r["query"] for r in empty] == ["qqqzzz xyzzy"]


def test_visitor_hash_is_keyed_and_changes_with_the_day():
    visit = counting.Visit("192.0.2.7", BROWSER)
    one = counting.visitor("secret", visit, "2026-12-01")
    assert one == counting.visitor("secret", visit, "2026-12-01")
    assert one != counting.visitor("secret", visit, "2026-12-02")
    assert one != counting.visitor("other secret", visit, "2026-12-01")
    assert "192.0.2.7" not in one


@pytest.mark.parametrize(
    "agent, robot",
    [
        ("Mozilla/5.0 (compatible; YandexBot/3.0)", True),
        ("facebookexternalhit/1.1", True),
        ("Mozilla/5.0 HeadlessChrome/120.0", True),
        ("", True),
        ("Mozilla/5.0 (Windows NT 10.0) Chrome/131.0", False),
        ("python-requests/2.32", False),
    ],
)
def test_known_robots(agent, robot):
    assert counting.is_robot(agent) is robot
