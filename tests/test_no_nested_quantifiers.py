"""No regular expression in the code base repeats something that itself repeats (issue 7, 1).

A pattern like ``(?:\\s*,?\\s*PAIR)*`` backtracks exponentially on a near-miss; the polygon
parser had one and a public URL reached it. This test finds every pattern the code compiles
(module and class attributes, marshmallow ``Regexp`` validators, and literal patterns passed to
``re`` functions) and fails on a repeat of a variable-length repeat.
"""

import ast
import importlib
import re
import re._parser as sre  # the parser the re module itself uses
from pathlib import Path

import pytest
from marshmallow import Schema, validate

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("portal", "exporters", "schemas")
RE_FUNCS = {"compile", "match", "fullmatch", "search", "sub", "subn", "findall", "finditer"}
RE_FUNCS |= {"split"}
_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None))


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__main__":
                continue
            yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


def _collect(value, where, found, depth=0):
    if isinstance(value, re.Pattern):
        found.append((where, value.pattern, value.flags))
    elif isinstance(value, validate.Regexp):
        found.append((where, value.regex.pattern, value.regex.flags))
    elif depth < 2 and isinstance(value, dict):
        for key, inner in value.items():
            _collect(inner, f"{where}[{key!r}]", found, depth + 1)
    elif depth < 2 and isinstance(value, (list, tuple, set, frozenset)):
        for inner in value:
            _collect(inner, where, found, depth + 1)
    elif isinstance(value, type) and issubclass(value, Schema) and depth == 0:
        for name, field in value._declared_fields.items():
            for validator in getattr(field, "validators", ()):
                _collect(validator, f"{where}.{name}", found, depth + 1)
    elif isinstance(value, type) and depth == 0:
        for name, inner in vars(value).items():
            _collect(inner, f"{where}.{name}", found, depth + 1)


def _literal_patterns(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        owner = getattr(func.value, "id", "") if isinstance(func, ast.Attribute) else ""
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        if (owner == "re" and name in RE_FUNCS) or name == "Regexp":
            yield f"{path.relative_to(ROOT)}:{node.lineno}", first.value, 0


def all_patterns():
    found = []
    for module_name, path in _modules():
        module = importlib.import_module(module_name)
        for name, value in vars(module).items():
            if getattr(value, "__module__", module_name) == module_name or not isinstance(
                value, type
            ):
                _collect(value, f"{module_name}.{name}", found)
        found.extend(_literal_patterns(path))
    unique = {}
    for where, pattern, flags in found:
        unique.setdefault((pattern, flags & ~re.UNICODE), where)
    return [(where, pattern, flags) for (pattern, flags), where in unique.items()]


def _variable(node_max, node_min):
    return node_max != node_min


def nested_quantifiers(pattern, flags=0):
    """Repeats (max > 1) that contain a variable-length repeat: exponential on a near-miss."""
    problems = []

    def walk(items, inside_repeat):
        for op, arg in items:
            if op in _REPEATS and op is not None:
                low, high, sub = arg
                if inside_repeat and _variable(high, low):
                    problems.append(str(sub))
                walk(sub, inside_repeat or high > 1)
            elif op is sre.SUBPATTERN:
                walk(arg[-1], inside_repeat)
            elif op is sre.BRANCH:
                for branch in arg[1]:
                    walk(branch, inside_repeat)
            elif op in (sre.ASSERT, sre.ASSERT_NOT):
                walk(arg[1], inside_repeat)
            elif op is getattr(sre, "ATOMIC_GROUP", None):
                walk(arg, inside_repeat)

    walk(sre.parse(pattern, flags), False)
    return problems


def test_the_detector_catches_the_old_polygon_pattern():
    num = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    pair = rf"\[\s*{num}\s*,\s*{num}\s*\]"
    assert nested_quantifiers(rf"{pair}(?:\s*,?\s*{pair})*")
    assert nested_quantifiers(r"(a+)+$")
    assert nested_quantifiers(r"(?:x|y*)*")
    assert not nested_quantifiers(r"[+-]?[0-9]{1,3}(?: [0-9]{3})+")  # fixed-size groups
    assert not nested_quantifiers(r"(?:\.[0-9]*)?")  # optional, never repeated


def test_the_scan_sees_the_code_base():
    found = all_patterns()
    assert any(where.startswith("portal.core.fields.") for where, _, _ in found)
    code_field = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$"  # CodeField's Regexp, in schemas/common.py
    assert code_field in {pattern for _, pattern, _ in found}


@pytest.mark.parametrize(("where", "pattern", "flags"), all_patterns(), ids=lambda v: str(v)[:60])
def test_no_regex_repeats_a_repeat(where, pattern, flags):
    assert nested_quantifiers(pattern, flags) == [], f"{where}: {pattern!r} backtracks"
