"""Placeholder while the module is written."""

from flask_smorest import Blueprint

blp = Blueprint("auth", __name__, url_prefix="/api/v1")
