"""Frequently asked questions."""

from flask_smorest import Blueprint

from portal.api.content import crud
from schemas.content import FaqIn, FaqOut, FaqPage, FaqPatch

blp = Blueprint("faq", __name__, url_prefix="/api/v1", description="Frequently asked questions")
crud.routes(blp, "faq", "faq", (FaqIn, FaqPatch, FaqOut, FaqPage), "frequently asked questions")
