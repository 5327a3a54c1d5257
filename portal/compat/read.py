"""Read endpoints in the shapes of data.egov.uz, for its existing clients (see docs/compat.md)."""

from datetime import datetime

from bson import ObjectId
from flask import Blueprint, current_app, g, jsonify, request

from portal.core.errors import BadRequest
from portal.db.models import Organization, Sector
from portal.services import browse, datasets, downloads, search

blp = Blueprint("compat_read", __name__)

FILE_TYPES = {1: "json", 2: "xml", 3: "xlsx", 4: "csv", 5: "rdf"}
SORT_TYPES = {1: "recent", 2: "downloads", 3: "rating"}  # anything else: relevance or recent
DEFAULT_LANG = "1"  # data.egov.uz files came in one language, Uzbek Latin unless asked
MAX_LIMIT = 100


def _reader():
    """The caller; an integration token reads as the public does."""
    token = g.get("token")
    if token is not None and token.scope != "personal":
        return None
    return g.get("user")


def _int(name, default, low=None, high=None):
    raw = request.args.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be a whole number, not {raw!r}") from None
    if low is not None and value < low:
        raise BadRequest(f"{name} must be {low} or more")
    return min(value, high) if high is not None else value


def _iso(value):
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value


def _code_of(model, ref):
    """A reference given as a code or as a 24-hex id, as the code."""
    ref = (ref or "").strip()
    if ObjectId.is_valid(ref) and len(ref) == 24:
        doc = model.objects(id=ref).only("code").first()
        if doc:
            return doc.code
    return ref


def _names(model, codes):
    return {d.code: d.name.to_dict() for d in model.objects(code__in=list(set(codes)))}


def _items(found):
    orgs = _names(Organization, [d.organization for d in found])
    sectors = _names(Sector, [d.sector for d in found if d.sector])
    return [
        {
            "structId": str(d.id),
            "name": d.code,
            "dataName": d.title.to_dict(),
            "orgName": orgs.get(d.organization, {}),
            "sphereName": sectors.get(d.sector, {}),
            "updateDate": _iso(d.data_updated_at or d.updated_at),
            "orgId": d.organization,
            "sphereId": d.sector,
            "version": d.current_version,
            "viewCount": d.views,
            "downloadCount": d.downloads,
        }
        for d in found
    ]


@blp.get("/apiClient/main/gettable")
@blp.get("/apiClient/Main/GetTable")
def gettable():
    """Search and list public datasets: limit, offset, text, orgId, sphereId, sortType."""
    limit = _int("limit", 10, 1, MAX_LIMIT)
    offset = _int("offset", 0, 0)
    filters = {}
    if request.args.get("orgId", "").strip():
        filters["organization"] = [_code_of(Organization, request.args["orgId"])]
    if request.args.get("sphereId", "").strip():
        filters["sector"] = [_code_of(Sector, request.args["sphereId"])]
    sort = SORT_TYPES.get(_int("sortType", 0))
    found = search.search(
        request.args.get("text", "")[:200],
        filters=filters,
        sort=sort,
        skip=offset,
        limit=limit,
        facets=False,
    )
    return jsonify({"result": {"count": found["total"], "data": _items(found["items"])}})


@blp.get("/apiClient/Main/GetById")
@blp.get("/apiClient/main/getbyid")
def get_by_id():
    """One passport with its table fields: id is the structId (or the code)."""
    dataset = datasets.visible(_reader(), request.args.get("id", ""))
    datasets.count_view(dataset)
    base = current_app.config["BASE_URL"].rstrip("/")
    doc = {k: _iso(v) for k, v in browse.passport(dataset, None, base).items()}
    doc.update(_items([dataset])[0])
    if doc.get("rejection"):
        doc["rejection"]["at"] = _iso(doc["rejection"]["at"])
    doc["tableFields"] = [
        {
            "name": f["name"],
            "type": f["type"],
            "caption": f["caption"],
            "order": f.get("order"),
            "directory": f.get("directory"),
        }
        for f in doc.pop("fields")
    ]
    return jsonify({"result": doc})


@blp.get("/apiData/MainData/GetByFile")
@blp.get("/apiData/maindata/getbyfile")
def get_by_file():
    """The current data as a file: fileType 1 json, 2 xml, 3 xlsx, 4 csv, 5 rdf; lang 1-4."""
    file_type = _int("fileType", 1)
    if file_type not in FILE_TYPES:
        raise BadRequest("fileType must be 1 (json), 2 (xml), 3 (xlsx), 4 (csv) or 5 (rdf)")
    fmt = FILE_TYPES[file_type]
    dataset = datasets.visible(_reader(), request.args.get("id", ""))
    lang = request.args.get("lang", "").strip() or DEFAULT_LANG
    base = current_app.config["BASE_URL"].rstrip("/")
    stored = downloads.prepare(dataset, fmt, lang=lang, base_url=base)
    return downloads.response(
        stored,
        if_none_match=request.headers.get("If-None-Match"),
        cache_control=downloads.cache_control(dataset, explicit_version=False),
        on_send=lambda: downloads.count(dataset, fmt),
    )


def _public_counts(field):
    return search.dataset_counts(field)


@blp.get("/apiClient/Ref/OrgList")
@blp.get("/apiClient/ref/orglist")
def org_list():
    """Organizations with their public dataset counts."""
    counts = _public_counts("organization")
    data = [
        {
            "id": str(o.id),
            "code": o.code,
            "name": o.name.to_dict(),
            "parentCode": o.parent,
            "datasetCount": counts.get(o.code, 0),
        }
        for o in Organization.objects.order_by("code")
    ]
    return jsonify({"result": {"count": len(data), "data": data}})


@blp.get("/apiClient/Main/GetSphereList")
@blp.get("/apiClient/main/getspherelist")
def sphere_list():
    """Sectors (spheres) with their public dataset counts."""
    counts = _public_counts("sector")
    data = [
        {
            "id": str(s.id),
            "code": s.code,
            "name": s.name.to_dict(),
            "datasetCount": counts.get(s.code, 0),
        }
        for s in Sector.objects.order_by("code")
    ]
    return jsonify({"result": {"count": len(data), "data": data}})
