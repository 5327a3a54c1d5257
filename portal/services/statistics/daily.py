"""The periodic computation: monitoring states, their history, quality scores, the AI section,
the statistics tables and the reminders. `flask --app wsgi monitoring run` runs it once; the
scheduler started by `make run` runs it every day and refreshes the tables every few minutes.
"""

import logging
import time

from portal.db.models import utcnow
from portal.db.statistics import counters, states
from portal.db.statistics import tables as store
from portal.services.statistics import ai, monitoring, quality, reminders, tables

log = logging.getLogger("portal.monitoring")


def run(config, now=None, remind=True):
    """Everything of one day; idempotent (a second run the same day sends nothing new)."""
    now = now or utcnow()
    started = time.perf_counter()
    steps = Steps()
    docs = list(states.all_datasets())
    steps.done("read")
    new = monitoring.compute(docs, now)
    moves = monitoring.store(new, now)
    per_org = monitoring.by_organization(new)
    monitoring.record(per_org, now)
    timeliness = _monitoring_tables(new, per_org, now)
    steps.done("monitoring")
    public_ids = {d["_id"] for d in docs if tables.is_public(d)}
    state_of = {d["_id"]: d["state"] for d in new}
    scores = quality.compute(docs, state_of, config.get("BASE_URL", ""), now)
    steps.done("quality")
    stored = states.digests(states.QUALITY)
    states.save_quality([s for s in scores if stored.get(s["_id"]) != s["digest"]], set(stored))
    by_id = {s["_id"]: s for s in scores}
    states.forget(states.QUALITY, set(stored) - set(by_id))
    steps.done("quality saved")
    ai.refresh(docs, state_of, by_id, now)
    public_scores = [s for s in scores if s["_id"] in public_ids]
    tables.refresh(docs, now, timeliness, tables.quality_by_organization(public_scores))
    counters.drop_old_marks(now)
    steps.done("tables")
    sent = reminders.send(now, config) if remind else {"authors": 0, "operators": 0, "emails": 0}
    steps.done("reminders")
    summary = {
        "day": monitoring.day_of(now), "datasets": len(docs), "monitored": len(new),
        "changed": len(moves), **sent, "seconds": round(time.perf_counter() - started, 2),
        "steps": steps.seconds,
    }  # fmt: skip
    log.info("monitoring run", extra={"fields": summary})
    return summary


class Steps:
    """Seconds each step of the run took."""

    def __init__(self):
        self.seconds, self._at = {}, time.perf_counter()

    def done(self, name):
        now = time.perf_counter()
        self.seconds[name] = round(now - self._at, 2)
        self._at = now


def refresh_tables(now=None):
    """The statistics tables only (between daily runs)."""
    tables.refresh(list(states.all_datasets(states.TABLES_PROJECTION)), now or utcnow())


def _monitoring_tables(new, per_org, now):
    late = [d for d in new if d["state"] in monitoring.OUTDATED]
    late.sort(key=lambda d: (d["due_at"], d["code"]))
    rows = [{"id": str(d["_id"]), "code": d["code"], "title": d["title"],
             "organization": d["organization"], "update_frequency": d["update_frequency"],
             "last_update": d["last_update"], "due_at": d["due_at"], "state": d["state"]}
            for d in late]  # fmt: skip
    _outdated_tables(rows, now)
    ranking = monitoring.ranking(per_org)
    store.write("timeliness", ranking, now)
    return ranking


def _outdated_tables(rows, now):
    """The outdated list, and the same rows per state and per organization (what the pages
    filter by), so that a filtered page reads one small table, not the whole list."""
    before = (store.head("outdated") or {}).get("organizations") or []
    per_org = {}
    for row in rows:
        per_org.setdefault(row["organization"], []).append(row)
    for state in monitoring.OUTDATED:
        store.write(f"outdated:{state}", [r for r in rows if r["state"] == state], now)
    for org in set(before) | set(per_org):
        store.write(f"outdated-org:{org}", per_org.get(org, []), now)
    store.write("outdated", rows, now, {"organizations": sorted(per_org, key=str)})
