"""Form reading shared by the operator's and the admin's pages: the API's own schemas judge the
input, and the errors come back as `[(field id, message)]` in the page's language."""

from flask import request
from flask_babel import gettext as _
from marshmallow import ValidationError

from portal.core.errors import PortalError
from portal.core.langs import LANG_KEYS
from portal.web.console import refusals


def lang_labels():
    """[(key, label)] of the four languages of a multilingual value, translated."""
    names = {
        "uzbText": _("in Uzbek (Latin)"),
        "uzbKrText": _("in Uzbek (Cyrillic)"),
        "rusText": _("in Russian"),
        "engText": _("in English"),
    }
    return [(key, names[key]) for key in LANG_KEYS]


def multilingual(name, form=None):
    """{uzbText, ...} of the fields `<name>-uzbText`, ... of the posted form."""
    form = request.form if form is None else form
    return {key: form.get(f"{name}-{key}", "").strip() for key in LANG_KEYS}


def flat(form_values):
    """The typed values as the template's fields are named (`title-uzbText`, ...), to show
    them again when the form fails."""
    out = {}
    for name, value in form_values.items():
        if isinstance(value, dict):
            for key, text in value.items():
                out[f"{name}-{key}"] = text
        else:
            out[name] = value
    return out


def _paths(messages, prefix=""):
    for key, value in messages.items():
        path = f"{prefix}-{key}" if prefix else str(key)
        if isinstance(value, dict):
            yield from _paths(value, path)
        else:
            yield path, value


def named(messages, ours, first_id):
    """[(field id, message)]: our message for each field the checker named, in form order."""
    out, seen = [], set()
    for path, raw in _paths(messages if isinstance(messages, dict) else {}):
        field_id = path  # the input's id: `title-engText` for one language of a title
        message = ours.get(path) or ours.get(path.split("-")[0])
        if message is None:
            text = raw[0] if isinstance(raw, list) and raw else str(raw)
            message = f"{path}: {text}"
        if field_id not in seen:
            seen.add(field_id)
            out.append((field_id, message))
    order = list(ours)
    out.sort(key=lambda e: order.index(e[0].split("-")[0]) if e[0].split("-")[0] in order else 99)
    return out or [(first_id, _("Please correct the form"))]


def judge(schema, data, ours, first_id):
    """(loaded, errors): the data as the API's schema loads it, or our error list."""
    try:
        return schema().load(data), []
    except ValidationError as exc:
        return None, named(exc.messages, ours, first_id)


def refused(exc, ours, first_id):
    """A service's refusal as an error list in the page's language, never in the service's
    own (English) words: each field it names with our message (the form's own one for an
    invalid value, else the refusal's of `refusals`), or one message on `first_id`."""
    status = refusals.status_of(exc)
    if isinstance(exc, PortalError) and isinstance(exc.errors, dict) and exc.errors:
        out, order = [], list(ours)
        for path, _raw in _paths(exc.errors):
            mine = ours.get(path) or ours.get(path.split("-")[0])
            text = mine if mine and status in (400, 422) else refusals.message(status, path)
            out.append((path, text))
        out.sort(key=lambda e: order.index(e[0].split("-")[0]) if e[0].split("-")[0] in order
                 else 99)  # fmt: skip
        return out
    return [(first_id, refusals.refusal(exc, first_id))]


def kept(params, defaults=None):
    """The list's query (filters and page) that differs from its defaults: a form posted from
    a paged list carries it in its action, so the list comes back at the same place."""
    defaults = {"page": 1, **(defaults or {})}
    return {k: v for k, v in params.items() if v not in ("", None) and v != defaults.get(k)}
