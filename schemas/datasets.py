"""Datasets: passport, fields, uploads, integration, review."""

from marshmallow import fields, validate

from portal.core.fields import TYPE_NAMES
from portal.core.frequencies import FREQUENCIES
from schemas.common import (
    MultilingualOut,
    MultilingualSchema,
    OptionalMultilingualSchema,
    PageArgs,
    Strict,
    Trimmed,
    paged,
)


class DatasetCreate(Strict):
    organization = Trimmed(required=True)
    title = fields.Nested(MultilingualSchema, required=True)
    sector = Trimmed(required=True)
    is_priority = fields.Boolean(load_default=False)
    update_frequency = fields.String(required=True, validate=validate.OneOf(FREQUENCIES))


class KeywordsField(fields.Field):
    """A list of keywords or a comma-separated string."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            return value
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return value
        raise self.make_error("invalid")

    default_error_messages = {"invalid": "a list of strings or a comma-separated string"}


class DatasetPatch(Strict):
    description = fields.Nested(OptionalMultilingualSchema)
    phone = Trimmed(allow_none=True, validate=validate.Length(max=40))
    email = Trimmed(allow_none=True, validate=validate.Length(max=200))
    kind = fields.String(validate=validate.OneOf(["editable", "fillable"]))
    legal_basis = Trimmed(allow_none=True, validate=validate.Length(max=2000))
    keywords = KeywordsField()
    external_link = Trimmed(allow_none=True, validate=validate.Length(max=2000))
    active = fields.Boolean()
    # operator-only passport values
    title = fields.Nested(MultilingualSchema)
    sector = Trimmed()
    is_priority = fields.Boolean()
    update_frequency = fields.String(validate=validate.OneOf(FREQUENCIES))


class FieldIn(Strict):
    name = Trimmed(load_default=None, allow_none=True, validate=validate.Length(max=64))
    type = fields.String(required=True, validate=validate.OneOf(TYPE_NAMES))
    caption = fields.Nested(MultilingualSchema, required=True)
    visible = fields.Boolean(load_default=True)
    order = fields.Integer(
        load_default=None, allow_none=True, validate=validate.Range(min=0, max=10000)
    )
    directory = Trimmed(load_default=None, allow_none=True)


class FieldPatch(Strict):
    type = fields.String(validate=validate.OneOf(TYPE_NAMES))
    caption = fields.Nested(MultilingualSchema)
    visible = fields.Boolean()
    order = fields.Integer(validate=validate.Range(min=0, max=10000))
    directory = Trimmed(allow_none=True)


class FieldOut(Strict):
    name = fields.String()
    type = fields.String()
    caption = fields.Nested(MultilingualOut)
    visible = fields.Boolean()
    order = fields.Integer()
    directory = fields.String(allow_none=True)


class MethodologyOut(Strict):
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    url = fields.String()


class RejectionOut(Strict):
    reasons = fields.List(fields.String())
    at = fields.DateTime()


class PassportOut(Strict):
    id = fields.String()
    code = fields.String()
    organization = fields.String()
    sector = fields.String(allow_none=True)
    title = fields.Raw()
    description = fields.Raw(allow_none=True)
    is_priority = fields.Boolean()
    update_frequency = fields.String()
    phone = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    kind = fields.String(allow_none=True)
    legal_basis = fields.String(allow_none=True)
    keywords = fields.List(fields.String())
    external_link = fields.String(allow_none=True)
    methodology = fields.Nested(MethodologyOut, allow_none=True)
    status = fields.String()
    active = fields.Boolean()
    version = fields.Integer()
    rows = fields.Integer()
    rejection = fields.Nested(RejectionOut, allow_none=True)
    views = fields.Integer()
    downloads = fields.Integer()
    rating = fields.Float(allow_none=True)
    rating_count = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    # Last: from here on `fields` names this attribute, not the marshmallow module.
    fields = fields.List(fields.Nested(FieldOut))


class UploadArgs(Strict):
    dry_run = fields.Boolean(load_default=False)
    confirm_removal = fields.Boolean(
        load_default=False,
        metadata={"description": "publish even if the file removes all or most of the rows"},
    )


class UploadFile(Strict):
    file = fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class UploadResult(Strict):
    version = fields.Integer(allow_none=True)
    rows = fields.Integer()
    added = fields.Integer()
    removed = fields.Integer()
    dry_run = fields.Boolean()


class JobOut(Strict):
    id = fields.String()
    dataset = fields.String()
    status = fields.String()
    progress = fields.Dict()
    attempts = fields.Integer()
    result = fields.Dict(allow_none=True)
    error = fields.Dict(allow_none=True)
    created_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    url = fields.String()


class IntegrationOut(Strict):
    id = fields.String()
    dataset = fields.String()
    token = fields.String()
    method = fields.String()
    url = fields.String()
    expires_at = fields.DateTime(allow_none=True)
    data = fields.Dict()


class RejectionIn(Strict):
    reasons = fields.List(
        Trimmed(validate=validate.Length(min=1, max=2000)),
        required=True,
        validate=validate.Length(min=1, max=50),
    )


class RejectionRecordOut(Strict):
    reasons = fields.List(fields.String())
    at = fields.DateTime()
    by = fields.String(allow_none=True)
    cleared_at = fields.DateTime(allow_none=True)
    cleared_by = fields.String(allow_none=True)


RejectionPage = paged(RejectionRecordOut)


class DeskRow(Strict):
    id = fields.String()
    code = fields.String()
    title = fields.Nested(MultilingualOut)
    structure = fields.Integer()
    status = fields.String()
    version = fields.Integer()
    updated_at = fields.DateTime()
    active = fields.Boolean()
    rejection = fields.List(fields.String(), allow_none=True)


class NoticeOut(Strict):
    id = fields.String()
    kind = fields.String()
    dataset = fields.String(allow_none=True)
    dataset_code = fields.String(allow_none=True)
    message = fields.String()
    reasons = fields.List(fields.String())
    subject = fields.Dict(allow_none=True)  # {kind, id}: the comment or proposal concerned
    created_at = fields.DateTime()
    read = fields.Boolean()


class NoticeArgs(PageArgs):
    unread = fields.Boolean(load_default=False)


DeskPage = paged(DeskRow)


class NoticePage(paged(NoticeOut)):
    unread = fields.Integer()


class Unread(Strict):
    unread = fields.Integer()


class PushBody(Strict):
    """The integration push body; `data` is checked row by row against the structure."""

    # no defaults: the body keeps exactly what was sent (its fingerprint binds an idempotency key)
    data = fields.Raw()
    id = fields.String(validate=validate.Length(max=64))
    token = fields.String(allow_none=True, validate=validate.Length(max=512))
    mode = fields.String(validate=validate.OneOf(["append", "replace"]))
    # A replace keeping fewer than half of the current rows is refused (409) without it.
    confirm_removal = fields.Boolean()
