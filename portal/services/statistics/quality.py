"""Quality score of a dataset: points per criterion, and for each one missed, how to fix it.

In the spirit of the EU Metadata Quality Assessment, but for what this portal holds. Scores are
computed by the periodic run (and for one dataset when its score is asked for before that) and
stored; readers read them.
"""

import hashlib

from portal.core.langs import LANG_KEYS
from portal.db.models import utcnow
from portal.db.statistics import states
from portal.services.statistics import dcat

TYPED = ("number", "date", "location", "polygon", "directory")
MIN_KEYWORDS = 3
# (id, points, how to fix it when missed)
CRITERIA = (
    ("title_languages", 10, "Give the title in all four languages (uz, oz, ru, en)."),
    ("description_languages", 10, "Describe the dataset in all four languages (uz, oz, ru, en)."),
    ("keywords", 5, f"Add at least {MIN_KEYWORDS} keywords people would search for."),
    ("sector", 5, "Choose the sector the dataset belongs to."),
    ("contacts", 5, "Give a contact phone and e-mail for questions about the data."),
    ("legal_basis", 5, "State the legal basis for publishing the data."),
    ("methodology", 10, "Upload the methodology file: how the data is collected and computed."),
    ("structure_typed", 10, "Type the columns: numbers, dates, places or directories, not "
                            "only text."),
    ("captions", 10, "Caption every visible column in all four languages."),
    ("frequency_kept", 10, "Declare how often the data is updated, and upload on time."),
    ("machine_readable", 5, "Upload the data as a table (step 3) so that it is offered as CSV, "
                            "JSON, XML and RDF."),
    ("dcat", 10, "Complete the passport so that its DCAT-AP record validates."),
    ("downloads", 5, "Publish a version with rows and at least one visible column, so that "
                     "the downloads have content."),
)  # fmt: skip
MAX = sum(points for _, points, _ in CRITERIA)


def _all_langs(value):
    return bool(value) and all((value.get(k) or "").strip() for k in LANG_KEYS)


def _visible(doc):
    return [f for f in doc.get("fields") or () if f.get("visible", True)]


def _rows(doc):
    versions = [
        v for v in doc.get("versions") or () if v.get("number") == doc.get("current_version")
    ]
    return versions[-1].get("rows", 0) if versions else 0


def passed(doc, monitoring_state, dcat_messages):
    """`{criterion id: bool}` of a dataset document."""
    visible = _visible(doc)
    has_data = doc.get("current_version", 0) > 0
    frequency = doc.get("update_frequency") or "irregular"
    return {
        "title_languages": _all_langs(doc.get("title")),
        "description_languages": _all_langs(doc.get("description")),
        "keywords": len([k for k in doc.get("keywords") or () if k.strip()]) >= MIN_KEYWORDS,
        "sector": bool(doc.get("sector")),
        "contacts": bool(doc.get("phone")) and bool(doc.get("email")),
        "legal_basis": bool((doc.get("legal_basis") or "").strip()),
        "methodology": bool((doc.get("methodology") or {}).get("file_id")),
        "structure_typed": any(f.get("type") in TYPED for f in visible),
        "captions": bool(visible) and all(_all_langs(f.get("caption")) for f in visible),
        "frequency_kept": frequency != "irregular" and monitoring_state in ("fresh", "due"),
        "machine_readable": has_data,
        "dcat": dcat_messages is not None and not dcat_messages,
        "downloads": has_data
        and _rows(doc) > 0
        and bool(visible)
        and bool(doc.get("active", True))
        and doc.get("status") != "rejected",
    }


def score(doc, monitoring_state, dcat_messages, now=None):
    """The stored score document of a dataset."""
    ok = passed(doc, monitoring_state, dcat_messages)
    criteria = []
    for cid, points, fix in CRITERIA:
        item = {"id": cid, "points": points if ok[cid] else 0, "max": points, "passed": ok[cid],
                "fix": None if ok[cid] else fix}  # fmt: skip
        if cid == "dcat" and dcat_messages:
            item["fix"] = f"{fix} The record says: {'; '.join(dcat_messages)}."
        criteria.append(item)
    digest = hashlib.sha256(repr((criteria, doc.get("updated_at"))).encode()).hexdigest()[:16]
    return {
        "_id": doc["_id"],
        "code": doc["code"],
        "organization": doc.get("organization"),
        "digest": digest,  # the run rewrites a score only when this changes
        "score": sum(c["points"] for c in criteria),
        "max": MAX,
        "criteria": criteria,
        "updated_at": doc.get("updated_at"),
        "at": now or utcnow(),
    }


def compute(docs, monitoring, root, now):
    """Score documents of `docs`; `monitoring` is `{dataset id: state}`."""
    orgs = dcat.organizations()
    messages = dcat.check(docs, orgs, root)
    return [score(d, monitoring.get(d["_id"]), messages.get(d["_id"]), now) for d in docs]


def of(dataset, root, now=None):
    """The quality of one dataset: the stored score, or one computed now when it is out of date
    (the passport changed since) or missing."""
    stored = states.by_ids(states.QUALITY, [dataset.id]).get(dataset.id)
    if stored and stored.get("updated_at") == dataset.updated_at:
        return stored
    doc = states.one_dataset(dataset.id)
    state = (states.by_ids(states.MONITORING, [dataset.id]).get(dataset.id) or {}).get("state")
    fresh = compute([doc], {dataset.id: state}, root, now or utcnow())[0]
    states.save_quality([fresh])
    return fresh


def stored_summary(dataset_id):
    """`{score, max}` as last computed (for the passport), or None before the first run."""
    doc = states.by_ids(states.QUALITY, [dataset_id]).get(dataset_id)
    return {"score": doc["score"], "max": doc["max"]} if doc else None


def public(doc):
    return {k: doc[k] for k in ("score", "max", "criteria")}
