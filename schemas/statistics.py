"""Statistics, monitoring, quality and the AI section: query arguments and answers."""

from marshmallow import fields, validate

from schemas.common import Paged, Strict
from schemas.public import LANGS

FORMATS = ["json", "csv"]
STATES = ["due", "overdue", "delinquent"]


class TableArgs(Strict):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    format = fields.String(load_default="json", validate=validate.OneOf(FORMATS))
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGS))


class HistoryArgs(Strict):
    organization = fields.String(load_default=None, validate=validate.Length(max=64))
    days = fields.Integer(load_default=90, validate=validate.Range(min=1, max=3660))


class TablePage(Paged):
    items = fields.List(fields.Dict())


class Totals(Strict):
    datasets = fields.Integer()
    organizations = fields.Integer()
    sectors = fields.Integer()
    downloads = fields.Integer()
    views = fields.Integer()
    ratings = fields.Integer()
    proposals = fields.Integer()
    comments = fields.Integer()
    searches = fields.Integer()
    computed_at = fields.DateTime()


class Outdated(Strict):
    id = fields.String()
    code = fields.String()
    title = fields.Raw()
    organization = fields.String()
    update_frequency = fields.String()
    last_update = fields.DateTime(allow_none=True)
    due_at = fields.DateTime(allow_none=True)
    days_late = fields.Integer()
    state = fields.String()


class OutdatedPage(Paged):
    items = fields.List(fields.Nested(Outdated))


class Updated(Strict):
    id = fields.String()
    code = fields.String()
    title = fields.Raw()
    organization = fields.String(allow_none=True)
    update_frequency = fields.String()
    last_update = fields.DateTime(allow_none=True)
    state = fields.String(allow_none=True)


class UpdatedPage(Paged):
    items = fields.List(fields.Nested(Updated))


class Timeliness(Strict):
    organization = fields.String()
    name = fields.Raw(allow_none=True)
    datasets = fields.Integer()
    on_time = fields.Integer()
    late = fields.Integer()
    share_on_time = fields.Float(allow_none=True)
    rank = fields.Integer(allow_none=True)
    fresh = fields.Integer()
    due = fields.Integer()
    overdue = fields.Integer()
    delinquent = fields.Integer()
    irregular = fields.Integer()


class TimelinessPage(Paged):
    items = fields.List(fields.Nested(Timeliness))


class HistoryDay(Strict):
    day = fields.String()
    datasets = fields.Integer()
    on_time = fields.Integer()
    late = fields.Integer()
    share_on_time = fields.Float(allow_none=True)


class History(Strict):
    organization = fields.String(allow_none=True)
    items = fields.List(fields.Nested(HistoryDay))


class Criterion(Strict):
    id = fields.String()
    points = fields.Integer()
    max = fields.Integer()
    passed = fields.Boolean()
    fix = fields.String(allow_none=True)


class Quality(Strict):
    score = fields.Integer()
    max = fields.Integer()
    criteria = fields.List(fields.Nested(Criterion))


class AiFlagIn(Strict):
    flagged = fields.Boolean(required=True)


class AiFlagOut(Strict):
    dataset = fields.String()
    flagged = fields.Boolean()


class AiItem(Strict):
    id = fields.String()
    code = fields.String()
    title = fields.Raw()
    organization = fields.String(allow_none=True)
    sector = fields.String(allow_none=True)
    flagged = fields.Boolean()
    ready = fields.Boolean()
    quality = fields.Integer(allow_none=True)
    rows = fields.Integer()
    downloads = fields.Integer()


class AiPage(Paged):
    items = fields.List(fields.Nested(AiItem))
