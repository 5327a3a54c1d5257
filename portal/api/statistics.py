"""Statistics, monitoring of late datasets, quality scores and the AI section (public reads)."""

from flask import Response, current_app
from flask_smorest import Blueprint

from portal.api.context import current_user
from portal.core.errors import BadRequest, Forbidden
from portal.core.langs import parse_lang
from portal.services.publishing import datasets
from portal.services.statistics import ai, listings, quality, tables
from schemas.statistics import (
    AiFlagIn,
    AiFlagOut,
    History,
    HistoryArgs,
    OutdatedPage,
    Quality,
    TableArgs,
    TablePage,
    TimelinessPage,
    Totals,
    UpdatedPage,
)

blp = Blueprint("statistics", __name__, url_prefix="/api/v1", description="Statistics")
monitoring_blp = Blueprint(
    "monitoring", __name__, url_prefix="/api/v1/monitoring", description="Timeliness of updates"
)
BAD = {"error_status_code": 400}  # a bad table, page or format is the client's mistake: 400


def _csv_too(doc, doc_info, **kwargs):
    """An operation taking ?format= answers text/csv beside its JSON: say so in the spec."""
    takes_format = any(
        p.get("in") == "query" and "format" in getattr(p.get("schema"), "_declared_fields", {})
        for p in (doc_info.get("arguments") or {}).get("parameters", [])
        if isinstance(p, dict)
    )
    responses = doc.get("responses", {})
    ok = responses.get(200) or responses.get("200")
    if takes_format and isinstance(ok, dict) and "content" in ok:
        ok["content"]["text/csv"] = {"schema": {"type": "string"}}
    return doc


blp._prepare_doc_cbks.append(_csv_too)
monitoring_blp._prepare_doc_cbks.append(_csv_too)


def _lang(args):
    try:
        return parse_lang(args.get("lang"))
    except ValueError as exc:
        raise BadRequest(str(exc)) from None


def _csv(data, name):
    return Response(
        data,
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


def _maybe_csv(args, name, result_of):
    """The page as JSON, or with ?format=csv every row of the table as CSV."""
    if args.get("format") == "csv":
        first = result_of(1, 1)
        rows = result_of(1, max(first["total"], 1))["items"] if first["total"] else []
        return _csv(tables.to_csv(rows, _lang(args)), name)
    return result_of(args["page"], args["page_size"])


@blp.get("/statistics")
@blp.response(200, Totals)
def totals():
    """Totals: datasets, organizations, downloads, views, ratings, proposals"""
    return tables.totals()


@blp.get("/statistics/<table>")
@blp.arguments(TableArgs, location="query", unknown=None, **BAD)
@blp.response(200, TablePage)
def table(args, table):
    """A statistics table, paged; ?format=csv gives the whole table as CSV"""
    lang = _lang(args)
    if table not in tables.TABLES:
        raise BadRequest(f"no statistics table {table!r}: use one of {', '.join(tables.TABLES)}")
    if args["format"] == "csv":
        return _csv(tables.as_csv(table, lang), f"statistics-{table}")
    return tables.table(table, args["page"], args["page_size"], lang)


@blp.get("/datasets/<ds>/quality")
@blp.response(200, Quality)
def dataset_quality(ds):
    """The quality score of a dataset: points per criterion, with the fix for each one missed"""
    dataset = datasets.visible(_reader(), ds)
    return quality.public(quality.of(dataset, current_app.config["BASE_URL"].rstrip("/")))


@blp.put("/datasets/<ds>/ai")
@blp.arguments(AiFlagIn)
@blp.response(200, AiFlagOut)
def flag_ai(data, ds):
    """Put a dataset in the AI-ready section, or take it out (operator)"""
    return ai.flag(current_user(), ds, data["flagged"])


def _reader():
    try:
        return current_user()
    except Forbidden:  # an integration token reads as the public does
        return None


@monitoring_blp.get("/updated")
@monitoring_blp.arguments(TableArgs, location="query", unknown=None, **BAD)
@monitoring_blp.response(200, UpdatedPage)
def updated(args):
    """Recently updated datasets, newest first"""
    lang = _lang(args)
    return _maybe_csv(args, "monitoring-updated", lambda p, s: listings.updated(p, s, lang))


@monitoring_blp.get("/outdated")
@monitoring_blp.arguments(TableArgs, location="query", unknown=None, **BAD)
@monitoring_blp.response(200, OutdatedPage)
def outdated(args):
    """Datasets late for their update frequency (due, overdue, delinquent), most late first"""
    return _maybe_csv(args, "monitoring-outdated", listings.outdated)


@monitoring_blp.get("/organizations")
@monitoring_blp.arguments(TableArgs, location="query", unknown=None, **BAD)
@monitoring_blp.response(200, TimelinessPage)
def organizations(args):
    """Organizations ranked by their share of datasets updated on time"""
    return _maybe_csv(args, "monitoring-organizations", listings.organizations)


@monitoring_blp.get("/history")
@monitoring_blp.arguments(HistoryArgs, location="query", unknown=None, **BAD)
@monitoring_blp.response(200, History)
def history(args):
    """Share of datasets on time per day, for the portal or one organization (?organization=)"""
    return listings.history(args["organization"], args["days"])
