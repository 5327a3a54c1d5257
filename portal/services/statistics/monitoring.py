"""Timeliness: each dataset's state from its update frequency and its last data update.

As HDX does: a dataset is `fresh` until its period has passed, then `due`, `overdue` after a
grace, `delinquent` after a longer one. `irregular` datasets are never late. The daily
computation stores every state (readers never compute one), records the day's counts per
organization for history and records each change of state, which the reminders read.
"""

import hashlib
from datetime import timedelta

from portal.db.models import utcnow
from portal.db.statistics import states

# days after the last update: (due, overdue, delinquent)
THRESHOLDS = {
    "daily": (1, 2, 3),
    "weekly": (7, 14, 21),
    "monthly": (30, 44, 60),
    "quarterly": (92, 122, 152),
    "semiannual": (183, 213, 243),
    "annual": (365, 395, 425),
}
OUTDATED = ("due", "overdue", "delinquent")  # listed as outdated, and reminded of
LATE = ("overdue", "delinquent")  # past the grace: counted against the organization
STATES = ("fresh", "due", "overdue", "delinquent", "irregular")


def day_of(now):
    return now.strftime("%Y-%m-%d")


def last_update(doc):
    """When the data last changed: the latest version, else the passport's creation."""
    if doc.get("data_updated_at"):
        return doc["data_updated_at"]
    versions = doc.get("versions") or []
    if versions:
        return max(v.get("created_at") or doc.get("created_at") for v in versions)
    return doc.get("created_at")


def assess(frequency, last, now):
    """(state, due_at, days_late) of data last updated at `last` with this frequency."""
    limits = THRESHOLDS.get(frequency)
    if limits is None or last is None:
        return "irregular", None, 0
    due, overdue, delinquent = (last + timedelta(days=d) for d in limits)
    if now < due:
        return "fresh", due, 0
    late = (now - due).days
    if now < overdue:
        return "due", due, late
    return ("overdue" if now < delinquent else "delinquent"), due, late


def monitored(doc):
    """Datasets with public data are monitored (drafts and switched-off ones are not)."""
    return bool(doc.get("active", True)) and doc.get("current_version", 0) > 0


def state_doc(doc, now):
    state, due_at, _ = assess(doc.get("update_frequency"), last_update(doc), now)
    out = {
        "_id": doc["_id"],
        "code": doc["code"],
        "organization": doc.get("organization"),
        "title": doc.get("title") or {},
        "update_frequency": doc.get("update_frequency") or "irregular",
        "last_update": last_update(doc),
        "due_at": due_at,
        "state": state,
    }
    # the run rewrites a state document only when what it shows changes
    out["digest"] = hashlib.sha256(repr(sorted(out.items())).encode()).hexdigest()[:16]
    return out


def compute(docs, now):
    """New state documents of the monitored datasets among `docs` (plain dicts)."""
    return [state_doc(d, now) for d in docs if monitored(d)]


def store(new, now):
    """Save the states that changed, record the changes; returns the transitions."""
    day = day_of(now)
    old = states.all_of(states.MONITORING, {"state": 1, "since": 1, "digest": 1})
    present = set(old)
    changed, moves = [], []
    for doc in new:
        before = old.pop(doc["_id"], None)
        if before and before["state"] == doc["state"]:
            doc["since"] = before.get("since", day)
            if before.get("digest") == doc["digest"]:
                continue
        else:
            doc["since"] = day
            if doc["state"] in OUTDATED:
                moves.append(_move(doc, before, day))
        changed.append(doc)
    states.save_monitoring(changed, present)
    states.forget(states.MONITORING, list(old))  # no longer monitored
    states.add_transitions(moves)
    return moves


def _move(doc, before, day):
    return {
        "_id": f"{doc['_id']}:{day}",
        "day": day,
        "dataset": doc["_id"],
        "code": doc["code"],
        "organization": doc["organization"],
        "title": doc["title"],
        "from": before["state"] if before else None,
        "to": doc["state"],
        "due_at": doc["due_at"],
    }


def by_organization(new):
    """`{organization: {datasets, on_time, late, irregular, <state>: n}}` of state documents."""
    out = {}
    for doc in new:
        row = out.setdefault(
            doc["organization"],
            {"datasets": 0, "on_time": 0, "late": 0, **dict.fromkeys(STATES, 0)},
        )
        row[doc["state"]] += 1
        if doc["state"] == "irregular":
            continue
        row["datasets"] += 1
        row["late" if doc["state"] in LATE else "on_time"] += 1
    return out


def ranking(per_org):
    """Organizations by share of datasets on time (`due` is not late yet), ranked 1, 2, ..."""
    rows = []
    for code, row in per_org.items():
        share = round(row["on_time"] / row["datasets"], 4) if row["datasets"] else None
        rows.append({"organization": code, **row, "share_on_time": share})
    rows.sort(key=lambda r: (r["share_on_time"] is None, -(r["share_on_time"] or 0),
                             -r["datasets"], r["organization"]))  # fmt: skip
    rank, previous = 0, None
    for i, row in enumerate(rows, 1):
        key = (row["share_on_time"],)
        if key != previous:
            rank, previous = i, key
        row["rank"] = rank if row["share_on_time"] is not None else None
    return rows


def record(per_org, now):
    """Keep the day's counts, so that each organization's timeliness has a history."""
    totals = dict.fromkeys(STATES, 0)
    for row in per_org.values():
        for state in STATES:
            totals[state] += row[state]
    states.record_run(day_of(now), {"at": now, "totals": totals, "organizations": per_org})


def history(organization=None, days=90, now=None):
    """`[{day, datasets, on_time, late, share_on_time}]` of the recorded runs, oldest first."""
    now = now or utcnow()
    since = day_of(now - timedelta(days=days))
    out = []
    for run in states.runs(since):
        if organization:
            row = (run.get("organizations") or {}).get(organization)
            if row is None:
                continue
        else:
            t = run["totals"]
            on_time = t["fresh"] + t["due"]
            row = {"datasets": on_time + t["overdue"] + t["delinquent"], "on_time": on_time}
            row["late"] = row["datasets"] - on_time
        share = round(row["on_time"] / row["datasets"], 4) if row["datasets"] else None
        out.append({"day": run["_id"], "datasets": row["datasets"], "on_time": row["on_time"],
                    "late": row["late"], "share_on_time": share})  # fmt: skip
    return out


# ---------------------------------------------------------------- for other parts of the portal


def state_of(dataset_id):
    """The stored monitoring state of a dataset (a dict), or None when it is not monitored."""
    return states.by_ids(states.MONITORING, [dataset_id]).get(dataset_id)


def late_days(dataset, now=None):
    """Days a dataset is past its due date (0 when on time, irregular or not monitored)."""
    return late_days_many([dataset.id], now).get(dataset.id, 0)


def late_days_many(ids, now=None):
    """`{dataset id: days late}` for many datasets in one read."""
    now = now or utcnow()
    found = states.by_ids(states.MONITORING, ids)
    out = {}
    for key in ids:
        doc = found.get(key)
        late = doc and doc["state"] in OUTDATED and doc.get("due_at")
        out[key] = max(0, (now - doc["due_at"]).days) if late else 0
    return out
