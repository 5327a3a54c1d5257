"""The table reads of data.egov.uz: its own table view (GetMainData) and the Partner web
service, which reads with a person's personal token."""

from flask import g

from exporters.json_file import row_converter
from portal.compat import envelope
from portal.compat.read import table_fields
from portal.compat.table import js_time
from portal.core.errors import BadRequest, Unauthorized
from portal.core.fields import FIELD_TYPES
from portal.core.langs import LANG_KEYS, parse_lang
from portal.ratelimits import rate_limit
from portal.services.discovery import tables
from portal.services.identity import tokens
from portal.services.publishing import datasets
from schemas.compat import (
    ErrorAnswer,
    FlatAnswer,
    MainDataAnswer,
    MainDataArgs,
    MainDataBody,
    PartnerGetArgs,
    RecordsAnswer,
    WebServiceArgs,
)

blp = envelope.blueprint("compat_tables", __name__, "data.egov.uz: table rows")

USER_ID = 0  # the portal numbered the person who sent each row; Ochiq keeps no such number


def _cell(field, value):
    kind = field["type"]
    cell = {"text": None, "number": None, "data": None, "default": value}
    if kind == "text":
        cell["text"] = {k: (value or {}).get(k) or "" for k in LANG_KEYS} if value else None
        cell["default"] = (value or {}).get(LANG_KEYS[0]) or "" if value else None
    elif kind == "number":
        cell["number"] = value
    elif kind == "date":
        cell["data"] = value
    elif kind in ("location", "polygon") and value is not None:
        cell["default"] = FIELD_TYPES[kind].format(value)
    return cell


def _records(dataset, fields, docs, times):
    struct_id = str(dataset.id)
    return [
        {
            "id": str(doc["_id"]),
            "dateTime": js_time(times.get(doc.get("f"))),
            "userId": USER_ID,
            "tableStructId": struct_id,
            "tableColumn": {f["name"]: _cell(f, doc["d"].get(f["name"])) for f in fields},
        }
        for doc in docs
    ]


def _reader(token):
    """The person whose personal token came as `token=`, a bare or bearer Authorization header."""
    if token:
        user, record = tokens.authenticate(token)
    else:
        user, record = g.get("user"), g.get("token")
        if record is None:
            raise Unauthorized("send your personal token as token= or an Authorization header")
    if record.scope != "personal":
        raise Unauthorized("an integration token only pushes rows: use a personal token")
    return user


@blp.post("/apiClient/Main/GetMainData")
@rate_limit("search")
@blp.arguments(MainDataArgs, location="query", error_status_code=400, unknown=None)
@blp.arguments(MainDataBody, location="json", error_status_code=400, unknown=None)
@blp.alt_response(200, schema=MainDataAnswer, success=True, description="a page of rows")
@blp.alt_response(400, schema=ErrorAnswer, description="a parameter is out of range")
def get_main_data(query, body):
    """A page of a dataset's rows with its fields, as the portal's table view reads them"""
    guid = query["GuidId"] or body["guidId"]
    if not guid:
        raise BadRequest("send the dataset's structId as ?GuidId= or as guidId in the body")
    if query["GuidId"] and body["guidId"] and query["GuidId"] != body["guidId"]:
        raise BadRequest("GuidId and guidId name different datasets")
    dataset = datasets.visible(None, guid)
    fields, total, docs, times = tables.records(
        dataset, filters=body["filters"], skip=body["offset"], limit=body["limit"]
    )
    return envelope.ok(
        {
            "tableFields": table_fields(fields),
            "count": total,
            "data": _records(dataset, fields, docs, times),
        }
    )


@blp.get("/apiPartner/Partner/Get")
@rate_limit("search")
@blp.arguments(PartnerGetArgs, location="query", error_status_code=400, unknown=None)
@blp.alt_response(200, schema=RecordsAnswer, success=True, description="a page of rows")
@blp.alt_response(401, schema=ErrorAnswer, description="no personal token, or a wrong one")
def partner_get(args):
    """A page of a dataset's rows, each with its id and time (personal token)"""
    user = _reader(args["token"])
    dataset = datasets.visible(user, args["GuidId"])
    fields, total, docs, times = tables.records(dataset, skip=args["offset"], limit=args["limit"])
    return envelope.ok({"count": total, "data": _records(dataset, fields, docs, times)})


@blp.get("/apiPartner/Partner/WebService")
@rate_limit("search")
@blp.arguments(WebServiceArgs, location="query", error_status_code=400, unknown=None)
@blp.alt_response(200, schema=FlatAnswer, success=True, description="a page of flat rows")
@blp.alt_response(401, schema=ErrorAnswer, description="no personal token, or a wrong one")
def web_service(args):
    """A page of a dataset's rows keyed by field name, text in one language (personal token)"""
    user = _reader(args["token"])
    dataset = datasets.visible(user, args["name"])
    lang = parse_lang(args["lang"]) or LANG_KEYS[0]
    fields, total, found = tables.flat(dataset, skip=args["offset"], limit=args["limit"])
    convert = row_converter(fields, lang)
    return envelope.ok({"count": total, "data": [convert(row) for row in found]})
