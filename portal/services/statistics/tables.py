"""The statistics tables: totals, rankings, sectors, organizations, searches, monthly series.

Tables of datasets ranked by a counter (downloads, views, recency) come from the search records
each process keeps. The others are computed by the periodic run (every few minutes, and with
the daily monitoring) into stored tables. The portal's totals and the monthly downloads and
views add the live portal-wide counter, so a download shows there at once.
"""

import csv
import io
from collections import Counter

from portal.core.errors import BadRequest
from portal.db.models import Organization, Sector, utcnow
from portal.db.statistics import counters, states
from portal.db.statistics import tables as store
from portal.services.community.ratings import bayesian
from portal.services.community.rules import setting
from portal.services.discovery import search
from portal.services.statistics import rejected

RANKED = {"downloads": "downloads", "views": "views", "recent": "recent"}
TABLES = ("downloads", "views", "rated", "recent", "sectors", "organizations", "rejected",
          "searches", "searches-empty", "monthly")  # fmt: skip
SEARCH_ROWS = 1000  # popular and zero-result queries kept
RANKED_CSV_ROWS = 1000  # most downloaded, viewed, recent: the top of the list as CSV


def is_public(doc):
    return (doc.get("active", True) and doc.get("current_version", 0) > 0
            and doc.get("status") != "rejected")  # fmt: skip


def _month(at):
    return at.strftime("%Y-%m") if at else None


def quality_by_organization(scores):
    """`{organization: [points, max points]}` of public datasets' scores, stored for refresh."""
    out = {}
    for score in scores:
        row = out.setdefault(score.get("organization"), [0, 0])
        row[0] += score["score"]
        row[1] += score["max"]
    store.write("quality", [], None, {"organizations": [[k, *v] for k, v in out.items()]})
    return out


def refresh(docs, now, timeliness=None, org_quality=None):
    """Compute and store the tables from every dataset document (plain dicts); the timeliness
    ranking and the quality per organization are the daily run's (read back between runs)."""
    if timeliness is None:
        timeliness = store.all_rows("timeliness")
    if org_quality is None:
        stored = (store.head("quality") or {}).get("organizations") or []
        org_quality = {k: [points, top] for k, points, top in stored}
    live = counters.read(["total"]).get("total") or {}
    orgs = {o.code: o.name.to_dict() for o in Organization.objects()}
    sectors = {s.code: s.name.to_dict() for s in Sector.objects()}
    per_org, per_sector, months = {}, {}, {}
    totals = Counter()
    for doc in docs:
        public = is_public(doc)
        org = per_org.setdefault(doc.get("organization"), Counter())
        org["datasets"] += 1
        month = months.setdefault(_month(doc.get("created_at")), Counter())
        month["datasets"] += 1
        for version in doc.get("versions") or ():
            months.setdefault(_month(version.get("created_at")), Counter())["versions"] += 1
        if not public:
            continue
        org["public"] += 1
        for key in ("downloads", "views", "rating_count"):
            org[key] += doc.get(key, 0)
            totals[key] += doc.get(key, 0)
        totals["datasets"] += 1
        sector = per_sector.setdefault(doc.get("sector"), Counter())
        sector["datasets"] += 1
        sector["downloads"] += doc.get("downloads", 0)
        sector["views"] += doc.get("views", 0)
    timely = {r["organization"]: r for r in timeliness}
    answers = _answer_rates()
    org_rows = [_org_row(code, c, orgs, timely.get(code), answers.get(code),
                         org_quality.get(code)) for code, c in per_org.items()]  # fmt: skip
    org_rows.sort(key=lambda r: (-r["public"], -r["downloads"], str(r["organization"])))
    store.write("organizations", org_rows, now)
    sector_rows = [{"sector": code, "name": sectors.get(code), "datasets": c["datasets"],
                    "downloads": c["downloads"], "views": c["views"]}
                   for code, c in per_sector.items()]  # fmt: skip
    sector_rows.sort(key=lambda r: (-r["datasets"], -r["downloads"], str(r["sector"])))
    store.write("sectors", sector_rows, now)
    store.write("rated", _rated(docs), now)
    _searches(now)
    month_rows = [{"month": m, "datasets": c["datasets"], "versions": c["versions"]}
                  for m, c in sorted(months.items()) if m]  # fmt: skip
    store.write("monthly", month_rows, now)
    head = {
        "datasets": totals["datasets"], "organizations": len(orgs), "sectors": len(sectors),
        "downloads": totals["downloads"], "views": totals["views"],
        "ratings": totals["rating_count"], "proposals": states.estimated("proposals"),
        "comments": states.estimated("comments"), "searches": sum(
            r["count"] for r in store.all_rows("searches")),
        "base": {"downloads": live.get("downloads", 0), "views": live.get("views", 0)},
    }  # fmt: skip
    store.write("totals", [], now, {"totals": head})
    rejected.rebuild(now)


def _org_row(code, c, names, timely, answer, points):
    timely = timely or {}
    return {
        "organization": code, "name": names.get(code), "datasets": c["datasets"],
        "public": c["public"], "downloads": c["downloads"], "views": c["views"],
        "ratings": c["rating_count"], "share_on_time": timely.get("share_on_time"),
        "on_time": timely.get("on_time", 0), "late": timely.get("late", 0),
        "timeliness_rank": timely.get("rank"),
        "quality": round(100 * points[0] / points[1], 1) if points and points[1] else None,
        "comment_answer_rate": answer,
    }  # fmt: skip


def _rated(docs):
    """Top rated as the community ranks it: the Bayesian average, so that one 5-star vote
    cannot top the list."""
    rated = [d for d in docs if is_public(d) and d.get("rating_count", 0) > 0]
    votes = sum(d["rating_count"] for d in rated)
    mean = sum(d.get("rating_sum", 0) for d in rated) / votes if votes else 3.0
    weight = setting("RATING_PRIOR_VOTES")
    rows = [{"id": str(d["_id"]), "code": d["code"], "title": d.get("title") or {},
             "organization": d.get("organization"), "sector": d.get("sector"),
             "average": round(d.get("rating_sum", 0) / d["rating_count"], 2),
             "count": d["rating_count"],
             "score": round(bayesian(d.get("rating_sum", 0), d["rating_count"], mean, weight), 4)}
            for d in rated]  # fmt: skip
    rows.sort(key=lambda r: (-r["score"], -r["count"], r["code"]))
    return rows


def _answer_rates():
    """Per organization, the share of people's questions its people answered."""
    asked, answered = Counter(), Counter()
    for q in states.questions():
        if q.get("status", "visible") != "visible":
            continue
        asked[q.get("organization")] += 1
        if q.get("first_answer_at"):
            answered[q.get("organization")] += 1
    return {org: round(answered[org] / n, 4) for org, n in asked.items() if n}


def _searches(now):
    counted = counters.searches()
    rows = [{"query": d["_id"], "count": d["count"], "results": d.get("results", 0),
             "last_at": d.get("at")} for d in counted]  # fmt: skip
    rows.sort(key=lambda r: (-r["count"], r["query"]))
    store.write("searches", rows[:SEARCH_ROWS], now)
    store.write("searches-empty", [r for r in rows if not r["results"]][:SEARCH_ROWS], now)


# ---------------------------------------------------------------- reading


def ensure(now=None):
    """Compute the tables when they have never been computed (a new install); the head of
    the totals."""
    top = store.head("totals")
    if top is None:
        refresh(list(states.all_datasets(states.TABLES_PROJECTION)), now or utcnow())
        top = store.head("totals")
    return top


def built():
    """The mark of the last computation of the stored tables (the totals are written last);
    they are computed first on a new install."""
    mark = store.build("totals")
    if mark is None:
        ensure()
        mark = store.build("totals")
    return mark


def totals():
    """`{datasets, organizations, downloads, views, ratings, proposals, ...}`, live counters."""
    top = ensure()  # one read of the head
    head = dict(top["totals"])
    base = head.pop("base")
    live = counters.read(["total"]).get("total") or {}
    for key in ("downloads", "views"):
        head[key] += live.get(key, 0) - base.get(key, 0)
    head["computed_at"] = top["at"]
    return head


def table(name, page, page_size, lang=None):
    """A page of a table: `{items, total, page, page_size}`."""
    if name not in TABLES:
        raise BadRequest(f"no statistics table {name!r}: use one of {', '.join(TABLES)}")
    skip = (page - 1) * page_size
    if name in RANKED:
        found = search.search("", sort=RANKED[name], skip=skip, limit=page_size, facets=False)
        items = [_ranked_row(d, lang) for d in found["items"]]
        total = found["total"]
    elif name == "rejected":
        total, items = rejected.page(skip, page_size)
    else:
        head = store.head(name)
        if head is None:  # never computed (a new install), or a table added since
            ensure()
            head = store.head(name) or {"total": 0}
        total = head["total"]
        items = store.rows(name, skip, page_size, total)
        if name == "monthly":
            _add_monthly(items)
    return {"items": [_plain(r) for r in items], "total": total, "page": page,
            "page_size": page_size}  # fmt: skip


def _plain(row):
    """Times as ISO 8601 strings, like every other answer of the API."""
    return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in row.items()}


def _ranked_row(listed, lang):
    row = search.summary(listed, lang)
    return {k: row[k] for k in ("id", "code", "title", "organization", "sector", "downloads",
                                "views", "rating", "updated_at")}  # fmt: skip


def _add_monthly(items):
    """Downloads and views per month, from the portal-wide counter."""
    months = (counters.read(["total"]).get("total") or {}).get("months") or {}
    for row in items:
        row["downloads"] = (months.get(row["month"]) or {}).get("downloads", 0)
        row["views"] = (months.get(row["month"]) or {}).get("views", 0)


def as_csv(name, lang=None):
    """The whole table as CSV (UTF-8 with a BOM, so that spreadsheets read it right); the
    tables ranking datasets by a counter give their first RANKED_CSV_ROWS rows."""
    first = table(name, 1, 1, lang)
    size = max(first["total"], 1)
    if name in RANKED:
        size = min(size, RANKED_CSV_ROWS)
    return to_csv(table(name, 1, size, lang)["items"], lang)


def to_csv(items, lang=None):
    buf = io.StringIO()
    columns = []
    for row in items:
        columns += [k for k in row if k not in columns]
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(columns)
    for row in items:
        writer.writerow([_cell(row.get(c), lang) for c in columns])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _cell(value, lang):
    if value is None:
        return ""
    if isinstance(value, dict):
        if lang and lang in value:
            return value[lang]
        return value.get("uzbText") or value.get("engText") or next(iter(value.values()), "")
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
