"""Legislation on open data: number, date, title and link."""

from flask_smorest import Blueprint

from portal.api.content import crud
from schemas.content import LawIn, LawOut, LawPage, LawPatch

blp = Blueprint("legislation", __name__, url_prefix="/api/v1", description="Legislation")
crud.routes(
    blp, "legislation", "legislation", (LawIn, LawPatch, LawOut, LawPage), "legislation"
)
