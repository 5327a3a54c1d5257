"""Search records: one small record per dataset, in memory, with what search combines.

Slots (list positions) stand for datasets; an inverted index maps each folded term to the
slots holding it; facet values, the public ones and the sort orders are kept as sets and
sorted lists of slots, changed in place as documents change. Nothing here reads the database
(search_cache does).
"""

import sys
import time
from array import array
from bisect import bisect_left, insort
from collections import namedtuple
from datetime import datetime, timedelta

MEMO_LIMIT = 500_000  # slots held by memoized sets (about 25 MB), then the memo starts over
FACETS = ("organization", "sector", "keyword", "update_frequency", "geometry")
GEOMETRY_TYPES = ("location", "polygon")  # fields that make a dataset offer GeoJSON
_EPOCH = datetime(1970, 1, 1)
_NONE = (datetime.min - _EPOCH).total_seconds()  # `seconds` of a dataset without a time
_LAST = "\U0010ffff"
_EMPTY = frozenset()

Record = namedtuple(
    "Record",
    "code public organization sector keywords update_frequency downloads views rating "
    "rating_count seconds geometry",
)


def is_public(doc):
    """Visible to the public: active, with data, not rejected."""
    return bool(
        doc.get("active", True)
        and (doc.get("current_version") or 0) > 0
        and doc.get("status") != "rejected"
    )


def record(doc):
    """What search reads of a dataset document, terms aside."""
    count = doc.get("rating_count") or 0
    updated = doc.get("data_updated_at") or doc.get("updated_at") or datetime.min
    return Record(
        doc.get("code") or "",
        is_public(doc),
        doc.get("organization"),
        doc.get("sector"),
        tuple(dict.fromkeys(doc.get("keywords") or ())),
        doc.get("update_frequency"),
        doc.get("downloads") or 0,
        doc.get("views") or 0,
        (doc.get("rating_sum") or 0) / count if count else 0.0,
        count,
        (updated - _EPOCH).total_seconds(),  # of the data's last update, else the passport's
        any(f.get("type") in GEOMETRY_TYPES and f.get("visible", True)
            for f in doc.get("fields") or ()),  # fmt: skip
    )


def updated_at(rec):
    """The time a record was ranked by (`seconds`) as a datetime; None when it had none."""
    if rec.seconds <= _NONE:
        return None
    return _EPOCH + timedelta(seconds=rec.seconds)


class Snapshot:
    """Records of every dataset, in slots (list positions), with the sets search combines.

    Columns are lists indexed by slot, so `map(column.__getitem__, slots)` runs at C speed.
    `public` and the facet sets hold slots; `postings` maps a term to an array of the slots
    holding it (a set of Python ints would take ten times the memory: 45 MB at 13,000).
    `orders` names ascending key functions of a Record; `order(name)` is the public slots
    sorted by it, kept sorted as records change. Whatever else was derived from the records
    (`memo`) is dropped on every change. Reading and writing the database is search_cache's.
    """

    def __init__(self, orders, db=None, generation=None):
        self.db, self.generation = db, generation  # where the records came from
        self.loaded_at = time.monotonic()
        self.mark = datetime.min  # documents written since are read again (search_cache)
        self.ids, self.records, self.terms = [], [], []
        self.columns = {name: [] for name in Record._fields}
        self.key_of = {name: [] for name in orders}
        self.orders, self._sorted = orders, {}
        self.slots, self.by_code = {}, {}
        self.public = set()
        self.facets = {name: {} for name in FACETS}
        self.postings = {}
        self.sorted_terms = []
        self._memo, self._memo_size = {}, 0
        self.loading = False  # sorted_terms is sorted once at the end

    def __getattr__(self, name):  # snap.downloads -> the downloads column
        try:
            return self.__dict__["columns"][name]
        except KeyError:
            raise AttributeError(name) from None

    # ------------------------------------------------------------ changes

    def reconcile(self, slots, docs):
        """Compare fresh documents (by id, without terms) with the records of `slots`.

        A missing document drops its record; a different one replaces it (its terms are
        kept). True when a record changed, so that what was ranked from it is stale."""
        changed = False
        for slot in slots:
            doc = docs.get(self.ids[slot])
            if doc is None:
                changed = self.apply({"_id": self.ids[slot]}) or changed
            else:
                changed = self.apply(doc, keep_terms=True) or changed
        return changed

    def apply(self, doc, keep_terms=False):
        """Store one document's record; False when it was already so."""
        new = record(doc)
        slot = self.slots.get(doc["_id"])
        if keep_terms and slot is not None:
            terms = self.terms[slot]
        else:
            # a million strings, mostly repeats
            terms = tuple(dict.fromkeys(map(sys.intern, doc.get("terms") or ())))
        if slot is None:
            slot = len(self.ids)
            self.slots[doc["_id"]] = slot
            self.ids.append(doc["_id"])
            self.records.append(None)
            self.terms.append(())
            for column in (*self.columns.values(), *self.key_of.values()):
                column.append(None)
        elif self.records[slot] == new and self.terms[slot] == terms:
            return False
        else:
            self._unindex(slot)
        self.records[slot] = new
        for name, value in zip(Record._fields, new, strict=True):
            self.columns[name][slot] = value
        for name, key in self.orders.items():
            self.key_of[name][slot] = key(new)
        self._index(slot, terms)
        self._memo.clear()
        self._memo_size = 0
        return True

    def _facet_values(self, slot):
        rec = self.records[slot]
        return {
            "organization": (rec.organization,),
            "sector": (rec.sector,),
            "keyword": rec.keywords,
            "update_frequency": (rec.update_frequency,),
            "geometry": (rec.geometry,),
        }

    def _index(self, slot, terms):
        rec = self.records[slot]
        if rec.code:
            self.by_code[rec.code] = slot
        if rec.public:
            self.public.add(slot)
            for name, order in self._sorted.items():
                insort(order, slot, key=self.key_of[name].__getitem__)
        for name, values in self._facet_values(slot).items():
            for value in values:
                self.facets[name].setdefault(value, set()).add(slot)
        postings, old = self.postings, self.terms[slot]
        added = terms
        if old:
            for term in set(old).difference(terms):  # terms the dataset no longer has
                postings[term].remove(slot)
            added = set(terms).difference(old)
        for term in added:
            holders = postings.get(term)
            if holders is None:
                holders = postings[term] = array("I")
                if not self.loading:
                    insort(self.sorted_terms, term)
            holders.append(slot)
        self.terms[slot] = terms

    def _unindex(self, slot):
        rec = self.records[slot]
        if self.by_code.get(rec.code) == slot:
            del self.by_code[rec.code]
        if slot in self.public:
            self.public.discard(slot)
            for name, order in list(self._sorted.items()):
                keys = self.key_of[name]
                at = bisect_left(order, keys[slot], key=keys.__getitem__)
                if at < len(order) and order[at] == slot:
                    del order[at]
                else:  # not where its key says: sorted again on next use
                    del self._sorted[name]
        for name, values in self._facet_values(slot).items():
            for value in values:
                self.facets[name].get(value, set()).discard(slot)

    # ------------------------------------------------------------ reading

    def order(self, name):
        """The public slots in the ascending order of the named key."""
        if name not in self._sorted:
            self._sorted[name] = sorted(self.public, key=self.key_of[name].__getitem__)
        return self._sorted[name]

    def with_prefix(self, prefix):
        """Slots holding a term that starts with `prefix` and is longer than it."""
        terms = self.sorted_terms
        start = bisect_left(terms, prefix)
        if start < len(terms) and terms[start] == prefix:
            start += 1
        end = bisect_left(terms, prefix + _LAST, start)
        return set().union(*(self.postings[t] for t in terms[start:end]))

    def holding(self, term):
        """Slots holding exactly `term` (an array)."""
        return self.postings.get(term, _EMPTY)

    def with_values(self, facet, values):
        """Slots whose facet has one of `values`."""
        sets = self.facets[facet]
        return set().union(*(sets.get(v, _EMPTY) for v in values))

    def memo(self, key, build):
        """`build()`, kept until the records change."""
        if key not in self._memo:
            value = build()
            size = len(value) if isinstance(value, set) else 1
            if self._memo_size + size > MEMO_LIMIT:
                self._memo.clear()
                self._memo_size = 0
            self._memo[key] = value
            self._memo_size += size
        return self._memo[key]
