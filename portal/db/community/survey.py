"""The survey: its questions (seeded) and the answers, one per browser per period."""

from mongoengine import (
    BooleanField,
    DateTimeField,
    DictField,
    Document,
    EmbeddedDocumentField,
    IntField,
    ListField,
    StringField,
)

from portal.db.models import Multilingual, utcnow


class SurveyQuestion(Document):
    code = StringField(required=True, unique=True)
    text = EmbeddedDocumentField(Multilingual, required=True)
    options = ListField(DictField())  # [{id, text{4}}]
    other = BooleanField(default=True)
    order = IntField(default=0)
    meta = {"collection": "survey_questions"}


class SurveyAnswer(Document):
    browser = StringField(required=True)  # a hash of the browser's survey cookie
    answers = DictField()  # {question: option id}
    other = DictField()  # {question: free text}
    created_at = DateTimeField(default=utcnow)
    meta = {"collection": "survey_answers", "indexes": [("browser", "-created_at")]}


def answered_since(browser, since):
    return SurveyAnswer.objects(browser=browser, created_at__gte=since).first() is not None


def count_option(question, option):
    return SurveyAnswer.objects(**{f"answers__{question}": option}).count()


def others(question, limit=100):
    """The latest free-text answers to a question and how many there are."""
    qs = SurveyAnswer.objects(**{f"other__{question}__exists": True})
    latest = [a.other[question] for a in qs.order_by("-created_at").limit(limit)]
    return qs.count(), latest
