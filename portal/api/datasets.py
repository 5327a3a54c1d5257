"""Placeholder while the module is written."""

from flask_smorest import Blueprint

blp = Blueprint("datasets", __name__, url_prefix="/api/v1")
