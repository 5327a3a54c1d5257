"""The AI-ready section: datasets operators flag, and datasets that are ready by their shape.

Ready means: typed numeric, date or location columns, at least AI_MIN_ROWS rows, updated on
time, a methodology file, and a quality score of at least AI_MIN_QUALITY percent. The periodic
run computes readiness into the `ai` table; a flag an operator sets shows at once.
"""

from bson import ObjectId

from portal.db.models import utcnow
from portal.db.statistics import states
from portal.db.statistics import tables as table_store
from portal.services.identity.access import require_role
from portal.services.publishing import datasets

MIN_ROWS = 100
MIN_QUALITY = 60  # percent of the quality maximum
SIGNAL_TYPES = ("number", "date", "location", "polygon")


def _rows(doc):
    current = [
        v for v in doc.get("versions") or () if v.get("number") == doc.get("current_version")
    ]
    return current[-1].get("rows", 0) if current else 0


def readiness(doc, state, quality_score, quality_max, min_rows=MIN_ROWS, min_quality=MIN_QUALITY):
    """`{ready, missing: [...]}` of a dataset document with its monitoring state and score."""
    visible = [f for f in doc.get("fields") or () if f.get("visible", True)]
    missing = []
    if not any(f.get("type") in SIGNAL_TYPES for f in visible):
        missing.append("typed numeric, date or location columns")
    if _rows(doc) < min_rows:
        missing.append(f"at least {min_rows} rows")
    if state not in ("fresh", "due", "irregular"):
        missing.append("updated on time")
    if not (doc.get("methodology") or {}).get("file_id"):
        missing.append("a methodology file")
    if not quality_max or quality_score * 100 < min_quality * quality_max:
        missing.append(f"a quality score of at least {min_quality}%")
    return {"ready": not missing, "missing": missing}


def rows(docs, monitoring, quality, flags):
    """The section's rows: flagged or ready public datasets, flagged first, then by score."""
    out = []
    for doc in docs:
        if not (doc.get("active", True) and doc.get("current_version", 0) > 0
                and doc.get("status") != "rejected"):  # fmt: skip
            continue
        q = quality.get(doc["_id"]) or {}
        ready = readiness(doc, monitoring.get(doc["_id"]), q.get("score", 0), q.get("max", 0))
        flagged = doc["_id"] in flags
        if flagged or ready["ready"]:
            out.append({
                "id": str(doc["_id"]), "code": doc["code"], "title": doc.get("title") or {},
                "organization": doc.get("organization"), "sector": doc.get("sector"),
                "flagged": flagged, "ready": ready["ready"], "quality": q.get("score"),
                "rows": _rows(doc), "downloads": doc.get("downloads", 0),
            })  # fmt: skip
    out.sort(key=lambda r: (not r["flagged"], -(r["quality"] or 0), -r["downloads"], r["code"]))
    return out


def refresh(docs, monitoring, quality, now):
    table_store.write("ai", rows(docs, monitoring, quality, states.ai_flags()), now)


def flag(user, ref, flagged):
    """An operator puts a dataset in the AI section (or takes it out); the section is rebuilt."""
    require_role(user, "operator")
    dataset = datasets.find(ref)
    now = utcnow()
    states.set_ai_flag(dataset.id, flagged, str(user.id), now)
    rebuild(now)
    return {"dataset": str(dataset.id), "flagged": flagged}


def rebuild(now=None):
    docs = list(states.all_datasets())
    monitoring = {k: v["state"] for k, v in states.all_of(states.MONITORING, {"state": 1}).items()}
    quality = states.all_of(states.QUALITY, {"score": 1, "max": 1})
    refresh(docs, monitoring, quality, now or utcnow())


# ---------------------------------------------------------------- for other parts of the portal


def ai_ready(dataset):
    """True when a dataset is in the AI section (flagged by an operator, or ready)."""
    return ai_ready_many([dataset.id])[dataset.id]


def section_ids():
    """The ids in the AI section: its stored table, which the daily run and every operator's
    flag (see `flag`) rebuild."""
    head = table_store.head("ai")
    stored = table_store.rows("ai", 0, head["total"], head["total"]) if head else []
    return {ObjectId(r["id"]) for r in stored}


def ai_ready_many(ids):
    """`{dataset id: bool}` for many datasets (flag, or readiness from the stored states)."""
    flags = states.ai_flags()
    docs = {d["_id"]: d for d in (states.one_dataset(i) for i in ids) if d}
    monitoring = states.by_ids(states.MONITORING, ids)
    quality = states.by_ids(states.QUALITY, ids)
    out = {}
    for key in ids:
        doc, q = docs.get(key), quality.get(key) or {}
        state = (monitoring.get(key) or {}).get("state")
        ready = (
            doc is not None and readiness(doc, state, q.get("score", 0), q.get("max", 0))["ready"]
        )
        out[key] = key in flags or ready
    return out
