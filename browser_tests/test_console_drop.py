"""Dropping files on the console's file fields (console.js): a methodology on step 1 and the
filled template on step 3 go through as if chosen with the file input."""

import base64

import requests
from selenium.webdriver.common.by import By

from browser_tests.harness import click_and_wait

EMAIL = "drop.author@stat.uz"
STATS = "2-001-11072"  # published, with a structure: organization 2-001
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A synthetic drop: a DataTransfer holding the file, dispatched on the field's drop area the
# way a browser does after dragenter/dragover (Selenium cannot drag files from the desktop).
DROP = """
const [selector, name, type, encoded] = arguments;
const bytes = Uint8Array.from(atob(encoded), c => c.charCodeAt(0));
const transfer = new DataTransfer();
transfer.items.add(new File([bytes], name, {type: type}));
const area = document.querySelector(selector).closest('.drop');
for (const kind of ['dragenter', 'dragover', 'drop']) {
  area.dispatchEvent(new DragEvent(kind, {bubbles: true, cancelable: true,
                                          dataTransfer: transfer}));
}
const input = document.querySelector(selector);
return input.files.length ? input.files[0].name : null;
"""


def drop(browser, selector, name, data, mime):
    encoded = base64.b64encode(data).decode()
    return browser.execute_script(DROP, selector, name, mime, encoded)


def _author():
    from portal.db.models import User

    if not User.objects(email=EMAIL).first():
        User(email=EMAIL, name="Drop Author", roles=["author"], organization="2-001").save()


def test_a_dropped_methodology_is_saved_with_the_passport(go, server):
    _author()
    browser = go(f"/auth/dev-login?email={EMAIL}&next=/en/console/datasets/{STATS}/")
    assert browser.current_url.endswith(f"/en/console/datasets/{STATS}/")
    assert drop(browser, "#methodology", "dropped-method.pdf", PDF, "application/pdf") == (
        "dropped-method.pdf"
    )
    form = browser.find_element(By.ID, "methodology").find_element(By.XPATH, "ancestor::form")
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert browser.current_url.endswith(f"/en/console/datasets/{STATS}/structure")
    assert "is saved" in browser.find_element(By.CSS_SELECTOR, ".status-area").text
    browser.get(f"{server['base']}/en/console/datasets/{STATS}/")
    link = browser.find_element(By.PARTIAL_LINK_TEXT, f"{STATS}-methodology.pdf")
    stored = requests.get(link.get_attribute("href"), timeout=30)
    assert stored.status_code == 200 and stored.content == PDF


def test_a_dropped_filled_template_is_uploaded_and_previewed(go, server):
    _author()
    browser = go(f"/auth/dev-login?email={EMAIL}&next=/en/console/datasets/{STATS}/data")
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    template = requests.get(f"{server['base']}/api/v1/datasets/{STATS}/template.xlsx",
                            cookies=cookies, timeout=30)  # fmt: skip
    assert template.status_code == 200
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert drop(browser, "#file", "dropped.xlsx", template.content, xlsx) == "dropped.xlsx"
    form = browser.find_element(By.ID, "file").find_element(By.XPATH, "ancestor::form")
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert browser.current_url.endswith(f"/en/console/datasets/{STATS}/preview")
    assert "dropped.xlsx" in browser.find_element(By.TAG_NAME, "main").text
    changes = browser.find_element(By.CSS_SELECTOR, "ul.changes").text
    assert "Rows added: 0" in changes and "Rows removed: 0" in changes  # the rows it holds
    discard = browser.find_element(By.CSS_SELECTOR, "form[action$=discard] button")
    click_and_wait(browser, discard)


def test_a_large_upload_shows_the_same_preview_once_its_job_has_checked_it(go, server):
    """The job path: the status page while the job waits, then the first rows, the changes
    and the Publish button, as for a small file."""
    from portal.services.publishing import upload_jobs

    _author()
    app = server["app"]
    browser = go(f"/auth/dev-login?email={EMAIL}&next=/en/console/datasets/{STATS}/data")
    cookies = {c["name"]: c["value"] for c in browser.get_cookies()}
    template = requests.get(f"{server['base']}/api/v1/datasets/{STATS}/template.xlsx",
                            cookies=cookies, timeout=30)  # fmt: skip
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    threshold = app.config["UPLOAD_JOB_THRESHOLD"]
    app.config["UPLOAD_JOB_THRESHOLD"] = 100
    try:
        drop(browser, "#file", "large.xlsx", template.content, xlsx)
        form = browser.find_element(By.ID, "file").find_element(By.XPATH, "ancestor::form")
        click_and_wait(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    finally:
        app.config["UPLOAD_JOB_THRESHOLD"] = threshold
    assert "/en/console/jobs/" in browser.current_url
    assert browser.find_elements(By.CSS_SELECTOR, "progress[data-job-bar]")
    settings = upload_jobs.JobSettings(app.config)
    for _ in range(5):  # a worker's turns, until no job waits
        if upload_jobs.run_next(settings) is None:
            break
    browser.get(browser.current_url)
    changes = browser.find_element(By.CSS_SELECTOR, "ul.changes").text
    assert "Rows added: 0" in changes and "Rows unchanged: 15" in changes
    first = browser.find_elements(By.CSS_SELECTOR, "main table tbody tr")
    assert len(first) == 10  # the first rows of the file
    assert browser.find_element(By.CSS_SELECTOR, "form#confirm button[type=submit]")
    browser.get(f"{server['base']}/en/console/datasets/{STATS}/preview")
    assert "Rows unchanged: 15" in browser.find_element(By.CSS_SELECTOR, "ul.changes").text
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "form[action$=discard] button"))
