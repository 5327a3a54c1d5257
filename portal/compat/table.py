"""`gettable`: the catalogue list of data.egov.uz, up to 10,000 items a call, streamed."""

from datetime import datetime

import orjson
from flask import Response

from exporters.json_file import json_array
from portal.compat import envelope
from portal.core.langs import LANG_KEYS
from portal.ratelimits import rate_limit
from portal.services.discovery import listing
from portal.services.statistics import ai, monitoring
from schemas.compat import ErrorAnswer, TableAnswer, TableArgs

blp = envelope.blueprint("compat_table", __name__, "data.egov.uz: the catalogue list")

SORT_TYPES = {1: "recent", 2: "downloads", 3: "rating"}  # anything else: relevance or recent
NEVER = "0001-01-01T00:00:00"  # what the portal answers for a time it does not have
_EMPTY = dict.fromkeys(LANG_KEYS, "")


def js_time(value):
    """A time as the portal's JavaScript clients read it: 2024-05-15T09:44:26.868Z."""
    if not isinstance(value, datetime):
        return NEVER
    return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}Z"


def net_time(value):
    """A time without zone or fraction (2024-05-15T09:44:26); 0001-01-01T00:00:00 if none."""
    return f"{value:%Y-%m-%dT%H:%M:%S}" if isinstance(value, datetime) else NEVER


def _texts(value):
    return {k: (value or {}).get(k) or "" for k in LANG_KEYS} if value else dict(_EMPTY)


def item_maker(ids=()):
    """dataset document -> gettable item, in the portal's key order; `ids` (the page's) have
    their days late and AI readiness read at once."""
    late = monitoring.late_days_many(list(ids)) if ids else {}
    in_ai = ai.section_ids()
    orgs, sectors = listing.organizations(), listing.sectors()
    org_names = {code: o.name.to_dict() for code, o in orgs.items()}
    sector_names = {code: s.name.to_dict() for code, s in sectors.items()}

    def item(doc):
        org, sector = orgs.get(doc.get("organization")), sectors.get(doc.get("sector"))
        ready = doc["_id"] in in_ai
        updated = doc.get("data_updated_at") or doc.get("updated_at") or doc.get("created_at")
        return {
            "structId": str(doc["_id"]),
            "dataName": _texts(doc.get("title")),
            "orgName": org_names.get(doc.get("organization"), _EMPTY),
            "sphereName": sector_names.get(doc.get("sector"), _EMPTY),
            "name": doc.get("code"),
            "fullCount": doc["rows"],
            "userOrgId": org.portal_id if org else None,
            "sphereId": (sector.guid or str(sector.id)) if sector else None,
            "lateDay": late.get(doc["_id"], 0),
            "isAi": ready,
            "isGraph": False,
            "isAral": False,
            "hasAi": ready,
            "geoType": listing.geometry(doc),
            "rating": listing.rating(doc),
            "updateDate": js_time(updated),
            "lastUpdate": net_time(doc.get("data_updated_at")),
            "createDate": js_time(doc.get("created_at")),
        }

    return item


@blp.get("/apiClient/main/gettable")
@rate_limit("search")
@blp.arguments(TableArgs, location="query", error_status_code=400, unknown=None)
@blp.alt_response(200, schema=TableAnswer, success=True, description="the page of the list")
@blp.alt_response(400, schema=ErrorAnswer, description="a parameter is out of range")
def gettable(args):
    """Search and list public datasets (limit up to 10,000, offset, text, orgId, sphereId)"""
    ids, total = listing.find(
        args["text"],
        organization=args["orgId"],
        sector=args["sphereId"],
        sort=SORT_TYPES.get(args["sortType"]),
        skip=args["offset"],
        limit=args["limit"],
    )
    make = item_maker(ids)
    items = map(make, listing.documents(ids))
    head = b'{"count":' + orjson.dumps(total) + b',"data":'
    body = envelope.streamed(head, json_array(items))
    return Response(body, content_type=envelope.JSON)
