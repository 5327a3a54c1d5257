"""Uploads that would lose data by accident, and the upload jobs (issue 7, items 12 and 15)."""

import logging
from datetime import timedelta

import pytest

from tests.helpers import add_field, csv_bytes, ml, new_dataset, upload
from tests.test_uploads import run_queued_jobs


@pytest.fixture
def towns(client, operator, author):
    """A dataset with 4 published rows: name (text) and population (number)."""
    ds = new_dataset(client, operator)
    add_field(client, author, ds["id"], "string", ml("Shahar"))
    add_field(client, author, ds["id"], "number", ml("Aholi"))
    rows = [
        ["Toshkent", "3000000"],
        ["Samarqand", "550000"],
        ["Buxoro", "280000"],
        ["Xiva", "90000"],
    ]
    resp = upload(client, author, ds["id"], csv_bytes(["Shahar", "Aholi"], rows), "t.csv")
    assert resp.status_code == 201, resp.json
    return ds


def version_of(ds_id):
    from portal.db.models import Dataset

    return Dataset.objects(id=ds_id).first().current_version


def test_header_only_csv_needs_confirmation(client, author, towns):
    data = csv_bytes(["Shahar", "Aholi"], [])
    resp = upload(client, author, towns["id"], data, "t.csv")
    assert resp.status_code == 409, resp.json
    assert "no data rows" in resp.json["message"]
    assert "all 4 rows" in resp.json["message"] and "?confirm_removal=1" in resp.json["message"]
    assert version_of(towns["id"]) == 1
    resp = upload(client, author, towns["id"], data, "t.csv", query="?confirm_removal=1")
    assert resp.status_code == 201 and resp.json["rows"] == 0
    assert version_of(towns["id"]) == 2


def test_upload_removing_most_rows_needs_confirmation(client, author, towns):
    data = csv_bytes(["Shahar", "Aholi"], [["Toshkent", "3000000"]])
    resp = upload(client, author, towns["id"], data, "t.csv")
    assert resp.status_code == 409
    assert "remove 3 of the 4 rows" in resp.json["message"]
    assert version_of(towns["id"]) == 1
    # keeping half is an ordinary update
    data = csv_bytes(["Shahar", "Aholi"], [["Toshkent", "3000001"], ["Xiva", "90001"]])
    assert upload(client, author, towns["id"], data, "t.csv").status_code == 201


def test_unterminated_quote_names_its_line(client, author, towns):
    data = b'Shahar,Aholi\r\nToshkent,1\r\n"Samarqand,2\r\nBuxoro,3\r\n'
    resp = upload(client, author, towns["id"], data, "t.csv")
    assert resp.status_code == 400
    assert resp.json["message"].startswith("line 3: a quoted cell is never closed")
    assert version_of(towns["id"]) == 1


def test_version_zero_and_missing_versions_are_404(client, towns):
    base = f"/api/v1/datasets/{towns['id']}"
    assert client.get(f"{base}/versions/1/data.csv").status_code == 200
    for path in ("/versions/0/data.csv", "/versions/0", "/versions/9/data.csv", "/versions/9"):
        resp = client.get(base + path)
        assert resp.status_code == 404, path
        assert (
            "Cache-Control" not in resp.headers
            or "max-age=86400" not in resp.headers["Cache-Control"]
        )


def test_date_times_carry_utc_zone(client, author, towns):
    resp = client.get(f"/api/v1/datasets/{towns['id']}/versions")
    assert resp.json["items"][0]["created_at"].endswith("Z")
    resp = client.get(f"/api/v1/datasets/{towns['id']}")
    assert resp.json["updated_at"].endswith("Z")
    token = client.post(f"/api/v1/datasets/{towns['id']}/token", headers=author.headers).json
    assert token["expires_at"].endswith("Z")


def test_template_refuses_rather_than_drops_rows(client, author, towns, monkeypatch):
    import exporters.template

    resp = client.get(f"/api/v1/datasets/{towns['id']}/template.xlsx", headers=author.headers)
    assert resp.status_code == 200
    monkeypatch.setattr(exporters.template, "MAX_DATA_ROWS", 3)
    resp = client.get(f"/api/v1/datasets/{towns['id']}/template.xlsx", headers=author.headers)
    assert resp.status_code == 409
    assert "more than 3 rows" in resp.json["message"] and "data.csv" in resp.json["message"]


# --- upload jobs ------------------------------------------------------------------------------


def _queue(app, client, author, towns, rows, query=""):
    app.config["UPLOAD_JOB_THRESHOLD"] = 10
    resp = upload(client, author, towns["id"], csv_bytes(["Shahar", "Aholi"], rows), "t.csv", query)
    assert resp.status_code == 202, resp.json
    return resp.json["url"]


def _jobs():
    from portal.db.models import Job

    return Job.objects


def _expire_lease(app):
    from portal.db.models import Job, utcnow

    Job._get_collection().update_many(
        {"status": "running"}, {"$set": {"lease_until": utcnow() - timedelta(seconds=1)}}
    )


def _claim_and_die(app):
    """A worker claims the job and dies: its lease runs out."""
    from portal.db import jobs as job_store
    from portal.services.publishing import upload_jobs

    settings = upload_jobs.JobSettings(app.config)
    assert job_store.claim("dead-worker", settings.lease, settings.max_attempts) is not None
    _expire_lease(app)


def test_job_of_a_dead_worker_is_retried_once(app, client, author, towns):
    rows = [[f"t{i}", str(i)] for i in range(6)]
    url = _queue(app, client, author, towns, rows)
    _claim_and_die(app)
    assert run_queued_jobs(app) == ["done"]
    job = client.get(url, headers=author.headers).json
    assert job["status"] == "done" and job["attempts"] == 2 and job["result"]["rows"] == 6


def test_job_whose_worker_died_twice_fails_with_a_message(app, client, author, towns):
    url = _queue(app, client, author, towns, [[f"t{i}", str(i)] for i in range(6)])
    _claim_and_die(app)
    _claim_and_die(app)
    assert run_queued_jobs(app) == []
    job = client.get(url, headers=author.headers).json
    assert job["status"] == "failed"
    assert job["error"]["message"].startswith("the worker running this upload stopped")
    assert version_of(towns["id"]) == 1
    from portal.db.connection import get_db

    assert get_db()["job_files.files"].count_documents({}) == 0  # its file is gone too


def test_jobs_run_at_most_the_configured_number_at_once(app, client, author, towns):
    from portal.db import jobs as job_store
    from portal.services.publishing import upload_jobs

    app.config["JOB_CONCURRENCY"] = 1
    _queue(app, client, author, towns, [[f"t{i}", str(i)] for i in range(6)])
    _queue(app, client, author, towns, [[f"u{i}", str(i)] for i in range(6)])
    settings = upload_jobs.JobSettings(app.config)
    assert job_store.claim("busy-worker", settings.lease, settings.max_attempts) is not None
    assert upload_jobs.run_next(settings) is None  # the one slot is taken
    assert _jobs()(status="queued").count() == 1


def test_job_row_errors_beyond_the_cap_live_in_gridfs(app, client, author, towns):
    from portal.db.models import Job

    app.config["JOB_ERRORS_INLINE"] = 5
    url = _queue(app, client, author, towns, [[f"t{i}", "x"] for i in range(30)])
    assert run_queued_jobs(app) == ["failed"]
    stored = Job.objects.first()
    assert len(stored.error["errors"]) == 5 and stored.error["errors_total"] == 30
    job = client.get(url, headers=author.headers).json
    assert job["error"]["code"] == 422
    assert [e["row"] for e in job["error"]["errors"]] == list(range(2, 32))


def test_unexpected_job_error_is_logged_and_answered_in_our_words(
    app, client, author, towns, monkeypatch, caplog
):
    from portal.services.publishing import uploads

    def broken(*args, **kwargs):
        raise RuntimeError("mongodb://secret@10.0.0.1 exploded")

    url = _queue(app, client, author, towns, [[f"t{i}", str(i)] for i in range(6)])
    monkeypatch.setattr(uploads, "ingest", broken)
    with caplog.at_level(logging.ERROR, logger="portal.jobs"):
        assert run_queued_jobs(app) == ["failed"]
    job = client.get(url, headers=author.headers).json
    assert job["error"] == {
        "code": 500,
        "message": "the upload failed because of an error on our side (it is logged); "
        "try again later",
    }
    assert "secret" not in str(job)
    assert any("exploded" in r.getMessage() or r.exc_info for r in caplog.records)


def test_job_checks_removal_like_a_direct_upload(app, client, author, towns):
    url = _queue(app, client, author, towns, [["Toshkent", "1"]] + [["", ""]] * 5)
    assert run_queued_jobs(app) == ["failed"]
    job = client.get(url, headers=author.headers).json
    assert job["error"]["code"] == 409 and "confirm_removal" in job["error"]["message"]
    url = _queue(
        app, client, author, towns, [["Toshkent", "1"]] + [["", ""]] * 5, "?confirm_removal=1"
    )
    assert run_queued_jobs(app) == ["done"]


def test_running_job_of_the_thread_era_fails_with_a_message(app, client, author, towns):
    from portal.db.models import Job
    from portal.services.publishing import upload_jobs

    job = Job(dataset=towns["id"], user=author.user.id, status="running").save()
    assert upload_jobs.run_next(upload_jobs.JobSettings(app.config)) is None
    job.reload()
    assert job.status == "failed" and job.error["message"].startswith("the worker running")
