"""`make run`: the embedded database when no MONGO_URI is set, gunicorn, the job worker and
the statistics scheduler.

The database runs as its own process (never inside an app worker), is waited for, and is
stopped with SIGTERM when the portal stops, so its data persists across restarts.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import config as settings
from portal.embedded import EmbeddedMongo, port_open


class DatabaseNotRunning(RuntimeError):
    """No PORTAL_MONGO_URI, and the embedded development database does not answer."""


def database_uri(conf):
    """The MongoDB URI to use: PORTAL_MONGO_URI, else in development the embedded server's.

    So `flask --app wsgi users create-admin EMAIL` works beside `make run` with nothing set.
    """
    if conf["MONGO_URI"]:
        return conf["MONGO_URI"]
    if conf["ENV"] != "development":
        raise DatabaseNotRunning(f"PORTAL_MONGO_URI is not set ({conf['ENV']})")
    db = EmbeddedMongo(conf["EMBEDDED_HOST"], conf["EMBEDDED_PORT"])
    if not port_open(db.host, db.port):
        raise DatabaseNotRunning(
            f"the embedded database is not running on {db.host}:{db.port}: start the portal "
            "with `make run` first (it starts the database), or set PORTAL_MONGO_URI"
        )
    return db.uri


def main():
    conf = settings.load()
    env = dict(os.environ)
    db = scheduler = None
    if not conf["MONGO_URI"]:
        Path("var").mkdir(exist_ok=True)
        db = EmbeddedMongo(
            conf["EMBEDDED_HOST"],
            conf["EMBEDDED_PORT"],
            conf["EMBEDDED_PATH"],
            conf["EMBEDDED_CACHE"],
            log="var/mongo.log",
        )
        print(f"starting the embedded database on {db.host}:{db.port} ({db.path})", flush=True)
        db.start()
        env["PORTAL_MONGO_URI"] = db.uri
    try:
        # Indexes and reference data once, before the workers start.
        subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "db", "init"], env=env, check=True
        )
        base = conf["BASE_URL"]
        print(
            f"\n  portal:   {base}/\n  API docs: {base}/api/docs\n"
            "  admin token: .venv/bin/flask --app wsgi users create-admin you@example.uz\n",
            flush=True,
        )
        bind = base.split("://", 1)[-1].rstrip("/")
        # one scheduler for the whole portal (never one per web worker): the daily monitoring
        # run with its reminders, and the statistics tables every few minutes
        scheduler = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "monitoring", "schedule"], env=env
        )
        gunicorn = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "wsgi:app",
                "--workers",
                "2",
                "--bind",
                bind,
                "--timeout",
                "600",
                "--access-logfile",
                "-",
                # Masks OAuth codes, states and the development sign-in's e-mail in URLs.
                "--logger-class",
                "portal.logs.AccessLogger",
            ],
            env=env,
        )

        # Upload jobs run in a process of their own, never in a web worker.
        worker = subprocess.Popen([sys.executable, "-m", "portal.worker"], env=env)

        def forward(signum, _frame):
            gunicorn.send_signal(signum)
            worker.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, forward)
        signal.signal(signal.SIGINT, forward)
        gunicorn.wait()
        worker.send_signal(signal.SIGTERM)
        worker.wait()
    finally:
        if scheduler:
            scheduler.terminate()
            scheduler.wait(timeout=30)
        if db:
            print("stopping the embedded database", flush=True)
            db.stop()


if __name__ == "__main__":
    main()
