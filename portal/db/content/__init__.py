"""Documents of the portal's content: news, pages, FAQ, glossary, legislation, revisions."""

from portal.db.content.documents import (
    FaqEntry,
    GlossaryTerm,
    Legislation,
    News,
    Page,
    Revision,
)

DOCUMENTS = (News, Page, FaqEntry, GlossaryTerm, Legislation, Revision)


def ensure_indexes():
    """Create the declared indexes (idempotent; runs at start-up)."""
    for doc in DOCUMENTS:
        doc.ensure_indexes()
