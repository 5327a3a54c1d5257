"""Content in four languages, one document each; every change keeps a revision."""

from mongoengine import (
    DateTimeField,
    DictField,
    Document,
    EmbeddedDocumentField,
    IntField,
    ListField,
    ObjectIdField,
    StringField,
)

from portal.db.models import Multilingual, utcnow


class News(Document):
    title = EmbeddedDocumentField(Multilingual, required=True)
    body = EmbeddedDocumentField(Multilingual, required=True)  # Markdown as written
    body_html = EmbeddedDocumentField(Multilingual)  # rendered and sanitized at save time
    published_at = DateTimeField(default=utcnow)
    datasets = ListField(StringField())  # dataset codes
    created_by = StringField()
    updated_at = DateTimeField(default=utcnow)
    meta = {"collection": "news", "indexes": ["-published_at"]}


class Page(Document):
    slug = StringField(required=True, unique=True)
    title = EmbeddedDocumentField(Multilingual, required=True)
    body = EmbeddedDocumentField(Multilingual, required=True)
    body_html = EmbeddedDocumentField(Multilingual)
    updated_at = DateTimeField(default=utcnow)
    meta = {"collection": "pages"}


class FaqEntry(Document):
    question = EmbeddedDocumentField(Multilingual, required=True)
    answer = EmbeddedDocumentField(Multilingual, required=True)
    answer_html = EmbeddedDocumentField(Multilingual)
    order = IntField(default=0)
    updated_at = DateTimeField(default=utcnow)
    meta = {"collection": "faq", "indexes": ["order"]}


class GlossaryTerm(Document):
    term = EmbeddedDocumentField(Multilingual, required=True)
    definition = EmbeddedDocumentField(Multilingual, required=True)
    updated_at = DateTimeField(default=utcnow)
    meta = {"collection": "glossary"}


class Legislation(Document):
    number = StringField(required=True)
    date = DateTimeField(required=True)
    title = EmbeddedDocumentField(Multilingual, required=True)
    url = StringField()
    updated_at = DateTimeField(default=utcnow)
    meta = {"collection": "legislation", "indexes": ["-date"]}


class Revision(Document):
    """The state of a content item after a change (or before its deletion)."""

    kind = StringField(required=True)
    item = ObjectIdField(required=True)
    number = IntField(required=True)
    action = StringField(required=True)  # created, changed, deleted
    by = StringField()
    at = DateTimeField(default=utcnow)
    snapshot = DictField()
    meta = {
        "collection": "content_revisions",
        "indexes": [{"fields": ["kind", "item", "number"], "unique": True}],
    }


def next_revision_number(kind, item_id):
    last = Revision.objects(kind=kind, item=item_id).order_by("-number").only("number").first()
    return (last.number if last else 0) + 1
