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
    docs = list(states.all_datasets())
    new = monitoring.compute(docs, now)
    moves = monitoring.store(new, now)
    per_org = monitoring.by_organization(new)
    monitoring.record(per_org, now)
    _monitoring_tables(new, per_org, now)
    state_of = {d["_id"]: d["state"] for d in new}
    scores = quality.compute(docs, state_of, config.get("BASE_URL", ""), now)
    stored = states.all_of(states.QUALITY)
    states.save_quality([s for s in scores if _changed(s, stored.get(s["_id"]))])
    by_id = {s["_id"]: s for s in scores}
    states.forget(states.QUALITY, set(stored) - set(by_id))
    ai.refresh(docs, state_of, by_id, now)
    tables.refresh(docs, now, new, by_id)
    counters.drop_old_marks(now)
    sent = reminders.send(now, config) if remind else {"authors": 0, "operators": 0, "emails": 0}
    summary = {
        "day": monitoring.day_of(now), "datasets": len(docs), "monitored": len(new),
        "changed": len(moves), **sent, "seconds": round(time.perf_counter() - started, 2),
    }  # fmt: skip
    log.info("monitoring run", extra={"fields": summary})
    return summary


def _changed(score, stored):
    if stored is None:
        return True
    return any(score[k] != stored.get(k) for k in ("score", "criteria", "updated_at"))


def refresh_tables(now=None):
    """The statistics tables only (between daily runs)."""
    tables.refresh(list(states.all_datasets()), now or utcnow())


def _monitoring_tables(new, per_org, now):
    late = [d for d in new if d["state"] in monitoring.OUTDATED]
    late.sort(key=lambda d: (d["due_at"], d["code"]))
    rows = [{"id": str(d["_id"]), "code": d["code"], "title": d["title"],
             "organization": d["organization"], "update_frequency": d["update_frequency"],
             "last_update": d["last_update"], "due_at": d["due_at"], "state": d["state"]}
            for d in late]  # fmt: skip
    store.write("outdated", rows, now)
    store.write("timeliness", monitoring.ranking(per_org), now)
