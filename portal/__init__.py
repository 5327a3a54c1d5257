"""Ochiq: an open data portal service."""
