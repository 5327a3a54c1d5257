"""Structure edits: one targeted update under the write lock, with their structure version."""

import pytest

from tests.helpers import ml

STATS = "2-001-11072"


def dataset():
    from portal.db.models import Dataset

    return Dataset.objects(code=STATS).first()


def make_fillable(client, author):
    resp = client.patch(
        f"/api/v1/datasets/{STATS}", json={"kind": "fillable"}, headers=author.headers
    )
    assert resp.status_code == 200, resp.json


@pytest.mark.wire
def test_field_added_while_another_writes_is_refused_and_not_kept(client, author):
    from portal.services.publishing import versions

    make_fillable(client, author)
    before = dataset()
    field = {"type": "number", "caption": ml("2024Y")}
    with versions.writing(before):
        resp = client.post(f"/api/v1/datasets/{STATS}/fields", json=field, headers=author.headers)
        assert resp.status_code == 409
        patch = client.patch(
            f"/api/v1/datasets/{STATS}/fields/2010Y", json={"order": 99}, headers=author.headers
        )
        assert patch.status_code == 409
    after = dataset()
    assert [f.name for f in after.fields] == [f.name for f in before.fields]
    assert after.current_version == before.current_version
    resp = client.post(f"/api/v1/datasets/{STATS}/fields", json=field, headers=author.headers)
    assert resp.status_code == 201, resp.json
    after = dataset()
    assert after.current_version == before.current_version + 1
    assert after.fields[-1].name == resp.json["name"]
    from portal.services.publishing import versions as version_service

    latest = version_service.get(after, after.current_version)
    assert latest.source == "structure" and latest.fields[-1]["name"] == resp.json["name"]


@pytest.mark.wire
def test_crash_while_publishing_a_structure_version_leaves_no_field(client, author, monkeypatch):
    from portal.db import row_writer

    make_fillable(client, author)
    before = dataset()

    def broken(self, rows):
        raise OSError("disk full")

    monkeypatch.setattr(row_writer.VersionWriter, "write", broken)
    field = {"type": "number", "caption": ml("2024Y")}
    resp = client.post(f"/api/v1/datasets/{STATS}/fields", json=field, headers=author.headers)
    assert resp.status_code == 500
    after = dataset()
    assert [f.name for f in after.fields] == [f.name for f in before.fields]
    assert after.current_version == before.current_version
    assert "id" not in (after.lock or {})


@pytest.mark.wire
def test_field_edits_change_only_their_field(client, author):
    """Two edits of different fields, each a targeted update: neither is lost, and a stale
    copy of the document saved afterwards is not what the fields come from."""
    first = client.patch(
        f"/api/v1/datasets/{STATS}/fields/2010Y",
        json={"caption": ml("Year 2010")},
        headers=author.headers,
    )
    assert first.status_code == 200, first.json
    second = client.patch(
        f"/api/v1/datasets/{STATS}/fields/2011Y", json={"visible": False}, headers=author.headers
    )
    assert second.status_code == 200, second.json
    by_name = {f.name: f for f in dataset().fields}
    assert by_name["2010Y"].caption.uzbText == "Year 2010"
    assert by_name["2011Y"].visible is False
    assert by_name["2010Y"].visible is True
