"""What the monitoring endpoints and the AI section show, read from the stored states."""

from bson import ObjectId

from portal.db import list_view, search_cache, search_records
from portal.db.connection import get_db
from portal.db.models import utcnow
from portal.db.statistics import states
from portal.db.statistics import tables as store
from portal.services.discovery import search
from portal.services.statistics import monitoring


def _page(name, page, page_size):
    head = store.head(name) or {"total": 0}
    items = store.rows(name, (page - 1) * page_size, page_size, head["total"])
    return {"items": items, "total": head["total"], "page": page, "page_size": page_size}


def outdated(page, page_size, now=None, state=None, organization=None):
    """Datasets late for their update frequency, the longest late first, with days late;
    `state` and `organization` narrow the list to one state or one organization."""
    now = now or utcnow()
    if organization:
        # one organization's rows (a small table the daily run writes), narrowed by state
        rows = [r for r in _outdated_rows(f"outdated-org:{organization}", organization)
                if not state or r["state"] == state]  # fmt: skip
        result = _sliced(rows, page, page_size)
    elif state and store.head(f"outdated:{state}") is not None:
        result = _page(f"outdated:{state}", page, page_size)
    elif state:  # tables of a run before the per-state ones were kept
        result = _sliced([r for r in store.all_rows("outdated") if r["state"] == state],
                         page, page_size)  # fmt: skip
    else:
        result = _page("outdated", page, page_size)
    for row in result["items"]:
        row["days_late"] = max(0, (now - row["due_at"]).days) if row.get("due_at") else 0
    return result


def _sliced(rows, page, page_size):
    skip = (page - 1) * page_size
    return {"items": rows[skip : skip + page_size], "total": len(rows), "page": page,
            "page_size": page_size}  # fmt: skip


def _outdated_rows(name, organization):
    """Rows of one organization's outdated table; from the whole list when the last run
    wrote no such tables (an earlier build)."""
    if "organizations" in (store.head("outdated") or {}):
        return store.all_rows(name)
    return [r for r in store.all_rows("outdated") if r["organization"] == organization]


def timeliness():
    """Every organization's row of the timeliness ranking (as the daily run stored it)."""
    return store.all_rows("timeliness")


def organizations(page, page_size):
    """Organizations ranked by their share of datasets on time."""
    result = _page("timeliness", page, page_size)
    names = {r["organization"]: r.get("name") for r in store.all_rows("organizations")}
    for row in result["items"]:
        row["name"] = names.get(row["organization"])
    return result


def updated(page, page_size, lang=None):
    """Recently updated public datasets, newest first, with their monitoring state: what the
    search records hold (code, organization, frequency, the last update), the title from the
    process's list views (current: a passport edit moves a dataset to the top of this list,
    with its new title) and the state the daily run stored."""
    ranked, total = search.ranked_records(sort="recent", skip=(page - 1) * page_size,
                                          limit=page_size)  # fmt: skip
    ids = [key for key, _record in ranked]
    known = states.by_ids(states.MONITORING, ids, {"state": 1})
    views = {view["_id"]: view for view in list_view.current().get(ids)}
    items = []
    for key, record in ranked:
        title = search.Text((views.get(key) or {}).get("title") or {}).to_dict()
        items.append({
            "id": str(key), "code": record.code, "title": title.get(lang) if lang else title,
            "organization": record.organization,
            "update_frequency": record.update_frequency or "irregular",
            "last_update": search_records.updated_at(record),
            "state": (known.get(key) or {}).get("state"),
        })  # fmt: skip
    return {"items": items, "total": total, "page": page, "page_size": page_size}


def history(organization, days):
    return {"organization": organization, "items": monitoring.history(organization, days)}


def ai_section(page, page_size, lang=None):
    """The AI-ready section: a page of dataset summaries, each with why it is there."""
    result = _page("ai", page, page_size)
    ids = [ObjectId(row["id"]) for row in result["items"]]
    docs = search_cache.fetch(get_db(), ids)
    items = []
    for row, key in zip(result["items"], ids, strict=True):
        if key in docs:
            summary = search.summary(search.Listed(docs[key]), lang)
            summary["ai"] = {k: row[k] for k in ("flagged", "ready", "quality")}
            items.append(summary)
    return {**result, "items": items, "facets": None}
