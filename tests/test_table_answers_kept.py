"""Small table answers are kept per file and query; TABLE_ANSWERS_KEPT=0 keeps none."""

from tests.conftest import build_app

STATS = "2-001-11072"  # a demo dataset with a published version


def _kept():
    from portal.services.discovery import table_cache

    return len(table_cache._kept)


def test_answers_are_kept_by_default(client):
    first = client.get(f"/api/v1/datasets/{STATS}/rows?page_size=5")
    assert first.status_code == 200 and first.json["items"]
    assert _kept() == 1
    again = client.get(f"/api/v1/datasets/{STATS}/rows?page_size=5")
    assert again.json == first.json and _kept() == 1


def test_none_kept_when_the_setting_is_zero(backend):
    for app in build_app(backend, {"TABLE_ANSWERS_KEPT": 0}):
        client = app.test_client()
        answers = [client.get(f"/api/v1/datasets/{STATS}/rows?page_size=5") for _ in range(2)]
        assert [a.status_code for a in answers] == [200, 200]
        assert answers[0].json == answers[1].json and answers[0].json["items"]
        assert _kept() == 0
