"""Bring datasets written by earlier builds to the bounded shape, once, at start-up.

Earlier builds kept every version record on the dataset document, each with a copy of the
fields. Every record goes to the version history (fields into a snapshot stored once per
structure) and the document keeps the latest `versions.WINDOW` records. Nothing is lost: the
history is written first, the window replaced after, and a second run changes nothing.
"""

import logging

from portal.db.models import Dataset
from portal.db.publishing import history

log = logging.getLogger("portal.startup")


def _col():
    return Dataset._get_collection()


def run(window):
    """Migrate every dataset still in the old shape; returns how many were changed."""
    changed = 0
    ids = [doc["_id"] for doc in _col().find({"versions.0": {"$exists": True}}, {"_id": 1})]
    for dataset_id in ids:
        changed += migrate_dataset(dataset_id, window)
    if changed:
        log.info("version records moved to the history", extra={"fields": {"datasets": changed}})
    return changed


def _old_shape(records, window):
    return len(records) > window or any("fields" in r or "structure" not in r for r in records)


def migrate_dataset(dataset_id, window):
    """Move one dataset's records; 1 when it changed, 0 when it was in the new shape."""
    for _ in range(5):
        doc = _col().find_one({"_id": dataset_id}, {"versions": 1, "current_version": 1})
        records = (doc or {}).get("versions") or []
        if not _old_shape(records, window):
            return 0
        kept = []
        for record in records:
            record = dict(record)
            if "structure" not in record:
                fields = record.pop("fields", None) or []
                record["structure"] = history.store_snapshot(dataset_id, fields)
            record.pop("fields", None)
            history.save_record(dataset_id, record)
            kept.append(record)
        result = _col().update_one(
            {"_id": dataset_id, "current_version": doc.get("current_version", 0)},
            {"$set": {"versions": kept[-window:]}},
        )
        if result.modified_count == 1:
            return 1
    log.warning("dataset changed during migration", extra={"fields": {"id": str(dataset_id)}})
    return 0
