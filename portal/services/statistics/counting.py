"""Counting downloads, views and searches: server-side, once per visitor per day, no raw IP.

A visitor is a keyed hash of the address, the user agent and the day, so the mark cannot be
turned back into an address and a visitor of yesterday is a stranger today. Known robots and
prefetches (the browser guessing a link will be followed) are not counted at all.
"""

import hashlib
import hmac
import re
from typing import NamedTuple

from portal.core.text import search_terms
from portal.db.models import utcnow
from portal.db.statistics import counters

# user agents of crawlers, link previewers, uptime checkers and headless browsers; scripts
# (curl, wget, python-requests) are people fetching data and are counted
_BOTS = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|mediapartners|facebookexternalhit|embedly|preview|"
    r"monitor|pingdom|uptime|headless|phantomjs|lighthouse|scrapy|feedfetcher|archiver",
    re.IGNORECASE,
)
_PREFETCH = ("prefetch", "prerender", "preview")


class Visit(NamedTuple):
    """Who asked, as the HTTP layer saw it."""

    address: str
    user_agent: str
    purpose: str = ""  # Purpose / Sec-Purpose / X-Purpose / X-Moz header, lower case


def is_robot(user_agent):
    """A known crawler or tool by its user agent (an empty one counts as a robot too)."""
    return not user_agent or bool(_BOTS.search(user_agent[:512]))


def is_prefetch(purpose):
    return any(word in (purpose or "").lower() for word in _PREFETCH)


def countable(visit):
    return not is_robot(visit.user_agent) and not is_prefetch(visit.purpose)


def visitor(secret, visit, day):
    """The day's keyed hash of a visitor: HMAC-SHA256 of address, user agent and day."""
    message = f"{visit.address}\n{visit.user_agent[:512]}\n{day}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def _day(now):
    return now.strftime("%Y-%m-%d")


def _portal_wide(what, now):
    """The portal's total and the month's, in one document (see tables.totals and monthly)."""
    counters.add({what: 1, f"months.{now.strftime('%Y-%m')}.{what}": 1})


def download(secret, visit, dataset, number, fmt, now=None):
    """Count a download of (dataset, version, format) once per visitor and day; True if counted."""
    now = now or utcnow()
    if not countable(visit):
        return False
    day = _day(now)
    key = f"d:{dataset.id}:{number}:{fmt}:{day}:{visitor(secret, visit, day)}"
    if not counters.first_sight(key, now):
        return False
    counters.dataset_download(dataset.id, number, fmt)
    _portal_wide("downloads", now)
    return True


def view(secret, visit, dataset, now=None):
    """Count a view of a passport once per visitor and day; True if counted."""
    now = now or utcnow()
    if not countable(visit):
        return False
    day = _day(now)
    if not counters.first_sight(f"v:{dataset.id}:{day}:{visitor(secret, visit, day)}", now):
        return False
    counters.dataset_view(dataset.id)
    _portal_wide("views", now)
    return True


def fold_query(q):
    """One spelling of a query: folded words (Latin and Cyrillic alike), in order, spaced."""
    return " ".join(search_terms(q or ""))[:200]


def search(q, results, now=None):
    """Count a search with the number of datasets it found."""
    folded = fold_query(q)
    if folded:
        counters.search(folded, results, now)


def by_version(dataset_id):
    """`{version: {format: downloads}}` of a dataset."""
    return {int(n): dict(f) for n, f in counters.by_version(dataset_id).items()}
