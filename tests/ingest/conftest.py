"""Fixtures for the ingest and template tests: the demo datasets and their directories."""

import json
from pathlib import Path

import pytest

SEED = Path(__file__).resolve().parents[2] / "portal/seed/demo.json"


@pytest.fixture(scope="session")
def demo():
    return json.loads(SEED.read_text(encoding="utf-8"))
