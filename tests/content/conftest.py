import pytest

from tests.conftest import make_caller


@pytest.fixture
def citizen(app):
    return make_caller("reader@mail.uz", [])
