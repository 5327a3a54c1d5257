import pytest

from portal.core import errors
from portal.core.langs import LANG_KEYS, LANG_SHORT, LANG_TAGS, parse_lang


@pytest.mark.parametrize(
    ("value", "key"),
    [
        (1, "uzbText"),
        ("2", "uzbKrText"),
        (3, "rusText"),
        ("4", "engText"),
        ("uz", "uzbText"),
        ("oz", "uzbKrText"),
        ("RU", "rusText"),
        ("en", "engText"),
        ("uz-Cyrl", "uzbKrText"),
        ("uz-Latn", "uzbText"),
        ("uzbText", "uzbText"),
        ("engtext", "engText"),
        (" ru ", "rusText"),
        (None, None),
        ("", None),
        ("  ", None),
    ],
)
def test_parse_lang(value, key):
    assert parse_lang(value) == key


@pytest.mark.parametrize("value", [0, 5, "de", "kk", True, "uzb"])
def test_parse_lang_rejects(value):
    with pytest.raises(ValueError, match="unknown language"):
        parse_lang(value)


def test_lang_tables():
    assert LANG_KEYS == ("uzbText", "uzbKrText", "rusText", "engText")
    assert LANG_TAGS == {"uzbText": "uz", "uzbKrText": "uz-Cyrl", "rusText": "ru", "engText": "en"}
    assert LANG_SHORT == {"uzbText": "uz", "uzbKrText": "oz", "rusText": "ru", "engText": "en"}


@pytest.mark.parametrize(
    ("cls", "status"),
    [
        (errors.PortalError, 400),
        (errors.BadRequest, 400),
        (errors.Unauthorized, 401),
        (errors.Forbidden, 403),
        (errors.NotFound, 404),
        (errors.Conflict, 409),
        (errors.TooLarge, 413),
        (errors.InvalidData, 422),
    ],
)
def test_error_statuses(cls, status):
    exc = cls("boom")
    assert isinstance(exc, errors.PortalError)
    assert exc.status == status
    assert exc.message == "boom"
    assert str(exc) == "boom"


def test_invalid_data_carries_errors():
    row_errors = [{"row": 7, "column": "2012Y", "value": "abc", "message": "not a number: 'abc'"}]
    exc = errors.InvalidData("1 cell does not match the structure", row_errors)
    assert exc.errors == row_errors
    assert exc.to_dict() == {
        "code": 422,
        "status": "Unprocessable Entity",
        "message": exc.message,
        "errors": row_errors,
    }
    assert errors.InvalidData("bad", {"email": "not an e-mail address: 'x'"}).errors == {
        "email": "not an e-mail address: 'x'"
    }


def test_error_default_message():
    assert errors.NotFound().message == "not found"
    assert "errors" not in errors.Forbidden().to_dict()
