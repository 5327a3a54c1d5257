"""The collector is paused while a version is written, and left as it was found."""

import gc

import pytest

from portal.core import collector
from tests.test_versions import push, stats_rows, token_of


def test_pauses_nest_and_restore_the_collector():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
        with collector.paused():
            assert not gc.isenabled()
        assert not gc.isenabled(), "the outer pause still holds"
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("a failed write")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector.paused():
            pass
        assert not gc.isenabled(), "a collector found off stays off"
    finally:
        gc.enable()


@pytest.mark.wire
def test_a_push_writes_its_version_with_the_collector_paused(client, author, monkeypatch):
    from portal.db import row_writer

    seen = []
    original = row_writer.VersionWriter.write

    def write(self, rows):
        seen.append(gc.isenabled())
        return original(self, rows)

    monkeypatch.setattr(row_writer.VersionWriter, "write", write)
    token = token_of(client, author)
    push(client, token, stats_rows([1, 2]))
    assert seen == [False] and gc.isenabled()
