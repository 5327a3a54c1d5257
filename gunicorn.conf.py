"""gunicorn settings read from the project folder: the access log never carries secrets."""

logger_class = "portal.logs.AccessLogger"
