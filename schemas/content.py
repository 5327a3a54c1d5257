"""Requests and answers of the content API (news, pages, FAQ, glossary, legislation).
Unknown fields are refused; every text is required in all four languages."""

from marshmallow import ValidationError, fields, validate

from schemas.common import MultilingualOut, PageArgs, Strict, paged
from schemas.community import Text as Trimmed

_NOT_BLANK = validate.Length(min=1, error="must not be empty or only spaces")


def _ml_schema(name, limit):
    """A {uzbText, uzbKrText, rusText, engText} schema, each required, up to `limit` chars."""

    def text():
        return Trimmed(required=True, validate=[_NOT_BLANK, validate.Length(max=limit)])

    return type(
        name,
        (Strict,),
        {"uzbText": text(), "uzbKrText": text(), "rusText": text(), "engText": text()},
    )


Title = _ml_schema("ContentTitle", 500)
Body = _ml_schema("ContentBody", 50_000)
Short = _ml_schema("ContentShort", 5_000)
_SLUG_ERROR = "lower-case letters, digits, dashes"


def _slug(value):
    """Words of lower-case letters and digits joined by single dashes (no regex on user input)."""
    words = value.split("-")
    if not all(w and w.isascii() and w.isalnum() and w == w.lower() for w in words):
        raise ValidationError(_SLUG_ERROR)


class NewsIn(Strict):
    title = fields.Nested(Title, required=True)
    body = fields.Nested(Body, required=True)
    published_at = fields.DateTime(load_default=None, allow_none=True)
    datasets = fields.List(
        Trimmed(validate=validate.Length(min=1, max=64)),
        load_default=list,
        validate=validate.Length(max=20),
    )


class NewsPatch(Strict):
    title = fields.Nested(Title)
    body = fields.Nested(Body)
    published_at = fields.DateTime(allow_none=True)
    datasets = fields.List(
        Trimmed(validate=validate.Length(min=1, max=64)), validate=validate.Length(max=20)
    )


class NewsOut(Strict):
    id = fields.String()
    title = fields.Nested(MultilingualOut)
    body = fields.Nested(MultilingualOut)
    body_html = fields.Nested(MultilingualOut)
    published_at = fields.DateTime()
    datasets = fields.List(fields.String())
    updated_at = fields.DateTime()


class PageIn(Strict):
    title = fields.Nested(Title, required=True)
    body = fields.Nested(Body, required=True)


class PageOut(Strict):
    slug = fields.String()
    title = fields.Nested(MultilingualOut)
    body = fields.Nested(MultilingualOut)
    body_html = fields.Nested(MultilingualOut)
    updated_at = fields.DateTime()


class PageSlug(Strict):
    slug = Trimmed(required=True, validate=[validate.Length(max=64), _slug])


class FaqIn(Strict):
    question = fields.Nested(Short, required=True)
    answer = fields.Nested(Body, required=True)
    order = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100000))


class FaqPatch(Strict):
    question = fields.Nested(Short)
    answer = fields.Nested(Body)
    order = fields.Integer(validate=validate.Range(min=0, max=100000))


class FaqOut(Strict):
    id = fields.String()
    question = fields.Nested(MultilingualOut)
    answer = fields.Nested(MultilingualOut)
    answer_html = fields.Nested(MultilingualOut)
    order = fields.Integer()


class TermIn(Strict):
    term = fields.Nested(Title, required=True)
    definition = fields.Nested(Short, required=True)


class TermPatch(Strict):
    term = fields.Nested(Title)
    definition = fields.Nested(Short)


class TermOut(Strict):
    id = fields.String()
    term = fields.Nested(MultilingualOut)
    definition = fields.Nested(MultilingualOut)


_URL = [validate.Length(max=1000), validate.URL(schemes={"http", "https"}, require_tld=True)]


class LawIn(Strict):
    number = Trimmed(required=True, validate=[_NOT_BLANK, validate.Length(max=64)])
    date = fields.Date(required=True)
    title = fields.Nested(Title, required=True)
    url = Trimmed(load_default=None, allow_none=True, validate=_URL)


class LawPatch(Strict):
    number = Trimmed(validate=[_NOT_BLANK, validate.Length(max=64)])
    date = fields.Date()
    title = fields.Nested(Title)
    url = Trimmed(allow_none=True, validate=_URL)


class LawOut(Strict):
    id = fields.String()
    number = fields.String()
    date = fields.Date()
    title = fields.Nested(MultilingualOut)
    url = fields.String(allow_none=True)


class RevisionOut(Strict):
    number = fields.Integer()
    action = fields.String()
    by = fields.String()
    at = fields.DateTime()
    snapshot = fields.Dict()


class RevisionList(Strict):
    items = fields.List(fields.Nested(RevisionOut))


class ContentArgs(PageArgs):
    pass


NewsPage = paged(NewsOut)
FaqPage = paged(FaqOut)
TermPage = paged(TermOut)
LawPage = paged(LawOut)
