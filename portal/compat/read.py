"""Read endpoints in the shapes of data.egov.uz, for its existing clients (see docs/compat.md)."""

from datetime import datetime

from flask import Response, current_app, g, request

from portal import visits
from portal.compat import envelope
from portal.compat.table import item_maker
from portal.db.models import Organization, Sector
from portal.ratelimits import rate_limit
from portal.services.discovery import browse, downloads, listing, search
from portal.services.publishing import datasets
from portal.services.statistics import counting
from schemas.compat import (
    ByIdArgs,
    ErrorAnswer,
    FileArgs,
    NoArgs,
    OrgAnswer,
    PassportAnswer,
    SphereAnswer,
)

blp = envelope.blueprint("compat_read", __name__, "data.egov.uz: passports, files, references")

FILE_TYPES = {1: "json", 2: "xml", 3: "xlsx", 4: "csv", 5: "rdf"}
DEFAULT_LANG = "1"  # data.egov.uz files came in one language, Uzbek Latin unless asked
FILE_DOC = {"200": {"description": "the file (json: a list of rows, keys in field order)"}}
ROBOTS = """User-agent: *
Allow: /api/
Allow: /apiClient/
Allow: /apiData/
Allow: /apiPartner/
Allow: /catalog.
Allow: /data/
Allow: /
Disallow: /auth/
Disallow: /uz/console/
Disallow: /oz/console/
Disallow: /ru/console/
Disallow: /en/console/

Sitemap: {base}/sitemap.xml
"""


def _reader():
    """The caller; an integration token reads as the public does."""
    token = g.get("token")
    if token is not None and token.scope != "personal":
        return None
    return g.get("user")


def _iso(value):
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value


def table_fields(fields):
    """The visible fields as the portal lists them: captions at `text` (and `caption`)."""
    return [
        {
            "name": f["name"],
            "type": f["type"],
            "order": f.get("order"),
            "text": f["caption"],
            "caption": f["caption"],
            "directory": f.get("directory"),
        }
        for f in fields
    ]


def _base():
    return current_app.config["BASE_URL"].rstrip("/")


@blp.get("/apiClient/Main/GetById")
@blp.arguments(ByIdArgs, location="query", error_status_code=400, unknown=None)
@blp.alt_response(200, schema=PassportAnswer, success=True, description="the passport")
@blp.alt_response(404, schema=ErrorAnswer, description="no such public dataset")
def get_by_id(args):
    """One passport with its table fields: id is the structId (or the code); counts a view"""
    dataset = datasets.visible(_reader(), args["id"])
    if counting.view(visits.secret(), visits.visit(), dataset):
        dataset.views += 1
    doc = item_maker([dataset.id])(listing.view_of(dataset))
    passport = browse.passport(dataset, None, _base())
    fields = passport.pop("fields")
    doc.update({k: _iso(v) for k, v in passport.items()})
    if doc.get("rejection"):
        doc["rejection"]["at"] = _iso(doc["rejection"]["at"])
    doc["tableFields"] = table_fields(fields)
    return envelope.ok(doc)


@blp.get("/apiData/MainData/GetByFile")
@rate_limit("download")
@blp.arguments(FileArgs, location="query", error_status_code=400, unknown=None)
@blp.doc(responses=FILE_DOC)
@blp.alt_response(400, schema=ErrorAnswer, description="unknown fileType or lang")
def get_by_file(args):
    """The current data as a file: fileType 1 json, 2 xml, 3 xlsx, 4 csv, 5 rdf; lang 1-4"""
    fmt = FILE_TYPES[args["fileType"]]
    dataset = datasets.visible(_reader(), args["id"])
    stored = downloads.prepare(dataset, fmt, lang=args["lang"] or DEFAULT_LANG, base_url=_base())
    return downloads.response(
        stored,
        if_none_match=request.headers.get("If-None-Match"),
        cache_control=downloads.cache_control(dataset, explicit_version=False),
        on_send=None
        if request.method == "HEAD"
        else lambda: counting.download(
            visits.secret(), visits.visit(), dataset, dataset.current_version, fmt
        ),
    )


def _public_counts(field):
    return search.dataset_counts(field)


def _public_downloads(field):
    return search.dataset_counts(field, total="downloads")


@blp.get("/apiClient/Ref/OrgList")
@blp.arguments(NoArgs, location="query", error_status_code=400, unknown=None)
@blp.alt_response(200, schema=OrgAnswer, success=True, description="every organization")
def org_list(args):
    """Organizations with their numeric ids and public dataset counts"""
    counts = _public_counts("organization")
    return envelope.ok(
        [
            {
                "id": o.portal_id,
                "guidId": str(o.id),
                "code": o.code,
                "name": o.name.to_dict(),
                "parentCode": o.parent,
                "structCount": counts.get(o.code, 0),
            }
            for o in Organization.objects.order_by("portal_id", "code")
        ]
    )


@blp.get("/apiClient/Main/GetSphereList")
@blp.arguments(NoArgs, location="query", error_status_code=400, unknown=None)
@blp.alt_response(200, schema=SphereAnswer, success=True, description="every sector")
def sphere_list(args):
    """Sectors (spheres) with their guids, public dataset and download counts"""
    counts, downloaded = _public_counts("sector"), _public_downloads("sector")
    sectors = sorted(Sector.objects, key=lambda s: (s.guid is None, s.guid or "", s.code))
    return envelope.ok(
        [
            {
                "guidId": s.guid or str(s.id),
                "title": s.name.to_dict(),
                "image": None,
                "structCount": counts.get(s.code, 0),
                "structDownloadCount": downloaded.get(s.code, 0),
            }
            for s in sectors
        ]
    )


@blp.get("/robots.txt")
@blp.doc(responses={"200": {"description": "text/plain: the API and the data may be crawled"}})
def robots():
    """What crawlers may read: the API and the data, with a pointer to the sitemap"""
    return Response(ROBOTS.format(base=_base()), content_type="text/plain; charset=utf-8")
