"""Signed-in people with no role, and public datasets to talk about."""

import pytest

from tests.conftest import make_caller
from tests.helpers import add_field, new_dataset, upload, xlsx_bytes

STATS = "2-001-11072"  # a demo dataset of organization 2-001
CULTURE = "4-019-0014"  # a demo dataset of organization 4-019


@pytest.fixture
def citizen(app):
    return make_caller("citizen@mail.uz", [])


@pytest.fixture
def citizens(app):
    return [make_caller(f"citizen{i}@mail.uz", []) for i in range(1, 6)]


def publish_dataset(client, operator, author, title="Maktablar"):
    """A new public dataset of organization 2-001 with one version; returns its code."""
    from tests.helpers import ml

    ds = new_dataset(client, operator, title=ml(title))["code"]
    add_field(client, author, ds, "string", "Nomi")
    resp = upload(client, author, ds, xlsx_bytes(["Nomi"], [["A"], ["B"]]))
    assert resp.status_code == 201, resp.json
    return ds


def notices(client, caller):
    return client.get("/api/v1/me/notifications", headers=caller.headers).json["items"]
