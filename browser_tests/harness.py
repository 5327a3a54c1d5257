"""The portal served for a browser, and headless Chromium: shared by the tests and the
screenshot script."""

import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

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
    "--hide-scrollbars",
)


@contextmanager
def served():
    """The portal on a free port (a werkzeug server in a thread), on SecantusDB with the demo."""
    from werkzeug.serving import make_server

    from portal.app import create_app
    from portal.embedded import EmbeddedMongo, free_port
    from portal.ratelimits import close_storage
    from tests.fake_oneid import FakeOneID

    # the portal's server-side calls to the fake OneID stay on loopback, whatever proxy is set
    os.environ["NO_PROXY"] = ",".join(filter(None, [os.environ.get("NO_PROXY"), "127.0.0.1"]))

    folder = tempfile.mkdtemp(prefix="ochiq-browser-db-")
    db = EmbeddedMongo(port=free_port(), path=folder, cache="128M")
    db.start()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # OneID on loopback: its login page signs in whoever `oneid.person` is at once
    oneid = FakeOneID("ochiq-browser", "browser-secret", f"{base}/auth/callback", "ochiq")
    try:
        settings = {"MONGO_URI": db.uri, "MONGO_DB": "ochiq_browser", "LOAD_DEMO": True}
        settings.update(BASE_URL=base, ONEID_URL=oneid.url, ONEID_CLIENT_ID="ochiq-browser",
                        ONEID_CLIENT_SECRET="browser-secret", ONEID_SCOPE="ochiq",  # noqa: S106
                        ONEID_REDIRECT_URI=f"{base}/auth/callback")  # fmt: skip
        app = create_app("testing", settings)
        httpd = make_server("127.0.0.1", port, app, threaded=True)
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        try:
            with oneid:
                yield {"base": base, "app": app, "oneid": oneid}
        finally:
            httpd.shutdown()
            close_storage()
    finally:
        db.stop()
        shutil.rmtree(folder, ignore_errors=True)


def chromium(width=1280, height=900, downloads=None):
    """Headless Chromium with a fresh profile, driven by Debian's chromedriver."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tempfile.mkdtemp(prefix='ochiq-chromium-')}")
    options.add_argument(f"--window-size={width},{height}")
    if downloads:
        options.add_experimental_option(
            "prefs",
            {"download.default_directory": downloads, "download.prompt_for_download": False},
        )
    return webdriver.Chrome(service=Service(executable_path=DRIVER), options=options)


def click_and_wait(browser, element, timeout=20):
    """Click what loads a new page, and wait until the old one is gone (no stale elements)."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = browser.find_element(By.TAG_NAME, "html")
    element.click()
    stale = expected_conditions.staleness_of(old)

    def gone(driver):
        try:
            return stale(driver)
        except WebDriverException as exc:
            # Chromium may say "Node with given id does not belong to the document" (an
            # unknown error) for a node of the page just left, instead of a stale element
            if "does not belong to the document" in str(exc):
                return True
            raise

    WebDriverWait(browser, timeout).until(gone)
