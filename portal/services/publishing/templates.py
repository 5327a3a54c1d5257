"""Step 3: the Excel template of a dataset, filled with its current rows."""

from portal.db import rows as row_store
from portal.services import reference
from portal.services.publishing import datasets


def build(user, ref):
    """(code, xlsx bytes) of the dataset's template."""
    from exporters.template import build_template

    dataset = datasets.for_author(user, ref, operator_too=True)
    fields = [f.to_dict() for f in datasets.ordered_fields(dataset)]
    codes = {f["directory"] for f in fields if f["type"] == "directory" and f["directory"]}
    directories = list(reference.lookups(codes).values())
    current = None
    if dataset.current_version:
        current = row_store.iter_rows(dataset.id, dataset.current_version)
    data = build_template(fields, directories, rows=current, title=dataset.title.uzbText)
    return dataset.code, data
