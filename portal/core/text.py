"""Uzbek transliteration and the folds used for search, caption matching and field names."""

import re
import unicodedata
from functools import lru_cache

APOSTROPHES = "'‘’`ʻʼ´"
_APOSTROPHE_FOLD = str.maketrans({c: "'" for c in APOSTROPHES})

_CYR_VOWELS = set("аеёиоуўэюяы")
_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ё": "yo", "ж": "j", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p",
    "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "x", "ц": "ts", "ч": "ch",
    "ш": "sh", "щ": "sh", "ъ": "ʼ", "ы": "i", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ў": "o'", "қ": "q", "ғ": "g'", "ҳ": "h",
}  # fmt: skip
_LAT_TO_CYR = {
    "a": "а", "b": "б", "c": "ц", "d": "д", "f": "ф", "g": "г", "h": "ҳ", "i": "и",
    "j": "ж", "k": "к", "l": "л", "m": "м", "n": "н", "o": "о", "p": "п", "q": "қ",
    "r": "р", "s": "с", "t": "т", "u": "у", "v": "в", "w": "в", "x": "х", "y": "й",
    "z": "з",
}  # fmt: skip
_LAT_Y_PAIRS = {"o": "ё", "u": "ю", "a": "я", "e": "е"}
_CYRILLIC = re.compile("[\u0400-\u04ff]")
_SPACES = re.compile(r"\s+")
# words joined by ' (a lookahead, not a repeat inside a repeat)
_TERM = re.compile(r"[^\W_](?:[^\W_]|'(?=[^\W_]))*")


def translit_cyr_to_lat(s):
    """Transliterate Uzbek Cyrillic to the Uzbek Latin alphabet (other characters kept)."""
    if not s or not _CYRILLIC.search(s):
        return s
    out = []
    n = len(s)
    for i, ch in enumerate(s):
        low = ch.lower()
        if low == "е":
            prev = s[i - 1].lower() if i else ""
            # е reads "ye" at a word start and after a vowel or a sign (ёзув, оила -> -ye-)
            piece = "ye" if (not prev.isalpha() or prev in _CYR_VOWELS or prev in "ъь") else "e"
        else:
            piece = _CYR_TO_LAT.get(low)
            if piece is None:
                out.append(ch)
                continue
            if low == "с" and i + 1 < n and s[i + 1].lower() == "ҳ":
                piece = "s'"  # keeps сҳ from reading back as ш (Исҳоқ -> Is'hoq)
        if ch != low and piece:
            nxt = s[i + 1] if i + 1 < n else ""
            prv = s[i - 1] if i else ""
            shout = nxt.isupper() or (prv.isupper() and not nxt.islower())
            piece = piece.upper() if (shout or len(piece) == 1) else piece[0].upper() + piece[1:]
        out.append(piece)
    return "".join(out)


def translit_lat_to_cyr(s):
    """Transliterate Uzbek Latin to the Uzbek Cyrillic alphabet (other characters kept)."""
    if not s:
        return s
    out = []
    n = len(s)
    i = 0
    while i < n:
        ch = s[i]
        low = ch.lower()
        nxt = s[i + 1].lower() if i + 1 < n else ""
        after = s[i + 2] if i + 2 < n else ""
        step = 1
        if low in "og" and nxt and nxt in APOSTROPHES:
            piece, step = ("ў" if low == "o" else "ғ"), 2
        elif low == "s" and nxt == "h":
            piece, step = "ш", 2
        elif low == "c" and nxt == "h":
            piece, step = "ч", 2
        elif (
            low == "y"
            and nxt in _LAT_Y_PAIRS
            and not (nxt == "o" and after and after in APOSTROPHES)
        ):
            piece, step = _LAT_Y_PAIRS[nxt], 2
        elif low == "e":
            prev = out[-1][-1].lower() if out and out[-1] else ""
            piece = "э" if (not prev.isalpha() or prev in _CYR_VOWELS) else "е"
        elif ch in APOSTROPHES:
            prev = s[i - 1].lower() if i else ""
            if prev == "s" and nxt == "h":
                piece = ""  # s'h keeps s and h apart (Is'hoq -> Исҳоқ)
            elif prev.isalpha() and nxt.isalpha():
                piece = "ъ"
            else:
                piece = ch
        else:
            piece = _LAT_TO_CYR.get(low)
            if piece is None:
                out.append(ch)
                i += 1
                continue
        if ch != low:
            piece = piece.upper()
        out.append(piece)
        i += step
    return "".join(out)


@lru_cache(maxsize=65536)
def fold(s):
    """Fold text for search and caption comparison: one case, one apostrophe, one script."""
    if s is None:
        return ""
    # apostrophes first: NFKC turns the acute accent into a space and a combining mark
    s = unicodedata.normalize("NFKC", str(s).translate(_APOSTROPHE_FOLD)).casefold()
    if _CYRILLIC.search(s):
        s = translit_cyr_to_lat(s).translate(_APOSTROPHE_FOLD)
    return _SPACES.sub(" ", s).strip()


def search_terms(s):
    """Split folded text into unique word terms, in order (o'zbekiston stays one term)."""
    seen = {}
    for term in _TERM.findall(fold(s)):
        seen.setdefault(term, None)
    return list(seen)


def term_prefixes(term, min_len=2):
    """Return the prefixes of a term from min_len characters up to the whole term."""
    return [term[:i] for i in range(min_len, len(term) + 1)]


@lru_cache(maxsize=65536)
def caption_key(s):
    """Fold a caption or JSON key and drop spaces and punctuation ('Ед,изм' == 'ед изм')."""
    return "".join(ch for ch in fold(s) if ch.isalnum())


@lru_cache(maxsize=65536)
def script_key(s):
    """Like caption_key but without transliteration, to tell Latin and Cyrillic captions apart."""
    if s is None:
        return ""
    s = unicodedata.normalize("NFKC", str(s)).casefold()
    return "".join(ch for ch in s if ch.isalnum())


_IDENTIFIER = re.compile(r"^[A-Za-z0-9_]{1,64}$")


def is_identifier(name):
    """Tell whether name is a valid field name: 1-64 ASCII letters, digits or underscores."""
    return isinstance(name, str) and bool(_IDENTIFIER.match(name))


def make_identifier(caption, taken=()):
    """Make a field name from a caption: ASCII letters and digits only, unique among taken."""
    latin = translit_cyr_to_lat(unicodedata.normalize("NFKC", str(caption or "")))
    # NFKD splits accented letters so that é keeps its e
    ascii_only = unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode()
    base = "".join(ch for ch in ascii_only if ch.isalnum())[:60] or "field"
    taken = set(taken)
    name, number = base, 1
    while name in taken:
        number += 1
        name = f"{base}_{number}"
    return name
