"""Export benchmark: every download format of a 100k-row dataset through the app, against floors.

    .venv/bin/python bench/export.py [--rows 100000] [--formats csv,json] [--repeat 1] [--keep]
    .venv/bin/python bench/export.py --million     # csv only, 1,000,000 rows: memory growth

Starts its own embedded database and the app (gunicorn, one sync worker) on free ports and
publishes a generated dataset of every field type (20 columns, text fields in four languages,
mostly Cyrillic) with `versions.publish`. For each format it downloads `data.<fmt>` over HTTP
twice: the first request builds the file into GridFS (rows/s over the whole request), the
second streams the stored file (MB/s, read fully; best of three). The worker's peak RSS comes
from /proc/<pid>/status (VmHWM, reset through clear_refs before each request). Floors are
measured in this process in the same run: the raw pymongo cursor over the row collection
feeding the plainest writer of the format (bench/export_floors.py). rdflib builds a Graph of a
slice of the rows, and its time is scaled to the whole. It reports; it does not fail on a miss.
"""

import argparse
import io
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import export_floors as floors  # noqa: E402 - bench/ is on sys.path when run as a script

from portal.embedded import EmbeddedMongo, free_port  # noqa: E402

DB_NAME = "ochiq_bench_export"
FORMATS = ("csv", "json", "xml", "xlsx", "rdf", "ttl", "jsonld", "nt", "geojson")
TARGET_RATIO = 1.5
TARGET_MBS = 200
TARGET_GROWTH_MB = 50
TARGET_RDFLIB = 20
RDFLIB_ROWS = 10_000
IN_MEMORY_MAX = 300_000  # above this the in-memory figures (and rdflib) are left out
MB = 1 << 20
CODE = "2-001-90001"

# 2 text fields (8 columns) + 12 others = 20 columns
FIELDS = [
    ("Nomi", "text", ("Nomi", "Номи", "Название", "Name")),
    ("Hudud", "directory", ("Hudud", "Ҳудуд", "Регион", "Region")),
    ("Manzil", "string", ("Manzil", "Манзил", "Адрес", "Address")),
    ("Ochilgan", "date", ("Ochilgan sana", "Очилган сана", "Дата открытия", "Opened")),
    ("Kitoblar", "number", ("Kitoblar soni", "Китоблар сони", "Число книг", "Books")),
    ("Xodimlar", "number", ("Xodimlar", "Ходимлар", "Сотрудники", "Staff")),
    ("Joylashuv", "location", ("Joylashuv", "Жойлашув", "Расположение", "Location")),
    ("Xizmat", "polygon", ("Xizmat hududi", "Хизмат ҳудуди", "Зона обслуживания", "Area")),
    ("Izoh", "text", ("Izoh", "Изоҳ", "Примечание", "Note")),
    ("Telefon", "string", ("Telefon", "Телефон", "Телефон", "Phone")),
    ("Tekshiruv", "date", ("Tekshiruv sanasi", "Текширув санаси", "Дата проверки", "Checked")),
    ("Maydon", "number", ("Maydon", "Майдон", "Площадь", "Floor area")),
    ("2023Y", "number", ("Byudjet 2023", "Бюджет 2023", "Бюджет 2023", "Budget 2023")),
    ("Rahbar", "string", ("Rahbar", "Раҳбар", "Руководитель", "Head")),
]
NAMES = (
    ("Markaziy", "Марказий", "Центральная", "Central"),
    ("Yoshlar", "Ёшлар", "Молодёжная", "Youth"),
    ("Bolalar", "Болалар", "Детская", "Children's"),
    ("Tuman", "Туман", "Районная", "District"),
    ("Ilmiy", "Илмий", "Научная", "Research"),
)
STREETS = ("Амир Темур", "Навоий", "Бобур", "Мустақиллик", "Шота Руставели", "Yunusobod")
HEADS = ("Каримов Ботир Алиевич", "Юсупова Дилноза Ҳамидовна", "Иванова Елена Петровна")


def make_row(i, rnd, regions):
    """Row i in the stored (canonical) form of values.md."""
    uz, kr, ru, en = NAMES[i % len(NAMES)]
    lat, lon = round(rnd.uniform(37.2, 45.5), 5), round(rnd.uniform(56.0, 73.1), 5)
    lat2, lon2 = round(lat + 0.01, 5), round(lon + 0.02, 5)
    note = None
    if i % 10:
        note = {
            "uzbText": f"{uz} kutubxona, {i % 12 + 1}-qavat",
            "uzbKrText": f'Эслатма: "{kr}" биноси, {i % 12 + 1}-қават',
            "rusText": f"Примечание: здание «{ru}», этаж {i % 12 + 1}",
            "engText": "" if i % 3 else f"{en} building, floor {i % 12 + 1}",
        }
    return {
        "Nomi": {
            "uzbText": f"{uz} kutubxona №{i}",
            "uzbKrText": f"{kr} кутубхона №{i}",
            "rusText": f"{ru} библиотека №{i}",
            "engText": f"{en} library no. {i}",
        },
        "Hudud": regions[i % len(regions)],
        "Manzil": f"{rnd.choice(STREETS)} кўчаси, {i % 300}-уй",
        "Ochilgan": (date(1960, 1, 1) + timedelta(days=i % 22000)).isoformat(),
        "Kitoblar": rnd.randint(0, 2_000_000),
        "Xodimlar": rnd.randint(1, 400),
        "Joylashuv": [lat, lon],
        "Xizmat": [[lat, lon], [lat2, lon], [lat2, lon2], [lat, lon2]],
        "Izoh": note,
        "Telefon": f"+998 71 {rnd.randint(200, 299)}-{rnd.randint(10, 99)}-{rnd.randint(10, 99)}",
        "Tekshiruv": None if i % 7 == 0 else (date(2020, 1, 1) + timedelta(i % 1500)).isoformat(),
        "Maydon": round(rnd.uniform(20, 5000), 2),
        "2023Y": round(rnd.uniform(1e6, 5e9), 1),
        "Rahbar": HEADS[i % len(HEADS)],
    }


def create_dataset(n_rows):
    """The bench dataset with `n_rows` rows as its version 1; (dataset, field dicts)."""
    from portal.db.models import Dataset, Directory, Field, ml
    from portal.services.publishing import versions

    regions = [item.code for item in Directory.objects(code="regions").first().items]
    fields = [
        Field(
            name=name,
            type=kind,
            caption=ml(dict(zip(floors.LANGS, captions, strict=True))),
            visible=True,
            order=order,
            directory="regions" if kind == "directory" else None,
        )
        for order, (name, kind, captions) in enumerate(FIELDS, 1)
    ]
    dataset = Dataset(
        code=CODE,
        serial=90001,
        organization="2-001",
        sector="education",
        title=ml({"uzbText": "Kutubxonalar", "rusText": "Библиотеки", "engText": "Libraries"}),
        fields=fields,
        created_by="bench",
    )
    dataset.save()
    field_dicts = [f.to_dict() for f in fields]
    rnd = random.Random(7)
    rows = (make_row(i, rnd, regions) for i in range(1, n_rows + 1))
    versions.publish(dataset, rows, source="upload", by="bench", fields=field_dicts)
    return dataset, field_dicts


# ---------------------------------------------------------------- processes and memory


def kib(pid, key):
    """A VmRSS/VmHWM figure of a process in KiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def reset_peak(pid):
    """Reset a process's VmHWM to its current RSS (Linux clear_refs, value 5)."""
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")


def children(pid):
    found = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{tid}/children") as f:
            found.extend(int(c) for c in f.read().split())
    return found


class App:
    """The portal under gunicorn (one sync worker) on a free port."""

    def __init__(self, env):
        self.env = env
        self.base = f"http://127.0.0.1:{free_port()}"
        self.proc = self.worker = None

    def start(self):
        cmd = [sys.executable, "-m", "gunicorn", "wsgi:app", "--workers", "1"]
        cmd += ["--bind", self.base.split("://")[1], "--timeout", "3600", "--log-level", "warning"]
        self.proc = subprocess.Popen(cmd, env=self.env, cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + "/healthz", timeout=1).status_code == 200:
                    break
            except requests.ConnectionError:
                time.sleep(0.1)
        self.worker = children(self.proc.pid)[0]

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(30)


def fetch(session, url):
    """(seconds, bytes) of one GET read fully in 1 MiB blocks."""
    started = time.perf_counter()
    size = 0
    with session.get(url, stream=True, timeout=7200) as resp:
        if resp.status_code != 200:
            raise RuntimeError(f"GET {url}: {resp.status_code} {resp.text[:300]}")
        while block := resp.raw.read(MB):
            size += len(block)
        if size != int(resp.headers["Content-Length"]):
            raise RuntimeError(f"GET {url}: {size} bytes, not {resp.headers['Content-Length']}")
    return time.perf_counter() - started, size


def wait_stored(fmt, timeout=900.0):
    """Seconds until the file a first request built is in GridFS: the worker stores it behind
    its answer, so the store's time and memory are waited for before anything else runs."""
    from portal.db.connection import get_db

    started = time.perf_counter()
    while not get_db()["exports.files"].count_documents({"metadata.format": fmt}):
        if time.perf_counter() - started > timeout:
            raise RuntimeError(f"the {fmt} file was not stored within {timeout:.0f} s")
        time.sleep(0.02)
    return time.perf_counter() - started


def measure_app(app, session, fmt):
    """First request (build), its store, cached request (best of three), worker memory of
    each (the first's includes the store behind it)."""
    url = f"{app.base}/api/v1/datasets/{CODE}/data.{fmt}"
    reset_peak(app.worker)
    before = kib(app.worker, "VmRSS")
    first, size = fetch(session, url)
    stored = first + wait_stored(fmt)
    build_peak = kib(app.worker, "VmHWM")
    reset_peak(app.worker)
    cached_before = kib(app.worker, "VmRSS")
    cached = min(fetch(session, url)[0] for _ in range(3))
    return {
        "first": first,
        "stored": stored,
        "size": size,
        "cached": cached,
        "growth": (build_peak - before) / 1024,
        "peak": build_peak / 1024,
        "cached_growth": (kib(app.worker, "VmHWM") - cached_before) / 1024,
    }


# ---------------------------------------------------------------- floors and peers


def db_rows(dataset_id, number):
    """The raw cursor over the row collection: the version's rows in stored order."""
    from portal.db import rows

    for doc in rows.collection(dataset_id).find(rows.version_filter(number)):
        yield doc["d"]


def timed(fn, *args):
    started = time.perf_counter()
    out = fn(*args)
    return time.perf_counter() - started, out


def exporter_alone(fmt, meta, fields, rows):
    import exporters

    return sum(len(chunk) for chunk in exporters.render(fmt, meta, fields, rows, None))


def rdflib_run(meta, fields, rows):
    """(seconds, MB of growth) of rdflib building and serializing a Graph of the rows."""
    reset_peak(os.getpid())
    before = kib(os.getpid(), "VmRSS")
    seconds, _ = timed(floors.rdflib_graph, meta, fields, rows)
    return seconds, (kib(os.getpid(), "VmHWM") - before) / 1024


# ---------------------------------------------------------------- the run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--repeat", type=int, default=1, help="runs per format; best is kept")
    parser.add_argument("--million", action="store_true", help="csv only, 1,000,000 rows")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    if args.million:
        args.rows, args.formats = 1_000_000, "csv"
    formats = [f for f in args.formats.split(",") if f]

    work = Path(tempfile.mkdtemp(prefix="ochiq-bench-export-"))
    db = EmbeddedMongo(port=free_port(), path=str(work / "db"), log=str(work / "mongo.log"))
    app = None
    fig = {"rows": args.rows, "formats": {}, "repeat": args.repeat}
    try:
        db.start()
        from portal.db import connection
        from portal.db import rows as row_store
        from portal.services import startup
        from portal.services.discovery import browse, downloads

        connection.connect(db.uri, DB_NAME)
        startup.prepare(load_demo=False)
        fig["publish"], (dataset, fields) = timed(create_dataset, args.rows)
        # publish() makes the row index with a first version, and a download makes it where it
        # is missing: timed apart here (about nothing when it is already there)
        fig["index"] = timed(row_store.ensure_indexes, dataset.id)[0]
        meta = browse.export_meta(dataset, 1, "http://127.0.0.1:8000")
        env = {
            **os.environ,
            "PORTAL_MONGO_URI": db.uri,
            "PORTAL_MONGO_DB": DB_NAME,
            "PORTAL_LOAD_DEMO": "0",
            "PORTAL_LOG_LEVEL": "WARNING",
        }
        app = App(env)
        app.start()
        session = requests.Session()
        fetch(session, f"{app.base}/api/v1/datasets/{CODE}")  # warm the worker's imports
        fig["idle"] = kib(app.worker, "VmRSS") / 1024
        fig["load"] = [os.getloadavg()[0]]
        fig["read"] = min(
            timed(lambda: sum(1 for _ in db_rows(dataset.id, 1)))[0] for _ in range(2)
        )
        for fmt in formats:
            best = {}
            for _ in range(args.repeat):
                floor_s, floor_size = timed(floors.FLOORS[fmt], fields, db_rows(dataset.id, 1))
                got = measure_app(app, session, fmt)
                downloads.drop(dataset.id)
                got["floor"], got["floor_size"] = floor_s, floor_size
                for key, value in got.items():
                    # times: the best run; memory: the worst (a worker keeps what it grew)
                    keep = max if key in ("growth", "peak", "cached_growth") else min
                    best[key] = keep(best.get(key, value), value)
            fig["formats"][fmt] = best
            print(f"{fmt}: {best['first']:.2f} s first, floor {best['floor']:.2f} s", flush=True)
        fig["load"].append(os.getloadavg()[0])
        app.stop()
        if args.rows <= IN_MEMORY_MAX:
            rows = list(db_rows(dataset.id, 1))
            for fmt in formats:
                cell = fig["formats"][fmt]
                cell["alone"] = timed(exporter_alone, fmt, meta, fields, rows)[0]
                cell["writer"] = timed(floors.FLOORS[fmt], fields, rows)[0]
            if "rdf" in formats:
                part = rows[:RDFLIB_ROWS]
                fig["rdflib"] = rdflib_run(meta, fields, part)
                fig["rdf_part"] = timed(exporter_alone, "rdf", meta, fields, part)[0]
                fig["nt_part"] = timed(exporter_alone, "nt", meta, fields, part)[0]
                fig["rdflib_rows"] = len(part)
            del rows
    finally:
        if app:
            app.stop()
        db.stop()
        if args.keep:
            print(f"kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(report(fig), end="")
    return 0


def verdict(ok):
    return "met" if ok else "MISSED"


def report(fig):
    """The table of figures and ratios."""
    n = fig["rows"]
    out = io.StringIO()
    cpu = platform.processor() or platform.machine()
    times = f"best of {fig['repeat']}" if fig["repeat"] > 1 else "one run"
    out.write(
        f"\nexport: {n:,} rows x 20 columns, {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}, times {times}; 1-minute load average"
        f" {fig['load'][0]:.1f} at the start, {fig['load'][-1]:.1f} at the end\n"
        f"publish (versions.publish): {fig['publish']:.1f} s; row index: {fig['index']:.1f} s;"
        f" raw cursor read alone: "
        f"{fig['read']:.2f} s ({n / fig['read']:,.0f} rows/s); idle worker {fig['idle']:.0f} MB\n\n"
    )
    head = (
        f"{'fmt':<8}{'MB':>7}{'first s':>9}{'rows/s':>9}{'floor s':>9}{'ratio':>7}"
        f"{'cached':>10}{'growth':>8}{'alone s':>9}{'writer s':>9}\n"
    )
    out.write(head)
    for fmt, c in fig["formats"].items():
        ratio = c["first"] / c["floor"]
        mbs = c["size"] / MB / c["cached"]
        out.write(
            f"{fmt:<8}{c['size'] / MB:>7.1f}{c['first']:>9.2f}{n / c['first']:>9,.0f}"
            f"{c['floor']:>9.2f}{ratio:>7.2f}{mbs:>7.0f}/s{c['growth']:>7.0f}M"
            f"{c.get('alone', 0):>9.2f}{c.get('writer', 0):>9.2f}\n"
        )
    out.write(
        "\nfirst: the whole first request (build into GridFS, then stream); floor: raw cursor\n"
        "+ plain writer; cached: MB/s of the stored file; growth: worker VmHWM over its RSS\n"
        "before the request; alone: the exporter on rows in memory; writer: the floor writer\n"
        "on rows in memory\n\ntargets\n"
    )
    for fmt, c in fig["formats"].items():
        ratio = c["first"] / c["floor"]
        mbs = c["size"] / MB / c["cached"]
        out.write(
            f"  {fmt:<8} ratio {ratio:.2f} <= {TARGET_RATIO}: {verdict(ratio <= TARGET_RATIO)};"
            f" cached {mbs:.0f} MB/s >= {TARGET_MBS}: {verdict(mbs >= TARGET_MBS)};"
            f" build growth {c['growth']:.0f} MB, cached {c['cached_growth']:.0f} MB\n"
        )
    peak = max(c["peak"] for c in fig["formats"].values())
    out.write(
        f"  worker peak RSS over every format {peak:.0f} MB (idle {fig['idle']:.0f} MB,"
        f" growth {peak - fig['idle']:.0f} MB)\n"
    )
    if n >= 1_000_000 and "csv" in fig["formats"]:
        growth = fig["formats"]["csv"]["growth"]
        out.write(
            f"  csv at {n:,} rows: growth {growth:.0f} MB <= {TARGET_GROWTH_MB}: "
            f"{verdict(growth <= TARGET_GROWTH_MB)}\n"
        )
    if "rdflib" in fig:
        seconds, growth = fig["rdflib"]
        part = fig["rdflib_rows"]
        scaled = seconds * n / part
        out.write(
            f"\nrdflib Graph + serialize(xml), {part:,} rows: {seconds:.2f} s, {growth:.0f} MB;"
            f" scaled to {n:,}: {scaled:.1f} s, {growth * n / part:.0f} MB\n"
            f"  rdf exporter on the same {part:,} rows in memory: {fig['rdf_part']:.3f} s"
            f" ({seconds / fig['rdf_part']:.0f}x faster); nt: {fig['nt_part']:.3f} s\n"
        )
        rdf = fig["formats"].get("rdf")
        if rdf:
            with_read = scaled + fig["read"]
            speed = with_read / rdf["first"]
            out.write(
                f"  rdf first request {rdf['first']:.2f} s vs rdflib scaled + the same raw read"
                f" ({with_read:.1f} s): {speed:.1f}x\n"
            )
        ratio = seconds / fig["rdf_part"]
        out.write(
            f"  target rdf >= {TARGET_RDFLIB}x rdflib (serializers on the same rows):"
            f" {ratio:.0f}x, {verdict(ratio >= TARGET_RDFLIB)}\n"
        )
    out.write("\nfloor writers\n")
    for fmt in fig["formats"]:
        out.write(f"  {fmt:<8} {floors.WRITERS[fmt]}\n")
    return out.getvalue()


if __name__ == "__main__":
    sys.exit(main())
