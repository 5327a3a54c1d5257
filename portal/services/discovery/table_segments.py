"""A version's table as a list of immutable segment files, shared by the versions that use them.

A segment holds the rows at places `lo < _p <= hi` of the versions that use it. A first
version, a replace, or a version made on first read from the row collection has one segment,
its whole table, keyed as the version (`key`). An append of k rows is the previous version's
segments and one new segment of those k rows, keyed by the version that wrote it and its
places (`part_key`): a push writes and stores what it carries. The list of a version of more
than one segment is its manifest (portal.db.columnar), written when the segment is; a version
without a manifest is its whole file, made on first read when there is none.

A segment is a dict `{key, lo, hi, version, p}`: `version` wrote it and `p` is the
`[first, last]` positions of its rows in the row collection (None for a whole version), so
that a segment evicted from GridFS is made again from the rows it holds, and only those.

Compaction keeps the list short: once a version has more than `most` segments, or the ones
after the first hold as many rows as the first, the smallest run at the end (each segment of
it no larger than those after it together) is merged into one new segment of that version;
the version's manifest then names it. The old segments stay for the versions that use them
until they are evicted, so a reader holding either list reads the same rows.
"""

import hashlib
import logging

import orjson

from portal.core.errors import Unavailable
from portal.db import columnar, columnar_file, leases
from portal.db import rows as row_store

log = logging.getLogger("portal.table")
KNOWN = 4096  # manifests remembered per process
_settings = {"most": 16}
_known = {}  # version key -> its segments, as last read or written here


def configure(most=None):
    if most is not None:
        _settings["most"] = max(2, int(most))
    forget()


def forget():
    _known.clear()


def key(dataset_id, number, schema):
    """The key of a version's table, and of the one file holding all of it."""
    digest = hashlib.sha256(orjson.dumps(schema)).hexdigest()[:16]
    return f"{dataset_id}:{number}:{digest}"


def part_key(version_key, lo, hi):
    return f"{version_key}:{lo}-{hi}"


def whole(dataset_id, number, schema, rows):
    return {"key": key(dataset_id, number, schema), "lo": 0, "hi": rows, "version": number,
            "p": None}  # fmt: skip


def _meta(dataset_id, number):
    return {"dataset": str(dataset_id), "version": number}


def _manifest(version_key):
    found = _known.get(version_key)
    if found is None:
        found = columnar.manifest(version_key)
        if found is not None:
            _remember(version_key, found)
    return found


def _remember(version_key, segments):
    if len(_known) >= KNOWN:
        _known.clear()
    _known[version_key] = segments


def _save(dataset_id, number, version_key, segments):
    columnar.save_manifest(version_key, segments, _meta(dataset_id, number))
    _remember(version_key, segments)


def of_version(dataset_id, number, schema, rows):
    """The segments of a published version: its manifest, else its whole file, built from
    the row collection (under the version's lease) when there is neither."""
    version_key = key(dataset_id, number, schema)
    found = _manifest(version_key)
    if found:
        return found
    one = [whole(dataset_id, number, schema, rows)]
    if columnar.exists(version_key):
        _remember(version_key, one)  # its file is its table: no manifest to look for again
        return one
    lease = columnar.lease_of(version_key)
    token = leases.acquire(lease, columnar.LEASE_SECONDS)
    if token is None:
        # the file, or the segment of an append and its manifest, is being made elsewhere
        def ready_now():
            return columnar.manifest(version_key) or (one if columnar.stored(version_key) else None)

        ready = leases.wait_for(ready_now, lease, columnar.wait_seconds())
        if ready is not None:
            return ready
        if leases.held(lease):
            raise Unavailable("the table of this version is being prepared; try again shortly")
        return of_version(dataset_id, number, schema, rows)
    with leases.Renewer(lease, token, columnar.LEASE_SECONDS):
        found = columnar.manifest(version_key)
        if found:
            return found
        if columnar.stored(version_key) is None:
            log.info("table file built from the database", extra={"fields": {"key": version_key}})
            columnar.build_stored(
                version_key, _from_rows(dataset_id, schema, one[0]), _meta(dataset_id, number)
            )
    return one


def local_paths(dataset_id, schema, segments):
    """The local paths of the segments, each fetched from GridFS or made again if needed."""
    paths = [
        columnar.path_for(
            seg["key"],
            _from_rows(dataset_id, schema, seg),
            _meta(dataset_id, seg["version"]),
            evict=False,
        )
        for seg in segments
    ]
    columnar.evict_local(keep=paths)
    return paths


def _from_rows(dataset_id, schema, seg):
    """Build the segment `seg` from the row collection: the rows it holds, and only those."""

    def build(target):
        spool = columnar_file.Spool(schema, columnar.folder(), start=seg["lo"])
        try:
            window = {}
            if seg["p"] is not None:
                window = {"after": seg["p"][0] - 1, "upto": seg["p"][1]}
            for row in row_store.iter_rows(dataset_id, seg["version"], **window):
                spool.add(row)
            if spool.count != seg["hi"]:
                raise ValueError(f"segment {seg['key']}: the rows end at {spool.count}")
            columnar_file.write(spool, target)
        finally:
            spool.discard()

    return build


def before_append(dataset_id, number, schema, offset):
    """The segments of version `number - 1` when they are known and end at `offset`."""
    previous = key(dataset_id, number - 1, schema)
    found = _manifest(previous)
    if found is None and columnar.exists(previous):
        found = [whole(dataset_id, number - 1, schema, offset)]
    if not found or found[-1]["hi"] != offset:
        return None
    return found


def append(dataset_id, number, schema, spool, offset, positions):
    """Make the table of version `number`, an append of the spooled rows at places after
    `offset` (rows at `positions` of the row collection): the previous version's segments and
    one of the new rows. Without the previous segments nothing is made (first read does it)."""
    before = before_append(dataset_id, number, schema, offset)
    if before is None:
        return None
    version_key = key(dataset_id, number, schema)
    lease = columnar.lease_of(version_key)
    token = leases.acquire(lease, columnar.LEASE_SECONDS)
    if token is None:
        return None  # being made by a reader already
    with leases.Renewer(lease, token, columnar.LEASE_SECONDS):
        if columnar.manifest(version_key) or columnar.stored(version_key):
            return None
        segments = list(before)
        if spool.count:
            hi = offset + spool.count
            seg = {"key": part_key(version_key, offset, hi), "lo": offset, "hi": hi,
                   "version": number, "p": list(positions)}  # fmt: skip

            def build(target):
                columnar_file.write(spool, target, offset=offset)

            columnar.path_for(seg["key"], build, _meta(dataset_id, number))
            segments.append(seg)
        _save(dataset_id, number, version_key, segments)
    return compact(dataset_id, number, schema, segments)


def plan(segments, most):
    """Where the run to merge begins (an index), or None when the list is fine as it is."""
    sizes = [seg["hi"] - seg["lo"] for seg in segments]
    if len(sizes) < 2 or (len(sizes) <= most and sum(sizes[1:]) < sizes[0]):
        return None
    start, run = len(sizes) - 2, sizes[-1] + sizes[-2]
    while start > 0 and sizes[start - 1] <= run:
        start -= 1
        run += sizes[start]
    return start


def compact(dataset_id, number, schema, segments):
    """Merge runs of segments of version `number` while its list is too long; the list."""
    version_key = key(dataset_id, number, schema)
    while (start := plan(segments, _settings["most"])) is not None:
        run = segments[start:]
        lo, hi = run[0]["lo"], run[-1]["hi"]
        if start == 0:
            merged = whole(dataset_id, number, schema, hi)
        else:
            merged = {"key": part_key(version_key, lo, hi), "lo": lo, "hi": hi,
                      "version": number, "p": [run[0]["p"][0], run[-1]["p"][1]]}  # fmt: skip
        sources = local_paths(dataset_id, schema, run)

        def build(target, sources=sources):
            columnar_file.merge(sources, target, schema)

        columnar.path_for(merged["key"], build, _meta(dataset_id, number))
        segments = [*segments[:start], merged]
        _save(dataset_id, number, version_key, segments)
    return segments
