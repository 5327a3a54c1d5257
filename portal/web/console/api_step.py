"""Step 3's "API functionality for integration": Get API (method, URL, data, id, token)."""

import json

from flask import current_app, g, render_template
from flask_babel import gettext as _

from portal.services.publishing import datasets, integration
from portal.web import args as query
from portal.web.console import signed_in
from portal.web.console.passport_step import editor
from portal.web.frame import bp


def _table(dataset, token=None):
    """The rows of the guide's table: name, value, description."""
    fields = [f.to_dict() for f in datasets.ordered_fields(dataset)]
    row = integration.data_template(fields)[0]
    url = current_app.config["BASE_URL"].rstrip("/") + integration.PUSH_PATH
    example = {"data": [row], "id": str(dataset.id), "token": token}
    return {
        "method": "POST",
        "url": url,
        "data": json.dumps(row, ensure_ascii=False, indent=2),
        "id": str(dataset.id),
        "token": token,
        "example": json.dumps(example, ensure_ascii=False, indent=2),
    }


@bp.get("/console/datasets/<ds>/api", endpoint="console_api")
@signed_in("author", "operator")
def api_page(ds):
    """How an information system pushes rows to this dataset; "Get token" issues one."""
    query.read({})
    dataset = editor(ds)
    return render_template("console/api.html", dataset=dataset, api=_table(dataset), issued=False)


@bp.post("/console/datasets/<ds>/api", endpoint="console_api_token")
@signed_in("author")
def api_token(ds):
    """Issue the dataset's integration token (older ones stop working); shown once."""
    dataset = editor(ds)
    issued = integration.issue_token(g.user, dataset.code, current_app.config["BASE_URL"])
    html = render_template(
        "console/api.html",
        dataset=dataset,
        api=_table(dataset, issued["token"]),
        issued=True,
        status=_("A new token is issued: copy it now, it is shown only once."),
    )
    return html, 200, {"Cache-Control": "no-store"}
