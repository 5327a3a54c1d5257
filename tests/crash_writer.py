"""Run by the atomicity test in its own process: start a new version, then die mid-write."""

import os
import signal
import sys


def main(uri, db_name, code, kill_after):
    from portal.db.connection import connect
    from portal.db.models import Dataset
    from portal.services import versions

    connect(uri, db_name)
    dataset = Dataset.objects(code=code).first()
    fields = [f.to_dict() for f in dataset.fields]

    def rows():
        for i in range(kill_after * 10):
            if i == kill_after:
                # SIGKILL: no cleanup handler, no finally block runs - as a killed worker.
                os.kill(os.getpid(), signal.SIGKILL)
            yield {f["name"]: None for f in fields} | {"Manzil": f"crash {i}"}

    versions.publish(dataset, rows(), source="upload", by="crash")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
