"""Passport values: phone, e-mail, keywords and links; each check returns (value, problem)."""

import re
from urllib.parse import urlsplit

_PHONE_NOISE = re.compile(r"[\s\-().\u00a0/]")
_PHONE_FORM = "+998 XX XXX-XX-XX"
_EMAIL = re.compile(
    r"(?P<local>[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63})"
)
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z0-9-]{1,63}")
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
    match = _EMAIL.fullmatch(text)
    if not match or len(text) > 254 or len(match["local"]) > 64:
        return None, f"not an e-mail address: {text!r}"
    return f"{match['local']}@{match['domain'].lower()}", None


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
    if not _HOST.fullmatch(ascii_host):
        return None, problem
    return text, None
