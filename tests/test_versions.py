"""The version model: a checksum that extends, a bounded dataset document, the history in its
own collection, and the migration of documents made by earlier builds."""

import bson
import pytest

from tests.helpers import csv_bytes, upload

STATS = "2-001-11072"


def token_of(client, caller):
    resp = client.post(f"/api/v1/datasets/{STATS}/token", headers=caller.headers)
    assert resp.status_code == 201, resp.json
    return resp.json


def push(client, token, rows, mode="append", **extra):
    body = {"id": token["dataset"], "token": token["token"], "data": rows, "mode": mode, **extra}
    resp = client.post("/apiData/MainData/ExternalApi", json=body)
    assert resp.status_code == 200, resp.json
    return resp.json


def record(number):
    from portal.db.models import Dataset
    from portal.services.publishing import versions

    return versions.get(Dataset.objects(code=STATS).first(), number)


def stats_rows(values):
    return [{"2010Y": str(v), "2011Y": str(v * 2)} for v in values]


@pytest.mark.wire
def test_same_rows_same_checksum_however_they_arrived(client, author):
    from portal.core.columns import template_columns
    from portal.db.models import Dataset
    from portal.services.publishing import versions

    token = token_of(client, author)
    # 3 rows in place of the demo's 15: a removal the caller confirms
    first = push(client, token, stats_rows([1, 2, 3]), mode="replace", confirm_removal=True)
    first = first["version"]
    appended = push(client, token, stats_rows([4, 5]))["version"]
    replaced = push(client, token, stats_rows([1, 2, 3, 4, 5]), mode="replace")
    assert replaced["added"] == 0, "every row is shared with the appended version"
    back = push(client, token, stats_rows([1, 2, 3]), mode="replace", confirm_removal=True)
    back = back["version"]
    # the same five rows through an upload
    dataset = Dataset.objects(code=STATS).first()
    columns = template_columns([f.to_dict() for f in dataset.fields])
    values = {"2010Y": 1, "2011Y": 2}
    cells = [
        [str(v * values[c.field]) if c.field in values else "" for c in columns]
        for v in (1, 2, 3, 4, 5)
    ]
    resp = upload(client, author, STATS, csv_bytes([c.header for c in columns], cells), "d.csv")
    assert resp.status_code == 201, resp.json
    uploaded = resp.json["version"]

    assert record(appended).checksum == record(replaced["version"]).checksum
    assert record(appended).checksum == record(uploaded).checksum
    assert record(first).checksum == record(back).checksum != record(appended).checksum
    dataset.reload()
    for number in range(1, dataset.current_version + 1):
        assert versions.verify(dataset, number), number


@pytest.mark.wire
def test_append_extends_the_chain_without_reading_the_rows(client, author, monkeypatch):
    from portal.db import rows as row_store

    token = token_of(client, author)
    push(client, token, stats_rows(range(50)), mode="replace")

    def no_reading(*args, **kwargs):
        raise AssertionError("an append read the previous version's rows")

    monkeypatch.setattr(row_store, "hashes", no_reading)
    answer = push(client, token, stats_rows([7]))
    assert answer["rows"] == 51
    monkeypatch.undo()
    from portal.db.models import Dataset
    from portal.services.publishing import versions

    assert versions.verify(Dataset.objects(code=STATS).first(), answer["version"])


@pytest.mark.wire
def test_document_stays_bounded_and_history_pages(client, author):
    from portal.db.models import Dataset
    from portal.services.publishing import versions

    token = token_of(client, author)
    col = Dataset._get_collection()
    sizes = {}
    for i in range(45):
        push(client, token, stats_rows([i]))
        if i in (24, 44):
            sizes[i] = len(bson.encode(col.find_one({"code": STATS})))
    doc = col.find_one({"code": STATS})
    assert len(doc["versions"]) == versions.WINDOW
    assert all("fields" not in r for r in doc["versions"])
    assert sizes[44] <= sizes[24] * 1.02
    total = doc["current_version"]
    seen = []
    for page in (1, 2, 3):
        resp = client.get(f"/api/v1/datasets/{STATS}/versions?page={page}&page_size=20")
        assert resp.status_code == 200
        assert resp.json["total"] == total
        seen += [v["number"] for v in resp.json["items"]]
    assert seen == list(range(total, 0, -1))
    oldest = client.get(f"/api/v1/datasets/{STATS}/versions/1").json
    assert oldest["number"] == 1 and oldest["fields"]
    assert client.get(f"/api/v1/datasets/{STATS}/versions/1/data.csv").status_code == 200


def _to_old_shape(dataset):
    """Rewrite a dataset as earlier builds stored it: every record on the document, each with
    its fields and the first builds' checksum; no history, no snapshots."""
    from portal.db import rows as row_store
    from portal.db.connection import get_db
    from portal.services.publishing import versions

    records = []
    for number in range(1, dataset.current_version + 1):
        rec = versions.get(dataset, number)
        old = {
            k: getattr(rec, k)
            for k in ("number", "created_at", "by", "source", "rows", "added", "removed")
        }
        old["fields"] = rec.fields
        old["checksum"] = row_store.checksum_of(dataset.id, number, scheme=1)
        records.append(old)
    db = get_db()
    db["version_history"].delete_many({"dataset": dataset.id})
    db["field_snapshots"].delete_many({"dataset": dataset.id})
    db["datasets"].update_one({"_id": dataset.id}, {"$set": {"versions": records}})
    return records


@pytest.mark.wire
def test_start_up_migrates_the_old_document_shape(app, client, author):
    from portal.db.connection import get_db
    from portal.db.models import Dataset
    from portal.services import startup
    from portal.services.publishing import versions

    token = token_of(client, author)
    for i in range(24):
        push(client, token, stats_rows([i]))
    dataset = Dataset.objects(code=STATS).first()
    old = _to_old_shape(dataset)
    assert len(old) == 25
    get_db()["startup"].delete_one({"_id": "versions-window"})
    startup.prepare(load_demo=False)

    doc = get_db()["datasets"].find_one({"code": STATS})
    assert [r["number"] for r in doc["versions"]] == list(range(26 - versions.WINDOW, 26))
    assert all("fields" not in r and r["structure"] for r in doc["versions"])
    assert get_db()["version_history"].count_documents({"dataset": dataset.id}) == 25
    dataset.reload()
    listed = client.get(f"/api/v1/datasets/{STATS}/versions?page_size=100").json
    assert [v["number"] for v in listed["items"]] == list(range(25, 0, -1))
    by_number = {v["number"]: v for v in listed["items"]}
    for rec in old:
        assert by_number[rec["number"]]["checksum"] == rec["checksum"]
        assert versions.get(dataset, rec["number"]).fields == rec["fields"]
        assert versions.verify(dataset, rec["number"]), rec["number"]
    # once: a second run changes nothing; and the next push extends the migrated version
    from portal.services.publishing import migrate

    assert migrate.run(versions.WINDOW) == 0
    answer = push(client, token, stats_rows([99]))
    assert answer["version"] == 26
    dataset.reload()
    assert versions.verify(dataset, 26) and versions.verify(dataset, 25)


@pytest.mark.wire
def test_a_first_version_has_the_row_index_and_a_failed_one_leaves_no_rows(
    client, operator, author
):
    from portal.core.columns import template_columns
    from portal.db import rows as row_store
    from portal.db.models import Dataset
    from portal.services.publishing import versions
    from tests.helpers import add_field, new_dataset

    ds = new_dataset(client, operator)
    add_field(client, author, ds["id"], "number", "Soni")
    dataset = Dataset.objects(id=ds["id"]).first()
    col = row_store.collection(dataset.id)
    fields = [f.to_dict() for f in dataset.fields]
    row_index = "p_1_f_1_t_1"

    def failing(n):
        for i in range(n):
            yield {"Soni": i}
        raise RuntimeError("the source broke off")

    # a first write that fails leaves no rows
    with pytest.raises(RuntimeError):
        versions.publish(dataset, failing(5000), source="upload", by="t", fields=fields)
    dataset.reload()
    assert dataset.current_version == 0
    assert col.count_documents({}) == 0

    header = [c.header for c in template_columns(fields)]
    resp = upload(
        client, author, ds["id"], csv_bytes(header, [[str(i)] for i in range(30)]), "d.csv"
    )
    assert resp.status_code == 201, resp.json
    assert row_index in col.index_information()
    assert col.count_documents({}) == 30
    # later versions write into the indexed collection, and it stays so
    resp = upload(
        client, author, ds["id"], csv_bytes(header, [[str(i)] for i in range(31)]), "d.csv"
    )
    assert resp.status_code == 201, resp.json
    assert row_index in col.index_information()
    dataset.reload()
    assert [r["Soni"] for r in row_store.iter_rows(dataset.id, 2)] == list(range(31))
