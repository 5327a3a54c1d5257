"""How long the database keeps things: TTL indexes, and dataset indexes nothing reads any more."""

import contextlib
import logging

from pymongo.errors import OperationFailure

from portal.db.connection import get_db

log = logging.getLogger("portal.db")

DAY = 86400
# Found unused with explain (tests/test_retention.py): search and facets run on the
# in-process search records, not on these.
UNUSED_DATASET_INDEXES = ("sector_1", "terms_1", "keywords_1", "downloads_-1")


def _ttl(collection, field, seconds):
    """A TTL index on `field` named `<field>_ttl`, made again when its lifetime changed."""
    name = f"{field}_ttl"
    try:
        existing = collection.index_information().get(name)
        if existing and existing.get("expireAfterSeconds") == seconds:
            return
        if existing:
            collection.drop_index(name)
        collection.create_index(field, name=name, expireAfterSeconds=seconds)
    except OperationFailure as exc:  # another worker at start-up, or a clashing index
        log.warning(
            "TTL index not made",
            extra={"fields": {"collection": collection.name, "error": str(exc)[:200]}},
        )


def ensure(search_log_days, job_days):
    """Sessions go at their expiry, finished jobs and raw search log entries after N days."""
    db = get_db()
    _ttl(db["sessions"], "expires", 0)
    _ttl(db["jobs"], "finished_at", job_days * DAY)
    _ttl(db["search_log"], "at", search_log_days * DAY)
    datasets = db["datasets"]
    for name in set(UNUSED_DATASET_INDEXES) & set(datasets.index_information()):
        with contextlib.suppress(OperationFailure):  # dropped by another worker meanwhile
            datasets.drop_index(name)
