"""The whole catalogue in one call: gettable?limit=10000 over 12,000 datasets (the timing is
measured by bench/compat.py, not here)."""

import json

import pytest

from tests.compat_catalog import insert_catalog
from tests.test_compat import ENVELOPE, ITEM_KEYS


@pytest.mark.wire
def test_ten_thousand_items_in_one_call_then_the_rest(backend, client):
    if backend == "mock":
        pytest.skip("mongomock checks each insert against every document: 12,000 take minutes")
    codes = insert_catalog(12_000, sectors=("economy", "culture", "territory"), searchable=False)
    resp = client.get("/apiClient/main/gettable?limit=10000&offset=0")
    assert resp.status_code == 200 and resp.is_streamed
    body = json.loads(resp.data)
    assert {k: body[k] for k in ENVELOPE} == ENVELOPE
    first = body["result"]["data"]
    assert body["result"]["count"] == 12_002 and len(first) == 10_000
    assert list(first[0]) == ITEM_KEYS
    assert first[0]["geoType"] == ["location"] and first[0]["userOrgId"] > 0
    rest = client.get("/apiClient/main/gettable?limit=10000&offset=10000").get_json()
    seen = [d["name"] for d in first] + [d["name"] for d in rest["result"]["data"]]
    assert len(seen) == 12_002 and len(set(seen)) == 12_002
    assert set(codes) <= set(seen)
    # newest first (sortType 1 and the default without text)
    dates = [d["updateDate"] for d in first]
    assert dates == sorted(dates, reverse=True)
