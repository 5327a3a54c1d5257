"""Names of the codes that lists show: organizations and sectors, in four languages."""

from portal.db.models import Organization, Sector


def organizations():
    """{code: {4 languages}} of every organization, by code."""
    return {o.code: o.name.to_dict() for o in Organization.objects.only("code", "name")}


def sectors():
    """{code: {4 languages}} of every sector, in code order."""
    return {s.code: s.name.to_dict() for s in Sector.objects.only("code", "name").order_by("code")}
