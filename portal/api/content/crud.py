"""The five routes every list of content has: list, create, read, change, delete, revisions."""

from portal.api.context import current_user
from portal.services.content import entries
from schemas.common import PageArgs
from schemas.content import RevisionList


def _doc(summary):
    def mark(func):
        func.__doc__ = summary
        return func

    return mark


def routes(blp, kind, path, schemas, label):
    """Register the routes of `kind` at /api/v1/<path> with (In, Patch, Out, Page) schemas."""
    item_in, item_patch, item_out, item_page = schemas

    @blp.route(f"/{path}", methods=["GET"], endpoint=f"list_{kind}")
    @blp.arguments(PageArgs, location="query", unknown=None)
    @blp.response(200, item_page)
    @_doc(f"The {label}, in order")
    def list_items(args):
        return entries.listing(current_user(), kind, args["page"], args["page_size"])

    @blp.route(f"/{path}", methods=["POST"], endpoint=f"create_{kind}")
    @blp.arguments(item_in)
    @blp.response(201, item_out)
    @_doc(f"Add to the {label} (operator)")
    def create_item(data):
        return entries.create(current_user(), kind, data)

    @blp.route(f"/{path}/<item_id>", methods=["GET"], endpoint=f"get_{kind}")
    @blp.response(200, item_out)
    @_doc(f"One item of the {label}")
    def get_item(item_id):
        return entries.get(current_user(), kind, item_id)

    @blp.route(f"/{path}/<item_id>", methods=["PATCH"], endpoint=f"update_{kind}")
    @blp.arguments(item_patch)
    @blp.response(200, item_out)
    @_doc(f"Change an item of the {label}; a revision is kept (operator)")
    def update_item(data, item_id):
        return entries.update(current_user(), kind, item_id, data)

    @blp.route(f"/{path}/<item_id>", methods=["DELETE"], endpoint=f"delete_{kind}")
    @blp.response(204)
    @_doc(f"Remove an item of the {label}; its revisions stay (operator)")
    def delete_item(item_id):
        entries.delete(current_user(), kind, item_id)

    @blp.route(f"/{path}/<item_id>/revisions", methods=["GET"], endpoint=f"revisions_{kind}")
    @blp.response(200, RevisionList)
    @_doc(f"Every revision of an item of the {label} (operator)")
    def item_revisions(item_id):
        return {"items": entries.revisions(current_user(), kind, item_id)}
