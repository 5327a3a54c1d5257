"""Map template headers and JSON keys to fields and languages.

A target is ``(field_name, lang)``: lang is a language key for a text field's column, None for
other fields (and, for JSON keys only, for a text field sent whole as a dict of languages).
A header cell or key is matched against each target's labels in three tiers, the first tier with
a match winning: the exact text, then ``script_key`` (case, spaces and punctuation ignored), then
``caption_key`` (also Latin/Cyrillic). The tiers keep 'O`lchov birligi' (Latin) and
'Ўлчов бирлиги' (Cyrillic) apart although they fold to the same caption_key.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from .cells import cell_text
from .langs import LANG_KEYS, LANG_SHORT
from .text import caption_key, script_key

HEADER_PROBLEM = "header does not match the structure"


def field_get(field, key, default=None):
    """Read a field attribute from a dict or an object."""
    if isinstance(field, Mapping):
        return field.get(key, default)
    return getattr(field, key, default)


def ordered_fields(fields):
    """Return the fields sorted by their 'order'; list order breaks ties and fills gaps."""
    indexed = list(enumerate(fields))
    indexed.sort(key=lambda pair: (_order(pair[1]), pair[0]))
    return [field for _, field in indexed]


def _order(field):
    order = field_get(field, "order")
    return order if isinstance(order, (int, float)) and not isinstance(order, bool) else 1e9


def field_captions(field):
    """Return a field's captions as {lang key: str} (dict, embedded document or plain text)."""
    caption = field_get(field, "caption") or {}
    if isinstance(caption, str):
        return {"uzbText": caption}
    if not isinstance(caption, Mapping):
        caption = caption.to_dict() if hasattr(caption, "to_dict") else vars(caption)
    return {lang: caption.get(lang) or "" for lang in LANG_KEYS}


def field_caption(field, lang="uzbText"):
    """Return a field's caption in a language, falling back to Uzbek Latin, then its name."""
    caption = field_captions(field)
    return caption[lang] or caption["uzbText"] or field_get(field, "name")


@dataclass(frozen=True)
class Column:
    """One template column: a field, its language (text fields only) and the header text."""

    field: str
    lang: str | None
    header: str

    @property
    def map_key(self):
        """Return the column's entry in the template's hidden map: 'field' or 'field:lang'."""
        return f"{self.field}:{self.lang}" if self.lang else self.field


def template_columns(fields):
    """Return the template columns: four per text field (one per language), one otherwise."""
    columns = []
    for field in ordered_fields(fields):
        name = field_get(field, "name")
        if field_get(field, "type") == "text":
            for lang in LANG_KEYS:
                header = f"{field_caption(field, lang)} ({LANG_SHORT[lang]})"
                columns.append(Column(name, lang, header))
        else:
            columns.append(Column(name, None, field_caption(field)))
    return columns


def column_map(columns):
    """Return the hidden map row for a template: one map key per column."""
    return [column.map_key for column in columns]


def _keys(text):
    return text, script_key(text), caption_key(text)


class _Labels:
    """Label text -> targets, in the three matching tiers."""

    def __init__(self):
        self.tiers = ({}, {}, {})

    def add(self, label, target):
        label = (label or "").strip()
        if label:
            for tier, key in zip(self.tiers, _keys(label), strict=True):
                tier.setdefault(key, set()).add(target)

    def match(self, text):
        """Return the targets of the first tier that matches text (empty set when none)."""
        text = text.strip()
        for tier, key in zip(self.tiers, _keys(text), strict=True):
            found = tier.get(key)
            if found:
                # a text field's name and its Uzbek caption may coincide: the language wins
                langs = {field for field, lang in found if lang}
                return {target for target in found if target[1] or target[0] not in langs}
        return set()


def _labels(fields, for_keys):
    labels = _Labels()
    for field in fields:
        name = field_get(field, "name")
        caption = field_captions(field)
        if field_get(field, "type") == "text":
            # in a header the bare field name means its Uzbek Latin column
            labels.add(name, (name, None if for_keys else "uzbText"))
            for lang in LANG_KEYS:
                labels.add(caption.get(lang), (name, lang))
                labels.add(f"{field_caption(field, lang)} ({LANG_SHORT[lang]})", (name, lang))
        else:
            labels.add(name, (name, None))
            for lang in LANG_KEYS:
                labels.add(caption.get(lang), (name, None))
    return labels


def _describe(targets, fields):
    headers = {(c.field, c.lang): c.header for c in template_columns(fields)}
    names = [headers.get(target) or target[0] for target in targets]
    names.sort()
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _parse_map_entry(entry):
    if entry is None or entry == "":
        return None
    if isinstance(entry, Mapping):
        return entry.get("field"), entry.get("lang") or None
    if isinstance(entry, (list, tuple)) and len(entry) == 2:
        return entry[0], entry[1] or None
    field, _, lang = str(entry).partition(":")
    return field, lang or None


def _trust_map(targets, labels, cells, column_map):
    """Return the mapping given by the hidden map, or None when it disagrees with the header."""
    if any(cells[len(column_map) :]):
        return None
    mapping, seen = [], set()
    for cell, entry in zip(cells, column_map, strict=False):
        if not cell:
            mapping.append(None)
            continue
        target = _parse_map_entry(entry)
        if target not in targets or target in seen:
            return None
        matched = labels.match(cell)
        # a retyped cell matches nothing and is trusted; one matching another column was moved
        if matched and target not in matched:
            return None
        seen.add(target)
        mapping.append(target)
    return mapping + [None] * (len(cells) - len(mapping))


def _first_free_language(matched, mapping):
    """Pick the first unused language when a cell names several languages of one text field."""
    if len({field for field, _ in matched}) != 1 or not all(lang for _, lang in matched):
        return matched
    # captions shared by languages ('Transport' in uz and en) fill the columns in template order
    taken = set(mapping)
    for lang in LANG_KEYS:
        target = (next(iter(matched))[0], lang)
        if target in matched and target not in taken:
            return {target}
    return {min(matched, key=lambda target: LANG_KEYS.index(target[1]))}


def resolve_header(fields, header, column_map=None, header_row=1):
    """Map header cells to (field, lang) targets: (mapping, None) or (mapping, one error dict)."""
    columns = template_columns(fields)
    targets = {(c.field, c.lang) for c in columns}
    labels = _labels(fields, for_keys=False)
    cells = [cell_text(cell) for cell in header]
    mapping = _trust_map(targets, labels, cells, column_map) if column_map else None
    unknown, ambiguous, claimed = [], [], set()
    if mapping is None:
        mapping = []
        for cell in cells:
            matched = labels.match(cell) if cell else set()
            if len(matched) > 1:
                matched = _first_free_language(matched, mapping)
            if len(matched) > 1:
                ambiguous.append(f"'{cell}' ({_describe(matched, fields)})")
                claimed.update(field for field, _ in matched)
            elif cell and not matched:
                unknown.append(f"'{cell}'")
            mapping.append(next(iter(matched)) if len(matched) == 1 else None)
    seen, duplicates = set(), []
    for position, target in enumerate(mapping):
        if target is not None:
            if target in seen:
                duplicates.append(f"'{cells[position]}'")
                mapping[position] = None
            seen.add(target)
    present = {field for field, _ in seen} | claimed
    missing = [f"'{c.header}'" for c in columns if c.field not in present]
    parts = [
        f"{label}: {', '.join(items)}"
        for label, items in (
            ("missing columns", missing),
            ("unknown columns", unknown),
            ("ambiguous columns", ambiguous),
            ("duplicate columns", duplicates),
        )
        if items
    ]
    if not parts:
        return mapping, None
    error = {"row": header_row, "column": None, "message": f"{HEADER_PROBLEM}: {'; '.join(parts)}"}
    return mapping, error


def resolve_keys(fields, keys):
    """Map JSON keys to (field, lang) targets: (mapping, errors) with unknown/ambiguous keys."""
    labels = _labels(fields, for_keys=True)
    mapping, errors = {}, []
    for key in keys:
        if key in mapping:
            continue
        matched = labels.match(str(key))
        owners = {field for field, _ in matched}
        if len(matched) > 1 and len(owners) == 1 and all(lang for _, lang in matched):
            # the caption of several languages of one text field names the field as a whole
            # ({lang: text} or the Uzbek Latin text), as its name does
            mapping[key] = (next(iter(owners)), None)
        elif len(matched) == 1:
            mapping[key] = next(iter(matched))
        elif matched:
            message = f"ambiguous key '{key}': matches {_describe(matched, fields)}"
            errors.append({"row": None, "column": key, "message": message})
        else:
            errors.append({"row": None, "column": key, "message": f"unknown key '{key}'"})
    return mapping, errors


def push_keys(fields):
    """The keys of the "Get API" data template: a caption per column, always accepted back.

    A text field is keyed by its four captions; where that is ambiguous (the same caption in
    several languages, or another field's caption) by the template header ('Caption (uz)'),
    and a field whose caption is ambiguous by its name.
    """
    labels = _labels(fields, for_keys=True)
    keys = []
    for column in template_columns(fields):
        field = next(f for f in fields if field_get(f, "name") == column.field)
        target = (column.field, column.lang)
        plain = field_caption(field, column.lang or "uzbText")
        for key in (plain, column.header, column.field):
            if labels.match(key) == {target} and key not in keys:
                keys.append(key)
                break
        else:
            keys.append(column.header)
    return keys
