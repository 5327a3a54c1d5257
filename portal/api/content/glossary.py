"""The glossary of open data terms."""

from flask_smorest import Blueprint

from portal.api.content import crud
from schemas.content import TermIn, TermOut, TermPage, TermPatch

blp = Blueprint("glossary", __name__, url_prefix="/api/v1", description="Glossary")
crud.routes(blp, "glossary", "glossary", (TermIn, TermPatch, TermOut, TermPage), "glossary")
