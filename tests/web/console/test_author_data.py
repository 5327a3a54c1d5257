"""Step 3: the template, the upload kept server-side, its preview, publishing, the errors."""

import io
import re

from openpyxl import load_workbook

from tests.helpers import add_field, ml
from tests.web.console.authoring import HTML, draft, sign_in


def _ready(client, author, operator):
    """A dataset with a string and a number field; its code and the CSRF token."""
    code = draft(client, operator)
    add_field(client, author, code, "string", ml("Hudud"), name="hudud")
    add_field(client, author, code, "number", ml("Soni"), name="soni")
    return code, sign_in(client, "author@stat.uz")


def _filled(client, code, rows):
    resp = client.get(f"/api/v1/datasets/{code}/template.xlsx")
    assert resp.status_code == 200
    book = load_workbook(io.BytesIO(resp.data))
    sheet = book.worksheets[0]
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, code, csrf, data, name="filled.xlsx"):
    form = {"csrf_token": csrf, "file": (io.BytesIO(data), name)}
    return client.post(
        f"/en/console/datasets/{code}/data", data=form, content_type="multipart/form-data"
    )


def test_data_page_links_the_template_and_the_api(client, author, operator):
    code, _ = _ready(client, author, operator)
    html = client.get(f"/en/console/datasets/{code}/data", headers=HTML).text
    assert f'href="/api/v1/datasets/{code}/template.xlsx"' in html
    assert f'href="/en/console/datasets/{code}/api"' in html and 'type="file"' in html
    assert "Step 3: Uploading a dataset file" in html


def test_upload_preview_then_publish_then_a_second_version(client, author, operator):
    code, csrf = _ready(client, author, operator)
    resp = _upload(client, code, csrf, _filled(client, code, [["Toshkent", 5], ["Buxoro", 7]]))
    assert resp.status_code == 303
    assert resp.headers["Location"] == f"/en/console/datasets/{code}/preview"
    html = client.get(f"/en/console/datasets/{code}/preview", headers=HTML).text
    assert "<li>Rows added: 2</li>" in html and "<td>Toshkent</td>" in html
    passport = client.get(f"/api/v1/datasets/{code}", headers=author.headers).json
    assert passport["version"] == 0  # nothing is published by the preview
    resp = client.post(f"/en/console/datasets/{code}/publish", data={"csrf_token": csrf})
    assert resp.status_code == 303
    assert client.get(f"/api/v1/datasets/{code}", headers=author.headers).json["version"] == 1
    assert (
        f"Version 1 of {code} is published."
        in client.get(f"/en/console/datasets/{code}/data", headers=HTML).text
    )
    rows = [["Toshkent", 6], ["Buxoro", 7], ["Xiva", 1]]
    _upload(client, code, csrf, _second(client, code, rows))
    html = client.get(f"/en/console/datasets/{code}/preview", headers=HTML).text
    assert "<li>Rows changed: 1</li>" in html and "<li>Rows added: 1</li>" in html
    assert "<li>Rows unchanged: 1</li>" in html
    client.post(f"/en/console/datasets/{code}/publish", data={"csrf_token": csrf})
    assert client.get(f"/api/v1/datasets/{code}", headers=author.headers).json["version"] == 2


def _second(client, code, rows):
    """The template of a dataset with data holds its rows: replace them."""
    resp = client.get(f"/api/v1/datasets/{code}/template.xlsx")
    book = load_workbook(io.BytesIO(resp.data))
    sheet = book.worksheets[0]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_bad_cells_give_the_error_table_and_the_marked_workbook(client, author, operator):
    code, csrf = _ready(client, author, operator)
    _upload(client, code, csrf, _filled(client, code, [["Toshkent", 5], ["Buxoro", "ko'p"]]))
    resp = client.get(f"/en/console/datasets/{code}/preview", headers=HTML)
    assert resp.status_code == 422 and 'class="error-summary"' in resp.text
    row = re.search(r"<tr><td>3</td><td>([^<]+)</td><td><code>([^<]+)</code></td>", resp.text)
    assert row and row.group(2) == "ko&#39;p"
    resp = client.get(f"/en/console/datasets/{code}/preview/marked.xlsx")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(resp.data)).worksheets[0]
    bad = [c for r in sheet.iter_rows() for c in r if c.comment is not None]
    assert [(c.row, c.value) for c in bad] == [(3, "ko'p")]
    assert "number" in bad[0].comment.text and bad[0].fill.fill_type == "solid"
    resp = client.post(f"/en/console/datasets/{code}/publish", data={"csrf_token": csrf})
    assert resp.status_code == 303  # back to the errors: nothing is published
    assert client.get(f"/api/v1/datasets/{code}", headers=author.headers).json["version"] == 0


def test_no_file_is_an_error_on_the_form(client, author, operator):
    code, csrf = _ready(client, author, operator)
    resp = client.post(
        f"/en/console/datasets/{code}/data",
        data={"csrf_token": csrf},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422 and 'href="#file"' in resp.text


def test_a_file_that_is_not_a_table_is_explained(client, author, operator):
    code, csrf = _ready(client, author, operator)
    _upload(client, code, csrf, b"\x00\x01 not a table", name="x.xlsx")
    resp = client.get(f"/en/console/datasets/{code}/preview", headers=HTML)
    assert 400 <= resp.status_code < 500 and 'class="error-summary"' in resp.text


def test_the_upload_needs_csrf_and_the_organization(client, author, operator):
    code, csrf = _ready(client, author, operator)
    other = draft(client, operator, org="4-019")
    data = _filled(client, code, [["Toshkent", 5]])
    assert _upload(client, code, "", data).status_code == 403
    assert _upload(client, other, csrf, data).status_code in (403, 404)
    assert client.post(f"/en/console/datasets/{code}/publish", data={}).status_code == 403


def test_the_preview_reads_only_the_file_this_session_uploaded(client, app, author, operator):
    code, csrf = _ready(client, author, operator)
    _upload(client, code, csrf, _filled(client, code, [["Toshkent", 5]]))
    stranger = app.test_client()
    sign_in(stranger, "author@stat.uz")
    resp = stranger.get(f"/en/console/datasets/{code}/preview", headers=HTML)
    assert resp.status_code == 303  # nothing staged in that session
    resp = stranger.post(f"/en/console/datasets/{code}/publish", data={"csrf_token": csrf})
    assert resp.status_code == 403  # and not its token either


def test_discard_forgets_the_file(client, author, operator):
    code, csrf = _ready(client, author, operator)
    _upload(client, code, csrf, _filled(client, code, [["Toshkent", 5]]))
    assert (
        client.post(f"/en/console/datasets/{code}/discard", data={"csrf_token": csrf}).status_code
        == 303
    )
    resp = client.get(f"/en/console/datasets/{code}/preview", headers=HTML)
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/data")


def test_a_large_file_is_checked_by_a_job_with_a_refreshing_page(app, client, author, operator):
    from portal.services.publishing import upload_jobs

    code, csrf = _ready(client, author, operator)
    app.config["UPLOAD_JOB_THRESHOLD"] = 100
    resp = _upload(client, code, csrf, _filled(client, code, [["Toshkent", 5]]))
    assert resp.status_code == 303 and "/en/console/jobs/" in resp.headers["Location"]
    # the check job reads the staged file: the upload is stored once
    assert _stored_uploads() == 1
    page = client.get(resp.headers["Location"], headers=HTML)
    assert page.status_code == 200 and page.headers["Refresh"] == "2" and "<progress" in page.text
    settings = upload_jobs.JobSettings(app.config)
    assert upload_jobs.run_next(settings) == "done"
    assert _stored_uploads() == 1, "the check leaves the staged file for the publication"
    page = client.get(resp.headers["Location"], headers=HTML)
    assert "Refresh" not in page.headers and "The file is valid: 1 rows." in page.text
    # the same preview as a small file's: the changes, the first rows, the Publish button
    assert "<li>Rows added: 1</li>" in page.text and "<td>Toshkent</td>" in page.text
    assert 'id="confirm"' in page.text
    publish = client.post(f"/en/console/datasets/{code}/publish", data={"csrf_token": csrf})
    assert publish.status_code == 303 and "/en/console/jobs/" in publish.headers["Location"]
    assert upload_jobs.run_next(settings) == "done"
    page = client.get(publish.headers["Location"], headers=HTML)
    assert f"Version 1 of {code} is published." in page.text
    assert _stored_uploads() == 0, "the publication's job removed the file it published"


def _stored_uploads():
    from portal.db import jobs
    from portal.db.connection import get_db

    return get_db()[f"{jobs.FILES}.files"].count_documents({})


def test_a_large_bad_file_shows_the_job_errors_and_the_marked_workbook(
    app, client, author, operator
):
    from portal.services.publishing import upload_jobs

    code, csrf = _ready(client, author, operator)
    app.config["UPLOAD_JOB_THRESHOLD"] = 100
    resp = _upload(client, code, csrf, _filled(client, code, [["Toshkent", "x"]]))
    upload_jobs.run_next(upload_jobs.JobSettings(app.config))
    page = client.get(resp.headers["Location"], headers=HTML)
    assert 'class="error-summary"' in page.text and "<td>2</td>" in page.text
    marked = client.get(f"/en/console/datasets/{code}/preview/marked.xlsx")
    sheet = load_workbook(io.BytesIO(marked.data)).worksheets[0]
    assert [c.row for r in sheet.iter_rows() for c in r if c.comment] == [2]


def test_someone_elses_job_is_not_shown(app, client, author, operator, other_author):
    code, csrf = _ready(client, author, operator)
    app.config["UPLOAD_JOB_THRESHOLD"] = 100
    resp = _upload(client, code, csrf, _filled(client, code, [["Toshkent", 5]]))
    stranger = app.test_client()
    sign_in(stranger, "author@ssv.uz")
    assert stranger.get(resp.headers["Location"], headers=HTML).status_code == 404


def test_a_large_files_preview_shows_the_first_rows_and_the_changes(app, client, author, operator):
    from portal.services.publishing import upload_jobs

    code, csrf = _ready(client, author, operator)
    client.post(f"/en/console/datasets/{code}/data", data={"csrf_token": csrf, "file": (
        io.BytesIO(_filled(client, code, [["Toshkent", 5], ["Buxoro", 7], ["Nukus", 2]])),
        "small.xlsx")}, content_type="multipart/form-data")  # fmt: skip
    client.post(f"/en/console/datasets/{code}/publish", data={"csrf_token": csrf})
    app.config["UPLOAD_JOB_THRESHOLD"] = 100
    rows = [["Toshkent", 6], ["Buxoro", 7], ["Xiva", 1], ["Urganch", 3]]
    resp = _upload(client, code, csrf, _second(client, code, rows))
    job_url = resp.headers["Location"]
    assert "/en/console/jobs/" in job_url
    # before the job has run, the preview is the job's refreshing page
    early = client.get(f"/en/console/datasets/{code}/preview", headers=HTML)
    assert early.status_code == 303 and early.headers["Location"] == job_url
    assert upload_jobs.run_next(upload_jobs.JobSettings(app.config)) == "done"
    for page in (client.get(job_url, headers=HTML),
                 client.get(f"/en/console/datasets/{code}/preview", headers=HTML)):  # fmt: skip
        assert page.status_code == 200
        for line in ("Rows in the file: 4", "Rows added: 1", "Rows changed: 2",
                     "Rows unchanged: 1", "Rows removed: 0"):  # fmt: skip
            assert f"<li>{line}</li>" in page.text, line
        assert "<td>Urganch</td>" in page.text and "<td>6</td>" in page.text
        assert "publishing makes version 2" in page.text and 'id="confirm"' in page.text
    assert client.get(f"/api/v1/datasets/{code}", headers=author.headers).json["version"] == 1
    publish = client.post(f"/en/console/datasets/{code}/publish", data={"csrf_token": csrf})
    assert "/en/console/jobs/" in publish.headers["Location"]
    assert upload_jobs.run_next(upload_jobs.JobSettings(app.config)) == "done"
    assert client.get(f"/api/v1/datasets/{code}", headers=author.headers).json["version"] == 2


def test_a_large_files_preview_in_russian(app, client, author, operator):
    from portal.services.publishing import upload_jobs

    code, _ = _ready(client, author, operator)
    csrf = sign_in(client, "author@stat.uz", lang="ru")
    app.config["UPLOAD_JOB_THRESHOLD"] = 100
    form = {"csrf_token": csrf, "file": (io.BytesIO(_filled(client, code, [["Toshkent", 5]])),
                                          "big.xlsx")}  # fmt: skip
    resp = client.post(f"/ru/console/datasets/{code}/data", data=form,
                       content_type="multipart/form-data")  # fmt: skip
    upload_jobs.run_next(upload_jobs.JobSettings(app.config))
    page = client.get(resp.headers["Location"], headers=HTML)
    assert "<td>Toshkent</td>" in page.text and "Rows added" not in page.text


def test_a_failed_check_of_a_large_file_leaves_the_staged_file(app, client, author, operator):
    """The check job's worker dies twice: the job fails, the staged upload it read stays,
    and the author can publish it."""
    from datetime import timedelta

    from portal.db import jobs as job_store
    from portal.db.models import Job, utcnow
    from portal.services.publishing import upload_jobs

    code, csrf = _ready(client, author, operator)
    app.config["UPLOAD_JOB_THRESHOLD"] = 100
    _upload(client, code, csrf, _filled(client, code, [["Toshkent", 5]]))
    settings = upload_jobs.JobSettings(app.config)
    for _ in range(2):
        assert job_store.claim("dead-worker", settings.lease, settings.max_attempts) is not None
        Job._get_collection().update_many(
            {"status": "running"}, {"$set": {"lease_until": utcnow() - timedelta(seconds=1)}}
        )
    assert upload_jobs.run_next(settings) is None
    assert Job.objects.first().status == "failed"
    assert _stored_uploads() == 1
    publish = client.post(f"/en/console/datasets/{code}/publish", data={"csrf_token": csrf})
    assert publish.status_code == 303 and "/en/console/jobs/" in publish.headers["Location"]
    assert upload_jobs.run_next(settings) == "done"
    assert _stored_uploads() == 0
