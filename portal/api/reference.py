"""Organizations, sectors and directories."""

from flask_smorest import Blueprint
from marshmallow import fields

from portal.api.context import current_user
from portal.services import reference
from schemas.common import PageArgs, Strict
from schemas.reference import (
    DirectoryIn,
    DirectoryOut,
    DirectoryPage,
    OrganizationIn,
    OrganizationOut,
    OrganizationPage,
    OrganizationPatch,
    SectorOut,
)

blp = Blueprint("reference", __name__, url_prefix="/api/v1", description="Reference data")


class OrgPageArgs(PageArgs):
    page_size = fields.Integer(load_default=100)


@blp.post("/organizations")
@blp.arguments(OrganizationIn)
@blp.response(201, OrganizationOut)
def create_organization(data):
    """Add an organization (admin)"""
    return reference.create_organization(current_user(), data)


@blp.get("/organizations")
@blp.arguments(OrgPageArgs, location="query")
@blp.response(200, OrganizationPage)
def list_organizations(args):
    """Organizations with their dataset counts"""
    return reference.list_organizations(args["page"], args["page_size"])


@blp.get("/organizations/<code>")
@blp.response(200, OrganizationOut)
def get_organization(code):
    """One organization"""
    return reference.organization_dict(reference.get_organization(code))


@blp.patch("/organizations/<code>")
@blp.arguments(OrganizationPatch)
@blp.response(200, OrganizationOut)
def update_organization(data, code):
    """Change an organization's names, parent, TIN, contacts or numeric portal id (admin)"""
    return reference.update_organization(current_user(), code, data)


class SectorList(Strict):
    items = fields.List(fields.Nested(SectorOut))


@blp.get("/sectors")
@blp.response(200, SectorList)
def list_sectors():
    """Sectors (spheres) with their dataset counts"""
    return {"items": reference.list_sectors()}


@blp.post("/directories")
@blp.arguments(DirectoryIn)
@blp.response(201, DirectoryOut)
def create_directory(data):
    """Add a classifier for directory fields (operator, admin)"""
    return reference.create_directory(current_user(), data)


@blp.get("/directories")
@blp.arguments(PageArgs, location="query")
@blp.response(200, DirectoryPage)
def list_directories(args):
    """Classifiers"""
    return reference.list_directories(args["page"], args["page_size"])


@blp.get("/directories/<code>")
@blp.response(200, DirectoryOut)
def get_directory(code):
    """One classifier with its items"""
    return reference.directory_dict(reference.get_directory(code))
