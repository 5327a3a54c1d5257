"""Precomputed tables, stored in chunks so that a page reads the head and one or two chunks."""

from bson import ObjectId

from portal.db.connection import get_db
from portal.db.models import utcnow

TABLES = "stat_tables"
CHUNK = 100


def write(name, rows, now=None, extra=None):
    """Replace table `name` with `rows` (a list of plain dicts), chunk by chunk, head last."""
    col = get_db()[TABLES]
    old = col.find_one({"_id": name}, {"chunks": 1}) or {}
    chunks = [rows[i : i + CHUNK] for i in range(0, len(rows), CHUNK)]
    docs = [{"_id": f"{name}:{i}", "rows": chunk} for i, chunk in enumerate(chunks)]
    if docs:
        col.delete_many({"_id": {"$in": [d["_id"] for d in docs]}})
        col.insert_many(docs)
    stale = [f"{name}:{i}" for i in range(len(chunks), old.get("chunks", 0))]
    if stale:
        col.delete_many({"_id": {"$in": stale}})
    # `build`: this computation's own mark (two built at the same `now` differ)
    head = {"total": len(rows), "chunks": len(chunks), "at": now or utcnow(),
            "build": ObjectId(), **(extra or {})}  # fmt: skip
    col.update_one({"_id": name}, {"$set": head}, upsert=True)


def head(name):
    """The head of a table (`{total, chunks, at, ...}`) or None before its first computation."""
    return get_db()[TABLES].find_one({"_id": name})


def build(name):
    """The mark of the last computation of table `name` (its `at` before marks were kept),
    without its rows or extras: a cheap look at whether it changed."""
    doc = get_db()[TABLES].find_one({"_id": name}, {"build": 1, "at": 1})
    return doc and (doc.get("build") or doc.get("at"))


def rows(name, skip, limit, total):
    """Rows skip..skip+limit of a table whose head says `total`."""
    end = min(skip + limit, total)
    if skip >= end:
        return []
    first, last = skip // CHUNK, (end - 1) // CHUNK
    ids = [f"{name}:{i}" for i in range(first, last + 1)]
    found = {d["_id"]: d["rows"] for d in get_db()[TABLES].find({"_id": {"$in": ids}})}
    joined = [row for key in ids for row in found.get(key, [])]
    start = skip - first * CHUNK
    return joined[start : start + (end - skip)]


def all_rows(name):
    """Every row of a table (for CSV and for small tables)."""
    top = head(name)
    return rows(name, 0, top["total"], top["total"]) if top else []
