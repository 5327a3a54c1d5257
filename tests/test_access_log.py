"""gunicorn's access log masks OAuth codes, states, e-mails and tokens in URLs and headers."""

import logging
from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config
from werkzeug.test import EnvironBuilder

from portal.logs import AccessLogger, redact_query

SECRETS = ("one-time-code-4242", "state-9f8e7d", "admin@ochiq.uz", "oqp_0123456789ab_s3cr3t")


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def _logged(path, query, fmt=None, headers=None):
    cfg = Config()
    cfg.set("accesslog", "-")
    if fmt:
        cfg.set("access_log_format", fmt)
    logger = AccessLogger(cfg)
    collect = _Collect()
    logger.access_log.addHandler(collect)
    environ = EnvironBuilder(path=path, query_string=query, headers=headers or {}).get_environ()
    environ["RAW_URI"] = f"{path}?{query}" if query else path
    resp = SimpleNamespace(status="302 FOUND", headers=[("Location", "/")], sent=0)
    logger.access(
        resp,
        SimpleNamespace(headers=list((headers or {}).items())),
        environ,
        timedelta(milliseconds=3),
    )
    logger.access_log.removeHandler(collect)
    assert len(collect.lines) == 1
    return collect.lines[0]


def test_the_callback_and_dev_login_are_logged_without_their_secrets():
    line = _logged("/auth/callback", "code=one-time-code-4242&state=state-9f8e7d&iss=x")
    assert "GET /auth/callback?code=***&state=***&iss=x HTTP/1.1" in line
    line = _logged(
        "/auth/dev-login",
        "email=admin@ochiq.uz&next=/x",
        headers={"Referer": "http://127.0.0.1/auth/callback?code=one-time-code-4242"},
    )
    assert "/auth/dev-login?email=***&next=/x" in line
    assert "code=***" in line
    assert not any(secret in line for secret in SECRETS), line


def test_header_and_environment_atoms_are_masked_too():
    fmt = "%(r)s %(q)s %({authorization}i)s %({query_string}e)s %({raw_uri}e)s %(U)s"
    line = _logged(
        "/apiPartner/Partner/WebService",
        "token=oqp_0123456789ab_s3cr3t&name=2-001-11072",
        fmt=fmt,
        headers={"Authorization": "Bearer oqp_0123456789ab_s3cr3t"},
    )
    assert "name=2-001-11072" in line
    assert not any(secret in line for secret in SECRETS), line


def test_redact_query_keeps_what_is_not_secret():
    assert redact_query("q=aholi&page=2") == "q=aholi&page=2"
    assert redact_query("Code=x&STATE=y") == "Code=***&STATE=***"
    assert redact_query("") == ""
