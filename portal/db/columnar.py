"""Where columnar files live: GridFS for every host, a size-capped folder on local disk.

A file (a segment of one or more versions' tables) is named by a key (dataset, the version that
wrote it, the fields it holds, the places it holds). The local copy is read; a host without one
fetches it from GridFS; when GridFS has none either, one worker of all hosts builds it under a
lease while the others wait a bounded time. Local copies are evicted least recently used first
once the folder holds more than its cap. A version whose table is more than one file has a
manifest (`columnar.manifests`): the list of its segments, in order.
"""

import contextlib
import hashlib
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

from bson import ObjectId

from portal.core.errors import Unavailable
from portal.db import export_store, leases
from portal.db.connection import get_db
from portal.db.models import utcnow

BUCKET = "columnar"
CHUNK = 1024 * 1024
LEASE_SECONDS = 60
TOUCH_SECONDS = 3600  # a file served from local disk notes its use in GridFS this often
_settings = {"folder": None, "cap": 4 * 1024**3, "wait": 30, "store_cap": 50 * 1024**3}
_evicting = threading.Lock()


def configure(folder=None, cap=None, wait=None, store_cap=None):
    """Set the local folder (a temporary one when empty), its size cap, the build wait and
    the cap of the files kept in GridFS (least recently used go first; a file evicted is
    made again from the row collection when it is next read)."""
    if store_cap is not None:
        _settings["store_cap"] = int(store_cap)
    if not folder:
        folder = _settings.get("temp") or tempfile.mkdtemp(prefix="ochiq-columnar-")
        _settings["temp"] = folder
    Path(folder).mkdir(parents=True, exist_ok=True)
    _settings["folder"] = str(folder)
    if cap is not None:
        _settings["cap"] = int(cap)
    if wait is not None:
        _settings["wait"] = float(wait)


def folder():
    if _settings["folder"] is None:
        configure()
    return _settings["folder"]


def _name(key):
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def local_path(key):
    return os.path.join(folder(), _name(key) + ".parquet")


def _files():
    return get_db()[f"{BUCKET}.files"]


def _chunks():
    return get_db()[f"{BUCKET}.chunks"]


def _manifests():
    return get_db()[f"{BUCKET}.manifests"]


def ensure_indexes():
    _files().create_index("metadata.key")
    _files().create_index("metadata.dataset")
    _manifests().create_index("dataset")
    _chunks().create_index([("files_id", 1), ("n", 1)], unique=True)


def stored(key):
    return _files().find_one({"metadata.key": key}, sort=[("uploadDate", 1), ("_id", 1)])


def lease_of(key):
    return f"columnar:{key}"


def wait_seconds():
    return _settings["wait"]


def exists(key):
    """Whether the file `key` is on local disk or in GridFS."""
    return os.path.exists(local_path(key)) or stored(key) is not None


def manifest(key):
    """The segments of the version `key` (dicts, in order) when it has a manifest, else None."""
    doc = _manifests().find_one({"_id": key})
    return None if doc is None else doc["segments"]


def save_manifest(key, segments, metadata):
    """Store (or replace) the manifest of the version `key`."""
    doc = {**metadata, "segments": segments, "at": utcnow()}
    _manifests().replace_one({"_id": key}, doc, upsert=True)


def path_for(key, build, metadata, evict=True):
    """The local path of the file `key`, fetched or built (`build(path)`) first if needed;
    with `evict` False the caller evicts (`evict_local`) once it holds every file it needs."""
    path = local_path(key)
    if os.path.exists(path):
        if time.time() - os.path.getmtime(path) > TOUCH_SECONDS:
            _files().update_one({"metadata.key": key}, {"$set": {"metadata.used": utcnow()}})
        os.utime(path)
        return path
    doc = stored(key)
    if doc is None:
        lease = f"columnar:{key}"
        token = leases.acquire(lease, LEASE_SECONDS)
        if token is None:
            doc = leases.wait_for(lambda: stored(key), lease, _settings["wait"])
            if doc is None and leases.held(lease):
                raise Unavailable("the table of this version is being prepared; try again shortly")
            if doc is None:
                return path_for(key, build, metadata)
        else:
            with leases.Renewer(lease, token, LEASE_SECONDS):
                doc = stored(key) or build_stored(key, build, metadata)
    _fetch(doc, path)
    if evict:
        _evict()
    return path


def _temp():
    fd, tmp = tempfile.mkstemp(prefix="part-", suffix=".parquet", dir=folder())
    os.close(fd)
    os.unlink(tmp)  # DuckDB makes the file itself
    return tmp


def build_stored(key, build, metadata):
    """Build the file `key` (the caller holds its lease) and store it; its GridFS document."""
    tmp = _temp()
    try:
        build(tmp)
        return put(key, tmp, metadata)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def put(key, source, metadata):
    """Store a finished local file under `key` in GridFS (the first one closed wins)."""
    file_id = ObjectId()
    digest = hashlib.sha256()
    length = n = 0
    try:
        with open(source, "rb") as f:
            while data := f.read(CHUNK):
                digest.update(data)
                _chunks().insert_one({"files_id": file_id, "n": n, "data": data})
                n += 1
                length += len(data)
        _files().insert_one(
            {
                "_id": file_id,
                "filename": _name(key) + ".parquet",
                "chunkSize": CHUNK,
                "length": length,
                "uploadDate": utcnow(),
                "sha256": digest.hexdigest(),
                "metadata": {**metadata, "key": key, "used": utcnow()},
            }
        )
    except BaseException:
        _chunks().delete_many({"files_id": file_id})
        raise
    kept = stored(key)
    if kept["_id"] != file_id:
        delete(file_id)
    export_store.evict(_settings["store_cap"], keep=kept["_id"], bucket=BUCKET)
    local = local_path(key)
    if not os.path.exists(local):
        tmp = _temp()
        shutil.copyfile(source, tmp)
        os.replace(tmp, local)
    return kept


def _fetch(doc, path):
    if os.path.exists(path):
        return
    tmp = _temp()
    try:
        with open(tmp, "wb") as out:
            cursor = _chunks().find({"files_id": doc["_id"]}, sort=[("n", 1)], batch_size=4)
            for n, chunk in enumerate(cursor):
                if chunk["n"] != n:
                    raise OSError(f"columnar file {doc['_id']}: chunk {n} is missing")
                out.write(chunk["data"])
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def evict_local(keep=()):
    """Remove the least recently used local files while the folder is over its cap, never
    the files `keep` (those of a table being opened)."""
    _evict(frozenset(keep))


def _evict(keep=frozenset()):
    if not _evicting.acquire(blocking=False):
        return
    try:
        entries = []
        with os.scandir(folder()) as it:
            for entry in it:
                if entry.name.endswith(".parquet") and not entry.name.startswith("part-"):
                    st = entry.stat()
                    entries.append((st.st_mtime, st.st_size, entry.path))
        total = sum(size for _, size, _ in entries)
        for _, size, path in sorted(entries):
            if total <= _settings["cap"]:
                break
            if path in keep:
                continue
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            total -= size
    finally:
        _evicting.release()


def delete(file_id):
    export_store.delete(file_id, BUCKET)


def drop(dataset_id):
    """Remove every stored columnar file and manifest of a dataset."""
    export_store.drop_dataset(dataset_id, BUCKET)
    _manifests().delete_many({"dataset": str(dataset_id)})
