"""The dataset page: five tabs (passport, structure, table, web service, versions)."""

import json

from flask import current_app, g, redirect, render_template, request, url_for
from markupsafe import Markup

from portal import visits
from portal.core.errors import BadRequest
from portal.services.community import comments, ratings
from portal.services.discovery import browse, labels
from portal.services.identity import tokens
from portal.services.publishing import datasets
from portal.services.statistics import counting, quality
from portal.web import args as query
from portal.web import charts, i18n, maps
from portal.web import quality as quality_words
from portal.web.frame import bp

TABS = ("passport", "structure", "table", "api", "versions")
DOWNLOADS = ("csv", "json", "xml", "xlsx", "rdf")
TABLE_SIZE = 20


def _base():
    return current_app.config["BASE_URL"].rstrip("/")


def json_ld(dataset, doc, org_name, base):
    """schema.org Dataset, for search engines; `<` escaped so it cannot close the script."""
    code = i18n.current()
    data = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "identifier": dataset.code,
        "name": i18n.ml_plain(doc["title"], code),
        "description": i18n.ml_plain(doc["description"], code) or i18n.ml_plain(doc["title"]),
        "url": base + url_for("web.dataset", ds=dataset.code),
        "keywords": doc["keywords"],
        "inLanguage": i18n.tag_of(code),
        "isAccessibleForFree": True,
        "creator": {"@type": "Organization", "name": i18n.ml_plain(org_name, code)},
        "dateCreated": doc["created_at"].date().isoformat() if doc["created_at"] else None,
        "dateModified": doc["updated_at"].isoformat() if doc["updated_at"] else None,
        "distribution": [
            {"@type": "DataDownload", "encodingFormat": d["media_type"], "contentUrl": d["url"]}
            for d in doc["distributions"]
        ],
    }
    data = {k: v for k, v in data.items() if v not in (None, "", [])}
    text = json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    return Markup(text)  # noqa: S704 - JSON with < and > escaped, inside a data script


def _table(dataset, fields, params):
    """One page of rows with the page's sort and filter; a bad filter is told, not raised."""
    filters, problem = {}, None
    if params["field"] and params["value"]:
        filters = {params["field"]: params["value"]}
    try:
        page = browse.rows(
            dataset,
            filters=filters,
            sort=params["sort"] or None,
            lang=i18n.key_of(i18n.current()),
            page=params["page"],
            page_size=TABLE_SIZE,
        )
    except BadRequest as exc:
        problem = exc.message
        page = browse.rows(dataset, lang=i18n.key_of(i18n.current()), page=1, page_size=TABLE_SIZE)
    directories = {f["directory"] for f in fields if f.get("directory")}
    return page, problem, labels.directory_items(directories)


def _sample(dataset):
    """The JSON the web service answers, for its first two rows."""
    page = browse.rows(dataset, page=1, page_size=2)
    return json.dumps(page, ensure_ascii=False, indent=2, default=str)


CHART_ROWS = 1000


def _chart(dataset, fields, params, directory_names):
    """A number column summed by another field, over the first CHART_ROWS rows."""
    numbers = [f for f in fields if f["type"] == "number"]
    kinds = ("directory", "string", "text", "date")  # the likeliest grouping first
    groups = sorted((f for f in fields if f["type"] in kinds), key=lambda f: kinds.index(f["type"]))
    if not numbers or not groups:
        return None
    value = next((f for f in numbers if f["name"] == params["chart_value"]), numbers[0])
    by = next((f for f in groups if f["name"] == params["chart_by"]), groups[0])
    lang = i18n.key_of(i18n.current())
    # the two columns the chart sums, not whole rows
    only = {by["name"], value["name"]}
    page = browse.rows(dataset, lang=lang, page=1, page_size=CHART_ROWS, only=only)
    names = directory_names.get(by.get("directory"), {})

    def label_of(key):
        return i18n.ml_plain(names[key]) if key in names else str(key)

    totals = charts.grouped(page["items"], by["name"], value["name"], label_of)
    return {
        "value": value,
        "by": by,
        "numbers": numbers,
        "groups": groups,
        "totals": [(label, charts.number(v)) for label, v in totals[: charts.MAX_BARS]],
        "svg": charts.bars(totals),
        "partial": page["total"] > CHART_ROWS,
    }


def threads(items):
    """Comments as threads: each first comment with its replies (one level deep)."""
    firsts = [c for c in items if not c["reply_to"]]
    replies = {}
    for c in items:
        if c["reply_to"]:
            replies.setdefault(c["reply_to"], []).append(c)
    return [(c, replies.get(c["id"], [])) for c in firsts]


def _link(api_path, fmt):
    return {"format": fmt, "url": f"{api_path}/data.{fmt}"}


@bp.post("/datasets/<ds>/token")
def get_token(ds):
    """ "Get token": a personal read token for the signed-in person, shown once on the page."""
    user = g.get("user")
    if user is None:
        target = url_for("web.dataset", ds=ds, tab="api")
        return redirect(url_for("auth.login", next=target), code=303)
    item = datasets.visible(user, ds)
    _record, plaintext = tokens.issue(user, name=f"web: {item.code}")
    return page(item.code, {"tab": "api"}, new_token=plaintext)


@bp.get("/datasets/<ds>")
def dataset(ds):
    """A dataset's page, one tab at a time (links that work without JavaScript)."""
    return page(ds, request.args)


def page(ds, given, **extra):
    """The dataset page for query values `given` (read strictly)."""
    params = query.read(
        {
            "tab": TABS,
            "page": int,
            "sort": str,
            "field": str,
            "value": str,
            "send": ("", "1"),
            "chart_value": str,
            "chart_by": str,
        },
        given,
    )
    user = g.get("user")
    item = datasets.visible(user, ds)
    base = _base()
    doc = browse.passport(item, None, base)
    if params["tab"] == "passport":
        # once per visitor and day, robots and prefetches aside, as the API's passport
        counting.view(visits.secret(), visits.visit(), item)
    orgs = labels.organizations()
    org_name = orgs.get(item.organization, {})
    fields = doc["fields"]
    api_path = f"/api/v1/datasets/{item.code}"
    ctx = {
        "ds": item,
        "doc": doc,
        "tab": params["tab"],
        "tabs": TABS,
        "org_name": org_name,
        "sector_name": labels.sectors().get(item.sector, {}),
        "fields": fields,
        "json_ld": json_ld(item, doc, org_name, base),
        "api_path": api_path,
    }
    # Links on the page are paths: the same host, whatever BASE_URL says.
    offered = [d["format"] for d in doc["distributions"]]
    ctx["downloads"] = [_link(api_path, f) for f in offered if f in DOWNLOADS]
    ctx["extra_downloads"] = [_link(api_path, f) for f in offered if f not in DOWNLOADS]
    if params["tab"] == "passport":
        ctx["rating"] = ratings.summary_of(user, item)
        ctx["threads"] = threads(comments.first_of(item, 100))
        ctx["quality"] = quality_words.shown(quality.of(item, base))
    if params["tab"] == "table" and item.current_version:
        ctx["table"], ctx["table_problem"], ctx["directory_names"] = _table(item, fields, params)
        ctx["params"] = params
        ctx["chart"] = _chart(item, fields, params, ctx["directory_names"])
        if maps.has_geometry(fields):
            label = next((f for f in fields if f["type"] in ("text", "string")), None)
            ctx["map"] = maps.build(fields, ctx["table"]["items"], label)
    elif params["tab"] == "versions":
        ctx["history"] = browse.history(item, params["page"], 50)
    elif params["tab"] == "api" and item.current_version:
        ctx["sample"] = _sample(item)
        ctx["sent"] = params["send"] == "1"
    return render_template("datasets/dataset.html", **ctx, **extra)
