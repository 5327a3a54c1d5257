"""Append benchmark: the background work and bytes stored per 1-row append to a large version.

    nice -n 19 .venv/bin/python bench/segments.py [--rows 100000] [--appends 48] [--old 3]

Starts its own embedded database, publishes the export bench's generated dataset
(bench/export.py: 14 fields, 20 columns) as version 1 and appends one row at a time with
`versions.publish(mode="append")`, the files made in the caller's thread ("sync"). For each
append it measures the job that makes the new version's table (table_files._Convert): the CPU
time of this process (every thread, DuckDB's included), the bytes this process wrote
(/proc/self/io wchar: files and the upload to the database) and the bytes added to GridFS.
Compaction runs inside that job and is counted in it. `--old` appends are then measured the
way versions were made before segments: the previous version's whole file and the new row
written as one new file, stored in GridFS and copied to the local folder.

In-process figures: CPU time and bytes, not wall time (the machine may be shared).
"""

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import export as xb  # noqa: E402 - the export bench's dataset

from portal.embedded import EmbeddedMongo, free_port  # noqa: E402

DB_NAME = "ochiq_bench_segments"


def wchar():
    with open("/proc/self/io") as f:
        return int(next(line for line in f if line.startswith("wchar:")).split()[1])


def stored_bytes():
    from portal.db.connection import get_db

    return sum(d.get("length", 0) for d in get_db()["columnar.files"].find({}, {"length": 1}))


class Meter:
    def __init__(self):
        self.cpu, self.written, self.stored = [], [], []

    def __enter__(self):
        self._t, self._w, self._s = time.process_time(), wchar(), stored_bytes()
        return self

    def __exit__(self, *exc):
        self.cpu.append(time.process_time() - self._t)
        self.written.append(wchar() - self._w)
        self.stored.append(stored_bytes() - self._s)


def summary(name, m):
    mib = 1 << 20
    return (
        f"{name}: CPU mean {statistics.mean(m.cpu) * 1000:.1f} ms (max {max(m.cpu) * 1000:.1f}), "
        f"written mean {statistics.mean(m.written) / mib:.3f} MiB "
        f"(max {max(m.written) / mib:.3f}), GridFS added mean "
        f"{statistics.mean(m.stored) / 1024:.1f} KiB (max {max(m.stored) / 1024:.1f}), "
        f"total added {sum(m.stored) / mib:.2f} MiB over {len(m.cpu)} appends"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--appends", type=int, default=48)
    parser.add_argument("--old", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="ochiq-bench-segments-"))
    db = EmbeddedMongo(port=free_port(), path=str(work / "db"), log=str(work / "mongo.log"))
    try:
        db.start()
        from portal.db import columnar, columnar_file, connection
        from portal.db.models import Directory
        from portal.services import startup
        from portal.services.discovery import table_files
        from portal.services.publishing import versions

        connection.connect(db.uri, DB_NAME)
        startup.prepare(load_demo=False)
        columnar.configure(str(work / "columnar"))
        table_files.configure("sync")
        dataset, fields = xb.create_dataset(args.rows)
        first = table_files.open_version(dataset, versions.get(dataset, 1))
        print(f"version 1: {args.rows} rows, {stored_bytes() / (1 << 20):.2f} MiB in GridFS")
        regions = [item.code for item in Directory.objects(code="regions").first().items]
        rnd = random.Random(11)

        meter = Meter()
        real = table_files._Convert.__call__

        def measured(job):
            with meter:
                real(job)

        table_files._Convert.__call__ = measured
        for i in range(args.appends):
            dataset.reload()
            row = xb.make_row(args.rows + i + 1, rnd, regions)
            versions.publish(dataset, [row], source="push", by="bench", mode="append",
                             fields=fields)  # fmt: skip
        table_files._Convert.__call__ = real
        dataset.reload()
        last = versions.get(dataset, dataset.current_version)
        table = table_files.open_version(dataset, last)
        print(f"after {args.appends} appends: {len(table.paths)} segments, "
              f"{columnar_file.count(table.paths)} rows")  # fmt: skip
        print(summary("segments (1-row append)", meter))

        # before segments: the previous version's whole file and the new row, one new file
        old = Meter()
        schema = first.schema
        for i in range(args.old):
            spool = columnar_file.Spool(schema, columnar.folder())
            spool.add(xb.make_row(10**7 + i, rnd, regions))
            target = os.path.join(columnar.folder(), f"old-{i}.parquet")
            with old:
                columnar_file.write(spool, target, first.paths[0], args.rows)
                columnar.put(f"old:{i}", target, {"dataset": "old", "version": i})
                os.unlink(target)
            spool.discard()
        print(summary("one whole file per version (1-row append)", old))
    finally:
        db.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
