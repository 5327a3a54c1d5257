"""Statistics and monitoring benchmark: 13,000 datasets, every endpoint over HTTP, p50/p95/max,
and the daily monitoring run timed.

    .venv/bin/python bench/stats.py [--datasets 13000] [--requests 60] [--keep]

Starts its own embedded database (a temporary folder, a free port) with the catalog of
bench/search.py (13,000 generated datasets of 18 organizations, every update frequency, last
updates spread over four years), times the daily run (`services.statistics.daily.run`: states,
history, quality with the DCAT-AP check, AI section, tables, reminders) on the first day and on
the next, counts 1,000 downloads and 1,000 searches through the counting service, then serves
the app under gunicorn (one sync worker) and times each statistics and monitoring endpoint
over HTTP. It reports; it does not fail on a missed target.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import importlib.util  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from portal.embedded import EmbeddedMongo, free_port  # noqa: E402

# bench/search.py: the generated catalog, the HTTP client and the figures
_spec = importlib.util.spec_from_file_location("search_bench", HERE / "search.py")
catalog_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(catalog_bench)

TARGET_P95_MS = 50.0
TARGET_RUN_S = 30.0
CONFIG = {"BASE_URL": "http://127.0.0.1:8000", "SMTP_HOST": ""}
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Firefox/130.0"


def daily_runs(uri):
    """The daily run on the first day (everything new) and on the next; (seconds, seconds)."""
    from portal.db import connection
    from portal.db.models import User, utcnow
    from portal.services.statistics import daily

    connection.connect(uri, catalog_bench.DB_NAME)
    for n, (code, *_) in enumerate(catalog_bench.ORGANIZATIONS):
        User(email=f"author{n}@bench.uz", organization=code, roles=["author"]).save()
    User(email="operator@bench.uz", roles=["operator"]).save()
    now = utcnow()
    first = daily.run(CONFIG, now)
    print(f"  first day: {first}")
    second = daily.run(CONFIG, now + dt.timedelta(days=1))
    print(f"  next day:  {second}")
    return first["seconds"], second["seconds"]


def counting(uri, codes):
    """1,000 downloads by 500 visitors and 1,000 searches through the counting service."""
    from portal.db import connection
    from portal.db.models import Dataset
    from portal.services.statistics import counting as counter
    from portal.services.statistics import daily

    connection.connect(uri, catalog_bench.DB_NAME)
    rnd = random.Random(5)
    picked = {d.code: d for d in Dataset.objects(code__in=rnd.sample(codes, 300))}
    started = time.perf_counter()
    for i in range(1000):
        dataset = picked[rnd.choice(list(picked))]
        visit = counter.Visit(f"10.0.{i % 500 // 250}.{i % 250}", BROWSER)
        counter.download("bench", visit, dataset, 1, rnd.choice(("csv", "json", "xlsx")))
    took = time.perf_counter() - started
    words = [w for w in catalog_bench.WORDS_LATIN] + ["xyzzy", "кутубхона", "мактаб"]
    for _ in range(1000):
        counter.search(rnd.choice(words), rnd.randint(0, 50))
    print(f"  1,000 downloads counted in {took:.1f} s ({took:.2f} ms each)")
    started = time.perf_counter()
    daily.refresh_tables()
    print(f"  tables refreshed in {time.perf_counter() - started:.1f} s")


def endpoints(codes, n, rnd):
    """(name, path, params) to time: every table and monitoring view, varied pages."""
    out = []
    tables = ("downloads", "views", "rated", "recent", "sectors", "organizations", "rejected",
              "searches", "searches-empty", "monthly")  # fmt: skip
    for _ in range(n):
        page = rnd.choice((1, 1, 2, 5, 20))
        out.append(("statistics", "/api/v1/statistics", {}))
        for table in tables:
            out.append((table, f"/api/v1/statistics/{table}", {"page": page}))
        for view in ("updated", "outdated", "organizations"):
            out.append((f"monitoring/{view}", f"/api/v1/monitoring/{view}", {"page": page}))
        out.append(("monitoring/history", "/api/v1/monitoring/history", {}))
        out.append(("quality", f"/api/v1/datasets/{rnd.choice(codes)}/quality", {}))
        out.append(("datasets?ai=1", "/api/v1/datasets", {"ai": 1, "page": rnd.choice((1, 2))}))
    rnd.shuffle(out)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=13000)
    parser.add_argument("--requests", type=int, default=40, help="requests per endpoint")
    parser.add_argument("--keep", action="store_true", help="keep the database folder")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ochiq-bench-statistics-"))
    server = EmbeddedMongo(port=free_port(), path=str(folder / "db"), cache="512M")
    app = None
    try:
        print(f"embedded database on port {server.port} ({folder})")
        server.start()
        print(f"generating {args.datasets} datasets")
        codes = catalog_bench.populate(server.uri, args.datasets)
        print("daily monitoring run")
        first, second = daily_runs(server.uri)
        print("counting")
        counting(server.uri, codes)
        env = dict(os.environ)
        env.update(
            {
                "PORTAL_MONGO_URI": server.uri,
                "PORTAL_MONGO_DB": catalog_bench.DB_NAME,
                "PORTAL_LOAD_DEMO": "false",
                "PORTAL_SECRET_KEY": "bench-secret-" + "x" * 32,
            }
        )
        app = catalog_bench.Served(env, folder / "app.log")
        app.start()
        cold, _ = catalog_bench.timed(app, "/api/v1/statistics/downloads", {})
        print(f"first request (loads the search records): {cold:.0f} ms")
        rnd = random.Random(7)
        by_name = {}
        for name, path, params in endpoints(codes, args.requests, rnd):
            elapsed, _ = catalog_bench.timed(app, path, params)
            by_name.setdefault(name, []).append(elapsed)
        print(f"\n{args.requests} requests per endpoint, HTTP (gunicorn, one worker):")
        worst = 0.0
        for name, values in by_name.items():
            print(f"  {name:22s} {catalog_bench.figures(values)}")
            worst = max(worst, catalog_bench.percentile(values, 95))
        import requests

        for path in ("/api/v1/statistics/downloads", "/api/v1/monitoring/outdated"):
            started = time.perf_counter()
            resp = requests.get(app.base + path, params={"format": "csv"}, timeout=300)
            took = (time.perf_counter() - started) * 1000
            print(f"  CSV of {path}: {len(resp.content) // 1024} KiB in {took:.0f} ms")
        verdict = "met" if worst <= TARGET_P95_MS else "missed"
        print(f"\ntarget p95 <= {TARGET_P95_MS:.0f} ms for each endpoint: {verdict} "
              f"(worst p95 {worst:.1f} ms)")  # fmt: skip
        verdict = "met" if max(first, second) <= TARGET_RUN_S else "missed"
        print(f"target daily run <= {TARGET_RUN_S:.0f} s: {verdict} "
              f"(first day {first:.1f} s, next day {second:.1f} s)")  # fmt: skip
    finally:
        if app:
            app.stop()
        server.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
