"""Information pages by slug: about, open-data, terms, instructions and others."""

from flask_smorest import Blueprint

from portal.api.context import current_user
from portal.core.errors import InvalidData
from portal.services.content import entries
from schemas.content import PageIn, PageOut, PageSlug, RevisionList

blp = Blueprint("pages", __name__, url_prefix="/api/v1", description="Information pages")


def _slug(slug):
    problems = PageSlug().validate({"slug": slug})
    if problems:
        raise InvalidData("the page address is not valid", {"slug": problems["slug"][0]})
    return slug


@blp.get("/pages/<slug>")
@blp.response(200, PageOut)
def get_page(slug):
    """A page in four languages, its Markdown and the sanitized HTML"""
    return entries.page(slug)


@blp.put("/pages/<slug>")
@blp.arguments(PageIn)
@blp.response(200, PageOut)
@blp.alt_response(201, schema=PageOut, description="a new page")
def put_page(data, slug):
    """Create or replace a page; a revision is kept (operator)"""
    doc, created = entries.put_page(current_user(), _slug(slug), data)
    return doc, 201 if created else 200


@blp.get("/pages/<slug>/revisions")
@blp.response(200, RevisionList)
def page_revisions(slug):
    """Every revision of a page (operator)"""
    return {"items": entries.revisions(current_user(), "page", slug)}
