"""How each kind of content is read from input and shown."""

from portal.core.errors import InvalidData
from portal.db.content import FaqEntry, GlossaryTerm, Legislation, News, Page
from portal.db.models import Dataset, ml, utcnow
from portal.services.content import render


def _ml(value):
    return value.to_dict() if value is not None else None


def _news_out(n):
    return {
        "id": str(n.id),
        "title": _ml(n.title),
        "body": _ml(n.body),
        "body_html": _ml(n.body_html),
        "published_at": n.published_at,
        "datasets": list(n.datasets),
        "updated_at": n.updated_at,
    }


def _check_datasets(codes):
    missing = [c for c in codes if not Dataset.objects(code=c).first()]
    if missing:
        raise InvalidData(
            "the news item is not valid", {"datasets": f"no dataset {', '.join(missing)}"}
        )
    return list(codes)


def _news_in(doc, data):
    if "title" in data:
        doc.title = ml(data["title"])
    if "body" in data:
        doc.body = ml(data["body"])
        doc.body_html = ml(render.multilingual(data["body"]))
    if data.get("published_at") is not None:
        doc.published_at = data["published_at"].replace(tzinfo=None)
    if "datasets" in data:
        doc.datasets = _check_datasets(data["datasets"])


def _page_out(p):
    return {
        "slug": p.slug,
        "title": _ml(p.title),
        "body": _ml(p.body),
        "body_html": _ml(p.body_html),
        "updated_at": p.updated_at,
    }


def _page_in(doc, data):
    doc.title = ml(data["title"])
    doc.body = ml(data["body"])
    doc.body_html = ml(render.multilingual(data["body"]))


def _faq_out(f):
    return {
        "id": str(f.id),
        "question": _ml(f.question),
        "answer": _ml(f.answer),
        "answer_html": _ml(f.answer_html),
        "order": f.order,
    }


def _faq_in(doc, data):
    if "question" in data:
        doc.question = ml(data["question"])
    if "answer" in data:
        doc.answer = ml(data["answer"])
        doc.answer_html = ml(render.multilingual(data["answer"]))
    if "order" in data:
        doc.order = data["order"]


def _term_out(t):
    return {"id": str(t.id), "term": _ml(t.term), "definition": _ml(t.definition)}


def _term_in(doc, data):
    if "term" in data:
        doc.term = ml(data["term"])
    if "definition" in data:
        doc.definition = ml(data["definition"])


def _law_out(law):
    return {
        "id": str(law.id),
        "number": law.number,
        "date": law.date.date() if law.date else None,
        "title": _ml(law.title),
        "url": law.url,
    }


def _law_in(doc, data):
    if "number" in data:
        doc.number = data["number"]
    if "date" in data:
        d = data["date"]
        doc.date = utcnow().replace(year=d.year, month=d.month, day=d.day, hour=0, minute=0,
                                    second=0, microsecond=0)  # fmt: skip
    if "title" in data:
        doc.title = ml(data["title"])
    if "url" in data:
        doc.url = data["url"]


class Kind:
    def __init__(self, name, model, dump, load, order):
        self.name, self.model, self.dump, self.load, self.order = name, model, dump, load, order


KINDS = {
    "news": Kind("news", News, _news_out, _news_in, ("-published_at",)),
    "faq": Kind("faq", FaqEntry, _faq_out, _faq_in, ("order", "id")),
    "glossary": Kind("glossary", GlossaryTerm, _term_out, _term_in, ("term.uzbText",)),
    "legislation": Kind("legislation", Legislation, _law_out, _law_in, ("-date",)),
    "page": Kind("page", Page, _page_out, _page_in, ("slug",)),
}
