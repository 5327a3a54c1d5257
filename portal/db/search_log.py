"""The search log: each query, folded, with its result count (kept SEARCH_LOG_DAYS, see
retention), for the popular-search statistics."""

from portal.db.connection import get_db
from portal.db.models import utcnow


def record(folded, results):
    get_db()["search_log"].insert_one({"q": folded, "results": results, "at": utcnow()})


def popular(limit=20, since=None):
    """The most frequent queries since `since`: `[{"q", "count", "results"}]` (results: the
    last count seen)."""
    match = {"at": {"$gte": since}} if since else {}
    pipeline = [
        {"$match": match},
        {"$sort": {"at": 1}},
        {"$group": {"_id": "$q", "count": {"$sum": 1}, "results": {"$last": "$results"}}},
        {"$sort": {"count": -1, "_id": 1}},
        {"$limit": limit},
    ]
    docs = get_db()["search_log"].aggregate(pipeline)
    return [{"q": d["_id"], "count": d["count"], "results": d["results"]} for d in docs]
