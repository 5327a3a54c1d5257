"""Downloads: each file is built once, stored in GridFS and streamed from there ever after.

A version never changes, so the file of (dataset, version, format, language, fields shown) never
changes either. The fields are part of the key through a hash, so a caption or visibility change
makes a new file while the old one stays as it was. The first request writes the exporter's
output to a local file, hashing it as it goes, and is answered from that file; the file is
stored into GridFS a chunk at a time (memory stays constant whatever the size) behind it, in a
helper thread, and its file document appears only when every chunk is in, so a reader never
sees half a file. One build per file at a time across workers and hosts (a lease in MongoDB,
held until the file is stored); the others wait a bounded time and then answer 503 with
Retry-After. The store is size-capped: least recently served files are evicted, and chunks a
killed build left are collected (portal.db.export_store). Every build reads the version from
its columnar file (services.discovery.table_files), never from the row collection.
"""

import hashlib
import logging
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import orjson
from bson import ObjectId
from werkzeug.http import parse_etags
from werkzeug.wrappers import Response
from werkzeug.wsgi import FileWrapper

import exporters
from portal.core import collector, duck_memory
from portal.core.errors import BadRequest, NotFound, Unavailable
from portal.core.langs import LANG_SHORT, parse_lang
from portal.db import export_store, leases
from portal.db.models import utcnow
from portal.services.discovery import browse, table_files
from portal.services.publishing import versions

BUCKET = "exports"
FILE_FORMATS = browse.FILE_FORMATS
VERSION_MAX_AGE = 86400
LEASE_SECONDS = 60  # a build's lease, renewed while it runs: a dead builder's runs out soon
RETRY_AFTER = 5
_settings = {"cap": 20 * 1024**3, "wait": 20.0, "store": "thread"}
FILE_CHUNK = export_store.FILE_CHUNK
_storing = ThreadPoolExecutor(max_workers=2, thread_name_prefix="export-store")
log = logging.getLogger(__name__)


def configure(cap=None, wait=None, store=None):
    """The size cap of the stored files, how long a request waits for another's build, and
    whether a new file is stored behind its first answer (`thread`) or before it (`sync`)."""
    if cap is not None:
        _settings["cap"] = int(cap)
    if wait is not None:
        _settings["wait"] = float(wait)
    if store is not None:
        if store not in ("thread", "sync"):
            raise ValueError(f"EXPORT_STORE_AFTER_BUILD is thread or sync, not {store!r}")
        _settings["store"] = store


class Download(NamedTuple):
    file_id: object
    etag: str
    length: int
    media_type: str
    filename: str
    local: object = None  # the file just built, open: its first answer is read from it


def _lang_key(lang):
    try:
        return parse_lang(lang)
    except ValueError as exc:
        raise BadRequest(str(exc)) from None


def check_format(dataset, fmt, fields):
    """NotFound for a format the portal does not offer for this structure."""
    if fmt not in FILE_FORMATS:
        raise NotFound(f"no download format {fmt!r}: use one of {', '.join(FILE_FORMATS)}")
    if not exporters.supports(fmt, fields):
        raise NotFound(
            f"GeoJSON is offered only for data with a location or polygon field; "
            f"dataset {dataset.code} has none"
        )


def fields_hash(fields):
    """A short stable hash of the fields a file shows (names, types, captions, order)."""
    data = orjson.dumps(fields, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(data).hexdigest()[:16]


def cache_key(dataset, number, fmt, lang_key, fields):
    return f"{dataset.id}:{number}:{fmt}:{lang_key or 'all'}:{fields_hash(fields)}"


def prepare(dataset, fmt, *, number=None, lang=None, base_url=""):
    """The file of a version in a format: stored, or built now (and then answered from its
    local copy while it is stored)."""
    explicit = number is not None  # /versions/0/data.csv is a version that does not exist
    number = number if explicit else dataset.current_version
    if number < 1:
        missing = f"no version {number}" if explicit else "no data yet"
        raise NotFound(f"dataset {dataset.code} has {missing}")
    versions.get(dataset, number)
    fields = browse.public_fields(dataset, number)
    check_format(dataset, fmt, fields)
    lang_key = _lang_key(lang)
    key = cache_key(dataset, number, fmt, lang_key, fields)
    local = None
    doc = export_store.find(key)
    if doc is None:
        doc, local = _build_once(dataset, number, fmt, lang_key, fields, key, base_url)
    else:
        export_store.touch(doc)
    suffix = f"-{LANG_SHORT[lang_key]}" if lang_key else ""
    return Download(
        file_id=doc["_id"],
        etag=doc["sha256"],
        length=doc["length"],
        media_type=exporters.MEDIA_TYPES[fmt],
        filename=f"{dataset.code}-v{number}{suffix}.{fmt}",
        local=local,
    )


def ensure_indexes():
    export_store.ensure_indexes()


def _build_once(dataset, number, fmt, lang_key, fields, key, base_url):
    """(file document, open local copy or None): build under the key's lease; while another
    worker holds it, wait a bounded time for its file, then answer 503 (Retry-After) rather
    than build the same file twice. The lease is held until the new file is stored."""
    lease = f"export:{key}"
    for _ in range(3):
        token = leases.acquire(lease, LEASE_SECONDS)
        if token is not None:
            renewer = leases.Renewer(lease, token, LEASE_SECONDS).start()
            try:
                doc = export_store.find(key)
                built = (
                    None if doc else _build(dataset, number, fmt, lang_key, fields, key, base_url)
                )
            except BaseException:
                renewer.stop()
                raise
            if built is None:
                renewer.stop()
                return doc, None
            return built.doc, built.store(renewer)
        doc = leases.wait_for(lambda: export_store.find(key), lease, _settings["wait"])
        if doc is not None:
            return doc, None
        if leases.held(lease):
            raise Unavailable(
                f"the {fmt} file of dataset {dataset.code} version {number} is being built; "
                "try again shortly",
                retry_after=RETRY_AFTER,
            )
        # the builder gave up (its build failed): try it here
    raise Unavailable("the file could not be built: try again shortly", retry_after=RETRY_AFTER)


def _build(dataset, number, fmt, lang_key, fields, key, base_url):
    """The file, built into a local file (a Built); built again from the start with more
    memory for DuckDB should it run out (long values: the limits follow the columns only)."""
    meta = browse.export_meta(dataset, number, base_url)
    table = table_files.open_version(dataset, versions.get(dataset, number))
    meta["table"] = table
    metadata = {
        "key": key,
        "dataset": str(dataset.id),
        "version": number,
        "format": fmt,
        "lang": lang_key,
        "fields": fields_hash(fields),
        "used": utcnow(),
    }

    def build():
        built = Built(f"{dataset.code}-v{number}.{fmt}", metadata)
        try:
            rows = () if fmt == "parquet" else table.rows({f["name"] for f in fields})
            # rows and their cells make no reference cycles: the cyclic collector would only
            # walk them (a geojson of 200,000 rows beside 1,500,000 live objects: 5.1 s,
            # paused 3.6 s)
            with collector.paused():
                for chunk in exporters.render(fmt, meta, fields, rows, lang_key):
                    built.write(chunk)
            built.finish()
        except BaseException:
            built.discard()
            raise
        return built

    return duck_memory.retrying(build)


class Built:
    """A file just built: written to local disk and hashed as it comes; `store()` puts it into
    GridFS, and the request that built it is answered from the disk, not from the database."""

    def __init__(self, filename, metadata):
        self.id = ObjectId()
        self.filename, self.metadata = filename, metadata
        fd, self.path = tempfile.mkstemp(prefix="export-", suffix=".part")
        self._out = os.fdopen(fd, "wb", buffering=FILE_CHUNK)
        self._digest = hashlib.sha256()
        self._length = 0
        self._readers = []
        self.doc = None

    def write(self, data):
        self._out.write(data)
        self._digest.update(data)
        self._length += len(data)

    def finish(self):
        """Close the file; open it twice (the answer, the store) and remove its name, so
        that it goes when both are done with it, whatever happens to either."""
        self._out.close()
        self.doc = {"_id": self.id, "sha256": self._digest.hexdigest(), "length": self._length}
        self._readers = [open(self.path, "rb"), open(self.path, "rb")]  # noqa: SIM115
        os.unlink(self.path)

    def discard(self):
        self._out.close()
        for reader in self._readers:
            reader.close()
        if os.path.exists(self.path):
            os.unlink(self.path)

    def store(self, renewer):
        """Store the file (behind the answer, or first when configured `sync`), then let
        the lease go; returns the body of the answer, read from the local file."""
        answer, kept = self._readers
        if _settings["store"] == "sync":
            _store(self, kept, renewer)
        else:
            _storing.submit(_store, self, kept, renewer)
        return FileWrapper(answer, FILE_CHUNK)


def _store(built, source, renewer):
    upload = export_store.Upload(built.filename, built.metadata, file_id=built.id)
    try:
        with source:
            while data := source.read(FILE_CHUNK):
                upload.write(data)
        upload.close(built.doc["sha256"])
        export_store.after_build(built.id, _settings["cap"])
        kept = export_store.find(built.metadata["key"])
        if kept["_id"] != built.id:
            export_store.delete(built.id)  # a concurrent build of the same file closed first
    except Exception:
        log.exception(
            "storing the download %s failed: it is built again when asked for", built.filename
        )
        upload.abort()
    finally:
        renewer.stop()


def response(download, *, if_none_match=None, cache_control="no-cache", on_send=None):
    """A streaming response of a stored file (304 when the client holds the same one)."""
    etag = download.etag
    headers = {
        "ETag": f'"{etag}"',
        "Cache-Control": cache_control,
        "Content-Disposition": f'attachment; filename="{download.filename}"',
    }
    if if_none_match and parse_etags(if_none_match).contains_weak(etag):
        return Response(status=304, headers=headers)
    if on_send:
        on_send()
    headers["Content-Length"] = str(download.length)
    body = download.local if download.local is not None else export_store.stream(download.file_id)
    return Response(
        body,
        headers=headers,
        content_type=download.media_type,
        direct_passthrough=True,
    )


def cache_control(dataset, explicit_version):
    """Explicit versions are cached by anyone for a day; the current data is revalidated."""
    if not dataset.is_public:
        return "private, no-cache"
    return f"public, max-age={VERSION_MAX_AGE}" if explicit_version else "public, no-cache"


def drop(dataset_id):
    """Remove every stored file of a dataset."""
    export_store.drop_dataset(dataset_id)
