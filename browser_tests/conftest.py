"""Headless Chromium (Debian's chromium + chromium-driver) against the portal served on a free
port in a background thread, on a real MongoDB-wire server (SecantusDB) with the demo data."""

import os
import tempfile

import pytest

from browser_tests.harness import AXE, CHROMIUM, DRIVER, chromium, served


def pytest_collection_modifyitems(config, items):
    missing = [p for p in (CHROMIUM, DRIVER, str(AXE)) if not os.path.exists(p)]
    if not missing:
        return
    message = f"browser suite needs {', '.join(missing)} (apt-get install chromium chromium-driver)"
    if os.environ.get("BROWSER_REQUIRED"):
        raise pytest.UsageError(message)
    for item in items:
        item.add_marker(pytest.mark.skip(reason=message))


@pytest.fixture(scope="session")
def server():
    with served() as running:
        yield running


@pytest.fixture(scope="session")
def downloads():
    return tempfile.mkdtemp(prefix="ochiq-downloads-")


@pytest.fixture(scope="session")
def browser(server, downloads):
    driver = chromium(1280, 900, downloads)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture
def go(browser, server):
    """Open a path of the portal; the browser starts each test with no cookies."""
    browser.delete_all_cookies()

    def open_path(path):
        browser.get(server["base"] + path)
        return browser

    return open_path


@pytest.fixture(scope="session")
def axe_source():
    return AXE.read_text(encoding="utf-8")
