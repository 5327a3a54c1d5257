"""The public catalog as data.egov.uz clients list it: ranked ids, then documents by batches.

A client may ask for the whole catalogue in one call (10,000 items), so the page is ranked as
ids only (services.discovery.search) and the list views are handed on a batch at a time from the
process's copy of them (db.list_view), never the whole page at once.
"""

import logging
import threading

from portal.db import list_view
from portal.db.models import Organization, Sector
from portal.db.search_records import is_public
from portal.services import reference
from portal.services.discovery import search

BATCH = 500
log = logging.getLogger("portal.lists")
GEOMETRY_TYPES = ("location", "polygon")


def find(text="", *, organization=None, sector=None, sort=None, skip=0, limit=10):
    """(ids of the page, total) of public datasets; `organization` is a code, numeric portal id
    or id, `sector` a code, data.egov.uz guid or id: one that names nothing finds nothing."""
    filters = {}
    for key, ref, resolve in (
        ("organization", organization, reference.organization_code),
        ("sector", sector, reference.sector_code),
    ):
        if ref is not None:
            code = resolve(ref)
            if code is None:
                return [], 0
            filters[key] = [code]
    return search.ranked_ids(text, filters=filters, sort=sort, skip=skip, limit=limit)


def warm():
    """Load the process's search records and list views (a whole-catalogue read each), so that
    the first list after a start does not wait for them."""
    search.ranked_ids(limit=0)
    list_view.current()


def warm_in_background():
    """warm() in a daemon thread; the lists wait for it rather than loading twice."""

    def run():
        try:
            warm()
        except Exception:  # the first list loads them instead
            log.exception("warming the list views failed")

    thread = threading.Thread(target=run, name="warm-lists", daemon=True)
    thread.start()
    return thread


def documents(ids, batch=BATCH):
    """Yield the list views (plain dicts, see db.list_view) of `ids`, in that order, a batch
    at a time; one that stopped being public since it was ranked is left out."""
    views = list_view.current()
    for start in range(0, len(ids), batch):
        for doc in views.get(ids[start : start + batch]):
            if is_public(doc):
                yield doc


def view_of(dataset):
    """The list view of one Dataset document."""
    return list_view.view(dataset.to_mongo().to_dict())


def organizations():
    """{code: Organization} of every organization (a few hundred)."""
    return {o.code: o for o in Organization.objects.only("code", "name", "portal_id")}


def sectors():
    """{code: Sector} of every sector."""
    return {s.code: s for s in Sector.objects.only("code", "name", "guid")}


def geometry(doc):
    """The geometry types its visible fields carry: ["location"], ["location", "polygon"], []"""
    return [k for k in GEOMETRY_TYPES if k in doc["kinds"]]


# What other parts of the portal measure, read through one function each so that the list
# shows their figure as soon as they keep one; until then, the neutral value.


def rating(doc):
    """The average of its ratings (1-5), 0 while unrated."""
    count = doc.get("rating_count") or 0
    return (doc.get("rating_sum") or 0) / count if count else 0
