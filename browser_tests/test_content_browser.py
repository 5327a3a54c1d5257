"""axe-core on the content pages in every language."""

import pytest

from browser_tests.axe import serious

pytest.importorskip("portal.services.content")


@pytest.mark.parametrize("lang", ("uz", "oz", "ru", "en"))
def test_axe_on_the_content_pages(go, axe_source, lang):
    problems = {}
    for path in ("/news", "/faq", "/glossary", "/legislation", "/pages/about"):
        found = serious(go(f"/{lang}{path}"), axe_source)
        if found:
            problems[path] = found
    assert problems == {}
