"""The table of rejected datasets with their reasons, stored like the other statistics tables.

Each review decision (a rejection, its clearing, a new version of a rejected dataset) puts the
dataset's row in or takes it out at once; the periodic refresh and the daily run rebuild the
whole table from the datasets, which also corrects a row two decisions written at the same
moment would have lost, and follows a title changed since.
"""

from portal.db.models import utcnow
from portal.db.statistics import states
from portal.db.statistics import tables as store

NAME = "rejected"


def row(doc):
    """The table's row of a rejected dataset document."""
    rejection = doc.get("rejection") or {}
    return {"id": str(doc["_id"]), "code": doc["code"], "title": doc.get("title") or {},
            "organization": doc.get("organization"), "sector": doc.get("sector"),
            "reasons": list(rejection.get("reasons") or ()),
            "rejected_at": rejection.get("at")}  # fmt: skip


def _ordered(rows):
    """Oldest rejection first, those without a date last."""
    return sorted(rows, key=lambda r: (r["rejected_at"] is None, r["rejected_at"] or 0, r["code"]))


def rebuild(now=None):
    """The whole table from the rejected datasets (an indexed equality)."""
    rows = [row(doc) for doc in states.rejected()]
    store.write(NAME, _ordered(rows), now or utcnow())


def decided(dataset_id, now=None):
    """A review decision about a dataset: its row follows the dataset's status at once."""
    if store.head(NAME) is None:
        rebuild(now)
        return
    key = str(dataset_id)
    rows = [r for r in store.all_rows(NAME) if r["id"] != key]
    doc = states.rejected_one(dataset_id)
    if doc is not None:
        rows.append(row(doc))
    store.write(NAME, _ordered(rows), now or utcnow())


def page(skip, limit):
    """`(total, rows)` of one page."""
    if store.head(NAME) is None:
        rebuild()
    total = store.head(NAME)["total"]
    return total, store.rows(NAME, skip, limit, total)
