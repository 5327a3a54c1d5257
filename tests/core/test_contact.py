import pytest

from portal.core.contact import (
    check_link,
    format_phone,
    normalize_email,
    normalize_phone,
    parse_keywords,
)


@pytest.mark.parametrize(
    "raw",
    [
        "+998 71 203-80-29",
        "+998712038029",
        "998712038029",
        "712038029",
        "(71) 203 80 29",
        "+998 (71) 203-80-29",
        "8 71 203 80 29",
        "00998 71 203 80 29",
        "71.203.80.29",
        "+998\u00a071\u00a0203\u00a080\u00a029",
    ],
)
def test_phone_forms(raw):
    assert normalize_phone(raw) == ("+998712038029", None)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("+7 495 123-45-67", "not an Uzbek phone number (+998 XX XXX-XX-XX): '+7 495 123-45-67'"),
        ("12345", "not a phone number (+998 XX XXX-XX-XX): '12345'"),
        ("71 203 80 2a", "not a phone number (+998 XX XXX-XX-XX): '71 203 80 2a'"),
        ("+998 71 203 80 29 1", "not a phone number (+998 XX XXX-XX-XX): '+998 71 203 80 29 1'"),
        ("012038029", "not a phone number (+998 XX XXX-XX-XX): '012038029'"),
        ("phone", "not a phone number (+998 XX XXX-XX-XX): 'phone'"),
    ],
)
def test_phone_problems(raw, message):
    assert normalize_phone(raw) == (None, message)


def test_phone_blank():
    assert normalize_phone("") == (None, None)
    assert normalize_phone(None, required=True) == (None, "a phone number is required")


def test_format_phone():
    assert format_phone("+998712038029") == "+998 71 203-80-29"
    assert format_phone(None) == ""


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("opendata@stat.uz", "opendata@stat.uz"),
        (" Info@SSV.UZ ", "Info@ssv.uz"),
        ("first.last+tag@mail.gov.uz", "first.last+tag@mail.gov.uz"),
    ],
)
def test_email(raw, value):
    assert normalize_email(raw) == (value, None)


@pytest.mark.parametrize(
    "raw",
    [
        "opendata",
        "a@b",
        "a@@b.uz",
        "a b@c.uz",
        "a@b c.uz",
        "@stat.uz",
        "a@stat.",
        "a..b@stat.uz",
        ".a@stat.uz",
        "a@-stat.uz",
        "a@stat.u",
    ],
)
def test_email_problems(raw):
    assert normalize_email(raw) == (None, f"not an e-mail address: {raw!r}")


def test_email_blank():
    assert normalize_email("  ") == (None, None)
    assert normalize_email("", required=True) == (None, "an e-mail address is required")


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("cost, computer equipment ,, regions", ["cost", "computer equipment", "regions"]),
        (["Kutubxona", "kutubxona", " KUTUBXONA ", "library"], ["Kutubxona", "library"]),
        (["children  books"], ["children books"]),
        ("tek", ["tek"]),
    ],
)
def test_keywords(raw, value):
    assert parse_keywords(raw) == (value, None)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "at least one keyword is required"),
        (" , ,", "at least one keyword is required"),
        ([], "at least one keyword is required"),
        (None, "at least one keyword is required"),
        ([1], "a keyword must be text: 1"),
        (5, "keywords must be a list or a comma-separated text"),
    ],
)
def test_keyword_problems(raw, message):
    assert parse_keywords(raw) == (None, message)


def test_keyword_too_long():
    value, problem = parse_keywords(["x" * 101])
    assert value is None
    assert problem.startswith("a keyword is longer than 100 characters")


@pytest.mark.parametrize(
    "raw",
    [
        "https://stat.uz",
        "http://data.egov.uz/eng/data/123?lang=en#top",
        "https://stat.uz:8443/path",
        "https://ўзбекистон.uz",
    ],
)
def test_links(raw):
    assert check_link(raw) == (raw, None)


@pytest.mark.parametrize(
    "raw",
    [
        "ftp://stat.uz",
        "stat.uz",
        "javascript:alert(1)",
        "https://",
        "https://stat uz",
        "http://stat.uz:port",
        "https://bad_host.uz",
        "mailto:a@b.uz",
    ],
)
def test_link_problems(raw):
    assert check_link(raw) == (None, f"not an http(s) link: {raw!r}")


def test_link_blank():
    assert check_link("") == (None, None)
    assert check_link(None, required=True) == (None, "a link is required")
