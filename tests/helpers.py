"""Builders shared by the HTTP tests: xlsx and csv files, passports, structures."""

import io

from openpyxl import Workbook


def ml(uz, oz=None, ru=None, en=None):
    return {"uzbText": uz, "uzbKrText": oz or uz, "rusText": ru or uz, "engText": en or uz}


def xlsx_bytes(header, rows, sheet="Data"):
    """A real .xlsx with one sheet: header row, then rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(header, rows, sep=",", bom=False):
    import csv

    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def upload(client, caller, ds, data, filename="data.xlsx", query=""):
    return client.post(
        f"/api/v1/datasets/{ds}/uploads{query}",
        data={"file": (io.BytesIO(data), filename)},
        headers=caller.headers,
        content_type="multipart/form-data",
    )


def new_dataset(client, operator, org="2-001", **extra):
    body = {
        "organization": org,
        "title": ml("Maktablar", "Мактаблар", "Школы", "Schools"),
        "sector": "education",
        "is_priority": False,
        "update_frequency": "annual",
        **extra,
    }
    resp = client.post("/api/v1/datasets", json=body, headers=operator.headers)
    assert resp.status_code == 201, resp.json
    return resp.json


def add_field(client, author, ds, type_, caption, **extra):
    body = {
        "type": type_,
        "caption": caption if isinstance(caption, dict) else ml(caption),
        **extra,
    }
    resp = client.post(f"/api/v1/datasets/{ds}/fields", json=body, headers=author.headers)
    assert resp.status_code == 201, resp.json
    return resp.json
