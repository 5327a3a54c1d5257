"""Checks on the plain text people write, the same for every script (no language guessing).

Links are counted by looking at each word for a scheme, a `www.` start or a known top-level
domain, without regular expressions over the whole text.
"""

from datetime import timedelta

from portal.core.errors import InvalidData
from portal.db.models import utcnow

# Top-level domains a link in an Uzbek, Russian or English message is likely to use.
_TLD_LIST = (
    "uz ru com net org info io me su biz xyz top site online club kz kg tj tm ua by de us co "
    "рф уз app dev link ly cc tk ml ga gq cf tv"
)
TLDS = frozenset(_TLD_LIST.split())
_EDGE = "()[]{}<>\"'«»„“”‘’.,;:!?"


def clean(value, field, limit):
    """The text stripped; empty, whitespace-only or over-long text is refused naming `field`."""
    text = (value or "").strip() if isinstance(value, str) else None
    if text is None:
        raise InvalidData("the text is not valid", {field: "must be text"})
    if not text:
        raise InvalidData("the text is not valid", {field: "must not be empty or only spaces"})
    if len(text) > limit:
        raise InvalidData(
            "the text is not valid", {field: f"at most {limit} characters ({len(text)} sent)"}
        )
    if "\x00" in text:
        raise InvalidData("the text is not valid", {field: "must not contain NUL characters"})
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidData(
            "the text is not valid", {field: "is not valid Unicode (a lone surrogate)"}
        ) from None
    return text


def _is_link(word):
    word = word.strip(_EDGE).lower()
    if not word:
        return False
    if "://" in word or word.startswith("www."):
        return True
    host = word.split("/", 1)[0].split("?", 1)[0]
    if "@" in host or "." not in host:
        return False
    labels = host.split(".")
    return all(labels) and labels[-1] in TLDS and len(labels[0]) > 0


def count_links(text):
    """How many words of the text are links."""
    return sum(1 for word in text.split() if _is_link(word))


def screen(user, text, field, *, max_links, new_account_hours, exempt=False):
    """The hold reason for a new message, or None; too many links are refused.

    Accounts younger than `new_account_hours` that post any link are held for review;
    `exempt` (operators, the dataset's own organization) skips the hold.
    """
    links = count_links(text)
    if links > max_links:
        raise InvalidData(
            "the text has too many links",
            {field: f"at most {max_links} links in one message ({links} sent)"},
        )
    if links and not exempt and user is not None:
        created = user.created_at or utcnow()
        if utcnow() - created < timedelta(hours=new_account_hours):
            return "links from a new account"
    return None
