"""Parameters and answers of the data.egov.uz-shaped endpoints (portal.compat).

Its clients spell parameter names as its own server accepts them, in any case (`GuidId`,
`guidId`), and send empty ones (`sortType=`): names are matched without regard to case and an
empty value counts as not sent. Anything else unknown is refused.
"""

from marshmallow import fields, pre_load, validate

from schemas.common import CodeField, MultilingualOut, Strict, Trimmed

MAX_LIMIT = 10_000
MAX_OFFSET = 2**31 - 1
LANGS = ["1", "2", "3", "4", "uz", "oz", "ru", "en", "uzbText", "uzbKrText", "rusText", "engText"]
FILE_TYPES = [1, 2, 3, 4, 5]
_ID = validate.Length(min=1, max=64)


class CompatArgs(Strict):
    matches_names_itself = True  # portal.api.guards leaves unknown names to this schema

    @pre_load
    def _as_the_portal_reads_them(self, data, **kwargs):
        if not hasattr(data, "keys"):
            return data
        names = {(f.data_key or n).lower(): (f.data_key or n) for n, f in self.fields.items()}
        out = {}
        for key in data:
            value = data[key]
            if isinstance(value, str) and not value.strip():
                continue
            out[names.get(str(key).lower(), key)] = value
        return out


def _limit(default):
    return fields.Integer(
        load_default=default,
        validate=validate.Range(min=0, max=MAX_LIMIT),
        metadata={"description": f"items per answer, at most {MAX_LIMIT}"},
    )


def _offset():
    return fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=MAX_OFFSET),
        metadata={"description": "items to skip; clients add len(data) until offset >= count"},
    )


class TableArgs(CompatArgs):
    limit = _limit(10)
    offset = _offset()
    text = Trimmed(load_default="", validate=validate.Length(max=200))
    orgId = CodeField(
        load_default=None,
        metadata={"description": "numeric organization id (userOrgId), its code or its id"},
    )
    sphereId = CodeField(
        load_default=None,
        metadata={"description": "sector: the data.egov.uz guid, the code or the id"},
    )
    sortType = fields.Integer(
        load_default=None,
        metadata={"description": "1 recent, 2 most downloaded, 3 best rated; else relevance"},
    )
    regionId = Trimmed(
        load_default=None, validate=_ID, metadata={"description": "accepted, not used"}
    )
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGS))


class ByIdArgs(CompatArgs):
    id = Trimmed(required=True, validate=_ID, metadata={"description": "structId or code"})
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGS))


class FileArgs(CompatArgs):
    id = Trimmed(required=True, validate=_ID, metadata={"description": "structId or code"})
    fileType = fields.Integer(
        load_default=1,
        validate=validate.OneOf(FILE_TYPES, error="1 json, 2 xml, 3 xlsx, 4 csv or 5 rdf"),
    )
    tableType = Trimmed(
        load_default=None,
        validate=validate.Length(max=16),
        metadata={"description": "accepted, not used: a dataset has one table"},
    )
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGS))


class NoArgs(CompatArgs):
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGS))


class MainDataArgs(CompatArgs):
    GuidId = Trimmed(load_default=None, validate=_ID, metadata={"description": "structId"})


class MainDataBody(CompatArgs):
    guidId = Trimmed(load_default=None, validate=_ID)
    filters = fields.Dict(
        data_key="fields",
        keys=fields.String(validate=validate.Length(max=200)),
        load_default=dict,
        metadata={"description": "{field name: value}: rows whose field has that value"},
    )
    limit = _limit(200)
    offset = _offset()


class WebServiceArgs(CompatArgs):
    token = Trimmed(load_default=None, validate=validate.Length(max=200))
    name = Trimmed(required=True, validate=_ID, metadata={"description": "dataset code"})
    offset = _offset()
    limit = _limit(200)
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGS))


class PartnerGetArgs(CompatArgs):
    token = Trimmed(load_default=None, validate=validate.Length(max=200))
    GuidId = Trimmed(required=True, validate=_ID, metadata={"description": "structId or code"})
    offset = _offset()
    limit = _limit(200)


# ---------------------------------------------------------------- answers (for the docs)


class Envelope(Strict):
    status = fields.Integer(metadata={"description": "0 on success, 1 on failure"})
    code = fields.Integer(metadata={"description": "0 on success, else the HTTP status"})
    error = fields.String(allow_none=True)
    errors = fields.Raw(allow_none=True)


def enveloped(name, result):
    """An answer schema `{result, status, code, error, errors}`."""
    return type(name, (Envelope,), {"result": result})


class TableItem(Strict):
    structId = fields.String()
    dataName = fields.Nested(MultilingualOut)
    orgName = fields.Nested(MultilingualOut)
    sphereName = fields.Nested(MultilingualOut)
    name = fields.String(metadata={"description": "the dataset code"})
    fullCount = fields.Integer(metadata={"description": "rows of the current version"})
    userOrgId = fields.Integer(allow_none=True)
    sphereId = fields.String(allow_none=True)
    lateDay = fields.Integer()
    isAi = fields.Boolean()
    isGraph = fields.Boolean()
    isAral = fields.Boolean()
    hasAi = fields.Boolean()
    geoType = fields.List(fields.String())
    rating = fields.Float()
    updateDate = fields.String()
    lastUpdate = fields.String()
    createDate = fields.String()


class TableResult(Strict):
    count = fields.Integer()
    data = fields.List(fields.Nested(TableItem))


class Cell(Strict):
    text = fields.Nested(MultilingualOut, allow_none=True)
    number = fields.Float(allow_none=True)
    data = fields.String(allow_none=True)
    default = fields.Raw(allow_none=True)


class RowRecord(Strict):
    id = fields.String()
    dateTime = fields.String()
    userId = fields.Integer()
    tableStructId = fields.String()
    tableColumn = fields.Dict(keys=fields.String(), values=fields.Nested(Cell))


class TableField(Strict):
    name = fields.String()
    type = fields.String()
    order = fields.Integer()
    text = fields.Nested(MultilingualOut)
    caption = fields.Nested(MultilingualOut)
    directory = fields.String(allow_none=True)


class RecordsResult(Strict):
    count = fields.Integer()
    data = fields.List(fields.Nested(RowRecord))


class MainDataResult(RecordsResult):
    tableFields = fields.List(fields.Nested(TableField))


class FlatResult(Strict):
    count = fields.Integer()
    data = fields.List(fields.Dict(), metadata={"description": "rows keyed by field name"})


class Sphere(Strict):
    guidId = fields.String()
    title = fields.Nested(MultilingualOut)
    image = fields.String(allow_none=True)
    structCount = fields.Integer()
    structDownloadCount = fields.Integer()


class OrgItem(Strict):
    id = fields.Integer(allow_none=True, metadata={"description": "numeric id (userOrgId)"})
    guidId = fields.String()
    code = fields.String()
    name = fields.Nested(MultilingualOut)
    title = fields.Nested(MultilingualOut)
    parentCode = fields.String(allow_none=True)
    structCount = fields.Integer()


TableAnswer = enveloped("TableAnswer", fields.Nested(TableResult))
MainDataAnswer = enveloped("MainDataAnswer", fields.Nested(MainDataResult))
RecordsAnswer = enveloped("RecordsAnswer", fields.Nested(RecordsResult))
FlatAnswer = enveloped("FlatAnswer", fields.Nested(FlatResult))
SphereAnswer = enveloped("SphereAnswer", fields.List(fields.Nested(Sphere)))
OrgAnswer = enveloped("OrgAnswer", fields.List(fields.Nested(OrgItem)))
PassportAnswer = enveloped("PassportAnswer", fields.Dict())
ErrorAnswer = enveloped("ErrorAnswer", fields.Raw(allow_none=True))
