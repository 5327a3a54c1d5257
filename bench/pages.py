"""Page benchmark: every public page over HTTP with 13,000 datasets; p50/p95 and page weight.

    .venv/bin/python bench/pages.py [--datasets 13000] [--rounds 30] [--keep]

Builds the same generated catalog as bench/search.py (its own embedded database on a free
port), serves the app under gunicorn (one sync worker) and requests each page `--rounds`
times in turn (several datasets, queries and languages), after one warm-up round. The weight
of a page is its HTML plus the CSS and JS it links (the map and charts are inline SVG, counted
in the HTML). "cpu" is the worker's own CPU time per request (mean ms, from /proc): unlike
the wall-clock figures it does not grow with the load of other processes on the machine. It
reports; it does not fail on a missed target.
"""

import argparse
import os
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import search as catalog  # noqa: E402 - bench/search.py: the generated catalog and the server

from portal.embedded import EmbeddedMongo, free_port  # noqa: E402

TARGET_P95_MS = 100.0
TARGET_WEIGHT_KB = 200.0
LANGS = ("uz", "oz", "ru", "en")
DEMO = "4-019-0014"  # a demo dataset with rows, a location field and a directory


def pages(codes, rnd):
    """(name, path) of every page kind, with varied datasets, queries and languages."""
    code = rnd.choice(codes)
    lang = rnd.choice(LANGS)
    word = rnd.choice(["kutubxonalar", "aholi", "maktablar", "Тошкент", "hospitals", "soliq"])
    return [
        ("home", f"/{lang}/"),
        ("search (all)", f"/{lang}/datasets"),
        ("search (words)", f"/{lang}/datasets?q={word}"),
        ("search (facet, page 3)", f"/{lang}/datasets?sector=economy&page=3&sort=downloads"),
        ("search (nothing)", f"/{lang}/datasets?q=xyzzy{rnd.randrange(1000)}"),
        ("sector", f"/{lang}/sectors/economy"),
        ("organizations", f"/{lang}/organizations"),
        ("dataset passport", f"/{lang}/datasets/{code}"),
        ("dataset structure", f"/{lang}/datasets/{code}?tab=structure"),
        ("dataset table", f"/{lang}/datasets/{DEMO}?tab=table"),
        ("dataset table (sorted)", f"/{lang}/datasets/{DEMO}?tab=table&sort=-Kitoblarsoni"),
        ("dataset web service", f"/{lang}/datasets/{DEMO}?tab=api&send=1"),
        ("dataset versions", f"/{lang}/datasets/{code}?tab=versions"),
        ("site map", f"/{lang}/sitemap"),
        ("search (AI, format)", f"/{lang}/datasets?ai=1&format=csv"),
        ("statistics", f"/{lang}/statistics"),
        ("statistics table", f"/{lang}/statistics/downloads?page={rnd.randint(1, 20)}"),
        ("monitoring", f"/{lang}/monitoring"),
        ("monitoring outdated", f"/{lang}/monitoring/outdated?page={rnd.randint(1, 5)}"),
        ("monitoring (filtered)", f"/{lang}/monitoring/outdated?state=delinquent"),
        ("monitoring updated", f"/{lang}/monitoring/updated"),
        ("AI section", f"/{lang}/ai"),
    ]


def daily_run(uri):
    """The daily monitoring run, as the portal's scheduler does it: states, quality scores, the
    AI section and the statistics tables, which the pages read."""
    from portal.db import connection
    from portal.db.models import utcnow
    from portal.services.statistics import daily

    connection.connect(uri, catalog.DB_NAME)
    started = time.perf_counter()
    daily.run({"BASE_URL": "http://127.0.0.1:8000", "SMTP_HOST": ""}, utcnow(), remind=False)
    connection.disconnect()
    print(f"daily monitoring run: {time.perf_counter() - started:.1f} s")


def worker_pid(served):
    """The gunicorn worker's process id (the one child of the arbiter)."""
    with open(f"/proc/{served.proc.pid}/task/{served.proc.pid}/children") as fh:
        return int(fh.read().split()[0])


def cpu_ms(pid):
    """CPU time (user + system) the process has used, in ms: what a request costs the server
    whatever else the machine is doing."""
    with open(f"/proc/{pid}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def weight(session, base, html):
    """Bytes of the HTML and of the stylesheets and scripts it links."""
    total = len(html.encode())
    for ref in set(re.findall(r'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)):
        total += len(session.get(base + ref, timeout=60).content)
    return total


def main():
    import requests

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", type=int, default=13000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="keep the database folder")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ochiq-bench-pages-"))
    server = EmbeddedMongo(port=free_port(), path=str(folder / "db"), cache="512M")
    app = None
    try:
        server.start()
        print(f"generating {args.datasets} datasets")
        codes = catalog.populate(server.uri, args.datasets)
        daily_run(server.uri)
        env = dict(os.environ)
        env.update(
            {
                "PORTAL_MONGO_URI": server.uri,
                "PORTAL_MONGO_DB": catalog.DB_NAME,
                "PORTAL_LOAD_DEMO": "true",
                "PORTAL_SECRET_KEY": "bench-secret-" + "x" * 32,
            }
        )
        app = catalog.Served(env, folder / "app.log")
        app.start()
        session = requests.Session()
        session.headers["Accept"] = "text/html"
        rnd = random.Random(7)
        times, weights, cpu = {}, {}, {}
        pid = worker_pid(app)
        for round_no in range(args.rounds + 1):
            for name, path in pages(codes, rnd):
                spent = cpu_ms(pid)
                started = time.perf_counter()
                resp = session.get(app.base + path, timeout=300)
                elapsed = (time.perf_counter() - started) * 1000
                spent = cpu_ms(pid) - spent
                if resp.status_code != 200:
                    raise RuntimeError(f"{path}: {resp.status_code} {resp.text[:300]}")
                if round_no == 0:  # warm-up: the search records load, templates compile
                    weights[name] = weight(session, app.base, resp.text)
                    continue
                times.setdefault(name, []).append(elapsed)
                cpu.setdefault(name, []).append(spent)
        print(f"\n{args.rounds} rounds over HTTP (gunicorn, one worker), {len(codes)} datasets")
        print(f"  load average at the start: {os.getloadavg()[0]:.1f} (2 cores)")
        print(f"  {'page':26s} {'p50':>7s} {'p95':>7s} {'max':>7s} {'cpu':>6s} {'weight':>8s}")
        worst_p95, worst_weight = 0.0, 0.0
        for name, values in times.items():
            p50, p95 = catalog.percentile(values, 50), catalog.percentile(values, 95)
            kb = weights[name] / 1024
            worst_p95, worst_weight = max(worst_p95, p95), max(worst_weight, kb)
            mean_cpu = sum(cpu[name]) / len(cpu[name])
            print(
                f"  {name:26s} {p50:6.1f}  {p95:6.1f}  {max(values):6.1f} {mean_cpu:6.1f}"
                f"  {kb:6.1f} KB"
            )
        print(
            f"\ntarget p95 <= {TARGET_P95_MS:.0f} ms on every page: "
            f"{'met' if worst_p95 <= TARGET_P95_MS else 'missed'} (worst {worst_p95:.1f} ms)"
        )
        print(
            f"target weight <= {TARGET_WEIGHT_KB:.0f} KB: "
            f"{'met' if worst_weight <= TARGET_WEIGHT_KB else 'missed'} "
            f"(largest {worst_weight:.1f} KB)"
        )
    finally:
        if app:
            app.stop()
        server.stop()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
