"""Fixtures for the core tests: the demo datasets and directories, read from the seed file."""

import json
from pathlib import Path

import pytest

from portal.core.directory import build_directories

HERE = Path(__file__).resolve()
SEED = HERE.parents[2] / "portal/seed/demo.json"
DATA = HERE.parents[1] / "data"


@pytest.fixture(scope="session")
def demo():
    return json.loads(SEED.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def directories(demo):
    return build_directories(demo["directories"])


@pytest.fixture(scope="session")
def stats_dataset(demo):
    return demo["datasets"][0]


@pytest.fixture(scope="session")
def library_dataset(demo):
    return demo["datasets"][1]
