"""Step 3 and 4: templates, validated uploads, versions, atomicity."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from portal.core.columns import template_columns
from tests.helpers import add_field, csv_bytes, ml, new_dataset, upload, xlsx_bytes


@pytest.fixture
def libraries(client, operator, author):
    """A dataset of every field type, owned by the author's organization."""
    ds = new_dataset(client, operator)
    client.patch(
        f"/api/v1/datasets/{ds['id']}",
        json={"kind": "editable", "keywords": "kitob"},
        headers=author.headers,
    )
    add_field(client, author, ds["id"], "text", ml("Nomi", "Номи", "Название", "Name"))
    add_field(
        client,
        author,
        ds["id"],
        "directory",
        ml("Hudud", "Ҳудуд", "Регион", "Region"),
        directory="regions",
    )
    add_field(client, author, ds["id"], "string", ml("Manzil"))
    add_field(client, author, ds["id"], "date", ml("Ochilgan sana"))
    add_field(client, author, ds["id"], "number", ml("Kitoblar soni"))
    add_field(client, author, ds["id"], "location", ml("Joylashuv"))
    add_field(client, author, ds["id"], "polygon", ml("Xizmat hududi"))
    return ds


def headers_of(client, author, ds):
    from portal.db.models import Dataset

    dataset = Dataset.objects(id=ds["id"]).first()
    return [c.header for c in template_columns([f.to_dict() for f in dataset.fields])]


GOOD = [
    [
        "1-son",
        "1-сон",
        "№ 1",
        "No. 1",
        "1726",
        "Amir Temur, 1",
        "12.03.2001",
        "15 230",
        "41.31108 69.27974",
        "[41.30, 69.26], [41.32, 69.26], [41.32, 69.29]",
    ],
    [
        "2-son",
        "2-сон",
        "№ 2",
        "No. 2",
        "Samarqand viloyati",
        "Registon, 5",
        date(1998, 9, 1),
        40210.5,
        "39.65417 66.975",
        "[39.64, 66.95], [39.67, 66.95]",
    ],
]


def stored(ds_id, version=None):
    from portal.db import rows
    from portal.db.models import Dataset

    dataset = Dataset.objects(id=ds_id).first()
    return list(rows.iter_rows(dataset.id, version or dataset.current_version))


@pytest.mark.wire
def test_upload_xlsx_of_every_type(client, author, libraries):
    header = headers_of(client, author, libraries)
    resp = upload(client, author, libraries["id"], xlsx_bytes(header, GOOD))
    assert resp.status_code == 201, resp.json
    assert resp.json["version"] == 1 and resp.json["rows"] == 2
    rows = stored(libraries["id"])
    assert rows[0]["Nomi"] == {
        "uzbText": "1-son",
        "uzbKrText": "1-сон",
        "rusText": "№ 1",
        "engText": "No. 1",
    }
    assert rows[0]["Hudud"] == "1726"
    assert rows[1]["Hudud"] == "1718"  # a name resolves to its code
    assert rows[0]["Ochilgansana"] == "2001-03-12"
    assert rows[1]["Ochilgansana"] == "1998-09-01"
    assert rows[0]["Kitoblarsoni"] == 15230
    assert rows[1]["Kitoblarsoni"] == 40210.5
    assert rows[0]["Joylashuv"] == [41.31108, 69.27974]
    assert rows[0]["Xizmathududi"] == [[41.30, 69.26], [41.32, 69.26], [41.32, 69.29]]
    from portal.db.models import Dataset

    assert Dataset.objects(id=libraries["id"]).first().status == "published"


@pytest.mark.wire
def test_bad_cells_are_all_reported_and_nothing_changes(client, author, libraries):
    header = headers_of(client, author, libraries)
    assert upload(client, author, libraries["id"], xlsx_bytes(header, GOOD)).status_code == 201
    bad = [
        GOOD[0],
        [],  # an empty row is skipped, but keeps the numbering
        ["x", "", "", "", "Atlantis", "a", "31.02.2020", "abc", "95 10", "[41.3, 69.2]"],
    ]
    resp = upload(client, author, libraries["id"], xlsx_bytes(header, bad))
    assert resp.status_code == 422
    errors = {e["column"]: e for e in resp.json["errors"]}
    assert all(e["row"] == 4 for e in resp.json["errors"])
    assert set(errors) == {"Hudud", "Ochilgan sana", "Kitoblar soni", "Joylashuv", "Xizmat hududi"}
    assert errors["Kitoblar soni"]["value"] == "abc"
    assert "not a number" in errors["Kitoblar soni"]["message"]
    assert "31.02.2020" in errors["Ochilgan sana"]["message"]
    assert "latitude" in errors["Joylashuv"]["message"]
    assert "two points" in errors["Xizmat hududi"]["message"]
    assert "Atlantis" in errors["Hudud"]["message"]
    from portal.db.models import Dataset

    assert Dataset.objects(id=libraries["id"]).first().current_version == 1
    assert len(stored(libraries["id"])) == 2


def test_header_mismatch_is_one_error(client, author, libraries):
    header = headers_of(client, author, libraries)
    header = [h for h in header if h != "Manzil"] + ["Telefon"]
    resp = upload(client, author, libraries["id"], xlsx_bytes(header, []))
    assert resp.status_code == 422
    assert len(resp.json["errors"]) == 1
    message = resp.json["errors"][0]["message"]
    assert "Manzil" in message and "Telefon" in message


def test_reordered_header_is_understood(client, author, libraries):
    header = headers_of(client, author, libraries)
    order = list(reversed(range(len(header))))
    rows = [[row[i] for i in order] for row in GOOD]
    resp = upload(client, author, libraries["id"], xlsx_bytes([header[i] for i in order], rows))
    assert resp.status_code == 201, resp.json
    assert stored(libraries["id"])[0]["Hudud"] == "1726"


def test_dry_run_writes_nothing(client, author, libraries):
    header = headers_of(client, author, libraries)
    resp = upload(client, author, libraries["id"], xlsx_bytes(header, GOOD), query="?dry_run=1")
    assert resp.status_code == 200, resp.json
    assert resp.json["dry_run"] is True and resp.json["rows"] == 2
    from portal.db.models import Dataset

    assert Dataset.objects(id=libraries["id"]).first().current_version == 0


@pytest.mark.parametrize("sep,bom", [(",", False), (";", True)])
def test_csv_upload(client, author, libraries, sep, bom):
    header = headers_of(client, author, libraries)
    rows = [
        [str(c) if not isinstance(c, date) else c.strftime("%d.%m.%Y") for c in r] for r in GOOD
    ]
    resp = upload(client, author, libraries["id"], csv_bytes(header, rows, sep, bom), "d.csv")
    assert resp.status_code == 201, resp.json
    assert stored(libraries["id"])[1]["Kitoblarsoni"] == 40210.5


def test_not_a_spreadsheet(client, author, libraries):
    resp = upload(client, author, libraries["id"], b"\x00\x01\x02binary\xff\xfe", "x.xlsx")
    assert resp.status_code == 400
    assert resp.json["message"]


def test_upload_needs_author_of_organization(client, author, other_author, libraries):
    header = headers_of(client, author, libraries)
    data = xlsx_bytes(header, GOOD)
    assert client.post(f"/api/v1/datasets/{libraries['id']}/uploads").status_code == 401
    resp = upload(client, other_author, libraries["id"], data)
    assert resp.status_code in (403, 404)


@pytest.mark.wire
def test_template_round_trip(client, author, libraries):
    resp = client.get(f"/api/v1/datasets/{libraries['id']}/template.xlsx", headers=author.headers)
    assert resp.status_code == 200
    wb = load_workbook(io.BytesIO(resp.data))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header == headers_of(client, author, libraries)
    assert "Nomi (uz)" in header[0] or header[0].startswith("Nomi")
    hidden = [s for s in wb.worksheets if s.sheet_state != "visible"]
    assert hidden, "the template carries a hidden column map"
    assert ws.data_validations.dataValidation, "the template uses data validation"
    # fill it (retyping one header cell) and upload it
    ws.cell(row=1, column=3).value = "Regionz"
    for r, row in enumerate(GOOD, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c).value = value
    buf = io.BytesIO()
    wb.save(buf)
    resp = upload(client, author, libraries["id"], buf.getvalue())
    assert resp.status_code == 201, resp.json
    # with data, the template comes filled with the current rows
    resp = client.get(f"/api/v1/datasets/{libraries['id']}/template.xlsx", headers=author.headers)
    ws = load_workbook(io.BytesIO(resp.data)).worksheets[0]
    assert ws.cell(row=2, column=1).value == "1-son"
    assert ws.cell(row=3, column=1).value == "2-son"
    resp = upload(client, author, libraries["id"], resp.data)
    assert resp.status_code == 201, resp.json
    assert resp.json["added"] == 0 and resp.json["rows"] == 2


@pytest.mark.wire
def test_new_version_stores_only_changed_rows(client, author, libraries):
    from portal.db import rows as row_store

    header = headers_of(client, author, libraries)
    many = [
        [f"n{i}", "", "", "", "1726", f"street {i}", "01.01.2020", i, "", ""] for i in range(200)
    ]
    assert upload(client, author, libraries["id"], xlsx_bytes(header, many)).status_code == 201
    first = stored(libraries["id"])
    many[10][5] = "changed"
    many[150][7] = -7
    resp = upload(client, author, libraries["id"], xlsx_bytes(header, many))
    assert resp.status_code == 201
    assert resp.json["version"] == 2
    assert (resp.json["added"], resp.json["removed"]) == (2, 2)
    assert row_store.storage_count(libraries["id"]) == 202
    assert stored(libraries["id"], 1) == first
    assert stored(libraries["id"], 2)[150]["Kitoblarsoni"] == -7
    from portal.db.models import Dataset

    versions = Dataset.objects(id=libraries["id"]).first().versions
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].checksum != versions[1].checksum
    from portal.services.publishing import versions as version_service

    dataset = Dataset.objects(id=libraries["id"]).first()
    assert version_service.get(dataset, 2).fields[0]["name"] == "Nomi"


def test_editable_keeps_columns_fillable_gains_them(client, operator, author, libraries):
    header = headers_of(client, author, libraries)
    assert upload(client, author, libraries["id"], xlsx_bytes(header, GOOD)).status_code == 201
    resp = client.post(
        f"/api/v1/datasets/{libraries['id']}/fields",
        json={"type": "number", "caption": ml("2024Y")},
        headers=author.headers,
    )
    assert resp.status_code == 409
    resp = client.delete(
        f"/api/v1/datasets/{libraries['id']}/fields/Manzil", headers=author.headers
    )
    assert resp.status_code == 409
    resp = client.patch(
        f"/api/v1/datasets/{libraries['id']}/fields/Manzil",
        json={"caption": ml("Manzili"), "order": 99},
        headers=author.headers,
    )
    assert resp.status_code == 200
    client.patch(
        f"/api/v1/datasets/{libraries['id']}", json={"kind": "fillable"}, headers=author.headers
    )
    add_field(client, author, libraries["id"], "number", ml("2024Y"))
    from portal.db.models import Dataset

    dataset = Dataset.objects(id=libraries["id"]).first()
    assert dataset.current_version == 2
    assert dataset.versions[-1].source == "structure"
    assert [r.get("2024Y") for r in stored(libraries["id"])] == [None, None]


@pytest.mark.wire
def run_queued_jobs(app):
    """Run the queued upload jobs in this process, as the worker would; their end states."""
    from portal.services.publishing import upload_jobs

    settings = upload_jobs.JobSettings(app.config)
    states = []
    with app.app_context():
        while (state := upload_jobs.run_next(settings)) is not None:
            states.append(state)
    return states


def test_large_file_runs_as_job(app, client, author, libraries):
    app.config["UPLOAD_JOB_THRESHOLD"] = 1000
    header = headers_of(client, author, libraries)
    many = [
        [f"n{i}", "", "", "", "1726", f"street {i}", "01.01.2020", i, "", ""] for i in range(3000)
    ]
    resp = upload(client, author, libraries["id"], xlsx_bytes(header, many))
    assert resp.status_code == 202, resp.json
    url = resp.json["url"]
    assert resp.headers["Location"].endswith(url)
    assert client.get(url, headers=author.headers).json["status"] == "queued"
    assert run_queued_jobs(app) == ["done"]
    job = client.get(url, headers=author.headers).json
    assert job["status"] == "done", job
    assert job["result"]["version"] == 1 and job["result"]["rows"] == 3000
    assert job["progress"]["read"] == 3000 and job["progress"]["written"] == 3000
    assert len(stored(libraries["id"])) == 3000
    # someone else cannot watch the job
    from tests.conftest import make_caller

    stranger = make_caller("s@ssv.uz", ["author"], "4-019")
    assert client.get(url, headers=stranger.headers).status_code == 404


def test_failing_job_reports_row_errors(app, client, author, libraries):
    app.config["UPLOAD_JOB_THRESHOLD"] = 1000
    header = headers_of(client, author, libraries)
    many = [
        [f"n{i}", "", "", "", "1726", "", "01.01.2020", "x" if i == 2500 else i, "", ""]
        for i in range(3000)
    ]
    resp = upload(client, author, libraries["id"], xlsx_bytes(header, many))
    assert resp.status_code == 202
    assert run_queued_jobs(app) == ["failed"]
    job = client.get(resp.json["url"], headers=author.headers).json
    assert job["status"] == "failed"
    assert job["error"]["code"] == 422
    assert job["error"]["errors"][0]["row"] == 2502
    from portal.db.models import Dataset

    assert Dataset.objects(id=libraries["id"]).first().current_version == 0
