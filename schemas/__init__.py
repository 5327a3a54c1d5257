"""Marshmallow schemas for requests and responses."""
