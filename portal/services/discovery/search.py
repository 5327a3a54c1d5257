"""Search and list the public catalog: folded terms, ranked here, every query logged.

Each dataset keeps folded terms tagged by where they came from (see search_index). A query is
folded the same way, so Latin finds Cyrillic, case and apostrophe variants do not matter. Every
query word must match some term of a dataset, exactly or as a prefix (Uzbek words take long
suffixes: `kutubxona` should find `kutubxonalari`); a query shaped like a code also finds that
code. Matching, ranking, totals and facets run over the process's copy of the datasets'
search records (portal.db.search_cache, brought up to date before each search with two indexed
reads); the server is asked only for the page's documents, which are checked against the
records they were ranked by.
"""

import re
from collections import Counter
from itertools import islice

from portal.core.langs import LANG_KEYS
from portal.core.text import fold, search_terms
from portal.db import search_cache, search_log, search_records
from portal.services.discovery.search_facets import (
    ai_slots,
    facets_of,
    offering,
)
from portal.services.statistics import counting

PUBLIC = {"active": True, "current_version": {"$gt": 0}, "status": {"$ne": "rejected"}}
PARTS = ("t", "k", "d")  # title/code, keyword/organization, description
WEIGHTS = {"t": 100.0, "k": 10.0, "d": 1.0}
PREFIX_FACTOR = 0.6  # a whole word beats a word that only starts with the query word
CODE_SCORE = 10000.0
MIN_PREFIX = 2  # shorter query words match whole terms only
ROUNDS = 3  # rankings redone when the page's documents disagree with their records
BIG_BUCKET = 500  # equal scores past this many are paged by walking the popularity order
_CODE = re.compile(r"^\d{1,3}-\d{3}-\d{1,6}$")

# Each sort is an ascending key of a dataset's record (see search_cache.Record), ties by code,
# and how many of its leading parts come before relevance: within a run of equal leading
# parts a higher score comes first. The keys are kept per dataset and the orders kept sorted.
ORDERS = {
    "recent": lambda r: (-r.seconds, -r.downloads, -r.views, r.code),
    "downloads": lambda r: (-r.downloads, -r.views, r.code),
    "rating": lambda r: (-r.rating, -r.rating_count, -r.downloads, -r.views, r.code),
    "relevance": lambda r: (-r.downloads, -r.views, -r.seconds, r.code),
    "views": lambda r: (-r.views, -r.downloads, r.code),
}
LEADING = {"recent": 1, "downloads": 2, "rating": 2, "relevance": 0, "views": 2}


def search(q="", *, filters=None, sort=None, skip=0, limit=20, facets=True):
    """Matching public datasets, ranked: `{"items": [Listed...], "total", "facets"}`."""
    q = (q or "").strip()
    filters = {k: {v for v in vals if v} for k, vals in (filters or {}).items()}
    filters = {k: v for k, v in filters.items() if v}
    sort = sort or ("relevance" if q else "recent")
    words = search_terms(q) if q else []
    code = q if _CODE.match(q) else ""
    with search_cache.fresh(ORDERS) as snap:
        for _ in range(ROUNDS):
            found, scores = _found(snap, q, words, code, filters)
            page = _page(snap, found, scores, sort, skip, limit)
            docs = search_cache.fetch(snap.db, [snap.ids[i] for i in page])
            if not snap.reconcile(page, docs):
                break
        ids = [snap.ids[i] for i in page]
        total = len(found)
        counted = facets_of(snap, found, q or filters) if facets else None
    if q and not skip:  # a query counts once, not once per page
        log_query(q, total)
    items = [Listed(docs[i]) for i in ids if i in docs and search_records.is_public(docs[i])]
    return {"items": items, "total": total, "facets": counted}


def ranked_ids(q="", *, filters=None, sort=None, skip=0, limit=20):
    """(ids of one page of matching public datasets, best first; the total), reading no
    documents: a caller listing thousands reads them a batch at a time."""
    q = (q or "").strip()
    filters = {k: {v for v in vals if v} for k, vals in (filters or {}).items()}
    filters = {k: v for k, v in filters.items() if v}
    sort = sort or ("relevance" if q else "recent")
    words = search_terms(q) if q else []
    code = q if _CODE.match(q) else ""
    with search_cache.fresh(ORDERS) as snap:
        found, scores = _found(snap, q, words, code, filters)
        ids = [snap.ids[i] for i in _page(snap, found, scores, sort, skip, limit)]
    if q:
        log_query(q, len(found))
    return ids, len(found)


def ranked_records(*, sort="recent", skip=0, limit=20):
    """([(id, search record)] of one page of every public dataset, best first; the total),
    reading no documents: for lists that show no more than the records hold."""
    with search_cache.fresh(ORDERS) as snap:
        page = _page(snap, snap.public, None, sort, skip, limit)
        return [(snap.ids[i], snap.records[i]) for i in page], len(snap.public)


class Listed:
    """A dataset as lists show it, read from its list-view document (search_cache.LIST_VIEW):
    the attributes of a Dataset that lists use, with the same defaults. Making mongoengine
    Documents of a page took longer than the rest of a search."""

    __slots__ = ("_doc",)
    _DEFAULTS = {
        "organization": None, "sector": None, "update_frequency": "irregular",
        "current_version": 0, "views": 0, "downloads": 0, "rating_sum": 0, "rating_count": 0,
        "updated_at": None, "data_updated_at": None, "status": "draft", "active": True,
    }  # fmt: skip

    def __init__(self, doc):
        self._doc = doc

    def __getattr__(self, name):
        if name not in Listed._DEFAULTS:
            raise AttributeError(name)
        return self._doc.get(name, Listed._DEFAULTS[name])

    id = property(lambda self: self._doc["_id"])
    code = property(lambda self: self._doc["code"])
    keywords = property(lambda self: list(self._doc.get("keywords") or ()))
    title = property(lambda self: Text(self._doc.get("title") or {}))

    @property
    def description(self):
        value = self._doc.get("description")
        return None if value is None else Text(value)

    @property
    def rows(self):
        """Rows of the latest version."""
        versions = self._doc.get("versions") or ()
        return versions[-1].get("rows", 0) if versions else 0


class Text(dict):
    """A multilingual value as stored, with Multilingual's `to_dict`."""

    def to_dict(self):
        return {key: self.get(key) or "" for key in LANG_KEYS}


# ---------------------------------------------------------------- matching


def _levels(snap, word):
    """(weight, slots) from the best to the weakest way a dataset can match one query word."""
    out = []
    for part in PARTS:
        term = f"{part}:{word}"
        out.append((WEIGHTS[part], snap.holding(term)))
        if len(word) >= MIN_PREFIX:
            prefixed = snap.memo(("prefix", term), lambda t=term: snap.with_prefix(t))
            out.append((WEIGHTS[part] * PREFIX_FACTOR, prefixed))
    return out


def _found(snap, q, words, code, filters):
    """(slots of the public datasets matching, their scores or None without a query)."""
    if not q:
        found = snap.public
    else:
        levels = [_levels(snap, w) for w in words]
        found = set()
        if levels:
            found = set(snap.public)
            for word_levels in levels:
                found &= set().union(*(slots for _, slots in word_levels))
        at = snap.by_code.get(code) if code else None
        if at is not None and at in snap.public:
            found.add(at)
    for name, values in filters.items():
        if name == "format":
            found = found & offering(snap, values)
        elif name == "ai":
            found = found & ai_slots(snap)
        else:
            found = found & snap.with_values(name, values)
    if not q:
        return found, None
    return found, _scores(found, levels, at)


def _scores(found, levels, code_slot):
    """Relevance: per query word, the weight of the best way the dataset matches it."""
    scores = dict.fromkeys(found, 0.0)
    if code_slot in scores:
        scores[code_slot] = CODE_SCORE
    for word_levels in levels:
        rest = set(found)
        for weight, slots in word_levels:
            hit = rest.intersection(slots)
            for slot in hit:
                scores[slot] += weight
            rest -= hit
    return scores


# ---------------------------------------------------------------- ordering and paging


def _page(snap, found, scores, sort, skip, limit):
    """The slots of one page of `found`, best first."""
    need = skip + limit
    if sort == "relevance" and scores is not None:
        return _by_relevance(snap, found, scores, need)[skip:need]
    order = snap.order(sort)
    if found is snap.public:
        return order[skip:need]
    walk = filter(found.__contains__, order)
    picked = list(islice(walk, need))
    if scores is not None and picked:
        # finish the run of equal leading parts, then let relevance order each run
        keys, lead = snap.key_of[sort], LEADING[sort]
        last = keys[picked[-1]][:lead]
        for slot in walk:
            if keys[slot][:lead] != last:
                break
            picked.append(slot)
        picked.sort(key=lambda i: (keys[i][:lead], -scores[i]))
    return picked[skip:need]


def _by_relevance(snap, found, scores, need):
    """The best `need` slots by score, then popularity."""
    buckets = {}
    for slot in found:
        buckets.setdefault(scores[slot], []).append(slot)
    keys = snap.key_of["relevance"]
    picked = []
    for score in sorted(buckets, reverse=True):
        bucket = buckets[score]
        if len(bucket) > BIG_BUCKET and len(bucket) > 4 * (need - len(picked)):
            # the head of a big bucket, walking the popularity order
            members = set(bucket)
            picked += islice(filter(members.__contains__, snap.order("relevance")), need)
        else:
            picked += sorted(bucket, key=keys.__getitem__)
        if len(picked) >= need:
            break
    return picked


# ---------------------------------------------------------------- the query log


def log_query(q, results):
    """Keep the folded query and its result count, for popular-search statistics."""
    folded = fold(q)[:200]
    if folded:
        search_log.record(folded, results)
        counting.search(q, results)


def popular(limit=20, since=None):
    """The most frequent folded queries: `[{"q", "count", "results"}]` (results: the last)."""
    return search_log.popular(limit, since)


def summary(dataset, lang=None):
    """The list view of a dataset (a Listed)."""

    def text(value):
        if value is None:
            return None
        d = value.to_dict()
        return d[lang] if lang else d

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
        "rows": dataset.rows,
        "views": dataset.views,
        "downloads": dataset.downloads,
        "rating": round(dataset.rating_sum / dataset.rating_count, 2)
        if dataset.rating_count
        else None,
        "updated_at": dataset.data_updated_at or dataset.updated_at,
    }


def dataset_counts(field, public_only=True, total=None):
    """Datasets per organization or sector (`field`), counted from the search records; with
    `total="downloads"` (or "views") their downloads added up instead."""
    if field not in ("organization", "sector") or total not in (None, "downloads", "views"):
        raise ValueError(f"datasets are counted by organization or sector, not {field!r}")
    with search_cache.fresh(ORDERS) as snap:
        column = snap.columns[field]
        slots = snap.public if public_only else snap.slots.values()
        slots = [slot for slot in slots if snap.records[slot].code]
        if total is None:
            return Counter(column[slot] for slot in slots)
        sums = Counter()
        for slot in slots:
            sums[column[slot]] += snap.columns[total][slot]
        return sums


def warm():
    """Load this process's search records now (a worker's start), not on its first search."""
    with search_cache.fresh(ORDERS):
        pass
