"""Dataset passports: created by operators, completed by authors, visible by status."""

from bson import ObjectId
from pymongo import ReturnDocument

from portal.core import contact
from portal.core.errors import Forbidden, InvalidData, NotFound
from portal.db.models import Dataset, Organization, ml, utcnow
from portal.services import reference
from portal.services.discovery import search_index
from portal.services.identity.access import (
    can_see_hidden,
    require_author_of,
    require_role,
)


def find(ref):
    """A dataset by its 24-hex id or its code, or NotFound."""
    ref = str(ref or "").strip()
    dataset = None
    if ObjectId.is_valid(ref) and len(ref) == 24:
        dataset = Dataset.objects(id=ref).first()
    if dataset is None:
        dataset = Dataset.objects(code=ref).first()
    if dataset is None:
        raise NotFound(f"no dataset {ref!r}")
    return dataset


def visible(user, ref):
    """A dataset the caller may read: hidden ones look missing to the public."""
    dataset = find(ref)
    if not dataset.is_public and not can_see_hidden(user, dataset.organization):
        raise NotFound(f"no dataset {ref!r}")
    return dataset


def for_author(user, ref, *, operator_too=False):
    """A dataset the caller may edit as an author of its organization."""
    dataset = find(ref)
    try:
        require_author_of(user, dataset.organization, operator_too=operator_too)
    except Forbidden:
        if can_see_hidden(user, dataset.organization) or dataset.is_public:
            raise
        raise NotFound(f"no dataset {ref!r}") from None
    return dataset


def next_code(org_code):
    """`<org code>-<serial>`, the serial taken atomically from the organization."""
    doc = Organization._get_collection().find_one_and_update(
        {"code": org_code},
        {"$inc": {"next_serial": 1}},
        return_document=ReturnDocument.BEFORE,
    )
    if doc is None:
        raise NotFound(f"no organization {org_code!r}")
    serial = doc.get("next_serial", 1)
    return f"{org_code}-{serial:04d}", serial


def create(user, data):
    """Step 0: an operator creates the passport of a new dataset (status draft)."""
    require_role(user, "operator")
    errors = {}
    if not Organization.objects(code=data["organization"]).first():
        errors["organization"] = f"no organization {data['organization']!r}"
    sector = reference.sector_code(data["sector"])  # a code, or the guid of data.egov.uz
    if sector is None:
        errors["sector"] = f"no sector {data['sector']!r}"
    if errors:
        raise InvalidData("the passport has invalid values", errors)
    code, serial = next_code(data["organization"])
    dataset = Dataset(
        code=code,
        serial=serial,
        organization=data["organization"],
        sector=sector,
        title=ml(data["title"]),
        is_priority=data.get("is_priority", False),
        update_frequency=data["update_frequency"],
        created_by=str(user.id),
    )
    search_index.refresh(dataset)
    dataset.save()
    return dataset


def _clean_step1(data):
    """Normalize the author's passport values; every problem is named by its field."""
    clean, errors = dict(data), {}
    checks = {
        "phone": contact.normalize_phone,
        "email": contact.normalize_email,
        "keywords": contact.parse_keywords,
        "external_link": contact.check_link,
    }
    for key, check in checks.items():
        if key in data and data[key] not in (None, ""):
            value, problem = check(data[key])
            if problem:
                errors[key] = problem
            clean[key] = value
        elif key == "keywords" and key in data:
            errors[key] = "at least one keyword is required"
    if errors:
        raise InvalidData("the passport has invalid values", errors)
    return clean


def update(user, ref, data):
    """Step 1: the organization's author (or an operator) completes the passport."""
    dataset = for_author(user, ref, operator_too=True)
    data = _clean_step1(data)
    operator_only = {"title", "sector", "is_priority", "update_frequency"} & data.keys()
    if operator_only and not _is_operator(user):
        raise Forbidden(f"only an operator may change: {', '.join(sorted(operator_only))}")
    if "sector" in data:
        data["sector"] = reference.sector_code(data["sector"])
        if data["sector"] is None:
            raise InvalidData("the passport has invalid values", {"sector": "no such sector"})
    for key, value in data.items():
        if key in ("title", "description"):
            value = ml(value)
        setattr(dataset, key, value)
    dataset.updated_at = utcnow()
    search_index.refresh(dataset)
    dataset.save()
    return dataset


def _is_operator(user):
    return "operator" in user.roles or "admin" in user.roles


def passport(dataset, lang=None):
    """The passport as the API shows it; `lang` picks one language for text values."""

    def text(value):
        if value is None:
            return None
        d = value.to_dict()
        return d[lang] if lang else d

    latest = dataset.versions[-1] if dataset.versions else None
    return {
        "id": str(dataset.id),
        "code": dataset.code,
        "organization": dataset.organization,
        "sector": dataset.sector,
        "title": text(dataset.title),
        "description": text(dataset.description),
        "is_priority": dataset.is_priority,
        "update_frequency": dataset.update_frequency,
        "phone": dataset.phone,
        "email": dataset.email,
        "kind": dataset.kind,
        "legal_basis": dataset.legal_basis,
        "keywords": list(dataset.keywords),
        "external_link": dataset.external_link,
        "methodology": _methodology(dataset),
        "status": dataset.status,
        "active": dataset.active,
        "version": dataset.current_version,
        "rows": latest.rows if latest else 0,
        "fields": [f.to_dict() for f in ordered_fields(dataset)],
        "rejection": {
            "reasons": list(dataset.rejection.reasons),
            "at": dataset.rejection.at,
        }
        if dataset.rejection and dataset.status == "rejected"
        else None,
        "views": dataset.views,
        "downloads": dataset.downloads,
        "rating": round(dataset.rating_sum / dataset.rating_count, 2)
        if dataset.rating_count
        else None,
        "rating_count": dataset.rating_count,
        "created_at": dataset.created_at,
        "updated_at": dataset.data_updated_at or dataset.updated_at,
    }


def _methodology(dataset):
    m = dataset.methodology
    if not m or not m.file_id:
        return None
    return {
        "filename": m.filename,
        "content_type": m.content_type,
        "size": m.size,
        "url": f"/api/v1/datasets/{dataset.id}/methodology",
    }


def ordered_fields(dataset, visible_only=False):
    """The dataset's fields in their order."""
    fields = sorted(dataset.fields, key=lambda f: f.order)
    return [f for f in fields if f.visible] if visible_only else fields


