"""News of the portal: Markdown bodies rendered to sanitized HTML, linked datasets."""

from flask_smorest import Blueprint

from portal.api.content import crud
from schemas.content import NewsIn, NewsOut, NewsPage, NewsPatch

blp = Blueprint("news", __name__, url_prefix="/api/v1", description="News")
crud.routes(blp, "news", "news", (NewsIn, NewsPatch, NewsOut, NewsPage), "news")
