"""Downloads: each file is built once into GridFS and streamed from there ever after.

A version never changes, so the file of (dataset, version, format, language, fields shown) never
changes either. The fields are part of the key through a hash, so a caption or visibility change
makes a new file while the old one stays as it was. The first request writes the exporter's
chunks into GridFS one chunk at a time (memory stays constant whatever the size); the file
document appears only when the upload closes, so a reader never sees half a file. One build
per file at a time across workers and hosts (a lease in MongoDB); the others wait a bounded
time and then answer 503 with Retry-After. The store is size-capped: least recently served
files are evicted, and chunks a killed build left are collected (portal.db.export_store).
Every build reads the version from its columnar file (services.discovery.table_files), never
from the row collection.
"""

import hashlib
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from typing import NamedTuple

import orjson
from bson import ObjectId
from gridfs.errors import CorruptGridFile
from werkzeug.http import parse_etags
from werkzeug.wrappers import Response

import exporters
from portal.core.errors import BadRequest, NotFound, Unavailable
from portal.core.langs import LANG_SHORT, parse_lang
from portal.db import export_store, leases
from portal.db.connection import get_db
from portal.db.models import utcnow
from portal.services.discovery import browse, table_files
from portal.services.publishing import versions

BUCKET = "exports"
FILE_FORMATS = browse.FILE_FORMATS
VERSION_MAX_AGE = 86400
LEASE_SECONDS = 60  # a build's lease, renewed while it runs: a dead builder's runs out soon
RETRY_AFTER = 5
_settings = {"cap": 20 * 1024**3, "wait": 20.0}
# GridFS chunk of a stored file, and so the block a download streams: larger chunks mean
# fewer documents to store and fetch and fewer, larger writes to the socket
FILE_CHUNK = 1024 * 1024
UPLOAD_QUEUE = 4  # chunks handed to the helper thread and not yet stored, at most
STREAM_BATCH = 4  # stored chunks fetched per round trip while a file is streamed


def configure(cap=None, wait=None):
    """The size cap of the stored files and how long a request waits for another's build."""
    if cap is not None:
        _settings["cap"] = int(cap)
    if wait is not None:
        _settings["wait"] = float(wait)


class Download(NamedTuple):
    file_id: object
    etag: str
    length: int
    media_type: str
    filename: str


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
    """The stored file of a version in a format, built first if it is not there yet."""
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
    doc = _find(key)
    if doc is None:
        doc = _build_once(dataset, number, fmt, lang_key, fields, key, base_url)
    else:
        export_store.touch(doc)
    suffix = f"-{LANG_SHORT[lang_key]}" if lang_key else ""
    return Download(
        file_id=doc["_id"],
        etag=doc["sha256"],
        length=doc["length"],
        media_type=exporters.MEDIA_TYPES[fmt],
        filename=f"{dataset.code}-v{number}{suffix}.{fmt}",
    )


def _files():
    return get_db()[f"{BUCKET}.files"]


def _find(key):
    return _files().find_one({"metadata.key": key}, sort=[("uploadDate", 1), ("_id", 1)])


def _chunks():
    return get_db()[f"{BUCKET}.chunks"]


def ensure_indexes():
    """The indexes of stored files: lookups, and the ones GridFS readers rely on (idempotent)."""
    _files().create_index("metadata.key")
    _files().create_index("metadata.dataset")
    _files().create_index([("filename", 1), ("uploadDate", 1)])
    _chunks().create_index([("files_id", 1), ("n", 1)], unique=True)


def _build_once(dataset, number, fmt, lang_key, fields, key, base_url):
    """Build under the key's lease; while another worker holds it, wait a bounded time for
    its file, then answer 503 (Retry-After) rather than build the same file twice."""
    lease = f"export:{key}"
    for _ in range(3):
        token = leases.acquire(lease, LEASE_SECONDS)
        if token is not None:
            with leases.Renewer(lease, token, LEASE_SECONDS):
                doc = _find(key) or _build(dataset, number, fmt, lang_key, fields, key, base_url)
            export_store.after_build(doc["_id"], _settings["cap"])
            return doc
        doc = leases.wait_for(lambda: _find(key), lease, _settings["wait"])
        if doc is not None:
            return doc
        if leases.held(lease):
            raise Unavailable(
                f"the {fmt} file of dataset {dataset.code} version {number} is being built; "
                "try again shortly",
                retry_after=RETRY_AFTER,
            )
        # the builder gave up (its build failed): try it here
    raise Unavailable("the file could not be built: try again shortly", retry_after=RETRY_AFTER)


def _build(dataset, number, fmt, lang_key, fields, key, base_url):
    ensure_indexes()
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
    upload = _Upload(f"{dataset.code}-v{number}.{fmt}", metadata)
    try:
        rows = () if fmt == "parquet" else table.rows({f["name"] for f in fields})
        for chunk in exporters.render(fmt, meta, fields, rows, lang_key):
            upload.write(chunk)
        upload.close()
    except BaseException:
        upload.abort()
        raise
    kept = _find(key)
    if kept["_id"] != upload.id:
        _delete(upload.id)  # a concurrent build of the same file closed first
    return kept


class _Upload:
    """A GridFS file written a chunk at a time, each chunk stored by a helper thread.

    pymongo's upload stream holds up to 48 MB of chunks before it inserts any. Here a chunk is
    filled while up to UPLOAD_QUEUE earlier ones are hashed and stored, so memory stays at a few
    chunks and the database works while the exporter does. The file document goes in last, on
    close(), so until then the file does not exist for readers.
    """

    def __init__(self, filename, metadata):
        self.id = ObjectId()
        self._file = {"_id": self.id, "filename": filename, "metadata": metadata}
        self._buffer = bytearray()
        self._digest = hashlib.sha256()
        self._n = self._length = 0
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="export-writer")
        self._pending = deque()  # chunks handed to the helper thread, oldest first

    def write(self, data):
        self._buffer += data
        while len(self._buffer) >= FILE_CHUNK:
            self._store(bytes(memoryview(self._buffer)[:FILE_CHUNK]))
            del self._buffer[:FILE_CHUNK]

    def _store(self, data):
        while len(self._pending) >= UPLOAD_QUEUE:
            self._pending.popleft().result()
        doc = {"files_id": self.id, "n": self._n, "data": data}
        self._n += 1
        self._length += len(data)
        self._pending.append(self._pool.submit(self._insert, doc))

    def _insert(self, doc):
        self._digest.update(doc["data"])
        _chunks().insert_one(doc)

    def _wait(self):
        while self._pending:
            self._pending.popleft().result()

    def close(self):
        """Store the last chunk, then the file document that makes the file visible."""
        if self._buffer:
            self._store(bytes(self._buffer))
        self._wait()
        self._pool.shutdown()
        self._file.update(
            chunkSize=FILE_CHUNK,
            length=self._length,
            uploadDate=utcnow(),
            sha256=self._digest.hexdigest(),
        )
        _files().insert_one(self._file)

    def abort(self):
        """Remove the chunks stored so far."""
        self._pool.shutdown(wait=True, cancel_futures=True)
        _chunks().delete_many({"files_id": self.id})




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
    return Response(
        _stream(download.file_id),
        headers=headers,
        content_type=download.media_type,
        direct_passthrough=True,
    )


def _stream(file_id):
    """The chunks of a stored file in order, STREAM_BATCH per round trip.

    Not a GridFS download stream: iterating one yields lines, and its cursor fetches as many
    chunks as fit in a 16 MB reply, all held in the worker's memory at once.
    """
    cursor = _chunks().find({"files_id": file_id}, sort=[("n", 1)], batch_size=STREAM_BATCH)
    with cursor:
        for n, doc in enumerate(cursor):
            if doc["n"] != n:
                raise CorruptGridFile(f"stored file {file_id}: chunk {n} is missing")
            yield doc["data"]


def cache_control(dataset, explicit_version):
    """Explicit versions are cached by anyone for a day; the current data is revalidated."""
    if not dataset.is_public:
        return "private, no-cache"
    return f"public, max-age={VERSION_MAX_AGE}" if explicit_version else "public, no-cache"


def drop(dataset_id):
    """Remove every stored file of a dataset."""
    for doc in _files().find({"metadata.dataset": str(dataset_id)}, {"_id": 1}):
        _delete(doc["_id"])


def _delete(file_id):
    # the file document first: without it the chunks are unreachable, as after an abort
    _files().delete_one({"_id": file_id})
    _chunks().delete_many({"files_id": file_id})
