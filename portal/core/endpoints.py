"""Marks a plain (non flask-smorest) view carries for the request guards in portal/api.

flask-smorest views declare their query parameters with a schema; a plain view says which
parameters it reads with ``@takes_query(...)``. Every other parameter is refused with 400, so a
misspelt option (``?dryrun=1``) never passes silently.
"""


def takes_query(*names):
    """Declare the query parameters a plain view reads (case-sensitive)."""

    def mark(view):
        view.query_params = frozenset(names)
        return view

    return mark


def credentials_in_body(view):
    """The view reads its own credentials (a token in the JSON body) and parses its own body."""
    view.credentials_in_body = True
    return view
