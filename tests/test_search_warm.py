"""Search records are loaded as a worker starts; organization and sector counts come from them."""

import importlib.util
from pathlib import Path

import pytest

CONF = Path(__file__).resolve().parent.parent / "gunicorn.conf.py"


def gunicorn_conf():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.wire
def test_a_worker_loads_the_records_before_its_first_search(client, monkeypatch):
    from portal.db import list_view, search_cache

    search_cache.forget()
    list_view._current = None
    gunicorn_conf().post_worker_init(None)
    assert search_cache._current is not None
    # the list views too: a worker that served while they loaded in the background made
    # every request wait behind that whole-catalogue read
    assert list_view._current is not None and list_view._current.docs

    def no_full_load(*args, **kwargs):
        raise AssertionError("a request loaded every search record or list view")

    monkeypatch.setattr(search_cache, "load", no_full_load)
    monkeypatch.setattr(list_view.Views, "load", no_full_load)
    assert client.get("/api/v1/datasets?q=kutubxona").status_code == 200
    assert client.get("/apiClient/Ref/OrgList").status_code == 200
    assert client.get("/apiClient/Main/GetSphereList").status_code == 200
    assert client.get("/api/v1/organizations").status_code == 200
    assert client.get("/api/v1/datasets").status_code == 200
    assert client.get("/en/datasets").status_code == 200


@pytest.mark.wire
def test_counts_follow_the_records(client):
    from portal.db.models import Dataset
    from portal.services.discovery import search

    public = Dataset.objects(active=True, current_version__gt=0, status__ne="rejected")
    expected = {}
    for d in public:
        expected[d.organization] = expected.get(d.organization, 0) + 1
    orgs = client.get("/apiClient/Ref/OrgList").json["result"]
    assert {o["code"]: o["structCount"] for o in orgs if o["structCount"]} == expected
    first = public.first()
    Dataset.objects(id=first.id).update_one(set__active=False, set__updated_at=search_cache_now())
    orgs = client.get("/apiClient/Ref/OrgList").json["result"]
    after = {o["code"]: o["structCount"] for o in orgs}
    assert after[first.organization] == expected[first.organization] - 1
    everything = search.dataset_counts("organization", public_only=False)
    listed = client.get("/api/v1/organizations?page_size=100").json["items"]
    assert {o["code"]: o["dataset_count"] for o in listed if o["dataset_count"]} == dict(everything)
    with pytest.raises(ValueError):
        search.dataset_counts("title")


def search_cache_now():
    from portal.db.models import utcnow

    return utcnow()
