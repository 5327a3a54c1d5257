"""Load: reads, searches, downloads, pushes and uploads against gunicorn (2 workers), bounded.

    .venv/bin/python bench/load.py [--seconds 60] [--threads 6]

Starts its own embedded database (SecantusDB) and the portal under gunicorn with 2 sync
workers on loopback, makes an operator and an author, two datasets (one fed by integration
pushes, one by uploads), and runs `--threads` client loops for `--seconds`. Then it checks:
no answer was a 5xx; the pushed dataset's rows are exactly the rows of the pushes answered
2xx (none lost, none twice); the uploaded dataset holds the rows of the upload that made its
last version; the access log carries no OAuth code, state or e-mail. It prints p50/p95 per
kind of request and exits 1 when a check fails.

Rate limits stay on (counted in MongoDB, so their cost is measured) but are raised for the
run: one loopback address and two tokens would otherwise meet the per-caller limits at once.
"""

import argparse
import csv
import io
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portal.embedded import EmbeddedMongo, free_port  # noqa: E402

DEMO = "2-001-11072"  # a demo dataset: reads, searches and downloads
QUERIES = ["aholi", "maktab", "kutubxona", "Toshkent", "2-001", "daromad", "shifoxona"]
FORMATS = ["csv", "json", "xlsx", "xml"]
MIX = [("read", 30), ("search", 25), ("download", 15), ("rows", 10), ("push", 15), ("upload", 5)]
HIGH = {"caller": "1000000 per minute", "ip": "1000000 per minute"}
KINDS = ("signin", "search", "download", "push", "upload", "write")
ML = ("uzbText", "uzbKrText", "rusText", "engText")


def ml(text):
    return dict.fromkeys(ML, text)


class Portal:
    def __init__(self, seconds, threads):
        self.seconds, self.threads = seconds, threads
        self.folder = Path(tempfile.mkdtemp(prefix="ochiq-load-"))
        self.db = EmbeddedMongo(port=free_port(), path=str(self.folder / "db"), cache="256M")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.access_log = self.folder / "access.log"
        self.proc = None
        self.http = requests.Session()
        self.http.trust_env = False

    def env(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
        env.update(
            {
                "PORTAL_ENV": "development",
                "PORTAL_MONGO_URI": self.db.uri,
                "PORTAL_MONGO_DB": "ochiq_load",
                "PORTAL_BASE_URL": self.base,
                "PORTAL_LOG_LEVEL": "WARNING",
                "PORTAL_RATE_LIMITS": json.dumps(dict.fromkeys(KINDS, HIGH)),
            }
        )
        return env

    def start(self):
        self.db.start()
        flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
        subprocess.run([*flask, "db", "init"], env=self.env(), cwd=ROOT, check=True)
        made = subprocess.run(
            [*flask, "users", "create-admin", "load-admin@ochiq.uz"],
            env=self.env(),
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        self.admin = made.stdout.strip().splitlines()[-1]
        cmd = [sys.executable, "-m", "gunicorn", "wsgi:app", "--workers", "2", "--bind",
               f"127.0.0.1:{self.port}", "--timeout", "120",
               "--access-logfile", str(self.access_log)]  # fmt: skip
        # From the project folder, so gunicorn.conf.py (the masking access logger) applies.
        self.proc = subprocess.Popen(cmd, env=self.env(), cwd=ROOT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if self.http.get(f"{self.base}/readyz", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise RuntimeError("the portal did not start")

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(30)
        self.db.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def call(self, method, path, token=None, expect=(200,), **kw):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        resp = self.http.request(method, self.base + path, headers=headers, timeout=120, **kw)
        if resp.status_code not in expect:
            raise RuntimeError(f"{method} {path}: {resp.status_code} {resp.text[:300]}")
        return resp.json() if resp.content and "json" in resp.headers["Content-Type"] else resp


def prepare(portal):
    """An operator, an author of 2-001, a pushed dataset and an uploaded one."""
    tokens = {}
    for role, org in (("operator", None), ("author", "2-001")):
        user = portal.call(
            "POST", "/api/v1/users", portal.admin, (201,),
            json={"email": f"load-{role}@ochiq.uz", "name": role, "organization": org,
                  "roles": [role]},
        )  # fmt: skip
        made = portal.call(
            "POST", f"/api/v1/users/{user['id']}/tokens", portal.admin, (201,), json={}
        )
        tokens[role] = made["token"]
    sets = {}
    for name in ("pushed", "uploaded"):
        ds = portal.call(
            "POST", "/api/v1/datasets", tokens["operator"], (201,),
            json={"organization": "2-001", "title": ml(f"Load {name}"), "sector": "economy",
                  "update_frequency": "daily"},
        )  # fmt: skip
        for field, kind in (("Nomi", "string"), ("Soni", "number")):
            portal.call(
                "POST", f"/api/v1/datasets/{ds['id']}/fields", tokens["author"], (201,),
                json={"name": field, "type": kind, "caption": ml(field)},
            )  # fmt: skip
        sets[name] = ds["id"]
    got = portal.call("POST", f"/api/v1/datasets/{sets['pushed']}/token", tokens["author"], (201,))
    tokens["integration"] = got["token"]
    return tokens, sets


class Run:
    def __init__(self, portal, tokens, sets):
        self.portal, self.tokens, self.sets = portal, tokens, sets
        self.times = defaultdict(list)
        self.statuses = defaultdict(Counter)
        self.pushed = []  # ids of rows answered 2xx
        self.uploads = []  # (version, ids) answered 2xx
        self.failures = []
        self.lock = threading.Lock()

    def op(self, kind, rnd, tag):
        p, t = self.portal, self.tokens
        if kind == "read":
            return p.http.get(f"{p.base}/api/v1/datasets/{DEMO}", timeout=120), None
        if kind == "search":
            q = rnd.choice(QUERIES)
            return p.http.get(f"{p.base}/api/v1/datasets", params={"q": q}, timeout=120), None
        if kind == "download":
            url = f"{p.base}/api/v1/datasets/{DEMO}/data.{rnd.choice(FORMATS)}"
            return p.http.get(url, timeout=120), None
        if kind == "rows":
            page = rnd.randint(1, 3)
            url = f"{p.base}/api/v1/datasets/{DEMO}/rows"
            return p.http.get(url, params={"page": page}, timeout=120), None
        if kind == "push":
            ids = [f"{tag}-{k}" for k in range(rnd.randint(1, 3))]
            body = {
                "id": self.sets["pushed"],
                "token": t["integration"],
                "data": [{"Nomi": i, "Soni": n} for n, i in enumerate(ids)],
            }
            resp = p.http.post(f"{p.base}/apiData/MainData/ExternalApi", json=body, timeout=120)
            return resp, ids
        ids = [f"{tag}-{k}" for k in range(50)]
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(["Nomi", "Soni"])
        writer.writerows([i, n] for n, i in enumerate(ids))
        resp = p.http.post(
            f"{p.base}/api/v1/datasets/{self.sets['uploaded']}/uploads",
            headers={"Authorization": f"Bearer {t['author']}"},
            files={"file": ("load.csv", buf.getvalue().encode(), "text/csv")},
            timeout=120,
        )
        return resp, ids

    def loop(self, number, until):
        rnd = random.Random(number)
        kinds = [k for k, w in MIX for _ in range(w)]
        seq = 0
        while time.monotonic() < until:
            kind = rnd.choice(kinds)
            seq += 1
            started = time.perf_counter()
            try:
                resp, ids = self.op(kind, rnd, f"t{number}-{seq}")
            except requests.RequestException as exc:
                with self.lock:
                    self.failures.append(f"{kind}: {type(exc).__name__}")
                continue
            elapsed = (time.perf_counter() - started) * 1000
            with self.lock:
                self.times[kind].append(elapsed)
                self.statuses[kind][resp.status_code] += 1
                if resp.status_code >= 500:
                    self.failures.append(f"{kind}: {resp.status_code} {resp.text[:200]}")
                elif kind == "push" and resp.status_code == 200:
                    self.pushed.extend(ids)
                elif kind == "upload" and resp.status_code == 201:
                    self.uploads.append((resp.json()["version"], ids))

    def go(self):
        until = time.monotonic() + self.portal.seconds
        threads = [
            threading.Thread(target=self.loop, args=(n, until)) for n in range(self.portal.threads)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()


def rows_of(portal, ds):
    ids, page = [], 1
    while True:
        got = portal.call("GET", f"/api/v1/datasets/{ds}/rows?page={page}&page_size=100")
        ids.extend(str(item["Nomi"]) for item in got["items"])
        if page * 100 >= got["total"]:
            return ids
        page += 1


def check(portal, run):
    problems = list(run.failures)
    stored = rows_of(portal, run.sets["pushed"])
    dupes = [i for i, n in Counter(stored).items() if n > 1]
    lost = sorted(set(run.pushed) - set(stored))
    extra = sorted(set(stored) - set(run.pushed))
    if dupes or lost or extra or len(stored) != len(run.pushed):
        problems.append(f"pushed rows: {len(lost)} lost, {len(dupes)} twice, {len(extra)} unasked")
    if run.uploads:
        version, ids = max(run.uploads)
        if sorted(rows_of(portal, run.sets["uploaded"])) != sorted(ids):
            problems.append(f"uploaded rows differ from those of version {version}")
    # The access log masks what a sign-in URL carries.
    portal.http.get(f"{portal.base}/auth/callback?code=LOADCODE42&state=LOADSTATE42", timeout=10)
    portal.http.get(f"{portal.base}/auth/dev-login?email=load-author@ochiq.uz", timeout=10)
    time.sleep(0.5)
    logged = portal.access_log.read_text()
    for secret in ("LOADCODE42", "LOADSTATE42", "load-author@ochiq.uz"):
        if secret in logged:
            problems.append(f"the access log carries {secret}")
    if "code=***" not in logged:
        problems.append("the access log has no masked callback line")
    return problems, len(stored)


def percentile(values, q):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(run, seconds, stored):
    every = [t for times in run.times.values() for t in times]
    print(f"\n{len(every)} requests in {seconds} s ({len(every) / seconds:.1f}/s), 2 workers")
    print(f"{'kind':<10}{'n':>7}{'p50 ms':>10}{'p95 ms':>10}  statuses")
    for kind, _ in MIX:
        times = run.times.get(kind) or [0]
        statuses = ", ".join(f"{s}: {n}" for s, n in sorted(run.statuses[kind].items()))
        print(
            f"{kind:<10}{len(run.times.get(kind, [])):>7}{statistics.median(times):>10.1f}"
            f"{percentile(times, 0.95):>10.1f}  {statuses}"
        )
    print(
        f"{'all':<10}{len(every):>7}{statistics.median(every):>10.1f}"
        f"{percentile(every, 0.95):>10.1f}"
    )
    print(f"pushed rows accepted: {len(run.pushed)}, stored: {stored}; uploads: {len(run.uploads)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--threads", type=int, default=6)
    args = parser.parse_args()
    portal = Portal(args.seconds, args.threads)
    try:
        portal.start()
        tokens, sets = prepare(portal)
        run = Run(portal, tokens, sets)
        run.go()
        problems, stored = check(portal, run)
        report(run, args.seconds, stored)
    finally:
        portal.stop()
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems[:20]))
        sys.exit(1)
    print("no 5xx; no row lost or duplicated; the access log masks sign-in secrets")


if __name__ == "__main__":
    main()
