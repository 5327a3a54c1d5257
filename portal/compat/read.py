"""Placeholder while the module is written."""

from flask import Blueprint

blp = Blueprint("compat_read", __name__)
