"""Headless Chromium (Debian's chromium + chromium-driver) against the portal served on a free
port in a background thread, on a real MongoDB-wire server (SecantusDB) with the demo data."""

import os
import shutil
import tempfile
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
DRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
)


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
    """The portal on a free port (a werkzeug server in a thread), its database SecantusDB."""
    from werkzeug.serving import make_server

    from portal.app import create_app
    from portal.embedded import EmbeddedMongo, free_port

    folder = tempfile.mkdtemp(prefix="ochiq-browser-db-")
    db = EmbeddedMongo(port=free_port(), path=folder, cache="128M")
    db.start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    app = create_app(
        "testing",
        {"MONGO_URI": db.uri, "MONGO_DB": "ochiq_browser", "LOAD_DEMO": True, "BASE_URL": base},
    )
    httpd = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield {"base": base, "app": app}
    httpd.shutdown()
    db.stop()
    shutil.rmtree(folder, ignore_errors=True)


def _browser(width, downloads):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='ochiq-chromium-')}")
    options.add_argument(f"--window-size={width},900")
    options.add_experimental_option(
        "prefs", {"download.default_directory": downloads, "download.prompt_for_download": False}
    )
    return webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)


@pytest.fixture(scope="session")
def downloads():
    return tempfile.mkdtemp(prefix="ochiq-downloads-")


@pytest.fixture(scope="session")
def browser(server, downloads):
    driver = _browser(1280, downloads)
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
