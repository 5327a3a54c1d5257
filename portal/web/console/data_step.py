"""Step 3 of editing a dataset: the template, the upload, its preview, and publishing it.

The uploaded file is kept server-side (the upload jobs' file store) and the session remembers
which stored file is this dataset's staged upload: the preview and the confirmation read that
file, never a copy the browser sends again. A large file is checked by an upload job whose
status page refreshes itself (a `Refresh` header, so it works without JavaScript).
"""

import io

from flask import current_app, g, render_template, request, send_file, session, url_for
from flask_babel import gettext as _

from exporters.annotated_xlsx import annotated
from portal.core.errors import BadRequest, Conflict, InvalidData, NotFound, PortalError
from portal.services.publishing import datasets, upload_jobs, uploads
from portal.services.publishing import preview as staged
from portal.web import args as query
from portal.web import cell_messages
from portal.web.console import done, refusals, see_other, signed_in
from portal.web.console.passport_step import editor
from portal.web.console.refusals import refusal
from portal.web.frame import bp

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAGED = "console_staged"  # session key: {dataset code: {file, filename, job}}


def staged_of(code):
    return (session.get(STAGED) or {}).get(code)


def _keep(code, entry):
    kept = dict(session.get(STAGED) or {})
    if entry is None:
        kept.pop(code, None)
    else:
        kept[code] = entry
    session[STAGED] = kept


def _forget(code):
    entry = staged_of(code)
    if entry:
        staged.drop(entry["file"])
        _keep(code, None)


def _limits():
    return uploads.Limits(current_app.config)


@bp.get("/console/datasets/<ds>/data", endpoint="console_data")
@signed_in("author", "operator")
def data_page(ds):
    """Step 3: download the template, upload the filled one; the integration API."""
    query.read({})
    dataset = editor(ds)
    return render_template(
        "console/data.html",
        dataset=dataset,
        staged=staged_of(dataset.code),
        template_url=f"/api/v1/datasets/{dataset.code}/template.xlsx",
        form_errors=[],
    )


@bp.post("/console/datasets/<ds>/data", endpoint="console_upload")
@signed_in("author")
def upload(ds):
    """Keep the uploaded file and show its preview (a large one is checked by a job first)."""
    dataset = datasets.for_author(g.user, ds)
    storage = request.files.get("file")
    if storage is None or not storage.filename:
        html = render_template(
            "console/data.html",
            dataset=dataset,
            staged=staged_of(dataset.code),
            template_url=f"/api/v1/datasets/{dataset.code}/template.xlsx",
            form_errors=[("file", _("Choose the filled template (xlsx or csv) to upload"))],
        )
        return html, 422
    _forget(dataset.code)
    limits = _limits()
    dataset, file_id = staged.stage(g.user, dataset.code, storage)
    entry = {"file": file_id, "filename": storage.filename[:200], "job": None}
    storage.stream.seek(0)
    if uploads.file_size(storage) > limits.job_threshold:
        job = staged.check_job(g.user, dataset.code, file_id, entry["filename"])
        entry["job"] = str(job.id)
        _keep(dataset.code, entry)
        return see_other("web.console_job", job_id=str(job.id))
    _keep(dataset.code, entry)
    return see_other("web.console_preview", ds=dataset.code)


def _problem_page(dataset, entry, errors, total, status):
    html = render_template(
        "console/preview.html",
        dataset=dataset,
        entry=entry,
        errors=errors,
        errors_total=total,
        result=None,
        form_errors=[("errors", _("The file has cells that do not match the structure"))],
    )
    return html, status


@bp.get("/console/datasets/<ds>/preview", endpoint="console_preview")
@signed_in("author", "operator")
def preview_page(ds):
    """The staged upload: its first rows and changes with a confirm button, or its errors."""
    query.read({})
    dataset = editor(ds)
    entry = staged_of(dataset.code)
    if not entry:
        done(_("There is no uploaded file to preview: upload one."))
        return see_other("web.console_data", ds=dataset.code)
    if entry.get("job"):
        return _job_preview(dataset, entry)
    try:
        result = staged.preview(g.user, dataset.code, entry["file"], entry["filename"], _limits())
    except InvalidData as exc:
        errors = exc.errors if isinstance(exc.errors, list) else []
        return _problem_page(dataset, entry, errors, _total(exc, errors), 422)
    except NotFound:
        _keep(dataset.code, None)
        done(_("The uploaded file is no longer kept: upload it again."))
        return see_other("web.console_data", ds=dataset.code)
    except PortalError as exc:
        error = {"row": None, "column": None, "value": "", "message": refusal(exc, "file"),
                 "ours": True}  # fmt: skip
        return _problem_page(dataset, entry, [error], 1, exc.status)
    return render_template(
        "console/preview.html",
        dataset=dataset,
        entry=entry,
        result=result,
        errors=[],
        form_errors=[],
    )


def _job_preview(dataset, entry):
    """A large file's preview is its checking job's: the job page until the job has ended
    well (it shows the errors of one that failed)."""
    try:
        doc = upload_jobs.job_dict(upload_jobs.get_job(g.user, entry["job"]))
    except NotFound:
        _keep(dataset.code, None)
        done(_("The uploaded file is no longer kept: upload it again."))
        return see_other("web.console_data", ds=dataset.code)
    result = staged.of_job(g.user, dataset.code, doc["result"]) if doc["status"] == "done" else None
    if result is None:
        return see_other("web.console_job", job_id=doc["id"])
    return render_template(
        "console/preview.html", dataset=dataset, entry=entry, result=result, errors=[],
        form_errors=[],
    )  # fmt: skip


def _total(exc, errors):
    digits = exc.message.split(" ", 1)[0]
    return int(digits) if digits.isdigit() else len(errors)


@bp.get("/console/datasets/<ds>/preview/marked.xlsx", endpoint="console_marked")
@signed_in("author", "operator")
def marked(ds):
    """The uploaded workbook with each bad cell filled and carrying its message, in the
    language of the page it is downloaded from (the address's)."""
    query.read({})
    dataset = editor(ds)
    entry = staged_of(dataset.code)
    if not entry:
        raise NotFound("there is no uploaded file: upload one")
    errors = _job_errors(entry)
    if errors is None:
        try:
            staged.preview(g.user, dataset.code, entry["file"], entry["filename"], _limits())
            errors = []
        except InvalidData as exc:
            errors = exc.errors if isinstance(exc.errors, list) else []
    try:
        said = [{**e, "message": cell_messages.plain(e.get("message"))} for e in errors]
        data = annotated(staged.read_staged(entry["file"]), entry["filename"], said)
    except Exception as exc:  # noqa: BLE001 - a file no reader opens has no cells to mark
        raise BadRequest("the uploaded file cannot be opened as a workbook") from exc
    name = f"{dataset.code}-errors.xlsx"
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)


def _job_errors(entry):
    """The row errors of the staged upload's checking job, when one ran."""
    if not entry.get("job"):
        return None
    try:
        doc = upload_jobs.job_dict(upload_jobs.get_job(g.user, entry["job"]))
    except NotFound:
        return None
    return (doc.get("error") or {}).get("errors") or []


@bp.post("/console/datasets/<ds>/publish", endpoint="console_publish")
@signed_in("author")
def publish(ds):
    """Publish the staged upload as the next version (confirmed on the preview)."""
    dataset = editor(ds)
    entry = staged_of(dataset.code)
    if not entry:
        done(_("There is no uploaded file to publish: upload one."))
        return see_other("web.console_data", ds=dataset.code)
    confirm = request.form.get("confirm_removal") == "1"
    limits = _limits()
    if entry.get("job"):
        job = staged.publish_job(
            g.user, dataset.code, entry["file"], entry["filename"], confirm_removal=confirm
        )
        _keep(dataset.code, None)  # the job owns the stored file now
        return see_other("web.console_job", job_id=str(job.id))
    try:
        result = staged.publish(
            g.user, dataset.code, entry["file"], entry["filename"], limits, confirm_removal=confirm
        )
    except Conflict:
        done(_("The file would remove most of the rows: confirm that and publish again."))
        return see_other("web.console_preview", ds=dataset.code, _anchor="confirm")
    except InvalidData:
        return see_other("web.console_preview", ds=dataset.code)  # it shows the errors
    _keep(dataset.code, None)
    done(_("Version %(n)s of %(code)s is published.", n=result["version"], code=dataset.code))
    return see_other("web.console_data", ds=dataset.code)


@bp.post("/console/datasets/<ds>/discard", endpoint="console_discard")
@signed_in("author")
def discard(ds):
    """Forget the staged upload."""
    dataset = editor(ds)
    _forget(dataset.code)
    done(_("The uploaded file is discarded."))
    return see_other("web.console_data", ds=dataset.code)


@bp.get("/console/jobs/<job_id>", endpoint="console_job")
@signed_in("author", "operator")
def job_page(job_id):
    """An upload job's progress; the page refreshes itself until the job ends."""
    query.read({})
    doc = upload_jobs.job_dict(upload_jobs.get_job(g.user, job_id))
    dataset = editor(doc["dataset"])
    entry = staged_of(dataset.code)
    checking = bool(entry and entry.get("job") == doc["id"])
    failure = refusals.message((doc["error"] or {}).get("code"), "file") if doc["error"] else ""
    result = None
    if checking and doc["status"] == "done":
        result = staged.of_job(g.user, dataset.code, doc["result"])
    html = render_template(
        "console/job.html",
        dataset=dataset,
        job=doc,
        checking=checking,
        entry=entry,
        result=result,
        failure=failure,
        poll_url=url_for("datasets.get_job", job_id=doc["id"]),
        form_errors=[],
    )
    headers = {"Refresh": "2"} if doc["status"] in ("queued", "running") else {}
    return html, 200, headers
