"""gunicorn settings read from the working directory (`make run` and production alike); the
access log never carries secrets."""

logger_class = "portal.logs.AccessLogger"


def post_worker_init(worker):
    """Load the search records and the list views as a worker starts, before it takes its
    first request; open DuckDB once too, so that no request pays for loading it. (A worker
    that served while its list views loaded in the background made every request wait for
    the database behind that whole-catalogue read: up to a second each on the embedded
    server for the first ten seconds or more.) Then collect once and freeze what is left:
    the records live as long as the worker, and a full collection scanning them cost
    ~200 ms of a request now and then."""
    import gc

    from portal.db import columnar_file
    from portal.services.discovery import listing

    listing.warm()
    with columnar_file.connect() as con:
        con.execute("SELECT 1").fetchall()
    gc.collect()
    gc.freeze()
