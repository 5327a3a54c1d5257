"""The portal as a person uses it, in headless Chromium: search, tabs, downloads, languages,
accessibility mode, the keyboard alone; and axe-core finds no serious problem on any page."""

import os
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser_tests.axe import serious
from browser_tests.harness import click_and_wait

LIBRARIES = "4-019-0014"
LANGS = ("uz", "oz", "ru", "en")
PAGES = (
    "/",
    "/datasets",
    "/datasets?q=kutubxona",
    "/datasets?q=zzzqqq",
    "/sectors/culture",
    "/organizations",
    "/sitemap",
    f"/datasets/{LIBRARIES}",
    f"/datasets/{LIBRARIES}?tab=structure",
    f"/datasets/{LIBRARIES}?tab=table",
    f"/datasets/{LIBRARIES}?tab=api&send=1",
    f"/datasets/{LIBRARIES}?tab=versions",
    "/no-such-page",
)


def active(browser):
    return browser.switch_to.active_element


@pytest.mark.parametrize("lang", LANGS)
def test_axe_finds_no_serious_violation_on_any_page(go, axe_source, lang):
    problems = {}
    for path in PAGES:
        browser = go(f"/{lang}{path}")
        found = serious(browser, axe_source)
        if found:
            problems[path] = found
    assert problems == {}


def test_axe_in_the_accessibility_mode(go, browser, server, axe_source):
    go("/en/")
    browser.add_cookie({"name": "a11y", "value": "large.contrast.still.grey", "path": "/"})
    for path in ("/en/", f"/en/datasets/{LIBRARIES}?tab=table", "/en/datasets?q=library"):
        go_path = server["base"] + path
        browser.get(go_path)
        assert "a11y-contrast" in browser.find_element(By.TAG_NAME, "html").get_attribute("class")
        assert serious(browser, axe_source) == [], path


def test_search_and_open_a_dataset(go):
    browser = go("/en/")
    box = browser.find_element(By.ID, "home-q")
    box.send_keys("library")
    box.send_keys(Keys.ENTER)
    WebDriverWait(browser, 20).until(lambda b: "q=library" in b.current_url)
    assert "/en/datasets?q=library" in browser.current_url
    assert "1 dataset found" in browser.find_element(By.ID, "results-h").text
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Children's libraries"))
    assert browser.current_url.endswith(f"/en/datasets/{LIBRARIES}")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Children's libraries"


def test_every_tab_opens_by_its_link(go):
    browser = go(f"/en/datasets/{LIBRARIES}")
    expected = {
        "Structure": "Fields of the dataset",
        "Table": "Number of books",
        "Web service": "Access token",
        "Versions": "Version history",
        "Passport": "Owner (responsible organization)",
    }
    for tab, text in expected.items():
        link = browser.find_element(By.CSS_SELECTOR, ".tabs").find_element(By.LINK_TEXT, tab)
        click_and_wait(browser, link)
        current = browser.find_element(By.CSS_SELECTOR, ".tabs a[aria-current=page]")
        assert current.text == tab
        assert browser.find_element(By.ID, "panel-h").text == tab
        assert text in browser.find_element(By.ID, "main").text


def test_table_sorts_and_pages_by_its_links(go):
    browser = go(f"/en/datasets/{LIBRARIES}?tab=table")
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Number of books"))
    first = browser.find_elements(By.CSS_SELECTOR, "table.data tbody tr")[0].text
    assert "9800" in first
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Number of books"))
    first = browser.find_elements(By.CSS_SELECTOR, "table.data tbody tr")[0].text
    assert "40210" in first


def test_download_a_file(go, browser, downloads):
    browser.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads}
    )
    go(f"/en/datasets/{LIBRARIES}")
    browser.find_element(
        By.CSS_SELECTOR, f'a[href="/api/v1/datasets/{LIBRARIES}/data.csv"]'
    ).click()
    deadline = time.monotonic() + 20
    target = os.path.join(downloads, f"{LIBRARIES}.csv")
    while time.monotonic() < deadline:
        done = [f for f in os.listdir(downloads) if f.endswith(".csv")]
        if done:
            break
        time.sleep(0.2)
    assert done, os.listdir(downloads)
    with open(os.path.join(downloads, done[0]), encoding="utf-8-sig") as fh:
        text = fh.read()
    assert "15230" in text, target


def test_switch_language_keeps_the_page(go):
    browser = go(f"/uz/datasets/{LIBRARIES}?tab=structure")
    langs = browser.find_element(By.CSS_SELECTOR, ".langs")
    click_and_wait(browser, langs.find_element(By.LINK_TEXT, "Русский"))
    assert browser.current_url.endswith(f"/ru/datasets/{LIBRARIES}?tab=structure")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ru"
    assert browser.find_element(By.ID, "panel-h").text == "Структура"
    langs = browser.find_element(By.CSS_SELECTOR, ".langs")
    click_and_wait(browser, langs.find_element(By.LINK_TEXT, "Ўзбекча"))
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "uz-Cyrl"
    assert browser.find_element(By.ID, "panel-h").text == "Тузилма"


def _html_class(browser):
    return browser.find_element(By.TAG_NAME, "html").get_attribute("class")


def test_accessibility_mode_with_javascript(go, browser):
    go("/en/datasets")
    browser.find_element(By.CSS_SELECTOR, ".a11y-menu summary").click()
    browser.find_element(By.CSS_SELECTOR, "label[for=a11y-large]").click()
    assert "a11y-large" in _html_class(browser)  # applied at once
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, ".a11y-form button[type=submit]"))
    assert browser.current_url.endswith("/en/datasets")
    assert "a11y-large" in _html_class(browser)
    browser.get(browser.current_url.replace("/en/datasets", "/ru/organizations"))
    assert "a11y-large" in _html_class(browser)  # remembered on other pages


def test_accessibility_mode_without_javascript(go, browser):
    browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": True})
    try:
        go("/uz/")
        browser.find_element(By.CSS_SELECTOR, ".a11y-menu summary").click()
        browser.find_element(By.CSS_SELECTOR, "label[for=a11y-contrast]").click()
        browser.find_element(By.CSS_SELECTOR, "label[for=a11y-grey]").click()
        assert "a11y-contrast" not in _html_class(browser)  # nothing runs in the page
        apply = browser.find_element(By.CSS_SELECTOR, ".a11y-form button[type=submit]")
        click_and_wait(browser, apply)
        assert browser.current_url.endswith("/uz/")
        assert "a11y-contrast" in _html_class(browser) and "a11y-grey" in _html_class(browser)
    finally:
        browser.execute_cdp_cmd("Emulation.setScriptExecutionDisabled", {"value": False})


def test_keyboard_alone_reaches_and_opens_the_tabs(go, browser):
    go(f"/en/datasets/{LIBRARIES}")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    skip = active(browser)
    assert skip.get_attribute("class") == "skip" and skip.is_displayed()
    skip.send_keys(Keys.ENTER)
    assert active(browser).get_attribute("id") == "main"
    for _ in range(30):
        active(browser).send_keys(Keys.TAB)
        if active(browser).text == "Versions":
            break
    else:
        pytest.fail("Tab never reached the Versions tab")
    outline = active(browser).value_of_css_property("outline-style")
    assert outline == "solid"  # focus is visible
    active(browser).send_keys(Keys.ENTER)
    WebDriverWait(browser, 20).until(lambda b: "tab=versions" in b.current_url)
    assert browser.find_element(By.ID, "panel-h").text == "Versions"
    # onward through the version table's download links, still by keyboard
    for _ in range(30):
        active(browser).send_keys(Keys.TAB)
        if "/versions/1/data.xml" in (active(browser).get_attribute("href") or ""):
            break
    else:
        pytest.fail("Tab never reached a version download")


def test_the_axe_check_does_catch_a_violation(go, axe_source):
    browser = go("/en/")
    browser.execute_script(
        "var i = document.createElement('img'); i.src = '/static/web/logo.svg';"
        "document.getElementById('main').appendChild(i);"
    )
    assert "image-alt" in {v["id"] for v in serious(browser, axe_source)}
