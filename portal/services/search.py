"""Search and list the public catalog: folded terms, ranked in Python, every query logged.

Each dataset keeps folded terms tagged by where they came from (see search_index). A query is
folded the same way, so Latin finds Cyrillic, case and apostrophe variants do not matter. Every
query word must match some term of a dataset, exactly or as a prefix (Uzbek words take long
suffixes: `kutubxona` should find `kutubxonalari`). Candidates are fetched with their terms and
popularity only; ranking happens here, then the page's documents are loaded.
"""

import re
from datetime import datetime

from portal.core.text import fold, search_terms
from portal.db.connection import get_db
from portal.db.models import Dataset, utcnow

PUBLIC = {"active": True, "current_version": {"$gt": 0}, "status": {"$ne": "rejected"}}
PARTS = ("t", "k", "d")  # title/code, keyword/organization, description
WEIGHTS = {"t": 100.0, "k": 10.0, "d": 1.0}
PREFIX_FACTOR = 0.6  # a whole word beats a word that only starts with the query word
CODE_SCORE = 10000.0
MIN_PREFIX = 2  # shorter query words match whole terms only
FACET_LIMIT = 50
_CODE = re.compile(r"^\d{1,3}-\d{3}-\d{1,6}$")
_LIST_FIELDS = {
    "code": 1, "downloads": 1, "views": 1, "rating_sum": 1, "rating_count": 1,
    "data_updated_at": 1, "updated_at": 1, "organization": 1, "sector": 1, "keywords": 1,
    "update_frequency": 1, "active": 1, "current_version": 1, "status": 1,
}  # fmt: skip
_CANDIDATE_FIELDS = {**_LIST_FIELDS, "terms": 1}


def public_filter(organization=(), sector=(), keyword=(), update_frequency=()):
    """The query for public datasets with the facet filters applied (each a list of values)."""
    query = dict(PUBLIC)
    for key, values in (
        ("organization", organization),
        ("sector", sector),
        ("keywords", keyword),
        ("update_frequency", update_frequency),
    ):
        values = [v for v in values or () if v]
        if values:
            query[key] = {"$in": values}
    return query


def _word_clause(word):
    """A word matches a term of any part, whole or (long enough) as a prefix."""
    if len(word) < MIN_PREFIX:
        return {"terms": {"$in": [f"{p}:{word}" for p in PARTS]}}
    # anchored, case-sensitive prefixes use the terms index; terms are folded to lower case
    return {"$or": [{"terms": {"$regex": f"^{p}:{re.escape(word)}"}} for p in PARTS]}


def text_filter(q):
    """(query, words) for the text part of a search; query None when q has no words."""
    words = search_terms(q)
    code = q.strip()
    clauses = []
    if _CODE.match(code):
        clauses.append({"code": code})
    if words:
        each = [_word_clause(w) for w in words]
        clauses.append(each[0] if len(each) == 1 else {"$and": each})
    if not clauses:
        return None, words
    return (clauses[0] if len(clauses) == 1 else {"$or": clauses}), words


def score(doc, words, code=""):
    """Relevance of one candidate: per query word, the best part it matches."""
    total = CODE_SCORE if code and doc.get("code") == code else 0.0
    terms = doc.get("terms") or ()
    for word in words:
        best = 0.0
        for term in terms:
            part, _, text = term.partition(":")
            weight = WEIGHTS.get(part, 0.0)
            if weight <= best:
                continue
            if text == word:
                best = weight
            elif len(word) >= MIN_PREFIX and text.startswith(word):
                best = max(best, weight * PREFIX_FACTOR)
        total += best
    return total


def _rating(doc):
    count = doc.get("rating_count") or 0
    return (doc.get("rating_sum") or 0) / count if count else 0.0


def _updated(doc):
    return doc.get("data_updated_at") or doc.get("updated_at") or datetime.min


def _popularity(doc):
    return (doc.get("downloads") or 0, doc.get("views") or 0)


SORT_KEYS = {
    "recent": lambda d, s: (_updated(d), s, *_popularity(d)),
    "downloads": lambda d, s: (*_popularity(d), s),
    "rating": lambda d, s: (_rating(d), d.get("rating_count") or 0, s, *_popularity(d)),
    "relevance": lambda d, s: (s, *_popularity(d), _updated(d)),
}
FILTER_KEYS = {
    "organization": "organization",
    "sector": "sector",
    "keyword": "keywords",
    "update_frequency": "update_frequency",
}


def _is_public(doc):
    return (
        doc.get("active", True)
        and (doc.get("current_version") or 0) > 0
        and doc.get("status") != "rejected"
    )


def _passes(doc, filters):
    for name, values in filters.items():
        value = doc.get(FILTER_KEYS[name])
        have = set(value) if isinstance(value, list) else {value}
        if not have & values:
            return False
    return True


def candidates(q, filters):
    """(candidate documents, query words): public datasets matching the text and filters.

    A text query asks the server only for the terms (an index lookup); the public and facet
    conditions are checked here, since joining them in one query can lead a planner away
    from the terms index. Without text every public dataset is a candidate.
    """
    col = Dataset._get_collection()
    if not q:
        query = public_filter(**{k: sorted(v) for k, v in filters.items()})
        return list(col.find(query, _LIST_FIELDS)), []
    text, words = text_filter(q)
    if text is None:
        return [], words
    found = col.find(text, _CANDIDATE_FIELDS)
    return [d for d in found if _is_public(d) and _passes(d, filters)], words


def search(q="", *, filters=None, sort=None, skip=0, limit=20, facets=True):
    """Matching public datasets, ranked: `{"items": [Dataset...], "total", "facets"}`."""
    q = (q or "").strip()
    filters = {k: {v for v in vals if v} for k, vals in (filters or {}).items()}
    filters = {k: v for k, v in filters.items() if v}
    sort = sort or ("relevance" if q else "recent")
    found, words = candidates(q, filters)
    code = q if _CODE.match(q) else ""
    key = SORT_KEYS[sort]
    found.sort(key=lambda d: d.get("code") or "")  # a stable order for equal keys
    found.sort(key=lambda d: key(d, score(d, words, code)), reverse=True)
    ids = [d["_id"] for d in found[skip : skip + limit]]
    if q:
        log_query(q, len(found))
    by_id = {d.id: d for d in Dataset.objects(id__in=ids).exclude("terms")} if ids else {}
    return {
        "items": [by_id[i] for i in ids if i in by_id],
        "total": len(found),
        "facets": _count_facets(found) if facets else None,
    }


def _empty_facets():
    return {"organization": [], "sector": [], "keyword": [], "update_frequency": []}


def _ranked(counts):
    items = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return [{"code": k, "count": n} for k, n in items[:FACET_LIMIT] if k is not None]


def _count_facets(docs):
    """Facet counts over candidates already in memory."""
    counts = {name: {} for name in _empty_facets()}
    for doc in docs:
        for name, key in (
            ("organization", "organization"),
            ("sector", "sector"),
            ("update_frequency", "update_frequency"),
        ):
            value = doc.get(key)
            counts[name][value] = counts[name].get(value, 0) + 1
        for word in set(doc.get("keywords") or ()):
            counts["keyword"][word] = counts["keyword"].get(word, 0) + 1
    return {name: _ranked(c) for name, c in counts.items()}


def log_query(q, results):
    """Keep the folded query and its result count, for popular-search statistics."""
    folded = fold(q)[:200]
    if folded:
        get_db()["search_log"].insert_one({"q": folded, "results": results, "at": utcnow()})


def popular(limit=20, since=None):
    """The most frequent folded queries: `[{"q", "count", "results"}]` (results: the last)."""
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


def summary(dataset, lang=None):
    """The list view of a dataset."""

    def text(value):
        if value is None:
            return None
        d = value.to_dict()
        return d[lang] if lang else d

    latest = dataset.versions[-1] if dataset.versions else None
    return {
        "id": str(dataset.id),
        "code": dataset.code,
        "title": text(dataset.title),
        "description": text(dataset.description),
        "organization": dataset.organization,
        "sector": dataset.sector,
        "update_frequency": dataset.update_frequency,
        "keywords": list(dataset.keywords),
        "version": dataset.current_version,
        "rows": latest.rows if latest else 0,
        "views": dataset.views,
        "downloads": dataset.downloads,
        "rating": round(dataset.rating_sum / dataset.rating_count, 2)
        if dataset.rating_count
        else None,
        "updated_at": dataset.data_updated_at or dataset.updated_at,
    }
