"""The lists the monitoring pages and the consoles show as tables (macros/tables.html): caption,
column headings (numbers marked), one row per item, the pagination, and a sentence instead of
an empty table."""

import re

import lxml.html

from tests.statistics.helpers import STAT, last_updated, midnight, run_daily
from tests.web.console.authoring import HTML, sign_in


def page(client, path):
    resp = client.get(path, headers=HTML)
    assert resp.status_code == 200, (path, resp.status_code, resp.text[:300])
    return lxml.html.fromstring(resp.text)


def text(node):
    return re.sub(r"\s+", " ", node.text_content()).strip()


def headings(doc):
    return [(text(th), th.get("class")) for th in doc.xpath("//table/thead/tr/th")]


def test_monitoring_lists_say_when_nothing_is_late_then_show_the_late_one(client, app):
    run_daily(app, midnight())
    doc = page(client, "/en/monitoring/outdated")
    assert not doc.xpath('//div[@class="table-wrap"]')
    assert "No dataset is late." in [text(p) for p in doc.xpath("//main//p")]
    last_updated(STAT, midnight(days_ago=500))
    run_daily(app, midnight())
    doc = page(client, "/en/monitoring/outdated")
    assert text(doc.xpath("//table/caption")[0]) == "Outdated datasets"
    assert headings(doc) == [
        ("Dataset", None), ("Organization", None), ("Update frequency", None),
        ("Last update", None), ("Due on", None), ("Days late", "num"), ("State", None),
    ]  # fmt: skip
    rows = doc.xpath("//table/tbody/tr")
    assert len(rows) == 1 and rows[0].xpath("./th/a/@href") == [f"/en/datasets/{STAT}"]
    doc = page(client, "/en/monitoring")
    ranked = headings(doc)
    assert ranked[0] == ("Rank", "num") and ranked[1] == ("Organization", None)
    doc = page(client, "/en/monitoring/updated")
    caption = text(doc.xpath("//table/caption")[0])
    assert re.fullmatch(r"Updated datasets \(\d+ datasets?\)", caption), caption


def test_console_lists_have_hidden_captions_pages_and_an_empty_sentence(client, operator):
    sign_in(client, "operator@ochiq.uz")
    doc = page(client, "/en/console/operator/datasets")
    caption = doc.xpath("//table/caption")[0]
    assert caption.get("class") == "vh" and text(caption) == "All datasets"
    assert headings(doc)[-1] == ("Days late", "num")
    assert doc.xpath("//table/tbody/tr")
    doc = page(client, "/en/console/operator/datasets?page=50")
    assert not doc.xpath("//table")
    assert [text(p) for p in doc.xpath('//p[@class="nothing"]')] == [
        "No dataset matches these filters."
    ]
    doc = page(client, "/en/console/operator/monitoring")
    assert "Every monitored dataset is on time." in [
        text(p) for p in doc.xpath('//p[@class="nothing"]')
    ]


def test_admin_lists_show_their_tables_and_pages(client, admin):
    sign_in(client, "admin@ochiq.uz")
    doc = page(client, "/en/console/admin/organizations")
    assert text(doc.xpath("//table/caption")[0]) == "Organizations"
    assert ("Portal id", "num") in headings(doc) and doc.xpath("//table/tbody/tr")
    doc = page(client, "/en/console/admin/users")
    assert [h for h, _ in headings(doc)][:2] == ["Name", "E-mail address"]
    assert "admin@ochiq.uz" in [text(td) for td in doc.xpath("//table/tbody/tr/td")]
    doc = page(client, "/en/console/admin/tokens")
    assert headings(doc)[0] == ("Token", None) and doc.xpath("//table/tbody/tr")
