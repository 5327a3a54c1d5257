"""Statistics, monitoring and the AI section in headless Chromium: axe-core in every language and
in the accessibility mode, the charts' text alternatives, and the keyboard alone."""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser_tests.axe import serious
from browser_tests.harness import click_and_wait

LIBRARIES = "4-019-0014"
LANGS = ("uz", "oz", "ru", "en")
PAGES = (
    "/statistics",
    "/statistics/monthly",
    "/statistics/sectors",
    "/monitoring",
    "/monitoring/outdated",
    "/monitoring/updated",
    "/ai",
    f"/datasets/{LIBRARIES}#quality",
    "/datasets?format=geojson",
)


@pytest.fixture(scope="module", autouse=True)
def counted(server):
    """Something to show: a download and a search counted, the daily run done (states, scores,
    the AI section and the tables)."""
    import requests

    agent = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"}
    requests.get(f"{server['base']}/api/v1/datasets/{LIBRARIES}/data.csv", headers=agent,
                 timeout=60)  # fmt: skip
    requests.get(f"{server['base']}/api/v1/datasets?q=kutubxona", headers=agent, timeout=60)
    result = server["app"].test_cli_runner().invoke(args=["monitoring", "run", "--no-reminders"])
    assert result.exit_code == 0, result.output


def active(browser):
    return browser.switch_to.active_element


@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_serious_violation_on_the_statistics_pages(go, axe_source, lang):
    problems = {}
    for path in PAGES:
        found = serious(go(f"/{lang}{path}"), axe_source)
        if found:
            problems[path] = found
    assert problems == {}


def test_axe_on_the_statistics_pages_in_the_accessibility_mode(go, browser, server, axe_source):
    go("/en/")
    browser.add_cookie({"name": "a11y", "value": "large.contrast.still.grey", "path": "/"})
    problems = {}
    for path in PAGES:
        browser.get(f"{server['base']}/en{path}")
        assert "a11y-contrast" in browser.find_element(By.TAG_NAME, "html").get_attribute("class")
        found = serious(browser, axe_source)
        if found:
            problems[path] = found
    assert problems == {}


def test_every_chart_has_its_text_alternative_and_table(go):
    browser = go("/en/statistics")
    charts = browser.find_elements(By.CSS_SELECTOR, "figure.chart svg")
    assert len(charts) >= 4
    for svg in charts:
        assert svg.get_attribute("role") == "img"
        title = browser.find_element(By.ID, svg.get_attribute("aria-labelledby"))
        words = title.get_attribute("textContent")
        assert ":" in words and any(c.isdigit() for c in words), words
        section = svg.find_element(By.XPATH, "./ancestor::section[1]")
        assert section.find_elements(By.CSS_SELECTOR, "table caption")
        label = browser.execute_script(
            "return arguments[0].closest('figure').getAttribute('aria-labelledby')", svg
        )
        assert browser.find_element(By.ID, label).text  # the figure has a visible caption


def test_keyboard_alone_reaches_a_table_csv_and_the_filters(go, browser):
    go("/en/statistics")
    browser.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = active(browser)
    assert skip.get_attribute("class") == "skip"
    skip.send_keys(Keys.ENTER)
    for _ in range(80):
        active(browser).send_keys(Keys.TAB)
        if "statistics/downloads?format=csv" in (active(browser).get_attribute("href") or ""):
            break
    else:
        pytest.fail("Tab never reached the CSV of the most downloaded datasets")
    assert active(browser).value_of_css_property("outline-style") == "solid"
    # the outdated datasets' filters, by keyboard: choose a state, send the form
    go("/en/monitoring/outdated")
    state = browser.find_element(By.ID, "state")
    for _ in range(60):
        active(browser).send_keys(Keys.TAB)
        if active(browser) == state:
            break
    else:
        pytest.fail("Tab never reached the state filter")
    state.send_keys("Delinquent")
    active(browser).send_keys(Keys.TAB)  # organization
    active(browser).send_keys(Keys.TAB)  # the button
    active(browser).send_keys(Keys.ENTER)
    WebDriverWait(browser, 20).until(lambda b: "state=delinquent" in b.current_url)
    assert browser.find_element(By.ID, "state").get_attribute("value") == "delinquent"


def test_monitoring_sub_pages_by_their_links(go, browser):
    go("/en/monitoring")
    for name, part in (("Outdated datasets", "/monitoring/outdated"),
                       ("Updated datasets", "/monitoring/updated")):  # fmt: skip
        link = browser.find_element(By.LINK_TEXT, name)
        click_and_wait(browser, link)
        assert browser.current_url.endswith(part)
        current = browser.find_element(By.CSS_SELECTOR, ".tabs a[aria-current=page]")
        assert current.text == name
