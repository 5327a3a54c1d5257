"""Screenshots of every page at 1280 and 375 px wide into docs/screenshots/ (make screenshots).

.venv/bin/python -m browser_tests.screenshots
"""

import base64
import sys

from browser_tests.harness import ROOT, chromium, served

LIBRARIES = "4-019-0014"
PAGES = {
    "home": "/uz/",
    "search": "/uz/datasets?q=kutubxona",
    "search-nothing": "/uz/datasets?q=zzzqqq",
    "sector": "/uz/sectors/culture",
    "dataset-passport": f"/uz/datasets/{LIBRARIES}",
    "dataset-structure": f"/uz/datasets/{LIBRARIES}?tab=structure",
    "dataset-table": f"/uz/datasets/{LIBRARIES}?tab=table",
    "dataset-web-service": f"/uz/datasets/{LIBRARIES}?tab=api&send=1",
    "dataset-versions": f"/uz/datasets/{LIBRARIES}?tab=versions",
    "organizations": "/uz/organizations",
    "sitemap": "/uz/sitemap",
    "home-russian": "/ru/",
    "home-cyrillic-contrast": "/oz/",
    "not-found": "/en/no-such-page",
    "proposals": "/uz/proposals",
    "feedback": "/uz/feedback",
    "survey": "/uz/survey",
    "news": "/uz/news",
    "faq": "/uz/faq",
    "glossary": "/uz/glossary",
    "legislation": "/uz/legislation",
    "page-about": "/uz/pages/about",
    "statistics": "/uz/statistics",
    "statistics-monthly": "/uz/statistics/monthly",
    "monitoring": "/uz/monitoring",
    "monitoring-outdated": "/uz/monitoring/outdated",
    "monitoring-updated": "/uz/monitoring/updated",
    "ai": "/uz/ai",
    "dataset-quality": f"/uz/datasets/{LIBRARIES}#quality",
    "statistics-russian-contrast": "/ru/statistics",
    # console pages: (who is signed in, path); PEOPLE makes them if the database lacks them
    "console-operator-datasets": ("operator@ochiq.uz", "/uz/console/operator/datasets"),
    "console-operator-new-passport": ("operator@ochiq.uz", "/uz/console/operator/datasets/new"),
    "console-operator-review": ("operator@ochiq.uz", "/uz/console/operator/datasets/2-001-11072"),
    "console-operator-moderation": ("operator@ochiq.uz", "/uz/console/operator/moderation"),
    "console-operator-proposals": ("operator@ochiq.uz", "/uz/console/operator/proposals"),
    "console-operator-feedback": ("operator@ochiq.uz", "/uz/console/operator/feedback"),
    "console-operator-content": ("operator@ochiq.uz", "/uz/console/operator/content/faq"),
    "console-operator-editor": ("operator@ochiq.uz", "/uz/console/operator/content/page/about"),
    "console-operator-survey": ("operator@ochiq.uz", "/uz/console/operator/survey"),
    "console-operator-monitoring": ("operator@ochiq.uz", "/uz/console/operator/monitoring"),
    "console-operator-exports": ("operator@ochiq.uz", "/uz/console/operator/exports"),
    "console-admin-organizations": ("admin@ochiq.uz", "/uz/console/admin/organizations"),
    "console-admin-organization": ("admin@ochiq.uz", "/uz/console/admin/organizations/2-001"),
    "console-admin-users": ("admin@ochiq.uz", "/uz/console/admin/users"),
    "console-admin-new-user": ("admin@ochiq.uz", "/uz/console/admin/users/new"),
    "console-admin-tokens": ("admin@ochiq.uz", "/uz/console/admin/tokens"),
    "console-admin-audit": ("admin@ochiq.uz", "/uz/console/admin/audit"),
    "console-people": ("boss@stat.uz", "/uz/console/people"),
    "console-operator-content-new": ("operator@ochiq.uz", "/uz/console/operator/content/faq/new"),
    "console-operator-datasets-late": (
        "operator@ochiq.uz",
        "/uz/console/operator/datasets?status=published&late=1",
    ),
    "console-admin-user": ("admin@ochiq.uz", lambda: f"/uz/console/admin/users/{_boss()}"),
    "console-admin-signin-code": (
        "admin@ochiq.uz",
        lambda: f"/uz/console/admin/users/{_boss()}/signin-code",
    ),
}
PEOPLE = {
    "operator@ochiq.uz": (["operator"], None),
    "admin@ochiq.uz": (["admin"], None),
    "boss@stat.uz": (["org_admin"], "2-001"),
}


def _people():
    from portal.db.models import User

    for email, (roles, organization) in PEOPLE.items():
        if not User.objects(email=email).first():
            User(email=email, name=email.split("@")[0].title(), roles=roles,
                 organization=organization).save()  # fmt: skip


# Console pages, seen by an author of the statistics agency (signed in by the dev sign-in).
CONSOLE_AUTHOR = "screens.author@stat.uz"
STATS = "2-001-11072"
CONSOLE = {
    "console-sign-in": "/uz/console/sign-in",
    "console-desk": "/uz/console/",
    "console-passport": f"/uz/console/datasets/{STATS}/",
    "console-structure": f"/uz/console/datasets/{STATS}/structure",
    "console-field": lambda: f"/uz/console/datasets/{STATS}/fields/{_first_field()}",
    "console-data": f"/uz/console/datasets/{STATS}/data",
    "console-api": f"/uz/console/datasets/{STATS}/api",
}
# Pages after an upload (made in the browser by staged()): its preview, its bad cells, and a
# large file's job page while it waits and once it has been checked.
STAGED = ("console-preview", "console-preview-errors", "console-job-waiting", "console-job-done")


def _boss():
    """The organization's administrator's id (a person without a OneID identity)."""
    from portal.db.models import User

    return str(User.objects(email="boss@stat.uz").get().id)


def _first_field():
    from portal.services.publishing import datasets

    return datasets.ordered_fields(datasets.find(STATS))[0].name


def _filled_template(server, driver, bad=False):
    """The dataset's template as it downloads (it holds the current rows), one cell spoilt."""
    import io
    import tempfile

    import requests
    from openpyxl import load_workbook

    cookies = {c["name"]: c["value"] for c in driver.get_cookies()}
    data = requests.get(f"{server['base']}/api/v1/datasets/{STATS}/template.xlsx",
                        cookies=cookies, timeout=60).content  # fmt: skip
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    sheet.cell(row=2, column=sheet.max_column, value="ko'p" if bad else "1")
    path = tempfile.mkstemp(suffix=".xlsx")[1]
    book.save(path)
    return path


def staged(server, driver, name):
    """Upload the filled template on step 3 and land on the page `name` shows."""
    from selenium.webdriver.common.by import By

    from portal.services.publishing import upload_jobs

    app = server["app"]
    large = name.startswith("console-job")
    threshold = app.config["UPLOAD_JOB_THRESHOLD"]
    app.config["UPLOAD_JOB_THRESHOLD"] = 100 if large else threshold
    try:
        driver.get(f"{server['base']}/uz/console/datasets/{STATS}/data")
        path = _filled_template(server, driver, bad=name == "console-preview-errors")
        driver.find_element(By.ID, "file").send_keys(path)
        driver.find_element(By.CSS_SELECTOR, "main form[enctype] button[type=submit]").click()
        driver.find_element(By.TAG_NAME, "h1")
    finally:
        app.config["UPLOAD_JOB_THRESHOLD"] = threshold
    if name == "console-job-done":  # a worker's turn: the waiting job first, then this one
        settings = upload_jobs.JobSettings(app.config)
        for _ in range(5):
            if upload_jobs.run_next(settings) is None:
                break
        driver.get(driver.current_url)


def console_author():
    """The author the console screenshots sign in as (made once per database)."""
    from portal.db.models import User

    if not User.objects(email=CONSOLE_AUTHOR).first():
        User(
            email=CONSOLE_AUTHOR, name="Aziza Karimova", roles=["author"], organization="2-001"
        ).save()


def counted(app):
    """The daily monitoring run, so that monitoring, the AI section and scores have figures."""
    result = app.test_cli_runner().invoke(args=["monitoring", "run", "--no-reminders"])
    assert result.exit_code == 0, result.output


def full_page(driver, width):
    """A PNG of the whole page at `width` CSS pixels (not only the window)."""
    metrics = {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 500}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {**metrics, "height": height})
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return base64.b64decode(shot["data"])


def main(only=()):
    out = ROOT / "docs" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with served() as server:
        counted(server["app"])
        pages = dict(PAGES, **CONSOLE, **{name: None for name in STAGED})
        console_author()
        _people()
        for width in (1280, 375):
            driver = chromium(width, 900)
            try:
                for name, path in pages.items():
                    if only and name not in only:
                        continue
                    driver.delete_all_cookies()
                    driver.get(server["base"] + "/uz/")
                    if "contrast" in name:
                        driver.add_cookie({"name": "a11y", "value": "contrast.large", "path": "/"})
                    if (name in CONSOLE or name in STAGED) and name != "console-sign-in":
                        driver.get(
                            f"{server['base']}/auth/dev-login?email={CONSOLE_AUTHOR}&next=/uz/"
                        )
                    if isinstance(path, tuple):  # sign in first (the development sign-in)
                        email, path = path
                        driver.get(f"{server['base']}/auth/dev-login?email={email}&next=/uz/")
                    if name in STAGED:
                        staged(server, driver, name)
                    else:
                        driver.get(server["base"] + (path() if callable(path) else path))
                    (out / f"{name}-{width}.png").write_bytes(full_page(driver, width))
                    print(f"{name}-{width}.png")
            finally:
                driver.quit()


if __name__ == "__main__":
    main(tuple(sys.argv[1:]))
