"""Names of the codes that lists show: organizations and sectors, in four languages.

Every page shows some, so the process keeps them for a few seconds (TTL) instead of reading
them on each request; a renamed or new organization shows within that time.
"""

import time

from portal.core.langs import LANG_KEYS
from portal.db.models import Directory, Organization, Sector
from portal.services.discovery import search

TTL = 10.0
_cache = {}


def _kept(name, load):
    now = time.monotonic()
    hit = _cache.get(name)
    if hit and now - hit[0] < TTL:
        return hit[1]
    value = load()
    _cache[name] = (now, value)
    return value


def _names(model):
    docs = model.objects.only("code", "name").order_by("code").as_pymongo()
    return {
        d["code"]: {k: v for k, v in (d.get("name") or {}).items() if k != "_cls"} for d in docs
    }


def organizations():
    """{code: {4 languages}} of every organization, by code."""
    return _kept("organizations", lambda: _names(Organization))


def sectors():
    """{code: {4 languages}} of every sector, in code order."""
    return _kept("sectors", lambda: _names(Sector))


def _items(code):
    doc = Directory.objects(code=code).only("items").as_pymongo().first()
    return {
        i["code"]: {k: (i.get("name") or {}).get(k) or "" for k in LANG_KEYS}
        for i in (doc or {}).get("items") or ()
    }


def directory_items(codes):
    """{directory code: {item code: {4 languages}}} of the directories `codes` (kept like the
    names; a directory that does not exist has no items)."""
    return {code: _kept(("directory", code), lambda c=code: _items(c)) for code in codes}


def public_counts():
    """{organization code: number of its public datasets} (kept like the names)."""

    # from the search records (in memory, brought up to date per search): an aggregation
    # read the whole collection, seconds at 13,000 datasets on the embedded server
    return _kept("public_counts", lambda: dict(search.dataset_counts("organization")))


def forget():
    """Drop what is kept (a new database, a test)."""
    _cache.clear()
