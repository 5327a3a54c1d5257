"""The public read side: search, passports, structure, rows, versions, downloads, catalog."""

from flask import Response, current_app, request
from flask_smorest import Blueprint

from portal import visits
from portal.api.context import current_user
from portal.core.errors import BadRequest, Forbidden, NotFound
from portal.core.langs import parse_lang
from portal.ratelimits import rate_limit
from portal.services import reference
from portal.services.discovery import browse, catalog, downloads, search, table
from portal.services.publishing import datasets
from portal.services.statistics import counting, listings, quality
from schemas.common import PageArgs
from schemas.public import (
    CatalogArgs,
    LangArgs,
    PublicPassport,
    RowsArgs,
    SearchArgs,
    SearchPage,
    StructureOut,
    VersionDetail,
    VersionList,
)
from schemas.public import RowsPage as RowsPageOut

blp = Blueprint("public", __name__, url_prefix="/api/v1", description="Public data (no sign-in)")
catalog_blp = Blueprint("catalog", __name__, description="DCAT-AP catalog of public datasets")

FILE_DOC = {
    "responses": {
        "200": {"description": "the file, streamed"},
        "304": {"description": "the client holds this file (If-None-Match)"},
    }
}


def _reader():
    """The caller of a read; an integration token reads as the public does."""
    try:
        return current_user()
    except Forbidden:
        return None


def _dataset(ds):
    return datasets.visible(_reader(), ds)


def _lang(args):
    try:
        return parse_lang(args.get("lang"))
    except ValueError as exc:
        raise BadRequest(str(exc)) from None


def _base():
    return current_app.config["BASE_URL"].rstrip("/")


@blp.get("/datasets")
@rate_limit("search")
@blp.arguments(SearchArgs, location="query", unknown=None)
@blp.response(200, SearchPage)
def list_datasets(args):
    """Search and list public datasets, with facet counts; ?ai=1 gives the AI-ready section"""
    if args.pop("ai"):
        return _ai_section(args)
    filters = {k: args[k] for k in ("organization", "sector", "keyword", "update_frequency")}
    filters["sector"] = [reference.sector_code(s) or s for s in filters["sector"]]  # or guids
    found = search.search(
        args["q"],
        filters=filters,
        sort=args["sort"],
        skip=(args["page"] - 1) * args["page_size"],
        limit=args["page_size"],
    )
    lang = _lang(args)
    return {
        "items": [search.summary(d, lang) for d in found["items"]],
        "total": found["total"],
        "page": args["page"],
        "page_size": args["page_size"],
        "facets": found["facets"],
    }


def _ai_section(args):
    narrowed = [k for k in ("q", "organization", "sector", "keyword", "update_frequency", "sort")
                if args.get(k)]  # fmt: skip
    if narrowed:
        raise BadRequest(f"ai=1 lists the whole AI section: drop {', '.join(narrowed)}")
    return listings.ai_section(args["page"], args["page_size"], _lang(args))


@blp.get("/datasets/<ds>")
@blp.arguments(LangArgs, location="query", unknown=None)
@blp.response(200, PublicPassport)
def get_dataset(args, ds):
    """The passport of a dataset, with its download links (counts a view)"""
    dataset = _dataset(ds)
    if counting.view(visits.secret(), visits.visit(), dataset):
        dataset.views += 1
    doc = browse.passport(dataset, _lang(args), _base())
    doc["quality"] = quality.stored_summary(dataset.id)
    return doc


@blp.get("/datasets/<ds>/structure")
@blp.response(200, StructureOut)
def get_structure(ds):
    """The visible fields of the current version"""
    return browse.structure(_dataset(ds))


@blp.get("/datasets/<ds>/structure.<fmt>")
@blp.doc(**FILE_DOC)
def get_structure_file(ds, fmt):
    """The visible fields as a file: structure.json or structure.csv"""
    dataset = _dataset(ds)
    data, media_type = browse.structure_file(dataset, fmt)
    return Response(
        data,
        content_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{dataset.code}-structure.{fmt}"'},
    )


def _table(args, ds, number=None):
    return table.rows(
        _dataset(ds),
        {k: v for k, v in request.args.lists()},
        number=number,
        lang=_lang(args),
        page=args["page"],
        page_size=args["page_size"],
    )


ROWS_DOC = {
    "description": (
        "Filters: `<field>=v` (equality), `<field>.<op>=v` with op one of eq, ne, gt, gte, lt, "
        "lte (number and date fields), contains (text, string, directory; any case), in (values "
        "separated by commas, `\\,` for a comma), empty (true/false); `<field>__gte=` and "
        "`<field>__lte=` also work. `sort=-Soni,Hudud` sorts ('-' descending). `group_by=Hudud` "
        "and `agg=count,sum:Soni,avg:Soni,min:Soni,max:Soni` answer groups instead of rows, "
        "each keyed by its group fields and its aggregations. Unknown parameters and fields, "
        "bad values and aggregations that do not fit a field's type answer 400; a query that "
        "runs past the time limit answers 422. See docs/table.md."
    ),
    "responses": {"422": {"description": "the query ran past the time limit: narrow it"}},
}


@blp.get("/datasets/<ds>/rows")
@rate_limit("search")
@blp.arguments(RowsArgs, location="query", unknown=None)
@blp.response(200, RowsPageOut)
@blp.doc(**ROWS_DOC)
def get_rows(args, ds):
    """The current version's table: a page of rows, filtered and sorted, or aggregated"""
    return _table(args, ds)


@blp.get("/datasets/<ds>/versions/<int:number>/rows")
@rate_limit("search")
@blp.arguments(RowsArgs, location="query", unknown=None)
@blp.response(200, RowsPageOut)
@blp.doc(**ROWS_DOC)
def get_version_rows(args, ds, number):
    """A version's table, with the same query language as the current one"""
    return _table(args, ds, number)


@blp.get("/datasets/<ds>/versions")
@blp.arguments(PageArgs, location="query", unknown=None)
@blp.response(200, VersionList)
def list_versions(args, ds):
    """Version history, newest first: time, source, row count, added, removed, checksum"""
    return browse.history(_dataset(ds), args["page"], args["page_size"])


@blp.get("/datasets/<ds>/versions/<int:number>")
@blp.response(200, VersionDetail)
def get_version(ds, number):
    """One version record with the fields it shows"""
    return browse.version_detail(_dataset(ds), number)


def _download(ds, fmt, number, args):
    dataset = _dataset(ds)
    stored = downloads.prepare(dataset, fmt, number=number, lang=args.get("lang"), base_url=_base())
    return downloads.response(
        stored,
        if_none_match=request.headers.get("If-None-Match"),
        cache_control=downloads.cache_control(dataset, explicit_version=number is not None),
        on_send=None
        if request.method == "HEAD"
        else lambda: counting.download(
            visits.secret(), visits.visit(), dataset, number or dataset.current_version, fmt
        ),
    )


@blp.get("/datasets/<ds>/data.<fmt>")
@rate_limit("download")
@blp.arguments(LangArgs, location="query", unknown=None)
@blp.doc(**FILE_DOC)
def download_current(args, ds, fmt):
    """The current data: csv, json, xml, xlsx, rdf, ttl, jsonld, nt, geojson; ?lang= picks one"""
    return _download(ds, fmt, None, args)


@blp.get("/datasets/<ds>/versions/<int:number>/data.<fmt>")
@rate_limit("download")
@blp.arguments(LangArgs, location="query", unknown=None)
@blp.doc(**FILE_DOC)
def download_version(args, ds, number, fmt):
    """A version's data, byte-for-byte the same on every download"""
    return _download(ds, fmt, number, args)


@blp.get("/datasets/<ds>/datapackage.json")
@blp.arguments(LangArgs, location="query", unknown=None)
@blp.doc(**FILE_DOC)
def datapackage(args, ds):
    """A Frictionless Data Package descriptor of the current data, linking every download"""
    data = browse.datapackage(_dataset(ds), _base(), _lang(args))
    return Response(data, content_type="application/json")


@catalog_blp.get("/catalog.<ext>")
@catalog_blp.arguments(CatalogArgs, location="query", unknown=None)
@catalog_blp.doc(**FILE_DOC)
def get_catalog(args, ext):
    """The DCAT-AP catalog (ext: ttl, jsonld, rdf), 100 datasets a page with hydra links"""
    if ext not in catalog.SYNTAXES:
        raise NotFound(f"no catalog format {ext!r}: use catalog.ttl, catalog.jsonld or catalog.rdf")
    data, media_type = catalog.render(args["page"], _base(), ext)
    return Response(data, content_type=media_type)
