"""The operator's and the admin's consoles in the browser: an operator creates a passport for an
organization and rejects it with a reason, its author sees the notification; an admin creates
an organization and a user; axe-core on every page of these consoles, in every language."""

import json

import pytest
from selenium.webdriver.common.by import By

from browser_tests.axe import serious
from browser_tests.harness import click_and_wait

LANGS = ("uz", "oz", "ru", "en")
OPERATOR_PAGES = (
    "/console/operator/datasets",
    "/console/operator/datasets?status=draft&late=1",
    "/console/operator/datasets/new",
    "/console/operator/datasets/2-001-11072",
    "/console/operator/moderation",
    "/console/operator/proposals",
    "/console/operator/feedback",
    "/console/operator/survey",
    "/console/operator/content/news",
    "/console/operator/content/faq/new",
    "/console/operator/content/page/about",
    "/console/operator/monitoring",
    "/console/operator/exports",
)
ADMIN_PAGES = (
    "/console/admin/organizations",
    "/console/admin/organizations/new",
    "/console/admin/organizations/2-001",
    "/console/admin/users",
    "/console/admin/users/new",
    "/console/admin/tokens",
    "/console/admin/audit",
)


def person(email, roles, organization=None):
    """A user of the served portal (the test shares its database connection)."""
    from portal.db.models import User

    user = User.objects(email=email).first()
    if user is None:
        user = User(email=email, name=email.split("@")[0].title(), roles=roles,
                    organization=organization).save()  # fmt: skip
    return user


def sign_in(go, email, path):
    """A fresh browser session as this person (the development sign-in), at `path`."""
    browser = go(f"/auth/dev-login?email={email}&next={path}")
    assert browser.current_url.endswith(path), browser.current_url
    return browser


def visit(browser, server, path):
    """Open a page in the same session."""
    browser.get(server["base"] + path)
    return browser


def submit(browser):
    """Press the form's save (or only) button and wait for the next page."""
    form = "main form[method=post]"
    buttons = browser.find_elements(By.CSS_SELECTOR, f"{form} button[value=save]")
    buttons = buttons or browser.find_elements(By.CSS_SELECTOR, f"{form} button[type=submit]")
    click_and_wait(browser, buttons[0])


def status_text(browser):
    return browser.find_element(By.CSS_SELECTOR, "[role=status]").text


def test_operator_creates_and_rejects_a_passport_and_the_author_is_told(go, server, axe_source):
    person("operator@ochiq.uz", ["operator"])
    person("author@stat.uz", ["author"], "2-001")
    browser = sign_in(go, "operator@ochiq.uz", "/en/console/operator/datasets/new")
    browser.find_element(By.ID, "title-engText").send_keys("Bus stops")
    submit(browser)  # most of it missing: the error summary, what was typed kept
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary")
    assert browser.switch_to.active_element == summary
    assert browser.find_element(By.ID, "title-engText").get_attribute("value") == "Bus stops"
    assert serious(browser, axe_source) == []
    browser.find_element(By.CSS_SELECTOR, "#organization option[value='2-001']").click()
    for key, text in (("uzbText", "Bekatlar"), ("uzbKrText", "Бекатлар"), ("rusText", "Остановки")):
        browser.find_element(By.ID, f"title-{key}").send_keys(text)
    browser.find_element(By.CSS_SELECTOR, "#sector option[value=economy]").click()
    browser.find_element(By.CSS_SELECTOR, "#update_frequency option[value=monthly]").click()
    submit(browser)
    assert "was created" in status_text(browser)
    code = browser.current_url.rsplit("/", 1)[1]
    assert code.startswith("2-001-")

    browser.find_element(By.ID, "reasons").send_keys("The description is empty\nNo phone number")
    form = browser.find_element(By.ID, "reasons").find_element(By.XPATH, "ancestor::form")
    click_and_wait(browser, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
    assert "was rejected" in status_text(browser)
    assert serious(browser, axe_source) == []

    browser = sign_in(go, "author@stat.uz", "/en/console/")
    desk = browser.find_element(By.TAG_NAME, "main").text
    if "The description is empty" not in desk:  # the desk does not list notifications yet
        visit(browser, server, "/api/v1/me/notifications")
        notices = json.loads(browser.find_element(By.TAG_NAME, "body").text)["items"]
        mine = [n for n in notices if n["dataset_code"] == code]
        assert mine and mine[0]["reasons"] == ["The description is empty", "No phone number"]
    else:
        assert "No phone number" in desk


def test_admin_creates_an_organization_and_a_user(go, server, axe_source):
    person("admin@ochiq.uz", ["admin"])
    browser = sign_in(go, "admin@ochiq.uz", "/en/console/admin/organizations/new")
    browser.find_element(By.ID, "code").send_keys("31-001")
    names = {"uzbText": "Yoshlar agentligi", "uzbKrText": "Ёшлар агентлиги",
             "rusText": "Агентство по делам молодёжи", "engText": "Youth agency"}  # fmt: skip
    for key, text in names.items():
        browser.find_element(By.ID, f"name-{key}").send_keys(text)
    browser.find_element(By.ID, "tin").send_keys("12345")
    submit(browser)
    assert browser.find_element(By.CSS_SELECTOR, ".error-summary a[href='#tin']")
    assert browser.find_element(By.ID, "name-engText").get_attribute("value") == "Youth agency"
    assert serious(browser, axe_source) == []
    tin = browser.find_element(By.ID, "tin")
    tin.clear()
    tin.send_keys("312345678")
    submit(browser)
    assert "31-001 was added" in status_text(browser)
    assert "Youth agency" in browser.find_element(By.TAG_NAME, "main").text

    visit(browser, server, "/en/console/admin/users/new")
    browser.find_element(By.ID, "email").send_keys("malika@yoshlar.uz")
    browser.find_element(By.ID, "name").send_keys("Malika Yusupova")
    browser.find_element(By.CSS_SELECTOR, "#organization option[value='31-001']").click()
    browser.find_element(By.CSS_SELECTOR, "label[for=role-org_admin]").click()
    submit(browser)
    assert "Malika Yusupova was added" in status_text(browser)
    assert browser.find_element(By.ID, "role-org_admin").is_selected()
    from portal.db.models import User

    made = User.objects(email="malika@yoshlar.uz").get()
    assert made.organization == "31-001" and made.roles == ["org_admin"]


def _axe_each(browser, server, axe_source, lang, paths):
    problems = {}
    for path in paths:
        found = serious(visit(browser, server, f"/{lang}{path}"), axe_source)
        if found:
            problems[path] = found
    return problems


@pytest.mark.parametrize("lang", LANGS)
def test_axe_on_the_operator_console(go, server, axe_source, lang):
    person("operator@ochiq.uz", ["operator"])
    browser = sign_in(go, "operator@ochiq.uz", f"/{lang}/console/operator/datasets")
    assert _axe_each(browser, server, axe_source, lang, OPERATOR_PAGES) == {}


@pytest.mark.parametrize("lang", LANGS)
def test_axe_on_the_admin_console(go, server, axe_source, lang):
    person("admin@ochiq.uz", ["admin"])
    person("boss@stat.uz", ["org_admin"], "2-001")
    newcomer = person("newcomer@stat.uz", ["author"], "2-001")  # no OneID identity yet
    browser = sign_in(go, "admin@ochiq.uz", f"/{lang}/console/admin/users")
    code_page = f"/console/admin/users/{newcomer.id}/signin-code"
    problems = _axe_each(browser, server, axe_source, lang, ADMIN_PAGES + (code_page,))
    browser = sign_in(go, "boss@stat.uz", f"/{lang}/console/people")
    problems.update(_axe_each(browser, server, axe_source, lang, ("/console/people",)))
    assert problems == {}
