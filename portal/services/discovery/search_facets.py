"""The facets of a search: counts per organization, sector, keyword, frequency, download
format and the AI section, over the datasets found (see search)."""

import weakref
from collections import Counter
from itertools import chain

from bson import ObjectId

from portal.db.statistics import tables as stat_tables

FACET_LIMIT = 50
FILTER_KEYS = {
    "organization": "organization",
    "sector": "sector",
    "keyword": "keywords",
    "update_frequency": "update_frequency",
}
# Facets of their own: the download formats offered (every public dataset offers each of them
# but GeoJSON, which needs a location or polygon field) and the AI section ("1": in it).
FORMATS = ("csv", "json", "xml", "xlsx", "rdf", "ttl", "jsonld", "nt", "geojson", "parquet")
GEOMETRY_FORMATS = ("geojson",)


def facets_of(snap, found, narrowed):
    """Facet counts over `found` (the whole public catalog's, memoized, when not narrowed)."""
    key, ai = _ai_section(snap)
    if not narrowed:
        return snap.memo(("facets", key), lambda: _count_facets(snap, snap.public, ai))
    return _count_facets(snap, found, ai)


def offering(snap, formats):
    """Slots of the datasets offering one of `formats` (unknown formats: none)."""
    formats = set(formats) & set(FORMATS)
    if formats - set(GEOMETRY_FORMATS):
        return snap.public
    if formats:
        return snap.with_values("geometry", (True,))
    return set()


_ai = [(None, None, frozenset())]  # (snapshot, key, slots) of the last AI section read


def ai_slots(snap):
    """Slots of the datasets in the AI section."""
    return _ai_section(snap)[1]


def _ai_section(snap):
    """(key, slots) of the AI section's stored table, read again when it changes."""
    head = stat_tables.head("ai")
    key = (head.get("at"), head["total"]) if head else None
    kept_snap, kept_key, slots = _ai[0]
    if kept_snap is None or kept_snap() is not snap or kept_key != key:
        ids = [r["id"] for r in stat_tables.rows("ai", 0, key[1], key[1])] if key else []
        slots = frozenset(snap.slots[i] for i in map(ObjectId, ids) if i in snap.slots)
        _ai[0] = (weakref.ref(snap), key, slots)  # not keeping a replaced snapshot alive
    return key, slots


def _count_facets(snap, found, ai):
    counts = {}
    geometry = len(found & snap.with_values("geometry", (True,)))
    counts["format"] = {f: n for f in FORMATS
                        if (n := geometry if f in GEOMETRY_FORMATS else len(found))}  # fmt: skip
    counts["ai"] = {"1": n} if (n := len(found & ai)) else {}
    for name, column in FILTER_KEYS.items():
        values = snap.facets[name]
        if len(values) * 4 < len(found):
            # few values, many datasets: intersect each value's set with the found ones
            counts[name] = {v: n for v, slots in values.items() if (n := len(found & slots))}
        elif name == "keyword":
            counts[name] = Counter(chain.from_iterable(map(snap.keywords.__getitem__, found)))
        else:
            counts[name] = Counter(map(getattr(snap, column).__getitem__, found))
    return {name: _ranked(c) for name, c in counts.items()}


def _ranked(counts):
    items = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return [{"code": k, "count": n} for k, n in items[:FACET_LIMIT] if k is not None]
