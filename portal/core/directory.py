"""Directory lookup: resolve an item code or an item name in any language to the code."""

from collections.abc import Mapping

from .cells import cell_text, shown
from .langs import LANG_KEYS
from .text import caption_key


class Directory:
    """A code list such as 'regions', built from {"code": ..., "items": [{"code", "name"}]}."""

    def __init__(self, code, items=None):
        if isinstance(code, Mapping):
            code, items = code.get("code"), code.get("items")
        self.code = code
        self.items = list(items or [])
        self._names = {}
        self._exact = {}
        self._keys = {}
        for item in self.items:
            names = item.get("name") or {}
            self._names[str(item["code"])] = (
                names if isinstance(names, Mapping) else {"uzbText": str(names)}
            )
        for item_code in self._names:
            self._keys.setdefault(caption_key(item_code), set()).add(item_code)
        for item_code, names in self._names.items():
            for lang in LANG_KEYS:
                name = (names.get(lang) or "").strip()
                if name:
                    self._exact.setdefault(name, set()).add(item_code)
                    self._keys.setdefault(caption_key(name), set()).add(item_code)

    @classmethod
    def from_items(cls, code, items):
        """Build a directory from its code and a list of items."""
        return cls(code, items)

    def __contains__(self, code):
        return code in self._names

    def __len__(self):
        return len(self._names)

    def codes(self):
        """Return the item codes in directory order."""
        return list(self._names)

    def name(self, code, lang="uzbText"):
        """Return an item's name in a language (falling back to Uzbek Latin), or None."""
        names = self._names.get(code)
        if names is None:
            return None
        return names.get(lang) or names.get("uzbText") or code

    def lookup(self, raw):
        """Return (code, problem) for a code or a name in any language."""
        text = cell_text(raw)
        if text in self._names:
            return text, None
        for candidates in (self._exact.get(text), self._keys.get(caption_key(text))):
            if candidates:
                if len(candidates) == 1:
                    return next(iter(candidates)), None
                codes = " and ".join(sorted(candidates))
                named = shown(text)
                return None, f"ambiguous name in directory '{self.code}': {named} matches {codes}"
        return None, f"unknown code or name in directory '{self.code}': {shown(text)}"

    def resolve(self, raw):
        """Return the code for a code or name, or None when it is unknown or ambiguous."""
        return self.lookup(raw)[0]


def build_directories(data):
    """Build {code: Directory} from {code: items} or from a list of {"code", "items"} dicts."""
    if isinstance(data, Mapping):
        return {code: Directory(code, items) for code, items in data.items()}
    return {d["code"]: Directory(d) for d in data}
