"""Table and export benchmark: the table API and first exports of a 1,000,000-row version.

    .venv/bin/python bench/table.py [--rows 1000000] [--formats csv,json,...] [--no-pg]
                                    [--keep] [--reuse FOLDER]

Starts its own embedded database and the app (gunicorn, one sync worker) on free ports,
publishes the export bench's generated dataset (bench/export.py: 14 fields, 20 columns) as
version 1 and again, every row changed, as version 2, so that the current version has as many
rows of an older version beside it. Publishing makes each version's columnar file.

Table: each query over HTTP, median of REPEAT runs after one warm-up: a page at the start, the
middle and the end; filters (equality, range, contains) and sorts, alone and together, deep
pages; group-bys. PostgreSQL 15 (the Debian package, installed with apt-get when missing and
started here on a free port) answers the same queries over the same rows (page + count, as
the API does; B-tree indexes on the filtered and sorted columns) through psycopg, and the
ratios app/PostgreSQL are printed (PostgreSQL's figure has no HTTP in it).

Exports: the first request of each format (the build into a local file, then the answer from
it; "first s" ends with its last byte) against its floor: reading the version's columnar file
plus the plainest writer of the format (bench/export_floors.py; for parquet DuckDB's own COPY
of the file). The worker stores the file into GridFS behind the answer: "stored s" is the time
until it is there, and the bench waits for it before going on. Worker memory growth of every
request from /proc (VmHWM reset before each; an export's includes its store). Prints figure,
target and pass/fail.

Publishing 1,000,000 rows twice takes the embedded server half an hour or more: `--keep`
leaves the bench's folder (database and columnar files) in place and prints it, and
`--reuse FOLDER` runs the queries and exports again over that folder without publishing.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import export as xb  # noqa: E402 - the export bench's dataset, app and memory helpers
import export_floors as floors  # noqa: E402

from portal.embedded import EmbeddedMongo, free_port  # noqa: E402

DB_NAME = "ochiq_bench_table"
REPEAT = 5
FORMATS = ("csv", "json", "xml", "xlsx", "rdf", "ttl", "jsonld", "nt", "geojson", "parquet")
TARGETS = {"page": 0.050, "filtered": 0.300, "group": 0.500}
CSV_TARGET = 5.0
RATIO_TARGET = 1.5
GROWTH_TARGET = 50


def queries(n, region):
    """(name, kind, API query, PostgreSQL page SQL, PostgreSQL count SQL or None)."""
    last = (n - 1) // 20 + 1
    mid = last // 2
    page = "SELECT * FROM t ORDER BY p LIMIT 20 OFFSET {}"
    return [
        ("page 1", "page", {}, page.format(0), "SELECT count(*) FROM t"),
        (f"page {mid}", "page", {"page": mid}, page.format((mid - 1) * 20), None),
        (f"page {last} (last)", "page", {"page": last}, page.format((last - 1) * 20), None),
        (
            "Hudud = region",
            "filtered",
            {"Hudud": region},
            f"SELECT * FROM t WHERE hudud = '{region}' ORDER BY p LIMIT 20",  # noqa: S608 - bench: fixed literals
            f"SELECT count(*) FROM t WHERE hudud = '{region}'",  # noqa: S608 - bench: fixed literals
        ),
        (
            "Kitoblar range, page 50",
            "filtered",
            {"Kitoblar.gte": 500000, "Kitoblar.lt": 600000, "page": 50},
            "SELECT * FROM t WHERE kitoblar >= 500000 AND kitoblar < 600000 ORDER BY p "
            "LIMIT 20 OFFSET 980",
            "SELECT count(*) FROM t WHERE kitoblar >= 500000 AND kitoblar < 600000",
        ),
        (
            "Nomi contains",
            "filtered",
            {"Nomi.contains": "кутубхона №12345"},
            "SELECT * FROM t WHERE strpos(lower(nomi_uz), 'кутубхона №12345') > 0 OR "
            "strpos(lower(nomi_oz), 'кутубхона №12345') > 0 OR strpos(lower(nomi_ru), "
            "'кутубхона №12345') > 0 OR strpos(lower(nomi_en), 'кутубхона №12345') > 0 "
            "ORDER BY p LIMIT 20",
            "SELECT count(*) FROM t WHERE strpos(lower(nomi_uz), 'кутубхона №12345') > 0 OR "
            "strpos(lower(nomi_oz), 'кутубхона №12345') > 0 OR strpos(lower(nomi_ru), "
            "'кутубхона №12345') > 0 OR strpos(lower(nomi_en), 'кутубхона №12345') > 0",
        ),
        (
            "sort -Kitoblar",
            "filtered",
            {"sort": "-Kitoblar"},
            "SELECT * FROM t ORDER BY kitoblar DESC, p LIMIT 20",
            None,
        ),
        (
            "sort -Kitoblar, page 25000",
            "filtered",
            {"sort": "-Kitoblar", "page": 25000},
            "SELECT * FROM t ORDER BY kitoblar DESC, p LIMIT 20 OFFSET 499980",
            None,
        ),
        (
            "Hudud = region, sort Ochilgan",
            "filtered",
            {"Hudud": region, "sort": "Ochilgan"},
            f"SELECT * FROM t WHERE hudud = '{region}' ORDER BY ochilgan, p LIMIT 20",  # noqa: S608 - bench: fixed literals
            f"SELECT count(*) FROM t WHERE hudud = '{region}'",  # noqa: S608 - bench: fixed literals
        ),
        (
            "group_by Hudud: count, sum, avg",
            "group",
            {"group_by": "Hudud", "agg": "count,sum:Kitoblar,avg:Maydon"},
            "SELECT hudud, count(*), sum(kitoblar), avg(maydon) FROM t GROUP BY hudud "
            "ORDER BY hudud LIMIT 20",
            "SELECT count(DISTINCT hudud) FROM t",
        ),
        (
            "group_by Ochilgan, Kitoblar > 1e6",
            "group",
            {"group_by": "Ochilgan", "agg": "max:2023Y", "Kitoblar.gt": 1000000},
            "SELECT ochilgan, max(y2023) FROM t WHERE kitoblar > 1000000 GROUP BY ochilgan "
            "ORDER BY ochilgan LIMIT 20",
            "SELECT count(DISTINCT ochilgan) FROM t WHERE kitoblar > 1000000",
        ),
    ]


# ---------------------------------------------------------------- PostgreSQL


class Postgres:
    """A throwaway PostgreSQL 15 cluster in a temporary folder, on a free port."""

    BIN = Path("/usr/lib/postgresql/15/bin")

    def __init__(self, folder):
        self.folder = Path(folder)
        self.port = free_port()

    def _run(self, *cmd):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *cmd], check=True, stdout=subprocess.DEVNULL)

    def start(self):
        if not (self.BIN / "initdb").exists():
            subprocess.run(["apt-get", "install", "-y", "postgresql"], check=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        data = self.folder / "data"
        self._run(str(self.BIN / "initdb"), "-D", str(data), "-U", "bench", "--no-sync")
        opts = f"-p {self.port} -k {self.folder} -c listen_addresses='' -c fsync=off"
        self._run(str(self.BIN / "pg_ctl"), "-D", str(data), "-o", opts, "-w", "start")

    def stop(self):
        data = self.folder / "data"
        if data.exists():
            self._run(str(self.BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "stop")

    def connect(self):
        import psycopg

        return psycopg.connect(host=str(self.folder), port=self.port, user="bench",
                               dbname="postgres", autocommit=True)  # fmt: skip


PG_TABLE = """CREATE TABLE t (p bigint PRIMARY KEY, nomi_uz text, nomi_oz text, nomi_ru text,
nomi_en text, hudud text, manzil text, ochilgan date, kitoblar double precision,
xodimlar double precision, joylashuv double precision[], maydon double precision,
y2023 double precision, rahbar text, telefon text, tekshiruv date)"""


def load_postgres(pg, rows):
    started = time.perf_counter()
    with pg.connect() as con, con.cursor() as cur:
        cur.execute(PG_TABLE)
        with cur.copy("COPY t FROM STDIN") as copy:
            for p, r in enumerate(rows, 1):
                n = r["Nomi"]
                copy.write_row((p, n["uzbText"], n["uzbKrText"], n["rusText"], n["engText"],
                                r["Hudud"], r["Manzil"], r["Ochilgan"], r["Kitoblar"],
                                r["Xodimlar"], r["Joylashuv"], r["Maydon"], r["2023Y"],
                                r["Rahbar"], r["Telefon"], r["Tekshiruv"]))  # fmt: skip
        for col in ("hudud", "kitoblar", "ochilgan"):
            cur.execute(f"CREATE INDEX ON t ({col})")
        cur.execute("VACUUM ANALYZE t")
    return time.perf_counter() - started


def time_postgres(pg, sql, count_sql):
    with pg.connect() as con, con.cursor() as cur:
        runs = []
        for i in range(REPEAT + 1):
            started = time.perf_counter()
            cur.execute(sql)
            cur.fetchall()
            if count_sql:
                cur.execute(count_sql)
                cur.fetchall()
            if i:
                runs.append(time.perf_counter() - started)
    return statistics.median(runs)


# ---------------------------------------------------------------- the app


class App(xb.App):
    """The export bench's app, waited for patiently (a loaded machine starts it slowly)."""

    def start(self):
        cmd = [sys.executable, "-m", "gunicorn", "wsgi:app", "--workers", "1"]
        cmd += ["--bind", self.base.split("://")[1], "--timeout", "3600", "--log-level", "warning"]
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT)
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=30).status_code == 200:
                    break
            except requests.RequestException:
                time.sleep(0.2)
        self.worker = xb.children(self.proc.pid)[0]


def _timed(app, send, ok):
    """Median seconds of REPEAT calls of `send()` after a warm-up, and the worker's largest
    memory growth (MB) over all of them; `ok(resp)` says whether an answer is right."""
    runs, growth = [], 0.0
    for i in range(REPEAT + 1):
        xb.reset_peak(app.worker)
        before = xb.kib(app.worker, "VmRSS")
        started = time.perf_counter()
        resp = send()
        elapsed = time.perf_counter() - started
        if not ok(resp):
            raise RuntimeError(f"{resp.request.url}: {resp.status_code} {resp.text[:300]}")
        growth = max(growth, (xb.kib(app.worker, "VmHWM") - before) / 1024)
        if i:
            runs.append(elapsed)
    return statistics.median(runs), growth


def time_app(app, session, params):
    url = f"{app.base}/api/v1/datasets/{xb.CODE}/rows"
    return _timed(
        app, lambda: session.get(url, params=params, timeout=60), lambda r: r.status_code == 200
    )


def compat_queries(n, region):
    """(name, kind, GetMainData body) of data.egov.uz's row reads: pages by offset, a filter."""
    return [
        ("GetMainData offset 0", "page", {"offset": 0, "limit": 20, "fields": {}}),
        (f"GetMainData offset {n // 2:,}", "page", {"offset": n // 2, "limit": 20, "fields": {}}),
        (f"GetMainData offset {n - 20:,} (last)", "page",
         {"offset": n - 20, "limit": 20, "fields": {}}),
        ("GetMainData Hudud = region, offset 100", "filtered",
         {"offset": 100, "limit": 20, "fields": {"Hudud": region}}),
    ]  # fmt: skip


def time_compat(app, session, guid, body):
    url = f"{app.base}/apiClient/Main/GetMainData"

    def send():
        return session.post(url, params={"GuidId": guid}, json=body, timeout=600)

    return _timed(app, send, lambda r: r.status_code == 200 and r.json()["result"]["data"])


def floor_of(fmt, table, fields):
    """Seconds to read the columnar file and write the format with its plainest writer."""
    started = time.perf_counter()
    if fmt == "parquet":
        import duckdb

        out = tempfile.mktemp(suffix=".parquet")  # noqa: S306 - DuckDB makes the file
        with duckdb.connect() as con:
            con.execute("COPY (SELECT * FROM read_parquet(?)) TO ? (FORMAT parquet)",
                        [table.paths, out])  # fmt: skip
        os.unlink(out)
    else:
        floors.FLOORS[fmt](fields, table.rows())
    return time.perf_counter() - started


def verdict(ok):
    return "pass" if ok else "FAIL"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--no-pg", action="store_true", help="leave PostgreSQL out")
    parser.add_argument("--keep", action="store_true", help="keep the folder for --reuse")
    parser.add_argument("--reuse", help="a folder kept by --keep: measure, do not publish")
    args = parser.parse_args()
    formats = [f for f in args.formats.split(",") if f]
    if args.reuse:
        work = Path(args.reuse)
        shutil.rmtree(work / "pg", ignore_errors=True)  # PostgreSQL is loaded afresh
    else:
        work = Path(tempfile.mkdtemp(prefix="ochiq-bench-table-"))
    os.chmod(work, 0o755)  # noqa: S103 - bench: fixed literals
    db = EmbeddedMongo(port=free_port(), path=str(work / "db"), log=str(work / "mongo.log"))
    pg = Postgres(work / "pg")
    app = None
    out = []

    def line(text):
        print(text, flush=True)
        out.append(text)

    try:
        db.start()
        from portal.db import columnar, connection
        from portal.db.models import Dataset
        from portal.services import startup
        from portal.services.discovery import browse, downloads, table_files
        from portal.services.publishing import versions

        connection.connect(db.uri, DB_NAME)
        columnar.configure(str(work / "columnar"))
        table_files.configure("sync")
        startup.prepare(load_demo=False)
        import random

        from portal.db.models import Directory

        if args.reuse:
            dataset = Dataset.objects(code=xb.CODE).first()
            if dataset is None or dataset.current_version != 2:
                raise SystemExit(f"{work} holds no published bench dataset: run with --keep")
            kept = versions.get(dataset, 2)
            args.rows = kept["rows"] if isinstance(kept, dict) else kept.rows
            line(f"rows {args.rows:,} per version, 2 versions (reused from {work})")
        else:
            started = time.perf_counter()
            dataset, fields = xb.create_dataset(args.rows)
            v1 = time.perf_counter() - started
            regions = [item.code for item in Directory.objects(code="regions").first().items]
            rnd = random.Random(11)
            started = time.perf_counter()
            rows2 = (xb.make_row(i + 7, rnd, regions) for i in range(1, args.rows + 1))
            versions.publish(dataset, rows2, source="upload", by="bench", fields=fields)
            v2 = time.perf_counter() - started
            dataset = Dataset.objects(code=xb.CODE).first()
            line(f"rows {args.rows:,} per version, 2 versions; publish v1 {v1:.0f} s, "
                 f"v2 {v2:.0f} s")  # fmt: skip
        regions = [item.code for item in Directory.objects(code="regions").first().items]
        record = versions.get(dataset, 2)
        table = table_files.open_version(dataset, record)
        region = regions[3]
        env = {**os.environ, "PORTAL_MONGO_URI": db.uri, "PORTAL_MONGO_DB": DB_NAME,
               "PORTAL_LOAD_DEMO": "0", "PORTAL_LOG_LEVEL": "WARNING",
               "PORTAL_COLUMNAR_DIR": str(work / "columnar"),
               # every repeat reads the file: kept answers would time a dict lookup
               "PORTAL_TABLE_ANSWERS_KEPT": "0"}  # fmt: skip
        app = App(env)
        app.start()
        session = requests.Session()
        xb.fetch(session, f"{app.base}/api/v1/datasets/{xb.CODE}")
        pg_times = {}
        if not args.no_pg:
            pg.start()
            public = browse.public_fields(dataset, 2)
            load_s = load_postgres(pg, table.rows({f["name"] for f in public}))
            line(f"PostgreSQL 15: {args.rows:,} rows loaded and indexed in {load_s:.0f} s")
        line("")
        line(f"{'table query':<36}{'app ms':>8}{'target':>8}{'':>6}{'pg ms':>8}{'app/pg':>8}"
             f"{'grew MB':>9}")  # fmt: skip
        for name, kind, params, sql, count_sql in queries(args.rows, region):
            seconds, growth = time_app(app, session, params)
            pg_s = None if args.no_pg else time_postgres(pg, sql, count_sql)
            pg_times[name] = pg_s
            ok = seconds <= TARGETS[kind] and growth <= GROWTH_TARGET
            ratio = f"{seconds / pg_s:>8.2f}" if pg_s else f"{'-':>8}"
            pg_ms = f"{pg_s * 1000:>8.1f}" if pg_s else f"{'-':>8}"
            line(f"{name:<36}{seconds * 1000:>8.1f}{TARGETS[kind] * 1000:>8.0f}"
                 f"{verdict(ok):>6}{pg_ms}{ratio}{growth:>9.1f}")  # fmt: skip
        for name, kind, body in compat_queries(args.rows, region):
            seconds, growth = time_compat(app, session, str(dataset.id), body)
            ok = seconds <= TARGETS[kind] and growth <= GROWTH_TARGET
            line(f"{name:<36}{seconds * 1000:>8.1f}{TARGETS[kind] * 1000:>8.0f}"
                 f"{verdict(ok):>6}{'-':>8}{'-':>8}{growth:>9.1f}")  # fmt: skip
        line("")
        line(f"{'first export':<14}{'MB':>7}{'first s':>9}{'floor s':>9}{'ratio':>7}{'target':>8}"
             f"{'':>6}{'grew MB':>9}{'stored s':>10}")  # fmt: skip
        public = browse.public_fields(dataset, 2)
        for fmt in formats:
            floor = floor_of(fmt, table, public)
            got = xb.measure_app(app, session, fmt)
            downloads.drop(dataset.id)
            ratio = got["first"] / floor
            ok = ratio <= RATIO_TARGET and got["growth"] <= GROWTH_TARGET
            target = f"{RATIO_TARGET:.1f}x"
            if fmt == "csv":
                ok = ok and got["first"] <= CSV_TARGET
                target += f",{CSV_TARGET:.0f}s"
            line(f"{fmt:<14}{got['size'] / xb.MB:>7.0f}{got['first']:>9.2f}{floor:>9.2f}"
                 f"{ratio:>7.2f}{target:>8}{verdict(ok):>6}{got['growth']:>9.1f}"
                 f"{got['stored']:>10.2f}")  # fmt: skip
        line(f"\nload average {os.getloadavg()[0]:.2f} (2 cores shared)")
    finally:
        if app:
            app.stop()
        if not args.no_pg:
            try:
                pg.stop()
            except Exception as exc:  # noqa: BLE001 - the report matters more
                print(f"stopping PostgreSQL: {exc}")
        db.stop()
        if args.keep or args.reuse:
            print(f"kept {work}: run again with --reuse {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
