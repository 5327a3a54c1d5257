"""Validate rows from a file or records from a JSON push against a dataset's fields.

Errors are collected, never raised: ``{"row", "column", "value", "message"}`` each, up to
``max_errors`` kept (all counted). A row with any error is left out of the clean rows. Parsers are
bound once per column so the per-cell work is one call and a few comparisons.
"""

import json
from collections.abc import Mapping

from .cells import SHOWN_CHARS, cell_text, safe_text
from .columns import field_get, resolve_header, resolve_keys, template_columns
from .directory import Directory
from .fields import FIELD_TYPES
from .langs import LANG_KEYS

_STRING = FIELD_TYPES["string"]
_TEXT = FIELD_TYPES["text"]


_VALUE_CHARS = 200  # of a bad value echoed in an error


def _raw_text(raw):
    """The bad value as shown in an error: text that always encodes, cut to _VALUE_CHARS."""
    if isinstance(raw, str):
        return safe_text(raw, _VALUE_CHARS)
    if isinstance(raw, (Mapping, list, tuple)):
        try:
            text = json.dumps(raw, ensure_ascii=False, default=str)
        except (RecursionError, ValueError):
            return f"a {type(raw).__name__} nested too deeply"
        return safe_text(text, _VALUE_CHARS)
    return safe_text(cell_text(raw), _VALUE_CHARS)


def _column_text(column):
    if column is None or isinstance(column, str) and len(column) <= SHOWN_CHARS:
        return safe_text(column) if column is not None else None
    return safe_text(str(column), SHOWN_CHARS)


def _directory_for(field, directories):
    code = field_get(field, "directory")
    directory = (directories or {}).get(code)
    if directory is not None and not isinstance(directory, Directory):
        directory = Directory(directory if isinstance(directory, Mapping) else code, directory)
    return directory


def _target_parser(field, lang, directories):
    """Return (lang, parse) for one column: text columns parse one language as a string."""
    kind = field_get(field, "type")
    if kind == "text":
        return lang or "uzbText", _STRING.parse
    directory = _directory_for(field, directories) if kind == "directory" else None
    return None, FIELD_TYPES[kind].parser(field, directory)


class _Collector:
    """Keeps the first max_errors errors and counts them all."""

    def __init__(self, max_errors):
        self.max_errors = max_errors
        self.errors = []
        self.total = 0

    def add(self, row, column, raw, message):
        self.total += 1
        if len(self.errors) < self.max_errors:
            self.errors.append(
                {
                    "row": row,
                    "column": _column_text(column),
                    "value": _raw_text(raw),
                    "message": safe_text(message),
                }
            )

    def stats(self, read, skipped, valid):
        return {
            "rows_read": read,
            "rows_skipped": skipped,
            "rows_valid": valid,
            "rows_invalid": read - skipped - valid,
            "errors_total": self.total,
            "truncated": self.total > len(self.errors),
        }


def _finish_texts(values, texts):
    for name, part in texts.items():
        if any(part.values()):
            values[name] = part


def _numbered(rows, first_row):
    # readers give plain lists; (row_number, cells) tuples keep their own numbers
    number = first_row
    for item in rows:
        if (
            isinstance(item, tuple)
            and len(item) == 2
            and type(item[0]) is int
            and isinstance(item[1], (list, tuple))
        ):
            yield item
            number = item[0] + 1
            continue
        yield number, item
        number += 1


def validate_rows(fields, mapping, rows, directories, first_row=2, max_errors=1000, header=None):
    """Validate spreadsheet rows: (clean rows, errors, stats); mapping from resolve_header."""
    by_name = {field_get(f, "name"): f for f in fields}
    defaults = {(c.field, c.lang): c.header for c in template_columns(fields)}
    plan = []
    for index, target in enumerate(mapping):
        if target is None or target[0] not in by_name:
            continue
        field = by_name[target[0]]
        lang, parse = _target_parser(field, target[1], directories)
        label = header[index] if header and index < len(header) and header[index] else None
        label = cell_text(label) if label is not None else defaults.get((target[0], lang))
        plan.append((index, target[0], lang, parse, label or target[0]))
    template = dict.fromkeys(by_name)
    collector = _Collector(max_errors)
    clean, read, skipped = [], 0, 0
    for number, cells in _numbered(rows, first_row):
        read += 1
        values = template.copy()
        texts = {}
        filled = False
        failed = False
        size = len(cells)
        for index, name, lang, parse, label in plan:
            if index >= size:
                continue
            raw = cells[index]
            if raw is None or (raw.__class__ is str and (not raw or raw.isspace())):
                continue
            filled = True
            value, problem = parse(raw)
            if problem is not None:
                failed = True
                collector.add(number, label, raw, problem)
            elif lang is None:
                values[name] = value
            else:
                part = texts.get(name)
                if part is None:
                    part = texts[name] = dict.fromkeys(LANG_KEYS, "")
                part[lang] = value or ""
        if not filled:
            skipped += 1
        elif not failed:
            _finish_texts(values, texts)
            clean.append(values)
    return clean, collector.errors, collector.stats(read, skipped, len(clean))


_CONTAINERS = (dict, list, tuple)


def _is_blank_value(raw):
    """A blank JSON value: null, blank text, [], or a language object with only blank texts.

    An object whose keys are not language keys is never blank: it is parsed and refused.
    """
    if raw is None:
        return True
    if isinstance(raw, str):
        return not raw or raw.isspace()
    if isinstance(raw, Mapping):
        return all(
            k in LANG_KEYS and (v is None or isinstance(v, str) and (not v or v.isspace()))
            for k, v in raw.items()
        )
    return isinstance(raw, (list, tuple)) and not raw


def validate_records(fields, key_mapping, records, directories, max_errors=1000, key_problems=None):
    """Validate JSON records (dicts): (clean rows, errors, stats); rows numbered from 1."""
    key_problems = key_problems or {}
    by_name = {field_get(f, "name"): f for f in fields}
    plans = {}
    for key, target in key_mapping.items():
        if target and target[0] in by_name:
            lang, parse = _target_parser(by_name[target[0]], target[1], directories)
            plans[key] = (target[0], (target[0], lang), parse, lang is not None)
    template = dict.fromkeys(by_name)
    collector = _Collector(max_errors)
    clean, read, skipped = [], 0, 0
    for number, record in enumerate(records, start=1):
        read += 1
        if not isinstance(record, Mapping):
            collector.add(number, None, record, "a record must be an object of key: value")
            continue
        values = template.copy()
        texts, owners = {}, {}
        filled = failed = False
        for key, raw in record.items():
            plan = plans.get(key)
            if plan is None:
                failed = True
                collector.add(number, key, raw, key_problems.get(key) or f"unknown key '{key}'")
                continue
            if raw is None or (raw.__class__ is str and (not raw or raw.isspace())):
                continue
            if raw.__class__ in _CONTAINERS and _is_blank_value(raw):
                continue
            filled = True
            name, slot, parse, is_text = plan
            if is_text and isinstance(raw, Mapping):
                value, problem = _TEXT.parse(raw)
                slots = [(name, lang) for lang in LANG_KEYS if value and value[lang]]
            else:
                value, problem = parse(raw)
                slots = (slot,)
            if problem is not None:
                failed = True
                collector.add(number, key, raw, problem)
                continue
            taken = [owners[slot] for slot in slots if slot in owners]
            if taken:
                failed = True
                message = f"duplicate key '{key}': same column as '{taken[0]}'"
                collector.add(number, key, raw, message)
                continue
            for name, lang in slots:
                owners[name, lang] = key
                if lang is None:
                    values[name] = value
                    continue
                part = texts.get(name)
                if part is None:
                    part = texts[name] = dict.fromkeys(LANG_KEYS, "")
                part[lang] = value[lang] if value.__class__ is dict else value or ""
        if not filled and not failed:
            skipped += 1
        elif not failed:
            _finish_texts(values, texts)
            clean.append(values)
    return clean, collector.errors, collector.stats(read, skipped, len(clean))


def validate_table(fields, header, rows, directories, column_map=None, max_errors=1000):
    """Resolve a file's header, then validate its rows (header on row 1, data from row 2)."""
    mapping, error = resolve_header(fields, header, column_map)
    if error:
        collector = _Collector(max_errors)
        return [], [error], {**collector.stats(0, 0, 0), "errors_total": 1}
    return validate_rows(fields, mapping, rows, directories, 2, max_errors, header=header)


def validate_json(fields, records, directories, max_errors=1000):
    """Resolve the keys of JSON records, then validate them; unknown keys fail their rows."""
    records = list(records)
    keys = list(dict.fromkeys(k for r in records if isinstance(r, Mapping) for k in r))
    mapping, key_errors = resolve_keys(fields, keys)
    problems = {error["column"]: error["message"] for error in key_errors}
    return validate_records(fields, mapping, records, directories, max_errors, problems)
