"""Exports consume rows lazily and keep memory flat."""

import tracemalloc

import pytest

import exporters

from .sample import FIELDS, META, many_rows

STREAMED = ["csv", "json", "xml", "nt", "ttl", "rdf", "jsonld", "geojson"]


@pytest.mark.parametrize("fmt", STREAMED)
def test_first_chunk_comes_before_the_rows_run_out(fmt):
    pulled = []

    def rows():
        for row in many_rows(20000):
            pulled.append(1)
            yield row

    chunks = exporters.render(fmt, META, FIELDS, rows())
    assert not pulled  # nothing is read before the first chunk is asked for
    first = next(chunks)
    assert first and len(pulled) < 20000
    assert max(len(c) for c in chunks) < 1024 * 1024


@pytest.mark.parametrize("fmt", ["csv", "json", "xml", "nt", "xlsx"])
def test_memory_stays_flat_over_50k_rows(fmt):
    rows = 50000 if fmt != "xlsx" else 10000
    total = 0
    tracemalloc.start()
    try:
        for chunk in exporters.render(fmt, META, FIELDS, many_rows(rows)):
            total += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert total > (2 * 1024 * 1024 if fmt != "xlsx" else 200 * 1024)  # xlsx is zipped
    assert peak < 4 * 1024 * 1024, f"{fmt}: peak {peak} bytes for {total} bytes written"
