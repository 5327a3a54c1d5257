"""At most READER_CHILDREN spreadsheet readers at once (issue 7, item 12)."""

import pytest

from portal.ingest.slots import Busy, reader_slot


def test_a_full_set_of_slots_refuses_with_503(tmp_path):
    with reader_slot(2, wait=0.2, folder=tmp_path), reader_slot(2, wait=0.2, folder=tmp_path):
        with pytest.raises(Busy) as caught, reader_slot(2, wait=0.2, folder=tmp_path):
            pass
        assert caught.value.status == 503
    # released: the slots are free again
    with reader_slot(1, wait=0.2, folder=tmp_path):
        pass


def test_no_limit_when_unset(tmp_path):
    entered = []
    with reader_slot(None, folder=tmp_path), reader_slot(0, folder=tmp_path):
        entered.append(True)
    assert entered == [True]
