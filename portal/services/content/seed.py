"""The first content of a new portal (portal/seed/content.json): the information pages, the
FAQ, the glossary and the survey's questions, in four languages."""

import json
from pathlib import Path

from portal.db.content import FaqEntry, GlossaryTerm
from portal.services.community import survey
from portal.services.content import entries

CONTENT = Path(__file__).resolve().parent.parent.parent / "seed" / "content.json"


def data():
    return json.loads(CONTENT.read_text(encoding="utf-8"))


def load(content=None):
    """Add what is missing: pages by slug; the FAQ and glossary only when empty."""
    content = content or data()
    for page in content["pages"]:
        entries.seed_page(page["slug"], {"title": page["title"], "body": page["body"]})
    if not FaqEntry.objects.first():
        for item in content["faq"]:
            entries.seed("faq", item)
    if not GlossaryTerm.objects.first():
        for item in content["glossary"]:
            entries.seed("glossary", item)
    survey.load(content["survey"])
