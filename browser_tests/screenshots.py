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
    "console-data": f"/uz/console/datasets/{STATS}/data",
    "console-api": f"/uz/console/datasets/{STATS}/api",
}


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
        pages = dict(PAGES, **CONSOLE)
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
                    if name in CONSOLE and name != "console-sign-in":
                        driver.get(
                            f"{server['base']}/auth/dev-login?email={CONSOLE_AUTHOR}&next=/uz/"
                        )
                    if isinstance(path, tuple):  # sign in first (the development sign-in)
                        email, path = path
                        driver.get(f"{server['base']}/auth/dev-login?email={email}&next={path}")
                    driver.get(server["base"] + path)
                    (out / f"{name}-{width}.png").write_bytes(full_page(driver, width))
                    print(f"{name}-{width}.png")
            finally:
                driver.quit()


if __name__ == "__main__":
    main(tuple(sys.argv[1:]))
