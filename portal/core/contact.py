"""Passport values: phone, e-mail, keywords and links; each check returns (value, problem)."""

import re
from urllib.parse import urlsplit

_PHONE_NOISE = re.compile(r"[\s\-().\u00a0/]")
_PHONE_FORM = "+998 XX XXX-XX-XX"
# No repeat of a repeat (they backtrack): dots are checked by lookahead, labels one at a time.
_ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]"
_LOCAL = re.compile(rf"{_ATEXT}(?:{_ATEXT}|\.(?={_ATEXT}))*")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_TOP_LABEL = re.compile(r"[A-Za-z]{2,63}")
_LAST_HOST_LABEL = re.compile(r"[A-Za-z0-9-]{1,63}")


def _labels_ok(labels, last):
    return (
        len(labels) >= 1
        and all(_LABEL.fullmatch(label) for label in labels[:-1])
        and last.fullmatch(labels[-1]) is not None
    )


_KEYWORD_MAX = 100


def _blank(required, what):
    return None, (f"{what} is required" if required else None)


def normalize_phone(s, required=False):
    """Return an Uzbek phone number as +998XXXXXXXXX, or a problem naming the value."""
    if s is None or not str(s).strip():
        return _blank(required, "a phone number")
    text = str(s).strip()
    digits = _PHONE_NOISE.sub("", text)
    if digits.startswith("+"):
        digits = digits[1:]
        if not digits.startswith("998"):
            return None, f"not an Uzbek phone number ({_PHONE_FORM}): {text!r}"
    elif digits.startswith("00998"):
        digits = digits[2:]
    if not digits.isascii() or not digits.isdigit():
        return None, f"not a phone number ({_PHONE_FORM}): {text!r}"
    if len(digits) == 12 and digits.startswith("998"):
        national = digits[3:]
    elif len(digits) == 10 and digits.startswith("8"):
        national = digits[1:]  # the old domestic prefix: 8 71 203 80 29
    elif len(digits) == 9:
        national = digits
    else:
        return None, f"not a phone number ({_PHONE_FORM}): {text!r}"
    if national[0] == "0":
        return None, f"not a phone number ({_PHONE_FORM}): {text!r}"
    return "+998" + national, None


def format_phone(value):
    """Return +998712038029 as '+998 71 203-80-29' for display."""
    if not value or len(value) != 13:
        return value or ""
    n = value[4:]
    return f"+998 {n[:2]} {n[2:5]}-{n[5:7]}-{n[7:]}"


def normalize_email(s, required=False):
    """Return an e-mail address with its domain lower-cased, or a problem naming the value."""
    if s is None or not str(s).strip():
        return _blank(required, "an e-mail address")
    text = str(s).strip()
    local, at, domain = text.rpartition("@")
    labels = domain.split(".")
    if (
        not at
        or len(text) > 254
        or len(local) > 64
        or not _LOCAL.fullmatch(local)
        or len(labels) < 2
        or not _labels_ok(labels, _TOP_LABEL)
    ):
        return None, f"not an e-mail address: {text[:254]!r}"
    return f"{local}@{domain.lower()}", None


def parse_keywords(v):
    """Return keywords from a list or a comma-separated string: trimmed, unique, at least one."""
    if v is None:
        items = []
    elif isinstance(v, str):
        items = v.split(",")
    elif isinstance(v, (list, tuple)):
        items = v
    else:
        return None, "keywords must be a list or a comma-separated text"
    keywords, seen = [], set()
    for item in items:
        if not isinstance(item, str):
            return None, f"a keyword must be text: {item!r}"
        word = " ".join(item.split())
        if len(word) > _KEYWORD_MAX:
            return None, f"a keyword is longer than {_KEYWORD_MAX} characters: {word[:20]!r}..."
        if word and word.casefold() not in seen:
            seen.add(word.casefold())
            keywords.append(word)
    if not keywords:
        return None, "at least one keyword is required"
    return keywords, None


def check_link(s, required=False):
    """Return an http(s) URL with a host, or a problem naming the value."""
    if s is None or not str(s).strip():
        return _blank(required, "a link")
    text = str(s).strip()
    problem = f"not an http(s) link: {text!r}"
    if any(ch.isspace() for ch in text):
        return None, problem
    try:
        parts = urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError:
        return None, problem
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None, problem
    try:
        ascii_host = host.encode("idna").decode()
    except UnicodeError:
        return None, problem
    if len(ascii_host) > 253 or not _labels_ok(ascii_host.split("."), _LAST_HOST_LABEL):
        return None, problem
    return text, None
