"""Scale benchmark, pushes and versions: what a push costs as the data and its history grow.

    .venv/bin/python bench/scale.py [--sizes 1000,100000,1000000] [--versions 10000]
                                    [--replace 100000] [--repeat 15]

Starts its own embedded database on a free port and builds the app against it; every figure is
measured over HTTP through the app's WSGI interface (the test client, one process). Datasets
are set up by writing their row documents directly through portal.db (the same documents,
hashes and checksum chain a publish writes), so that a 1,000,000-row dataset is ready in
minutes; the pushes measured then go through the whole path: token, validation, write lock,
rows, the publishing update, the history.

Figures (medians):
- a 1-row `ExternalApi` push (append) into datasets of each size;
- push, passport and a search that lists the dataset at 10 versions and after `--versions`
  pushes, with the size of the dataset document;
- a `mode: "replace"` push of `--replace` rows (1% changed) over a version of as many rows,
  against the floor: `insert_many` of as many row documents on the same server.
Each is printed with its target and pass or fail.
"""

import argparse
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import bson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.embedded import EmbeddedMongo, free_port  # noqa: E402

DB_NAME = "ochiq_bench_scale"
PUSH_MS = 50
PUSH_GROWTH = 1.5
VERSION_GROWTH = 1.2
DOCUMENT_KIB = 256
REPLACE_RATIO = 1.5
FIELDS = [
    ("Nomi", "string", "Nomi"),
    ("Soni", "number", "Soni"),
    ("Sana", "date", "Sana"),
    ("Izoh", "string", "Izoh"),
]
SEED_BATCH = 10_000


def stored_row(i, changed=False):
    """Row i as stored (canonical values)."""
    return {
        "Nomi": f"bench row {i}",
        "Soni": i * 7 + (1 if changed else 0),
        "Sana": f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}",
        "Izoh": None if i % 3 else f"note {i % 97}",
    }


def pushed_row(i, changed=False):
    """Row i as an integration pushes it (field names, text values)."""
    row = stored_row(i, changed)
    day, month = row["Sana"][8:], row["Sana"][5:7]
    return {
        "Nomi": row["Nomi"],
        "Soni": str(row["Soni"]),
        "Sana": f"{day}.{month}.2024",
        "Izoh": row["Izoh"] or "",
    }


class Bench:
    def __init__(self, app):
        from portal.db.models import Sector, User
        from portal.services.identity import tokens

        self.app = app
        self.client = app.test_client()
        self.sector = Sector.objects.first().code
        self.user = User(email="bench@ochiq.uz", roles=["author"], organization="2-001").save()
        self.serial = 90100
        self.tokens = tokens

    # ------------------------------------------------------------------ setup

    def dataset(self, rows, title):
        """A published dataset whose version 1 has `rows` rows, written directly."""
        from portal.db import rows as row_store
        from portal.db.models import LIVE, Dataset, Field, ml, utcnow
        from portal.db.publishing import history

        self.serial += 1
        fields = [
            Field(name=n, type=t, caption=ml({"uzbText": c, "engText": c}), order=k)
            for k, (n, t, c) in enumerate(FIELDS, 1)
        ]
        dataset = Dataset(
            code=f"2-001-{self.serial}",
            serial=self.serial,
            organization="2-001",
            sector=self.sector,
            title=ml({"uzbText": title, "engText": title}),
            fields=fields,
            kind="editable",
            created_by="bench",
        )
        from portal.services.discovery import search_index

        search_index.refresh(dataset)
        dataset.save()
        row_store.ensure_indexes(dataset.id)
        col = row_store.collection(dataset.id)
        state, batch = "", []
        for i in range(1, rows + 1):
            row = stored_row(i)
            h = row_store.row_hash(row)
            state = row_store.chain(state, h)
            batch.append({"p": i, "h": h, "f": 1, "t": LIVE, "d": row})
            if len(batch) >= SEED_BATCH:
                col.insert_many(batch, ordered=False)
                batch = []
        if batch:
            col.insert_many(batch, ordered=False)
        field_dicts = [f.to_dict() for f in fields]
        now = utcnow()
        record = {
            "number": 1,
            "created_at": now,
            "by": "bench",
            "source": "seed",
            "rows": rows,
            "added": rows,
            "removed": 0,
            "checksum": state,
            "scheme": row_store.CHAIN,
            "tail": {"p": rows, "chain": state},
            "structure": history.store_snapshot(dataset.id, field_dicts),
        }
        Dataset._get_collection().update_one(
            {"_id": dataset.id},
            {
                "$set": {
                    "current_version": 1,
                    "status": "published",
                    "versions": [record],
                    "data_updated_at": now,
                }
            },
        )
        history.save_record(dataset.id, record)
        dataset.reload()
        _, plaintext = self.tokens.issue(
            self.user, scope="dataset", dataset=dataset.id, name="bench"
        )
        return dataset, plaintext

    # ------------------------------------------------------------------ requests

    def push(self, dataset, token, rows, mode="append"):
        body = {"id": str(dataset.id), "token": token, "data": rows, "mode": mode}
        started = time.perf_counter()
        resp = self.client.post("/apiData/MainData/ExternalApi", json=body)
        elapsed = time.perf_counter() - started
        if resp.status_code != 200:
            raise RuntimeError(f"push answered {resp.status_code}: {resp.get_json()}")
        return elapsed, resp.get_json()

    def get(self, url):
        started = time.perf_counter()
        resp = self.client.get(url)
        elapsed = time.perf_counter() - started
        if resp.status_code != 200:
            raise RuntimeError(f"GET {url} answered {resp.status_code}")
        return elapsed, resp.get_json()

    def push_median(self, dataset, token, repeat, start=0):
        times = [
            self.push(dataset, token, [pushed_row(10_000_000 + start + k)])[0]
            for k in range(repeat)
        ]
        return statistics.median(times) * 1000

    def reads(self, dataset, title, repeat):
        passport = [self.get(f"/api/v1/datasets/{dataset.code}")[0] for _ in range(repeat)]
        search = []
        for _ in range(repeat):
            elapsed, found = self.get(f"/api/v1/datasets?q={title}")
            if not any(item.get("code") == dataset.code for item in found["items"]):
                raise RuntimeError("the search does not list the dataset")
            search.append(elapsed)
        return statistics.median(passport) * 1000, statistics.median(search) * 1000


def document_kib(dataset):
    from portal.db.models import Dataset

    doc = Dataset._get_collection().find_one({"_id": dataset.id})
    return len(bson.encode(doc)) / 1024


def verdict(ok):
    return "pass" if ok else "FAIL"


def line(label, figure, target, ok):
    print(f"  {label:<52} {figure:>14}   target {target:<26} {verdict(ok)}", flush=True)


def bench_push_sizes(bench, sizes, repeat):
    """Set every size up first, then push into them in turn, so each size's median is taken
    under the same load of the machine."""
    print("1-row push (append) by dataset size, median of", repeat, flush=True)
    warm, token = bench.dataset(100, "warmup")  # first requests load caches: not measured
    bench.push_median(warm, token, 10)
    targets = {}
    for size in sizes:
        started = time.perf_counter()
        targets[size] = bench.dataset(size, f"size{size}")
        print(f"  (set up {size:,} rows in {time.perf_counter() - started:.0f} s)", flush=True)
    times = {size: [] for size in sizes}
    for k in range(repeat + 3):
        for size, (dataset, token) in targets.items():
            elapsed, _ = bench.push(dataset, token, [pushed_row(10_000_000 + k)])
            if k >= 3:  # the first pushes of each are warm-up
                times[size].append(elapsed)
    from portal.services.publishing import versions

    figures = {}
    for size, (dataset, _) in targets.items():
        figures[size] = statistics.median(times[size]) * 1000
        dataset.reload()
        if size <= 100_000:
            ok = versions.verify(dataset, dataset.current_version)
            print(f"  last version of {size:,} verifies: {ok}")
        line(f"push into {size:,} rows", f"{figures[size]:.1f} ms", f"<= {PUSH_MS} ms",
             figures[size] <= PUSH_MS)  # fmt: skip
    smallest, largest = min(sizes), max(sizes)
    if largest != smallest:
        ratio = figures[largest] / figures[smallest]
        line(f"push {largest:,} / {smallest:,}", f"{ratio:.2f}x", f"<= {PUSH_GROWTH}x",
             ratio <= PUSH_GROWTH)  # fmt: skip
    return figures


def bench_versions(bench, count, repeat):
    """One dataset at 10 versions and one pushed `count` times, measured in turn."""
    print(f"push, passport and search at 10 versions and after {count:,} pushes", flush=True)
    early, early_token = bench.dataset(1000, "earlybench")
    late, late_token = bench.dataset(1000, "latebench")
    for k in range(9):
        bench.push(early, early_token, [pushed_row(20_000_000 + k)])
    sizes = {}
    started = time.perf_counter()
    for done in range(2, count + 1):
        bench.push(late, late_token, [pushed_row(40_000_000 + done)])
        if done in (10, 100, 1000) or done % 2500 == 0:
            sizes[done] = document_kib(late)
            rate = (time.perf_counter() - started) / (done - 1)
            print(f"  ... {done:,} versions ({rate * 1000:.0f} ms a push)", flush=True)
    figures = {"push": ([], []), "passport": ([], []), "search listing it": ([], [])}
    for k in range(repeat):
        for side, (dataset, token, title) in enumerate(
            ((early, early_token, "earlybench"), (late, late_token, "latebench"))
        ):
            figures["push"][side].append(bench.push(dataset, token, [pushed_row(k)])[0])
            figures["passport"][side].append(bench.get(f"/api/v1/datasets/{dataset.code}")[0])
            elapsed, found = bench.get(f"/api/v1/datasets?q={title}")
            if not any(item.get("code") == dataset.code for item in found["items"]):
                raise RuntimeError("the search does not list the dataset")
            figures["search listing it"][side].append(elapsed)
    early.reload()
    late.reload()
    sizes[late.current_version] = document_kib(late)
    print(f"  versions: {early.current_version:,} and {late.current_version:,}")
    for label, (few, many) in figures.items():
        a, b = statistics.median(few) * 1000, statistics.median(many) * 1000
        ratio = b / a
        n, m = early.current_version, late.current_version
        label = f"{label}: {a:.1f} ms at {n}, {b:.1f} ms at {m:,}"
        line(label,
             f"{ratio:.2f}x", f"<= {VERSION_GROWTH}x", ratio <= VERSION_GROWTH)  # fmt: skip
    biggest = max(sizes.values())
    shown = ", ".join(f"{n:,}: {kib:.1f}" for n, kib in sorted(sizes.items()))
    print(f"  document KiB by versions: {shown}")
    line("largest dataset document", f"{biggest:.1f} KiB", f"<= {DOCUMENT_KIB} KiB",
         biggest <= DOCUMENT_KIB)  # fmt: skip


def insert_floor(rows):
    """insert_many of `rows` row documents into a fresh collection with the row index."""
    from portal.db import rows as row_store
    from portal.db.connection import get_db
    from portal.db.models import LIVE

    col = get_db()["bench_floor"]
    col.drop()
    col.create_index([("p", 1), ("f", 1), ("t", 1)])
    docs = []
    for i in range(1, rows + 1):
        row = stored_row(i)
        docs.append({"p": i, "h": row_store.row_hash(row), "f": 1, "t": LIVE, "w": "x", "d": row})
    started = time.perf_counter()
    for k in range(0, rows, row_store.BATCH):
        col.insert_many(docs[k : k + row_store.BATCH], ordered=False)
    elapsed = time.perf_counter() - started
    col.drop()
    return elapsed


def bench_replace(bench, rows, runs=2):
    print(f"replace push of {rows:,} rows (1% changed) over {rows:,} rows", flush=True)
    dataset, token = bench.dataset(rows, "replacebench")
    times = []
    for run in range(runs):
        body = [pushed_row(i, changed=(i % 100 == run)) for i in range(1, rows + 1)]
        elapsed, answer = bench.push(dataset, token, body, mode="replace")
        times.append(elapsed)
        print(f"  run {run + 1}: {elapsed:.2f} s, added {answer['added']:,}", flush=True)
    floor = statistics.median([insert_floor(rows) for _ in range(runs)])
    replace = statistics.median(times)
    from portal.services.publishing import versions

    dataset.reload()
    print(f"  last version verifies: {versions.verify(dataset, dataset.current_version)}")
    line(f"replace {replace:.2f} s vs insert_many {floor:.2f} s", f"{replace / floor:.2f}x",
         f"<= {REPLACE_RATIO}x", replace / floor <= REPLACE_RATIO)  # fmt: skip


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stop the server on the way out
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--versions", type=int, default=10_000)
    parser.add_argument("--replace", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]

    folder = tempfile.mkdtemp(prefix="ochiq-scale-")
    server = EmbeddedMongo(port=free_port(), path=folder, cache="1G")
    server.start()
    try:
        from portal.app import create_app

        app = create_app(
            "testing",
            {
                "MONGO_URI": server.uri,
                "MONGO_DB": DB_NAME,
                "LOAD_DEMO": False,
                "MAX_JSON_ROWS": max(args.replace, 50_000),
                "MAX_CONTENT_LENGTH": 200 * 1024 * 1024,
                "LOG_LEVEL": "WARNING",
            },
        )
        bench = Bench(app)
        print(f"scale bench: {os.cpu_count()} cores, embedded server, HTTP via the app's WSGI")
        if sizes:
            bench_push_sizes(bench, sizes, args.repeat)
        if args.versions:
            bench_versions(bench, args.versions, args.repeat)
        if args.replace:
            bench_replace(bench, args.replace)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
