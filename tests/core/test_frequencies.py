"""Every table keyed by update frequency covers the one list of frequencies."""

from portal.core.frequencies import FREQUENCIES


def test_monitoring_thresholds_cover_every_regular_frequency():
    from portal.services.statistics.monitoring import THRESHOLDS

    assert set(THRESHOLDS) == set(FREQUENCIES) - {"irregular"}
    for due, overdue, delinquent in THRESHOLDS.values():
        assert 0 < due < overdue < delinquent


def test_the_dcat_record_names_every_frequency():
    from portal.services.discovery import catalog

    assert set(catalog.FREQUENCIES) == set(FREQUENCIES)


def test_the_pages_name_every_frequency(app):
    from portal.web.helpers import frequency

    with app.test_request_context("/en/"):
        names = [frequency(code) for code in FREQUENCIES]
    assert all(name not in FREQUENCIES for name in names)
    assert len(set(names)) == len(FREQUENCIES)


def test_schemas_and_models_take_the_same_list():
    from portal.db.models import Dataset
    from schemas.datasets import DatasetCreate, DatasetPatch

    assert tuple(Dataset.update_frequency.choices) == FREQUENCIES
    for schema in (DatasetCreate(), DatasetPatch()):
        assert tuple(schema.fields["update_frequency"].validate.choices) == FREQUENCIES
