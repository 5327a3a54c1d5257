"""The operator's content editors: news, pages, FAQ, glossary and legislation, Markdown in four
languages with a preview that the content service renders (and sanitizes) as it will be shown."""

from flask import g, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.core.errors import NotFound, PortalError
from portal.services.content import entries, render
from portal.web import args as query
from portal.web.console import add_nav, done, form_page, see_other, signed_in
from portal.web.console.operator_forms import flat, judge, lang_labels, multilingual, refused
from portal.web.frame import bp
from portal.web.listing import paging
from schemas.content import FaqIn, LawIn, NewsIn, PageIn, PageSlug, TermIn

PAGE_SIZE = 20
# kind -> (schema, [(field, how)]): how is "ml" (four languages), "md" (four languages of
# Markdown, previewed), "text", "int", "date", "datetime" or "list" (comma separated)
FORMS = {
    "news": (NewsIn, [("title", "ml"), ("body", "md"), ("published_at", "datetime"),
                      ("datasets", "list")]),
    "page": (PageIn, [("title", "ml"), ("body", "md")]),
    "faq": (FaqIn, [("question", "ml"), ("answer", "md"), ("order", "int")]),
    "glossary": (TermIn, [("term", "ml"), ("definition", "ml")]),
    "legislation": (LawIn, [("number", "text"), ("date", "date"), ("title", "ml"),
                            ("url", "text")]),
}  # fmt: skip
KINDS = tuple(FORMS)

add_nav("console_operator_content", _l("Content"), roles=("operator",), order=250)


def kind_names():
    return {
        "news": _("News"),
        "page": _("Pages"),
        "faq": _("Questions and answers"),
        "glossary": _("Glossary"),
        "legislation": _("Legislation"),
    }


def field_labels():
    return {
        "title": _("Title"), "body": _("Text (Markdown)"), "published_at": _("Published at"),
        "datasets": _("Datasets (IDs, separated by commas)"), "question": _("Question"),
        "answer": _("Answer (Markdown)"), "order": _("Order"), "term": _("Term"),
        "definition": _("Definition"), "number": _("Number"), "date": _("Date"),
        "url": _("Link"), "slug": _("Address (lower-case letters, digits, dashes)"),
    }  # fmt: skip


def _messages(fields):
    labels = field_labels()
    special = {
        "datetime": _("Enter a date and time like 2026-12-01T10:00, or leave it empty"),
        "date": _("Enter a date like 2024-02-03"),
        "int": _("Enter a whole number"),
        "list": _("Enter IDs of existing datasets, separated by commas"),
    }
    ours = {}
    for name, how in fields:
        if how in ("ml", "md"):
            ours[name] = _("Fill in %(field)s in all four languages", field=labels[name])
        else:
            ours[name] = special.get(how) or _("Fill in: %(field)s", field=labels[name])
    if "url" in ours:
        ours["url"] = _("Enter a link starting with https://, or leave it empty")
    ours["slug"] = labels["slug"]
    return ours


def _kind(kind):
    if kind not in FORMS:
        raise NotFound(f"no content kind {kind[:40]!r}: one of {', '.join(KINDS)}")
    return FORMS[kind]


def _read(kind):
    """The posted values: what the schema loads, and what to show again (as typed)."""
    data, typed = {}, {}
    for name, how in _kind(kind)[1]:
        if how in ("ml", "md"):
            data[name] = multilingual(name)
            typed[name] = data[name]
            continue
        raw = request.form.get(name, "").strip()
        typed[name] = raw
        if how == "list":
            data[name] = [v.strip() for v in raw.split(",") if v.strip()]
        elif raw:
            data[name] = raw
    return data, typed


def _item_form(kind, item, values, errors=(), preview=None, is_new=False):
    html = render_template(
        "console/operator/content_form.html", kind=kind, item=item, is_new=is_new,
        fields=_kind(kind)[1], form=flat(values), form_errors=list(errors), preview=preview,
        lang_fields=lang_labels(), labels=field_labels(), kind_names=kind_names(),
    )  # fmt: skip
    return form_page(html, errors)


def _values_of(kind, doc):
    """The stored item as the form's values."""
    out = {}
    for name, how in _kind(kind)[1]:
        value = doc.get(name)
        if how == "list":
            out[name] = ", ".join(value or [])
        elif how == "datetime" and value:
            out[name] = value.strftime("%Y-%m-%dT%H:%M")
        elif how in ("ml", "md"):
            out[name] = value or {}
        else:
            out[name] = "" if value is None else str(value)
    return out


@bp.get("/console/operator/content", defaults={"kind": "news"},
        endpoint="console_operator_content")  # fmt: skip
@bp.get("/console/operator/content/<kind>", endpoint="console_operator_content")
@signed_in("operator")
def operator_content(kind):
    """The items of one kind of content, with their editors."""
    _kind(kind)
    params = query.read({"page": int})
    found = entries.listing(g.user, kind, page=params["page"], page_size=PAGE_SIZE)
    return render_template(
        "console/operator/content.html", kind=kind, kinds=KINDS, kind_names=kind_names(),
        items=found["items"], paging=paging(params["page"], found["total"], PAGE_SIZE),
    )  # fmt: skip


def _save(kind, item_id, is_new):
    schema, fields = _kind(kind)
    data, typed = _read(kind)
    if is_new and kind == "page":
        typed["slug"] = request.form.get("slug", "").strip()
    if request.form.get("action") == "preview":
        shown = {name: render.multilingual(data[name]) for name, how in fields if how == "md"}
        return _item_form(kind, item_id, typed, preview=shown, is_new=is_new)
    ours = _messages(fields)
    first = f"{fields[0][0]}-uzbText" if fields[0][1] in ("ml", "md") else fields[0][0]
    errors = []
    if is_new and kind == "page":
        slug, errors = judge(PageSlug, {"slug": typed["slug"]}, ours, "slug")
        item_id = slug["slug"] if slug else None
    loaded, more = judge(schema, data, ours, first)
    errors += more
    if not errors:
        try:
            if kind == "page":
                entries.put_page(g.user, item_id, loaded)
            elif is_new:
                entries.create(g.user, kind, loaded)
            else:
                entries.update(g.user, kind, item_id, loaded)
        except PortalError as exc:
            errors = refused(exc, ours, first)
    if errors:
        return _item_form(kind, item_id, typed, errors, is_new=is_new)
    done(_("Saved: %(kind)s.", kind=kind_names()[kind]))
    return see_other("web.console_operator_content", kind=kind)


@bp.route("/console/operator/content/<kind>/new", methods=["GET", "POST"],
          endpoint="console_operator_content_new")  # fmt: skip
@signed_in("operator")
def operator_content_new(kind):
    """A new item: Markdown in four languages, previewed before it is saved."""
    _kind(kind)
    if request.method == "POST":
        return _save(kind, None, True)
    query.read({})
    return _item_form(kind, None, {}, is_new=True)


@bp.route("/console/operator/content/<kind>/<item_id>", methods=["GET", "POST"],
          endpoint="console_operator_content_edit")  # fmt: skip
@signed_in("operator")
def operator_content_edit(kind, item_id):
    """Edit an item (a page by its address); every change is kept as a revision."""
    _kind(kind)
    doc = entries.page(item_id) if kind == "page" else entries.get(g.user, kind, item_id)
    if request.method == "POST":
        return _save(kind, item_id, False)
    query.read({})
    return _item_form(kind, item_id, _values_of(kind, doc))


@bp.post("/console/operator/content/<kind>/<item_id>/delete",
         endpoint="console_operator_content_delete")  # fmt: skip
@signed_in("operator")
def operator_content_delete(kind, item_id):
    """Remove an item (its last state stays in the revisions); pages are not removed."""
    if _kind(kind) and kind == "page":
        raise NotFound("pages are changed, not removed")
    entries.delete(g.user, kind, item_id)
    done(_("Removed."))
    return see_other("web.console_operator_content", kind=kind)
