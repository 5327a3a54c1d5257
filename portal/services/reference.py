"""Organizations, sectors and directories (classifiers for directory fields)."""

import re
from contextlib import suppress

from bson import ObjectId
from mongoengine import NotUniqueError

from portal.core.errors import BadRequest, Conflict, NotFound
from portal.db import counters
from portal.db.models import Directory, DirectoryItem, Organization, Sector, ml
from portal.services.discovery import search
from portal.services.identity.access import require_role
from portal.services.paging import page_of


def _count_by(field):
    return search.dataset_counts(field, public_only=False)


def organization_dict(org, counts=None):
    """The public view of an organization."""
    return {
        "id": str(org.id),
        "code": org.code,
        "name": org.name.to_dict(),
        "parent": org.parent,
        "tin": org.tin,
        "phone": org.phone,
        "email": org.email,
        "portal_id": org.portal_id,
        "dataset_count": (counts or {}).get(org.code, 0),
    }


def create_organization(user, data):
    """Add an organization (admin)."""
    require_role(user, "admin")
    if data.get("parent") and not Organization.objects(code=data["parent"]).first():
        raise NotFound(f"no parent organization {data['parent']!r}")
    org = Organization(
        code=data["code"],
        name=ml(data["name"]),
        parent=data.get("parent"),
        tin=data.get("tin"),
        phone=data.get("phone"),
        email=data.get("email"),
        portal_id=counters.next_value(ORG_SEQUENCE),
    )
    try:
        org.save()
    except NotUniqueError:
        raise Conflict(f"organization {data['code']} exists already") from None
    return organization_dict(org)


def update_organization(user, code, data):
    """Change an organization's names, parent, TIN, contacts or numeric portal id (admin)."""
    require_role(user, "admin")
    org = get_organization(code)
    parent = data.get("parent")
    if parent:
        seen = {org.code}
        up = Organization.objects(code=parent).first()
        if up is None:
            raise NotFound(f"no parent organization {parent!r}")
        while up is not None:  # the parent's chain must not lead back here
            if up.code in seen:
                raise Conflict(f"{parent} is {org.code} or below it: choose another parent")
            seen.add(up.code)
            up = Organization.objects(code=up.parent).first() if up.parent else None
    for key in ("parent", "tin", "phone", "email", "portal_id"):
        if key in data:
            setattr(org, key, data[key])
    if "name" in data:
        org.name = ml(data["name"])
    try:
        org.save()
    except NotUniqueError:
        taken = data.get("portal_id")
        raise Conflict(f"portal id {taken} belongs to another organization") from None
    return organization_dict(org, _count_by("organization"))


def list_organizations(page=1, page_size=100):
    """Organizations with their dataset counts."""
    counts = _count_by("organization")
    return page_of(
        Organization.objects.order_by("code"),
        page,
        page_size,
        lambda o: organization_dict(o, counts),
    )


def get_organization(code):
    """One organization by code."""
    org = Organization.objects(code=code).first()
    if org is None:
        raise NotFound(f"no organization {code!r}")
    return org


def list_sectors():
    """Every sector with its dataset count."""
    counts = _count_by("sector")
    return [
        {
            "code": s.code,
            "guid": s.guid,
            "name": s.name.to_dict(),
            "dataset_count": counts.get(s.code, 0),
        }
        for s in Sector.objects.order_by("code")
    ]


def _is_object_id(ref):
    return len(ref) == 24 and ObjectId.is_valid(ref)


def sector_code(ref):
    """The code of the sector named by its code, its data.egov.uz guid or its id; None if none."""
    ref = str(ref or "").strip()
    if not ref or len(ref) > 64:
        return None
    sector = Sector.objects(code=ref).only("code").first()
    if sector is None and _is_object_id(ref):
        sector = (
            Sector.objects(guid=ref.lower()).only("code").first()
            or Sector.objects(id=ref).only("code").first()
        )
    return sector.code if sector else None


_PORTAL_ID = re.compile(r"^\d{1,9}$")
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}")  # fullmatch: a code, as CodeField


def organization_code(ref):
    """The code of the organization named by its code, numeric portal id or 24-hex id.

    None when no organization has it; BadRequest when `ref` has none of those shapes."""
    ref = str(ref or "").strip()
    if _PORTAL_ID.match(ref):
        org = Organization.objects(portal_id=int(ref)).only("code").first()
    elif _is_object_id(ref):
        org = Organization.objects(id=ref).only("code").first()
    elif _CODE.fullmatch(ref):
        org = Organization.objects(code=ref).only("code").first()
    else:
        raise BadRequest(
            f"no organization can have the id {ref[:40]!r}: send its numeric id (userOrgId), "
            "its code (2-001) or its 24-hex id"
        )
    return org.code if org else None


# ---------------------------------------------------------------- start-up

ORG_SEQUENCE = "organization"


def ensure_sectors(sectors):
    """Add the reference sectors a database lacks and give the existing ones their guid."""
    for item in sectors:
        guid = item.get("guid")
        sector = Sector.objects(code=item["code"]).first()
        if sector is None:
            with suppress(NotUniqueError):  # another process added it first
                Sector(code=item["code"], guid=guid, name=ml(item["name"])).save()
        elif guid and not sector.guid and not Sector.objects(guid=guid).first():
            Sector.objects(id=sector.id, guid=None).update_one(set__guid=guid)


def ensure_portal_ids():
    """Give every organization without one a numeric portal id (databases made before them)."""
    taken = Organization.objects(portal_id__ne=None).order_by("-portal_id").only("portal_id")
    highest = taken.first()
    if highest is not None:
        counters.raise_to(ORG_SEQUENCE, highest.portal_id)
    for org in Organization.objects(portal_id=None).order_by("created_at", "code").only("id"):
        number = counters.next_value(ORG_SEQUENCE)
        # another process may have numbered it meanwhile: then this number is left unused
        Organization.objects(id=org.id, portal_id=None).update_one(set__portal_id=number)


def directory_dict(directory):
    """The public view of a directory."""
    return {
        "code": directory.code,
        "name": directory.name.to_dict(),
        "items": [{"code": i.code, "name": i.name.to_dict()} for i in directory.items],
    }


def create_directory(user, data):
    """Add a classifier (operator, admin)."""
    require_role(user, "operator")
    codes = [i["code"] for i in data["items"]]
    duplicates = sorted({c for c in codes if codes.count(c) > 1})
    if duplicates:
        raise Conflict(f"item codes repeat: {', '.join(duplicates)}")
    directory = Directory(
        code=data["code"],
        name=ml(data["name"]),
        items=[DirectoryItem(code=i["code"], name=ml(i["name"])) for i in data["items"]],
    )
    try:
        directory.save()
    except NotUniqueError:
        raise Conflict(f"directory {data['code']} exists already") from None
    return directory_dict(directory)


def get_directory(code):
    """One directory by code."""
    directory = Directory.objects(code=code).first()
    if directory is None:
        raise NotFound(f"no directory {code!r}")
    return directory


def list_directories(page=1, page_size=20):
    """Directories, by code."""
    return page_of(Directory.objects.order_by("code"), page, page_size, directory_dict)


def lookups(codes):
    """Directory lookups (plain dicts) for the given codes."""
    return {d.code: d.as_lookup() for d in Directory.objects(code__in=list(codes))}
