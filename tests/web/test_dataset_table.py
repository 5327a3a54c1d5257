"""The dataset page's Table tab over HTTP: rows, the map of their places and the chart of a
number column, in the page's language; the same page again, and after a new version or a
hidden field, shows what the data says now (the table's answers are kept per version file)."""

import re

from tests.helpers import ml
from tests.web.test_pages import page

LIBRARIES = "4-019-0014"  # 3 libraries: a region (directory), a location (the area is hidden)
STATS = "2-001-11072"  # 15 regions (text) and a number column per year


def chart_rows(html):
    """[(label, total)] of the table beside the chart."""
    body = html.split('<section aria-labelledby="chart-h">', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<tr><th scope="row">([^<]*)</th><td class="num">([^<]*)</td></tr>', body)


def map_links(html):
    body = html.split('<figure class="map"', 1)[1].split("</figure>", 1)[0]
    return re.findall(r'<a href="#row-(\d+)" aria-label="([^"]*)"><(circle|path)', body)


def test_table_tab_shows_rows_map_and_chart_in_the_page_language(client):
    html = page(client, f"/en/datasets/{LIBRARIES}?tab=table").text
    assert "<p>3 rows</p>" in html
    assert html.count('<tr id="row-') == 3
    assert "<td>Samarkand region</td>" in html and "Children&#39;s library No. 1" in html
    # each place on the map links to its row, named by the row's text in the page's language
    links = map_links(html)
    points = [(row, label) for row, label, kind in links if kind == "circle"]
    shapes = [(row, label) for row, label, kind in links if kind == "path"]
    assert points == [
        ("1", "Children&#39;s library No. 1"),
        ("2", "Samarkand regional children&#39;s library"),
        ("3", "Nukus children&#39;s library"),
    ]
    assert shapes == [] and "3 points and 0 areas" in html
    # the chart sums the number column by the first directory field, the largest first
    assert "Number of books by Region" in html
    assert chart_rows(html) == [
        ("Samarkand region", "40,210"),
        ("Tashkent city", "15,230"),
        ("Republic of Karakalpakstan", "9,800"),
    ]
    html = page(client, f"/ru/datasets/{LIBRARIES}?tab=table").text
    assert chart_rows(html)[0] == ("Самаркандская область", "40\xa0210")
    assert map_links(html)[0][1] == "Детская библиотека № 1"


def test_chart_follows_the_chosen_columns(client):
    html = page(client, f"/en/datasets/{LIBRARIES}?tab=table&chart_by=Manzil").text
    assert "Number of books by Address" in html
    assert chart_rows(html)[0] == ("Samarqand sh., Registon ko&#39;chasi, 5", "40,210")
    html = page(client, f"/en/datasets/{STATS}?tab=table&chart_value=2015Y").text
    totals = dict(chart_rows(html))
    assert totals["Republic of Uzbekistan"] == "12,947.4"
    assert totals["Republic of Karakalpakstan"] == "8,192.4"


def test_the_same_page_again_is_the_same_and_sorting_and_paging_still_apply(client):
    base = f"/en/datasets/{LIBRARIES}?tab=table"
    first = page(client, base).text
    assert page(client, base).text == first
    html = page(client, base + "&sort=-Kitoblarsoni").text
    assert html.index("40210") < html.index("15230") < html.index("9800")
    html = page(client, base + "&sort=Kitoblarsoni").text
    assert html.index("9800") < html.index("15230") < html.index("40210")
    html = page(client, base + "&field=Hudud&value=1735").text
    assert "<p>1 row</p>" in html and "Nukus children" in html


def token_of(client, caller):
    resp = client.post(f"/api/v1/datasets/{STATS}/token", headers=caller.headers)
    assert resp.status_code == 201, resp.json
    return resp.json


def test_a_new_version_shows_at_once(client, author):
    before = page(client, f"/en/datasets/{STATS}?tab=table").text
    assert "<p>15 rows</p>" in before
    token = token_of(client, author)
    rows = [
        {"Hudud": ml("Andijon", en="Andijan"), "2010Y": "5", "2015Y": "7"},
        {"Hudud": ml("Buxoro", en="Bukhara"), "2010Y": "11", "2015Y": "3"},
        {"Hudud": ml("Andijon", en="Andijan"), "2010Y": "1", "2015Y": "2"},
    ]
    body = {"id": token["dataset"], "token": token["token"], "data": rows, "mode": "replace",
            "confirm_removal": True}  # fmt: skip
    resp = client.post("/apiData/MainData/ExternalApi", json=body)
    assert resp.status_code == 200, resp.json
    html = page(client, f"/en/datasets/{STATS}?tab=table").text
    assert "<p>3 rows</p>" in html and "<td>Republic of Uzbekistan</td>" not in html
    assert chart_rows(html) == [("Bukhara", "11"), ("Andijan", "6")]
    html = page(client, f"/en/datasets/{STATS}?tab=table&chart_value=2015Y").text
    assert chart_rows(html) == [("Andijan", "9"), ("Bukhara", "3")]


def test_a_hidden_field_leaves_the_table_at_once(client, other_author):
    html = page(client, f"/en/datasets/{LIBRARIES}?tab=table").text
    assert "Opened on" in html and "2001-03-12" in html
    resp = client.patch(
        f"/api/v1/datasets/{LIBRARIES}/fields/Ochilgansana",
        json={"visible": False},
        headers=other_author.headers,
    )
    assert resp.status_code == 200, resp.json
    html = page(client, f"/en/datasets/{LIBRARIES}?tab=table").text
    assert "Opened on" not in html and "2001-03-12" not in html
    assert "<p>3 rows</p>" in html
