"""Reading and editing content: public reads, operator writes, a revision for every change."""

from datetime import date, datetime

from bson import ObjectId

from portal.core.errors import NotFound
from portal.db.content import Page, Revision
from portal.db.content.documents import next_revision_number
from portal.db.models import utcnow
from portal.services.content.kinds import KINDS
from portal.services.identity.access import has_role, require_role
from portal.services.paging import page_of


def _plain(value):
    """A snapshot BSON can store: dates as ISO strings."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


def _revise(kind, doc, action, user):
    Revision(
        kind=kind,
        item=doc.id,
        number=next_revision_number(kind, doc.id),
        action=action,
        by=str(user.id) if user is not None else "seed",
        snapshot=_plain(KINDS[kind].dump(doc)),
    ).save()


def _find(kind, item_id):
    spec = KINDS[kind]
    if not ObjectId.is_valid(str(item_id)) or len(str(item_id)) != 24:
        raise NotFound(f"no {kind} item {item_id!r}")
    doc = spec.model.objects(id=str(item_id)).first()
    if doc is None:
        raise NotFound(f"no {kind} item {item_id!r}")
    return doc


def listing(user, kind, page=1, page_size=20):
    """One page of a kind, in its order; news not yet published is for operators only."""
    spec = KINDS[kind]
    qs = spec.model.objects
    if kind == "news" and not has_role(user, "operator"):
        qs = qs.filter(published_at__lte=utcnow())
    return page_of(qs.order_by(*spec.order), page, page_size, spec.dump)


def get(user, kind, item_id):
    doc = _find(kind, item_id)
    if kind == "news" and doc.published_at > utcnow() and not has_role(user, "operator"):
        raise NotFound(f"no {kind} item {item_id!r}")
    return KINDS[kind].dump(doc)


def create(user, kind, data):
    """A new item (operator)."""
    require_role(user, "operator")
    return _create(user, kind, data)


def seed(kind, data):
    """A new item from the start-up data (no caller)."""
    return _create(None, kind, data)


def _create(user, kind, data):
    spec = KINDS[kind]
    doc = spec.model()
    spec.load(doc, data)
    if kind == "news":
        doc.created_by = str(user.id) if user is not None else "seed"
    doc.updated_at = utcnow()
    doc.save()
    _revise(kind, doc, "created", user)
    return spec.dump(doc)


def update(user, kind, item_id, data):
    """Change an item (operator); the new state is kept as a revision."""
    require_role(user, "operator")
    spec = KINDS[kind]
    doc = _find(kind, item_id)
    spec.load(doc, data)
    doc.updated_at = utcnow()
    doc.save()
    _revise(kind, doc, "changed", user)
    return spec.dump(doc)


def delete(user, kind, item_id):
    """Remove an item (operator); its last state stays in the revisions."""
    require_role(user, "operator")
    doc = _find(kind, item_id)
    _revise(kind, doc, "deleted", user)
    doc.delete()


def revisions(user, kind, item_id):
    """Every revision of an item, oldest first (operator)."""
    require_role(user, "operator")
    item = ObjectId(str(item_id)) if ObjectId.is_valid(str(item_id)) else None
    if item is None and kind == "page":
        page = Page.objects(slug=str(item_id)).first()
        item = page.id if page else None
    found = Revision.objects(kind=kind, item=item).order_by("number") if item else []
    return [
        {"number": r.number, "action": r.action, "by": r.by, "at": r.at, "snapshot": r.snapshot}
        for r in found
    ]


def page(slug):
    """A page by its slug (about, open-data, terms, instructions, ...)."""
    doc = Page.objects(slug=slug).first()
    if doc is None:
        raise NotFound(f"no page {slug!r}")
    return KINDS["page"].dump(doc)


def put_page(user, slug, data):
    """Create or replace a page (operator)."""
    require_role(user, "operator")
    return _put_page(user, slug, data)


def seed_page(slug, data):
    """A page from the start-up data, unless it exists."""
    if not Page.objects(slug=slug).first():
        _put_page(None, slug, data)


def _put_page(user, slug, data):
    doc = Page.objects(slug=slug).first()
    created = doc is None
    doc = doc or Page(slug=slug)
    KINDS["page"].load(doc, data)
    doc.updated_at = utcnow()
    doc.save()
    _revise("page", doc, "created" if created else "changed", user)
    return KINDS["page"].dump(doc), created
