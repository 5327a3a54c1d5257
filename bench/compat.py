"""Compat benchmark: `gettable?limit=10000` over 12,000 datasets on the embedded server.

    .venv/bin/python bench/compat.py [--datasets 12000] [--rounds 5] [--settle S] [--client]

Starts its own embedded database (a temporary folder, a free port), writes the reference data
and `--datasets` public datasets straight into it (tests/compat_catalog.py: several sectors,
three fields with a location, search terms), serves the app under gunicorn (one worker; or
the Flask test client with `--client`) and times, to the last byte of the answer, the first
`gettable?limit=10000` after start (`--settle` seconds after: the app loads its search
records and list views in the background when it starts, and the first list waits for them),
then `--rounds` more, the rest of the catalogue (`offset=10000`) and a filtered list
(`sphereId=<guid>`). It reports; it does not fail on a missed target.
"""

import argparse
import importlib.util
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.embedded import EmbeddedMongo, free_port  # noqa: E402

DB_NAME = "ochiq_bench_compat"
TARGET_S = 5.0
PATH = "/apiClient/main/gettable"


def _search_bench():
    """bench/search.py's app runners (gunicorn over HTTP, or in process)."""
    spec = importlib.util.spec_from_file_location("bench_search", ROOT / "bench" / "search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def populate(uri, count):
    """Reference data and `count` datasets over every sector; the sector guids."""
    from portal.db import connection
    from portal.db.models import Sector
    from portal.services import startup
    from tests.compat_catalog import insert_catalog

    connection.connect(uri, DB_NAME)
    try:
        startup.prepare(load_demo=False)
        sectors = {s.code: s.guid for s in Sector.objects}
        started = time.perf_counter()
        insert_catalog(count, sectors=sorted(sectors))
        print(f"wrote {count} datasets in {time.perf_counter() - started:.1f} s")
        return sorted(g for g in sectors.values() if g)
    finally:
        connection.disconnect()


def timed(app, params):
    started = time.perf_counter()
    status, body = app.get(PATH, params)
    elapsed = time.perf_counter() - started
    assert status == 200, body
    return elapsed, body


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=12000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--client", action="store_true", help="Flask test client, no HTTP")
    parser.add_argument("--keep", action="store_true", help="keep the database folder")
    parser.add_argument(
        "--settle", type=float, default=0, help="seconds to wait after start (warm-up)"
    )
    args = parser.parse_args()
    runners = _search_bench()

    folder = Path(tempfile.mkdtemp(prefix="ochiq-bench-compat-"))
    server = EmbeddedMongo(port=free_port(), path=str(folder / "db"), cache="512M")
    app = None
    try:
        print(f"embedded database on port {server.port} ({folder})")
        server.start()
        guids = populate(server.uri, args.datasets)
        env = dict(os.environ)
        env.update(
            {
                "PORTAL_MONGO_URI": server.uri,
                "PORTAL_MONGO_DB": DB_NAME,
                "PORTAL_LOAD_DEMO": "false",
                "PORTAL_SECRET_KEY": "bench-secret-" + "x" * 32,
            }
        )
        app = runners.InProcess(env) if args.client else runners.Served(env, folder / "app.log")
        app.start()
        time.sleep(args.settle)
        how = "test client" if args.client else "HTTP (gunicorn, one worker)"
        cold, body = timed(app, {"limit": 10000})
        items = len(body["result"]["data"])
        print(f"\n{how}, {body['result']['count']} public datasets")
        print(f"  first limit=10000, {args.settle:.0f} s after start ({items} items): {cold:.2f} s")
        warm = [timed(app, {"limit": 10000})[0] for _ in range(args.rounds)]
        print(
            f"  limit=10000, {args.rounds} more: median {statistics.median(warm):.2f} s, "
            f"max {max(warm):.2f} s"
        )
        rest, body = timed(app, {"limit": 10000, "offset": 10000})
        print(f"  offset=10000 ({len(body['result']['data'])} items): {rest:.2f} s")
        one, body = timed(app, {"limit": 10000, "sphereId": guids[0]})
        print(f"  sphereId={guids[0]} ({len(body['result']['data'])} items): {one:.2f} s")
        rss = app.worker_rss_mb() if hasattr(app, "worker_rss_mb") else None
        if rss:
            print(f"  app worker memory: {rss:.0f} MB")
        verdict = "met" if max(warm) <= TARGET_S else "missed"
        print(f"\ntarget limit=10000 within {TARGET_S:.0f} s: {verdict} (max {max(warm):.2f} s)")
    finally:
        if app:
            app.stop()
        server.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
