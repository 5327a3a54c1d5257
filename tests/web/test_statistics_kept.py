"""The statistics pages are kept by the process (web/statistics.py): each language gets its own
words, each page its own rows. The overview shows a new build of the tables at once, and once
its copy is older than OVERVIEW_SECONDS it is read again in the background (the request that
finds it old is served the copy); a table page is read again once its copy is that old."""

import re

import lxml.html

from portal.web import statistics as statistics_pages
from tests.statistics.helpers import midnight, run_daily

HTML = {"Accept": "text/html"}
UA = {"User-Agent": "Mozilla/5.0 Firefox/130.0"}
LIB = "4-019-0014"


def page(client, path):
    resp = client.get(path, headers=HTML)
    assert resp.status_code == 200, (path, resp.status_code, resp.text[:300])
    return lxml.html.fromstring(resp.text)


def text(node):
    return re.sub(r"\s+", " ", node.text_content()).strip()


def downloads_of(doc, code):
    """The downloads the most-downloaded table shows for a dataset (None if it is not there)."""
    for row in doc.xpath('//section[@id="downloads"]//table/tbody/tr'):
        cells = [text(c) for c in row.xpath("./th|./td")]
        if cells[0].endswith(code):
            return cells[2]
    return None


def later(monkeypatch, seconds):
    clock = statistics_pages.time.monotonic
    monkeypatch.setattr(statistics_pages.time, "monotonic", lambda: clock() + seconds)


def test_each_language_and_page_is_its_own(client):
    en = page(client, "/en/statistics")
    ru = page(client, "/ru/statistics")
    assert text(en.xpath('//section[@id="downloads"]/h2')[0]) == "Most downloaded datasets"
    assert text(ru.xpath('//section[@id="downloads"]/h2')[0]) != "Most downloaded datasets"
    assert ru.xpath('//section[@id="downloads"]//a/@href')[0].startswith("/ru/datasets/")
    assert en.xpath('//section[@id="downloads"]//a/@href')[0].startswith("/en/datasets/")
    first = page(client, "/en/statistics/views?page=1")
    assert text(first.xpath("//h1")[0]) == "Most viewed datasets"
    assert first.xpath("//title") and "Most viewed datasets" in text(first.xpath("//title")[0])
    assert text(page(client, "/oz/statistics/views?page=1").xpath("//h1")[0]) != text(
        first.xpath("//h1")[0]
    )
    assert first.xpath("//table/tbody/tr")


def test_the_pages_follow_the_tables_after_the_kept_copy_expires(client, monkeypatch):
    before = downloads_of(page(client, "/en/statistics"), LIB)
    table_before = downloads_of_table(page(client, "/en/statistics/downloads"), LIB)
    assert client.get(f"/api/v1/datasets/{LIB}/data.csv", headers=UA).status_code == 200
    # within the kept time the same figures show
    assert downloads_of(page(client, "/en/statistics"), LIB) == before
    later(monkeypatch, statistics_pages.OVERVIEW_SECONDS + 1)
    now = client.get("/api/v1/statistics/downloads?page_size=25").json["items"]
    count = next(r["downloads"] for r in now if r["code"] == LIB)
    assert count >= 1 and str(count) != before
    # the request that finds the copy old is served it, and the copy is read again meanwhile
    assert downloads_of(page(client, "/en/statistics"), LIB) == before
    statistics_pages._overview.wait()
    assert downloads_of(page(client, "/en/statistics"), LIB) == str(count)
    assert downloads_of(page(client, "/ru/statistics"), LIB) == str(count)
    assert downloads_of_table(page(client, "/en/statistics/downloads"), LIB) == str(count)
    assert table_before != str(count)


def downloads_of_table(doc, code):
    for row in doc.xpath("//table/tbody/tr"):
        cells = [text(c) for c in row.xpath("./th|./td")]
        if cells[0].endswith(code):
            return cells[2]
    return None


def rated_rows(doc):
    return [[text(c) for c in row.xpath("./th|./td")]
            for row in doc.xpath('//section[@id="rated"]//table/tbody/tr')]  # fmt: skip


def test_a_new_build_of_the_tables_shows_on_the_overview_at_once(client, app, operator):
    run_daily(app, midnight())
    assert rated_rows(page(client, "/en/statistics")) == []
    rated = client.put(f"/api/v1/datasets/{LIB}/rating", json={"stars": 4},
                       headers=operator.headers)  # fmt: skip
    assert rated.status_code == 200, rated.json
    # the rated table is one of the stored ones: it changes when the tables are built
    assert rated_rows(page(client, "/en/statistics")) == []
    run_daily(app, midnight())  # the same day and time as the first build: a build all the same
    rows = rated_rows(page(client, "/en/statistics"))
    assert len(rows) == 1 and rows[0][0].endswith(LIB) and rows[0][2] == "4"
    assert rated_rows(page(client, "/uz/statistics"))[0][0].endswith(LIB)
