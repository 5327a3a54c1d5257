"""Run by the atomicity tests in their own process: start a new version, then die mid-write
(`crash`), or write slowly under a short lease (`slow`) so the test can stop the process
(SIGSTOP) past its lease and let another writer take over."""

import os
import signal
import sys
import time
from datetime import timedelta


def main(uri, db_name, code, count, mode="crash", lease=30.0):
    from portal.core.errors import Conflict
    from portal.db.connection import connect
    from portal.db.models import Dataset
    from portal.services.publishing import versions, writelock

    connect(uri, db_name)
    writelock.LEASE = timedelta(seconds=lease)
    dataset = Dataset.objects(code=code).first()
    fields = [f.to_dict() for f in dataset.fields]

    def rows():
        for i in range(count * 10 if mode == "crash" else count):
            if mode == "crash" and i == count:
                # SIGKILL: no cleanup handler, no finally block runs - as a killed worker.
                os.kill(os.getpid(), signal.SIGKILL)
            if mode == "slow" and i == count // 4:
                print("WRITING", flush=True)
            if mode == "slow" and i > count // 4:
                time.sleep(0.0005)
            yield {f["name"]: None for f in fields} | {"Manzil": f"{mode} {i}"}

    try:
        record = versions.publish(dataset, rows(), source="upload", by=mode)
    except Conflict as error:
        print(f"STATUS {error.status} {error.message}", flush=True)
        return
    print(f"STATUS 201 {record['number']}", flush=True)


if __name__ == "__main__":
    args = sys.argv[1:]
    main(args[0], args[1], args[2], int(args[3]), *args[4:5], *map(float, args[5:6]))
