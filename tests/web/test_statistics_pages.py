"""Statistics, monitoring and the AI section as pages: four languages, strict queries, and the
figures they show are the ones the API answers for the same data."""

import re

import lxml.html
import pytest

from portal.services.statistics import tables
from tests.helpers import ml
from tests.statistics.helpers import LIB, STAT, last_updated, midnight, run_daily

HTML = {"Accept": "text/html", "User-Agent": "Mozilla/5.0 Firefox/130.0"}
UA = {"User-Agent": "Mozilla/5.0 Firefox/130.0"}
LANG_TAGS = {"uz": "uz-Latn", "oz": "uz-Cyrl", "ru": "ru", "en": "en"}
PAGES = ["/statistics", "/monitoring", "/monitoring/outdated", "/monitoring/updated", "/ai"] + [
    f"/statistics/{name}" for name in tables.TABLES
]


def page(client, path, status=200):
    resp = client.get(path, headers=HTML)
    assert resp.status_code == status, (path, resp.status_code, resp.text[:300])
    return lxml.html.fromstring(resp.text)


def text(node):
    return re.sub(r"\s+", " ", node.text_content()).strip()


def table_rows(doc, section):
    """[[cell text]] of the body of the table in a section (by its id)."""
    rows = doc.xpath(f'//section[@id="{section}"]//table/tbody/tr')
    return [[text(c) for c in row.xpath("./th|./td")] for row in rows]


def prepare(client, app, operator):
    """A download, a view, two searches, a rating, a rejection and a late dataset."""
    assert client.get(f"/api/v1/datasets/{LIB}/data.csv", headers=UA).status_code == 200
    client.get(f"/api/v1/datasets/{LIB}", headers=UA)
    client.get("/api/v1/datasets?q=kutubxona", headers=UA)
    client.get("/api/v1/datasets?q=nothingatall", headers=UA)
    rated = client.put(f"/api/v1/datasets/{LIB}/rating", json={"stars": 4},
                       headers=operator.headers)  # fmt: skip
    assert rated.status_code == 200, rated.json
    rejected = client.post(f"/api/v1/datasets/{STAT}/rejections",
                           json={"reasons": ["no units"]}, headers=operator.headers)  # fmt: skip
    assert rejected.status_code in (200, 201), rejected.json
    last_updated(STAT, midnight(days_ago=500))
    run_daily(app, midnight())


@pytest.mark.wire
@pytest.mark.parametrize("lang", ["uz", "oz", "ru", "en"])
def test_every_new_page_answers_in_each_language(client, lang):
    for path in PAGES:
        doc = page(client, f"/{lang}{path}")
        assert doc.get("lang") == LANG_TAGS[lang], path
        assert doc.xpath("//h1"), path
        menu = doc.xpath('//nav[@class="menu"]//a/@href')
        assert f"/{lang}/statistics" in menu and f"/{lang}/monitoring" in menu
        assert f"/{lang}/ai" in menu


@pytest.mark.wire
def test_unknown_parameters_and_bad_values_are_the_error_page(client):
    for path in [*PAGES, "/datasets"]:
        doc = page(client, f"/en{path}?colour=red", status=400)
        assert "colour" in text(doc), path
    bad = [
        "/en/monitoring/outdated?state=fresh",
        "/en/monitoring/outdated?organization=no-such-org",
        "/en/statistics/downloads?page=0",
        "/en/monitoring?page=x",
        "/en/ai?page=-1",
        "/en/datasets?format=docx",
        "/en/datasets?ai=yes",
    ]
    for path in bad:
        doc = page(client, path, status=400)
        assert text(doc.xpath("//h1")[0]) == "The request could not be understood", path
    page(client, "/en/statistics/no-such-table", status=404)


@pytest.mark.wire
def test_statistics_show_what_the_api_answers(client, app, operator):
    prepare(client, app, operator)
    totals = client.get("/api/v1/statistics").json
    doc = page(client, "/en/statistics")
    for key in ("datasets", "downloads", "views", "ratings"):
        shown = text(doc.xpath(f'//li[@id="total-{key}"]/strong')[0])
        assert shown == f"{totals[key]:,}", key
    downloads = client.get("/api/v1/statistics/downloads?page_size=10").json["items"]
    rows = table_rows(doc, "downloads")
    assert len(rows) == len(downloads) and rows[0][0].endswith(LIB)
    assert rows[0][2] == str(downloads[0]["downloads"]) and downloads[0]["downloads"] >= 1
    rated = client.get("/api/v1/statistics/rated").json["items"]
    assert table_rows(doc, "rated")[0][2] == f"{rated[0]['average']:g}" == "4"
    sectors = client.get("/api/v1/statistics/sectors").json["items"]
    shown = {r[0]: r[1:3] for r in table_rows(doc, "sectors")}
    culture = next(s for s in sectors if s["sector"] == "culture")
    name = next(k for k in shown if shown[k] == [str(culture["datasets"]),
                                                 str(culture["downloads"])])  # fmt: skip
    assert name and culture["downloads"] >= 1
    assert table_rows(doc, "rejected")[0][2] == "no units"
    assert [r[0] for r in table_rows(doc, "searches-empty")] == ["nothingatall"]
    assert "kutubxona" in [r[0] for r in table_rows(doc, "searches")]
    orgs = {r["organization"]: r for r in client.get("/api/v1/statistics/organizations").json[
        "items"]}  # fmt: skip
    assert any(r[1] == str(orgs["4-019"]["datasets"]) for r in table_rows(doc, "organizations"))
    month = midnight().strftime("%Y-%m")
    monthly = {r["month"]: r for r in client.get("/api/v1/statistics/monthly").json["items"]}
    row = next(r for r in table_rows(doc, "monthly") if r[0] == month)
    assert row[1:4] == [str(monthly[month][k]) for k in ("datasets", "versions", "downloads")]


@pytest.mark.wire
def test_charts_carry_their_numbers_as_text_and_tables_their_csv(client, app, operator):
    prepare(client, app, operator)
    doc = page(client, "/en/statistics")
    charts = doc.xpath('//section[@id="sectors"]//svg[@role="img"]')
    assert len(charts) == 2  # datasets and downloads per sector
    for svg in charts:
        labelled = svg.get("aria-labelledby")
        title = svg.xpath(f'./*[@id="{labelled}"]')[0]
        assert "Datasets and downloads by sector" in text(title)
        assert re.search(r"\d", text(title))
    for section in doc.xpath('//section[@class="stat"]'):
        name = section.get("id")
        link = section.xpath('.//a[@download]/@href')[0]
        assert link == f"/api/v1/statistics/{name}?format=csv&lang=engText"
        resp = client.get(link)
        assert resp.status_code == 200 and resp.mimetype == "text/csv", name
    table = page(client, "/en/statistics/downloads")
    assert table.xpath("//table/caption") and table.xpath('//th[@scope="col"]')


@pytest.mark.wire
def test_monitoring_shows_the_late_dataset_with_its_days(client, app, operator):
    prepare(client, app, operator)
    late = client.get("/api/v1/monitoring/outdated").json["items"]
    assert [r["code"] for r in late] == [STAT]
    doc = page(client, "/en/monitoring/outdated")
    rows = [[text(c) for c in tr.xpath("./th|./td")] for tr in doc.xpath("//table/tbody/tr")]
    assert len(rows) == 1 and rows[0][0].endswith(STAT)
    assert rows[0][5] == str(late[0]["days_late"]) and rows[0][6] == "Delinquent"
    assert text(doc.xpath('//p[@id="outdated-total"]')[0]) == "1 dataset"
    for query, count in [("state=delinquent", 1), ("state=due", 0), ("organization=2-001", 1),
                         ("organization=4-019", 0), ("state=delinquent&organization=2-001", 1)]:
        doc = page(client, f"/en/monitoring/outdated?{query}")
        assert len(doc.xpath("//table/tbody/tr")) == count, query
    ranking = client.get("/api/v1/monitoring/organizations").json["items"]
    doc = page(client, "/en/monitoring")
    shown = [[text(c) for c in tr.xpath("./th|./td")] for tr in doc.xpath("//table/tbody/tr")]
    assert [r[0] for r in shown] == [str(r["rank"]) if r["rank"] else "—" for r in ranking]
    assert [r[2] for r in shown] == [str(r["datasets"]) for r in ranking]
    assert text(doc.xpath('//li[@id="count-delinquent"]/strong')[0]) == "1"
    updated = client.get("/api/v1/monitoring/updated").json["items"]
    doc = page(client, "/en/monitoring/updated")
    codes = [text(a).split()[-1] for a in doc.xpath("//table/tbody/tr/th")]
    assert codes == [r["code"] for r in updated]


@pytest.mark.wire
def test_ai_section_lists_a_flagged_dataset_with_why_and_its_files(client, app, operator):
    run_daily(app, midnight())
    assert "No dataset is in this section yet." in text(page(client, "/en/ai"))
    resp = client.put(f"/api/v1/datasets/{LIB}/ai", json={"flagged": True},
                      headers=operator.headers)  # fmt: skip
    assert resp.status_code == 200, resp.json
    section = client.get("/api/v1/datasets?ai=1").json
    doc = page(client, "/en/ai")
    cards = doc.xpath('//ul[@class="cards"]/li')
    assert len(cards) == section["total"] == 1
    assert cards[0].xpath(".//h2/a/@href") == [f"/en/datasets/{LIB}"]
    assert "Chosen by the portal's operators" in text(cards[0])
    files = cards[0].xpath(".//a[@download]/@href")
    assert files == [f"/api/v1/datasets/{LIB}/data.parquet", f"/api/v1/datasets/{LIB}/data.csv"]
    for url in files:
        assert client.get(url, headers=UA).status_code == 200
    # the search page's AI facet finds the same dataset
    doc = page(client, "/en/datasets?ai=1")
    assert [a.get("href") for a in doc.xpath('//ul[@class="cards"]//h3/a')] == [
        f"/en/datasets/{LIB}"
    ]
    assert doc.xpath('//input[@name="ai" and @value="1" and @checked]')


@pytest.mark.wire
def test_format_facet_counts_and_filters(client):
    api = client.get("/api/v1/datasets").json["total"]
    doc = page(client, "/en/datasets")
    boxes = {i.get("value"): i for i in doc.xpath('//input[@name="format"]')}
    assert {"csv", "parquet", "geojson"} <= set(boxes)
    label = doc.xpath(f'//label[@for="{boxes["csv"].get("id")}"]')[0]
    assert f"({api})" in text(label)
    geo = page(client, "/en/datasets?format=geojson")
    found = [a.get("href") for a in geo.xpath('//ul[@class="cards"]//h3/a')]
    assert found == [f"/en/datasets/{LIB}"]  # the one demo dataset with a location field


@pytest.mark.wire
def test_passport_shows_the_quality_score_the_api_gives(client):
    quality = client.get(f"/api/v1/datasets/{LIB}/quality").json
    doc = page(client, f"/en/datasets/{LIB}")
    assert text(doc.xpath('//section[@id="quality"]//p[@class="score"]')[0]) == (
        f"{quality['score']} of {quality['max']} points"
    )
    for criterion in quality["criteria"]:
        row = [text(c) for c in doc.xpath(f'//tr[@id="q-{criterion["id"]}"]/*')]
        assert row[1] == f"{criterion['points']} of {criterion['max']}"
        assert row[2].endswith("Yes" if criterion["passed"] else "No")
        assert (row[3] == "—") == criterion["passed"]
    missed = [c for c in quality["criteria"] if not c["passed"]]
    assert missed  # the demo passport has no legal basis
    ru = page(client, f"/ru/datasets/{LIB}")
    fix = text(ru.xpath(f'//tr[@id="q-{missed[0]["id"]}"]/td[last()]')[0])
    assert fix and fix != missed[0]["fix"]  # told in Russian, not in the service's English


@pytest.mark.wire
def test_home_shows_figures_news_and_proposals_open_for_voting(client, operator, author):
    news = {"title": ml("Yangilik", "Янгилик", "Новость", "Fresh news"), "body": ml("Matn")}
    assert client.post("/api/v1/news", json=news, headers=operator.headers).status_code == 201
    body = {"title": "Bus stops", "description": "Every stop.", "sector": "economy"}
    pid = client.post("/api/v1/proposals", json=body, headers=author.headers).json["id"]
    opened = client.patch(f"/api/v1/proposals/{pid}", json={"status": "voting"},
                          headers=operator.headers)  # fmt: skip
    assert opened.status_code == 200, opened.json
    client.get(f"/api/v1/datasets/{LIB}/data.json", headers=UA)
    totals = client.get("/api/v1/statistics").json
    doc = page(client, "/en/")
    # each block once (they were rendered twice), every id on the page once
    assert len(doc.xpath('//section[@aria-labelledby="news-h"]')) == 1
    assert len(doc.xpath('//section[@aria-labelledby="voting-h"]')) == 1
    ids = doc.xpath("//@id")
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert "Fresh news" in text(doc.xpath('//section[@aria-labelledby="news-h"]')[0])
    voting = text(doc.xpath('//section[@aria-labelledby="voting-h"]')[0])
    assert "Bus stops" in voting and "0 votes" in voting
    figures = [text(li) for li in doc.xpath('//ul[@class="figures"]/li')]
    assert f"{totals['downloads']} downloads" in figures and totals["downloads"] >= 1


@pytest.mark.wire
def test_a_dataset_updated_again_leaves_the_filtered_lists(client, app, operator):
    prepare(client, app, operator)
    assert len(page(client, "/en/monitoring/outdated?organization=2-001").xpath(
        "//table/tbody/tr")) == 1  # fmt: skip
    last_updated(STAT, midnight())
    run_daily(app, midnight())
    assert client.get("/api/v1/monitoring/outdated").json["total"] == 0
    for query in ("organization=2-001", "state=delinquent", "organization=2-001&state=overdue"):
        doc = page(client, f"/en/monitoring/outdated?{query}")
        assert doc.xpath("//table/tbody/tr") == [], query
        assert text(doc.xpath('//p[@id="outdated-total"]')[0]) == "0 datasets"


@pytest.mark.wire
def test_organizations_page_shows_timeliness_as_the_ranking(client, app, operator):
    prepare(client, app, operator)
    ranking = {r["organization"]: r for r in client.get("/api/v1/monitoring/organizations").json[
        "items"]}  # fmt: skip
    doc = page(client, "/en/organizations")
    rows = {r[1]: r for r in ([text(c) for c in tr.xpath("./th|./td")]
                              for tr in doc.xpath("//table/tbody/tr"))}  # fmt: skip
    assert rows["2-001"][3] == "0%" and ranking["2-001"]["share_on_time"] == 0
    assert rows["4-019"][3] == "100%" and rows["4-019"][4] == str(ranking["4-019"]["rank"])
    assert rows["4-019"][2] == str(client.get("/api/v1/datasets?organization=4-019").json[
        "total"])  # fmt: skip
