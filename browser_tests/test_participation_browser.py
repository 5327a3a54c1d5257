"""Feedback, the survey, proposing and voting, in the browser; axe on those pages."""

import pytest
from selenium.webdriver.common.by import By

from browser_tests.axe import serious
from browser_tests.harness import click_and_wait

pytest.importorskip("portal.services.community.proposals")


@pytest.mark.parametrize("lang", ("uz", "oz", "ru", "en"))
def test_axe_on_the_participation_pages(go, axe_source, lang):
    problems = {}
    for path in ("/proposals", "/feedback", "/survey"):
        found = serious(go(f"/{lang}{path}"), axe_source)
        if found:
            problems[path] = found
    assert problems == {}


def test_feedback_errors_then_sent(go, axe_source):
    browser = go("/en/feedback")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    summary = browser.find_element(By.CSS_SELECTOR, ".error-summary")
    assert browser.switch_to.active_element == summary  # focus moved to the summary
    assert browser.title.startswith("Error: ")
    assert serious(browser, axe_source) == []
    summary.find_element(By.CSS_SELECTOR, 'a[href="#email"]').click()  # moves within the page
    browser.find_element(By.ID, "full_name").send_keys("Ali Valiyev")
    browser.find_element(By.ID, "email").send_keys("ali@example.uz")
    browser.find_element(By.ID, "message").send_keys("Rahmat!")
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "sent=1" in browser.current_url
    assert "Thank you" in browser.find_element(By.CSS_SELECTOR, ".notice").text


def test_answer_the_survey(go):
    browser = go("/uz/survey")
    for fieldset in browser.find_elements(By.CSS_SELECTOR, "fieldset.question"):
        fieldset.find_elements(By.CSS_SELECTOR, "label")[0].click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "sent=1" in browser.current_url


def test_propose_while_signed_in(go, browser, server):
    from portal.db.models import User

    if not User.objects(email="citizen@example.uz").first():
        User(email="citizen@example.uz", name="Citizen", roles=[]).save()
    go("/auth/dev-login?email=citizen@example.uz&next=/en/proposals/new")
    assert browser.current_url.endswith("/en/proposals/new")
    browser.find_element(By.ID, "title").send_keys("Bus stops of Tashkent")
    browser.find_element(By.ID, "description").send_keys("Every stop with its routes.")
    browser.find_element(By.CSS_SELECTOR, "#sector option[value=economy]").click()
    click_and_wait(browser, browser.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    assert "sent=1" in browser.current_url
