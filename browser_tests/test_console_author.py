"""The author's console in the browser: sign in, passport, structure, template, upload with a
preview, errors with the marked workbook, the integration API, hiding; axe on every page."""

import io
import os
import tempfile
import time

import pytest
import requests
from openpyxl import load_workbook
from selenium.webdriver.common.by import By

from browser_tests.axe import serious
from browser_tests.harness import click_and_wait

EMAIL = "console.author@stat.uz"
PIN = "41234567890125"  # the author's PINFL, attached by the admin: OneID finds the account by it
PERSON = {
    "user_id": "aziza.console", "pin": PIN, "first_name": "AZIZA", "sur_name": "KARIMOVA",
    "mid_name": "", "full_name": "KARIMOVA AZIZA", "email": "aziza.console@mail.uz",
    "mob_phone_no": "998901112244", "legal_info": [],
}  # fmt: skip
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
# A value of each type for the template (text: one per language column).
VALUES = {
    "date": "12.03.2021",
    "text": "Toshkent",
    "string": "T-1",
    "number": 42,
    "location": "41.21542 64.65432",
    "polygon": "[41.21542, 64.65432], [41.31542, 64.75432], [41.11542, 64.55432]",
}


@pytest.fixture(scope="module")
def draft(server):
    """The author (organization 2-001), a directory, and a new passport made by an operator."""
    from portal.db.models import Directory, User
    from portal.services import reference
    from portal.services.publishing import datasets

    operator = User.objects(email="console.operator@ochiq.uz").first()
    if operator is None:
        operator = User(email="console.operator@ochiq.uz", name="Operator", roles=["operator"])
        operator.save()
    if not User.objects(email=EMAIL).first():
        User(email=EMAIL, name="Aziza Karimova", roles=["author"], organization="2-001",
             pin=PIN).save()  # fmt: skip
    names = {"uzbText": "Tumanlar", "uzbKrText": "Туманлар", "rusText": "Районы"}
    names["engText"] = "Districts"
    directory = {"code": "console-districts", "name": names}
    directory["items"] = [{"code": "yunusobod", "name": names}]
    if not Directory.objects(code="console-districts").first():
        reference.create_directory(operator, directory)
    title = {"uzbText": "Konsol sinovi", "uzbKrText": "Консол синови", "rusText": "Проверка"}
    title["engText"] = "Console check"
    passport = {"organization": "2-001", "title": title, "sector": "economy"}
    dataset = datasets.create(operator, {**passport, "update_frequency": "annual"})
    return dataset.code


def axe_clean(browser, source, problems):
    found = serious(browser, source)
    if found:
        problems[browser.current_url] = found


def submit(browser, form_css="main form"):
    forms = browser.find_elements(By.CSS_SELECTOR, form_css)
    click_and_wait(browser, forms[-1].find_element(By.CSS_SELECTOR, "button[type=submit]"))


def public_versions(go, code):
    """The version numbers the public page's Versions tab lists (signed in or not alike)."""
    browser = go(f"/en/datasets/{code}?tab=versions")
    return [th.text for th in browser.find_elements(By.CSS_SELECTOR, "tbody th[scope=row]")]


def cookies_of(browser):
    return {c["name"]: c["value"] for c in browser.get_cookies()}


def fill_template(data, rows):
    """The downloaded template filled in: `rows` of {field type: value} by its column map."""
    book = load_workbook(io.BytesIO(data))
    columns = book["_columns"]
    kinds = {}  # header -> field type (the fields are named "Maydon<type>" from their captions)
    for row in columns.iter_rows(min_row=2, values_only=True):
        if row and row[0]:
            kinds[row[1]] = row[2].removeprefix("Maydon")
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for values in rows:
        sheet.append([values.get(kinds.get(h, ""), "") for h in header])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_author_completes_publishes_pushes_and_hides(go, browser, server, draft, axe_source,
                                                     downloads):  # fmt: skip
    base, code, problems = server["base"], draft, {}
    # Sign in through OneID (the loopback fake signs PERSON in at once) and land on the desk.
    server["oneid"].person = dict(PERSON)
    go("/en/console/sign-in")
    axe_clean(browser, axe_source, problems)
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "OneID"))
    assert browser.current_url == f"{base}/en/console/", browser.current_url
    header = browser.find_element(By.TAG_NAME, "header").text
    assert "Aziza Karimova" in header or "KARIMOVA" in header.upper(), header
    assert server["oneid"].problems == []
    row = browser.find_element(By.ID, f"ds-{code}")
    assert "Draft" in row.text
    axe_clean(browser, axe_source, problems)

    # Step 1: the passport, with a methodology file.
    click_and_wait(browser, row.find_element(By.LINK_TEXT, "Console check"))
    axe_clean(browser, axe_source, problems)
    submit(browser)  # nothing filled in: the error summary, focused
    assert browser.title.startswith("Error: ")
    assert browser.switch_to.active_element.get_attribute("class") == "error-summary"
    axe_clean(browser, axe_source, problems)
    for key, text in (("uzbText", "Sinov"), ("uzbKrText", "Синов"), ("rusText", "Проверка"),
                      ("engText", "A check")):  # fmt: skip
        browser.find_element(By.ID, f"desc_{key}").send_keys(text)
    browser.find_element(By.ID, "phone").send_keys("+998 71 203-80-29")
    browser.find_element(By.ID, "email").send_keys("opendata@stat.uz")
    browser.find_element(By.CSS_SELECTOR, "label[for=kind-editable]").click()
    browser.find_element(By.ID, "keywords").send_keys("sinov, konsol")
    method = os.path.join(tempfile.mkdtemp(), "method.pdf")
    with open(method, "wb") as fh:
        fh.write(PDF)
    browser.find_element(By.ID, "methodology").send_keys(method)
    submit(browser)
    assert browser.current_url.endswith(f"/en/console/datasets/{code}/structure")
    assert "is saved" in browser.find_element(By.CSS_SELECTOR, ".status-area").text
    axe_clean(browser, axe_source, problems)

    # Step 2: one field of each type.
    for kind in ("date", "text", "string", "number", "directory", "location", "polygon"):
        details = browser.find_element(By.CSS_SELECTOR, "details.add-field")
        if not details.get_attribute("open"):
            details.find_element(By.TAG_NAME, "summary").click()
        radio = "type" if kind == "date" else f"type-{kind}"
        browser.find_element(By.CSS_SELECTOR, f"label[for={radio}]").click()
        if kind == "directory":
            browser.find_element(
                By.CSS_SELECTOR, "#directory option[value=console-districts]"
            ).click()
        for key in ("uzbText", "uzbKrText", "rusText", "engText"):
            browser.find_element(By.ID, f"cap_{key}").send_keys(f"Maydon {kind}")
        submit(browser, "details.add-field form")
        assert "The field is added." in browser.find_element(By.CSS_SELECTOR, ".status-area").text
    assert len(browser.find_elements(By.CSS_SELECTOR, "tbody tr[id^=f-]")) == 7
    axe_clean(browser, axe_source, problems)
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "tbody tr[id^=f-] td.actions a"))
    axe_clean(browser, axe_source, problems)  # the field editor
    browser.back()

    # Step 3: download the template, fill it, upload it, see the preview, publish.
    click_and_wait(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "Next: upload the data"))
    axe_clean(browser, axe_source, problems)
    browser.execute_cdp_cmd(
        "Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": downloads}
    )
    browser.find_element(By.LINK_TEXT, "Download file").click()
    target = os.path.join(downloads, f"{code}-template.xlsx")
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not os.path.exists(target):
        time.sleep(0.2)
    with open(target, "rb") as fh:
        template = fh.read()
    good = dict(VALUES, directory="yunusobod")
    filled = os.path.join(tempfile.mkdtemp(), "filled.xlsx")
    with open(filled, "wb") as fh:
        fh.write(fill_template(template, [good, dict(good, number=7)]))
    browser.find_element(By.ID, "file").send_keys(filled)
    submit(browser)
    assert "Rows added: 2" in browser.find_element(By.CSS_SELECTOR, "ul.changes").text
    axe_clean(browser, axe_source, problems)
    submit(browser, "form#confirm")
    assert f"Version 1 of {code} is published." in browser.page_source
    assert public_versions(go, code) == ["1"]
    go(f"/en/console/datasets/{code}/data")

    # A file with a bad cell: the error table and the workbook with it marked.
    bad = os.path.join(tempfile.mkdtemp(), "bad.xlsx")
    with open(bad, "wb") as fh:
        fh.write(fill_template(template, [dict(good, number="many")]))
    browser.find_element(By.ID, "file").send_keys(bad)
    submit(browser)
    table = browser.find_element(By.ID, "errors")
    assert "many" in table.text
    axe_clean(browser, axe_source, problems)
    link = browser.find_element(By.PARTIAL_LINK_TEXT, "bad cells marked").get_attribute("href")
    marked = requests.get(link, cookies=cookies_of(browser), timeout=20)
    sheet = load_workbook(io.BytesIO(marked.content)).worksheets[0]
    commented = [c for r in sheet.iter_rows() for c in r if c.comment is not None]
    assert [c.value for c in commented] == ["many"]
    submit(browser, "form[action$=discard]")

    # Get API: a token, and rows pushed with it over HTTP.
    click_and_wait(browser, browser.find_element(By.LINK_TEXT, "Get API"))
    axe_clean(browser, axe_source, problems)
    submit(browser)
    token = browser.find_element(By.ID, "api-token").text
    dataset_id = browser.find_element(By.ID, "api-id").text
    axe_clean(browser, axe_source, problems)
    push = requests.post(
        f"{base}/apiData/MainData/ExternalApi",
        json={"data": [_push_row(browser, good)], "id": dataset_id, "token": token},
        timeout=30,
    )
    assert push.status_code == 200 and push.json()["success"] is True, push.text
    assert public_versions(go, code) == ["2", "1"]

    # Hide it from the desk: gone from the public search.
    go("/en/console/")
    hide = browser.find_element(By.ID, f"ds-{code}").find_element(By.CSS_SELECTOR, "button")
    click_and_wait(browser, hide)
    assert "is hidden from the public" in browser.find_element(By.CSS_SELECTOR, ".status-area").text
    axe_clean(browser, axe_source, problems)
    found = requests.get(f"{base}/api/v1/datasets?q={code}", timeout=20).json()
    assert all(item["code"] != code for item in found["items"])
    assert problems == {}


def _push_row(browser, good):
    """One row keyed as the API page's data shows it (captions), valued by field type."""
    import json

    keys = json.loads(browser.find_element(By.ID, "api-data").text)
    row = {}
    for key in keys:
        kind = key.split(" ", 1)[1] if key.startswith("Maydon ") else "string"
        row[key] = good.get(kind, "")
    return row


@pytest.mark.parametrize("lang", ("uz", "oz", "ru"))
def test_axe_on_the_console_pages_in_other_languages(go, browser, server, draft, axe_source, lang):
    stats = "2-001-11072"  # a published dataset of the author's organization
    go(f"/auth/dev-login?email={EMAIL}&next=/{lang}/console/")
    problems = {}
    for path in ("/console/", f"/console/datasets/{stats}/", f"/console/datasets/{stats}/structure",
                 f"/console/datasets/{stats}/data", f"/console/datasets/{stats}/api",
                 "/console/sign-in"):  # fmt: skip
        go(f"/{lang}{path}")
        assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") != "en"
        axe_clean(browser, axe_source, problems)
    assert problems == {}
