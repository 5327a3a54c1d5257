"""gunicorn settings read from the working directory (`make run` and production alike); the
access log never carries secrets."""

logger_class = "portal.logs.AccessLogger"


def post_worker_init(worker):
    """Load the search records as a worker starts, before it takes its first request; open
    DuckDB once too, so that no request pays for loading it. Then collect once and freeze
    what is left: the records live as long as the worker, and a full collection scanning
    them cost ~200 ms of a request now and then."""
    import gc

    from portal.db import columnar_file
    from portal.services.discovery import search

    search.warm()
    with columnar_file.connect() as con:
        con.execute("SELECT 1").fetchall()
    gc.collect()
    gc.freeze()
