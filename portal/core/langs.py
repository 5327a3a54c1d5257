"""The four content languages and the ways clients name them."""

LANG_KEYS = ("uzbText", "uzbKrText", "rusText", "engText")

LANG_TAGS = {"uzbText": "uz", "uzbKrText": "uz-Cyrl", "rusText": "ru", "engText": "en"}

LANG_SHORT = {"uzbText": "uz", "uzbKrText": "oz", "rusText": "ru", "engText": "en"}

_ALIASES = {}
for _number, _key in enumerate(LANG_KEYS, start=1):
    _ALIASES[str(_number)] = _key
    _ALIASES[_key.lower()] = _key
    _ALIASES[LANG_SHORT[_key]] = _key
    _ALIASES[LANG_TAGS[_key].lower()] = _key
_ALIASES.update({"uz-latn": "uzbText", "uz_latn": "uzbText", "uz_cyrl": "uzbKrText"})


def parse_lang(value):
    """Return the language key named by a number, short code, tag or key; None when blank."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"unknown language: {value!r}")
    text = str(value).strip()
    if not text:
        return None
    key = _ALIASES.get(text.lower())
    if key is None:
        choices = ", ".join(LANG_KEYS)
        raise ValueError(f"unknown language: {value!r} (use 1-4, uz, oz, ru, en or {choices})")
    return key
