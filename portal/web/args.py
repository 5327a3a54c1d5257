"""Query parameters of the pages, read strictly: unknown names and bad values are a 400."""

from flask import request

from portal.core.errors import BadRequest

MAX_TEXT = 200
MAX_VALUES = 20


def read(spec, given=None):
    """{name: value} from the query string; spec maps a name to str, int, list or a choice tuple.

    An int is a page-like number (1..10000); a tuple lists the allowed values.
    """
    given = request.args if given is None else given
    unknown = sorted(set(given) - set(spec))
    if unknown:
        raise BadRequest(f"unknown query parameter: {', '.join(unknown)}")
    out = {}
    for name, kind in spec.items():
        values = given.getlist(name) if hasattr(given, "getlist") else _listed(given.get(name))
        if kind is list:
            if len(values) > MAX_VALUES:
                raise BadRequest(f"{name}: at most {MAX_VALUES} values")
            out[name] = [v[:MAX_TEXT] for v in values if v.strip()]
            continue
        value = values[-1].strip() if values else ""
        if len(value) > MAX_TEXT:
            raise BadRequest(f"{name}: at most {MAX_TEXT} characters")
        if kind is int:
            if not value:
                out[name] = 1
            elif not value.isdigit() or not 1 <= int(value) <= 10000:
                raise BadRequest(f"{name}: a whole number from 1 to 10000")
            else:
                out[name] = int(value)
        elif isinstance(kind, tuple):
            if value and value not in kind:
                raise BadRequest(f"{name}: one of {', '.join(kind)}")
            out[name] = value or kind[0]
        else:
            out[name] = value
    return out


def _listed(value):
    if value is None:
        return []
    return list(value) if isinstance(value, (list, tuple)) else [value]
