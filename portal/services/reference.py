"""Organizations, sectors and directories (classifiers for directory fields)."""

from mongoengine import NotUniqueError

from portal.core.errors import Conflict, NotFound
from portal.db.models import Directory, DirectoryItem, Organization, Sector, ml
from portal.services import search
from portal.services.access import require_role
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
    )
    try:
        org.save()
    except NotUniqueError:
        raise Conflict(f"organization {data['code']} exists already") from None
    return organization_dict(org)


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
        {"code": s.code, "name": s.name.to_dict(), "dataset_count": counts.get(s.code, 0)}
        for s in Sector.objects.order_by("code")
    ]


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
