"""Management of datasets: passport, structure, template, uploads, integration, review."""

import io

from flask import current_app, jsonify, request, send_file, url_for
from flask_smorest import Blueprint

from portal.api.context import current_user
from portal.core.errors import BadRequest
from portal.ratelimits import rate_limit
from portal.services.identity.access import require_user
from portal.services.publishing import (
    datasets,
    integration,
    methodology,
    review,
    structure,
    templates,
    upload_jobs,
    uploads,
)
from schemas.common import PageArgs
from schemas.datasets import (
    DatasetCreate,
    DatasetPatch,
    DeskPage,
    FieldIn,
    FieldOut,
    FieldPatch,
    IntegrationOut,
    JobOut,
    MethodologyOut,
    NoticeArgs,
    NoticePage,
    PassportOut,
    RejectionIn,
    RejectionPage,
    Unread,
    UploadArgs,
    UploadFile,
    UploadResult,
)

blp = Blueprint("datasets", __name__, url_prefix="/api/v1", description="Dataset authoring")

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(name="file"):
    storage = request.files.get(name)
    if storage is None or not storage.filename:
        raise BadRequest(f"send the file as multipart form field '{name}'")
    return storage


@blp.post("/datasets")
@blp.arguments(DatasetCreate)
@blp.response(201, PassportOut)
def create_dataset(data):
    """Create a dataset passport (operator)"""
    return datasets.passport(datasets.create(current_user(), data))


@blp.patch("/datasets/<ds>")
@blp.arguments(DatasetPatch)
@blp.response(200, PassportOut)
def update_dataset(data, ds):
    """Complete or change the passport (the organization's author, or an operator)"""
    return datasets.passport(datasets.update(current_user(), ds, data))


@blp.put("/datasets/<ds>/methodology")
@blp.arguments(UploadFile, location="files")
@blp.response(200, MethodologyOut)
def put_methodology(files, ds):
    """Upload the methodology file: pdf, doc, docx, odt or xlsx (author)"""
    return methodology.store(
        current_user(), ds, _file(), current_app.config["METHODOLOGY_MAX_BYTES"]
    )


@blp.get("/datasets/<ds>/methodology")
def get_methodology(ds):
    """Download the methodology file"""
    filename, content_type, data = methodology.fetch(current_user(), ds)
    resp = send_file(
        io.BytesIO(data), mimetype=content_type, as_attachment=True, download_name=filename
    )
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@blp.post("/datasets/<ds>/fields")
@blp.arguments(FieldIn)
@blp.response(201, FieldOut)
def add_field(data, ds):
    """Add a field to the structure (author)"""
    return structure.add_field(current_user(), ds, data)


@blp.patch("/datasets/<ds>/fields/<name>")
@blp.arguments(FieldPatch)
@blp.response(200, FieldOut)
def update_field(data, ds, name):
    """Change a field's captions, visibility or order (author)"""
    return structure.update_field(current_user(), ds, name, data)


@blp.delete("/datasets/<ds>/fields/<name>")
@blp.response(204)
def delete_field(ds, name):
    """Remove a field from a dataset without data (author)"""
    structure.delete_field(current_user(), ds, name)


@blp.get("/datasets/<ds>/template.xlsx")
def template(ds):
    """The Excel template made from the structure, filled with the current rows (author)"""
    code, data = templates.build(current_user(), ds)
    return send_file(
        io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=f"{code}-template.xlsx"
    )


@blp.post("/datasets/<ds>/uploads")
@rate_limit("upload")
@blp.arguments(UploadArgs, location="query")
@blp.arguments(UploadFile, location="files")
@blp.response(201, UploadResult)
@blp.alt_response(202, schema=JobOut, description="a large file runs as a job")
def upload(args, files, ds):
    """Upload a filled template (xlsx or csv) as the next version; ?dry_run=1 only validates"""
    storage = _file()
    limits = uploads.Limits(current_app.config)
    user = require_user(current_user())
    if uploads.file_size(storage) > limits.job_threshold:
        job = upload_jobs.start_job(
            user, ds, storage, limits, dry_run=args["dry_run"], confirm=args["confirm_removal"]
        )
        doc = upload_jobs.job_dict(job)
        doc["url"] = url_for("datasets.get_job", job_id=doc["id"])
        # A Response passes through the 201 schema untouched.
        resp = jsonify(JobOut().dump(doc))
        resp.status_code = 202
        resp.headers["Location"] = doc["url"]
        return resp
    result = uploads.ingest(
        user,
        ds,
        storage.stream,
        storage.filename,
        limits,
        dry_run=args["dry_run"],
        confirm_removal=args["confirm_removal"],
    )
    return result, 200 if args["dry_run"] else 201


@blp.get("/jobs/<job_id>")
@blp.response(200, JobOut)
def get_job(job_id):
    """Progress (rows read, validated, written) and then the result of an upload job"""
    user = require_user(current_user())
    doc = upload_jobs.job_dict(upload_jobs.get_job(user, job_id))
    doc["url"] = url_for("datasets.get_job", job_id=doc["id"])
    return doc


@blp.post("/datasets/<ds>/token")
@blp.response(201, IntegrationOut)
def integration_token(ds):
    """The dataset's integration token with the method, URL and a data template ("Get API")"""
    return integration.issue_token(current_user(), ds, current_app.config["BASE_URL"])


@blp.post("/datasets/<ds>/rejections")
@blp.arguments(RejectionIn)
@blp.response(201, PassportOut)
def reject(data, ds):
    """Reject a dataset with reasons; its authors are notified (operator)"""
    return datasets.passport(review.reject(current_user(), ds, data["reasons"]))


@blp.get("/datasets/<ds>/rejections")
@blp.arguments(PageArgs, location="query")
@blp.response(200, RejectionPage)
def rejections(args, ds):
    """Every rejection of the dataset, newest first, cleared ones too (its authors, operators)"""
    return review.rejection_history(current_user(), ds, args["page"], args["page_size"])


@blp.delete("/datasets/<ds>/rejections")
@blp.response(200, PassportOut)
def clear_rejection(ds):
    """Clear the dataset's rejection: it is public again; the history keeps it (operator)"""
    return datasets.passport(review.clear_rejection(current_user(), ds))


@blp.get("/me/datasets")
@blp.arguments(PageArgs, location="query")
@blp.response(200, DeskPage)
def my_datasets(args):
    """The author's desk: ID, name, structure, status, updated date, active"""
    return review.desk(current_user(), args["page"], args["page_size"])


@blp.get("/me/notifications")
@blp.arguments(NoticeArgs, location="query")
@blp.response(200, NoticePage)
def my_notifications(args):
    """The caller's notifications, newest first, with the unread count"""
    return review.notifications(current_user(), args["page"], args["page_size"], args["unread"])


@blp.post("/me/notifications/<notice_id>/read")
@blp.response(200, Unread)
def mark_read(notice_id):
    """Mark a notification read"""
    return review.mark_read(current_user(), notice_id)


@blp.post("/me/notifications/read")
@blp.response(200, Unread)
def mark_all_read():
    """Mark every notification read"""
    return review.mark_read(current_user())
