"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`."""

import gc

from portal.app import create_app
from portal.serve import DatabaseNotRunning

try:
    app = create_app()
except DatabaseNotRunning as exc:
    raise SystemExit(f"error: {exc}") from None
# The app's long-lived objects need no more collection: keep the collector off them, so
# large uploads and exports do not pay for scanning them again and again.
gc.freeze()
