"""Log In through OneID in the browser: the header's link, OneID's page, the callback, the desk."""

from selenium.webdriver.common.by import By

PIN = "31234567890124"
PERSON = {
    "user_id": "aziza.karimova", "pin": PIN, "first_name": "AZIZA", "sur_name": "KARIMOVA",
    "mid_name": "", "full_name": "KARIMOVA AZIZA", "email": "aziza@mail.uz",
    "mob_phone_no": "998901112233", "legal_info": [],
}  # fmt: skip


def test_an_author_logs_in_with_oneid_and_lands_on_the_desk(go, browser, server):
    from portal.db.models import User

    # The admin attached the author's PINFL: OneID finds the account by it, never by e-mail.
    author = User.objects(pin=PIN).first()
    if author is None:
        author = User(email="oneid.author@stat.uz", name="Aziza Karimova", roles=["author"],
                      organization="2-001", pin=PIN)  # fmt: skip
        author.save()
    server["oneid"].person = dict(PERSON)
    go("/en/")
    browser.find_element(By.LINK_TEXT, "Log In").click()
    # The sign-in page, then OneID (which signs the person in at once) and back
    if "/console/sign-in" in browser.current_url:
        browser.find_element(By.PARTIAL_LINK_TEXT, "OneID").click()
    assert browser.current_url.startswith(server["base"] + "/en/console/"), browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text
    header = browser.find_element(By.TAG_NAME, "header").text
    assert "Aziza Karimova" in header or "KARIMOVA" in header.upper(), header
    assert server["oneid"].problems == []
    # The datasets of the author's organization are on the desk
    assert "2-001-" in browser.find_element(By.TAG_NAME, "main").text
