"""Schemathesis over /api/openapi.json: every operation of the spec (the compat endpoints
included), generated requests, no 5xx and no answer that breaks its documented schema.

A bounded run inside `make test` (FUZZ_EXAMPLES per operation, 6 by default); `make fuzz`
runs it long. On the wire server: the real database, as production has it.
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from tests.conftest import make_caller

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


def _operations():
    from tests.conftest import build_app

    for app in build_app("mock"):
        spec = app.test_client().get("/api/openapi.json").get_json()
    return sorted(
        (path, method.upper())
        for path, item in spec["paths"].items()
        for method in item
        if method in ("get", "post", "put", "patch", "delete")
    )


OPERATIONS = _operations()


@pytest.fixture
def wire_app():
    from tests.conftest import build_app

    yield from build_app("wire")


@pytest.mark.wire
@pytest.mark.parametrize(("path", "method"), OPERATIONS, ids=[f"{m} {p}" for p, m in OPERATIONS])
def test_api_answers_as_documented(wire_app, path, method):
    operation = schemathesis.openapi.from_wsgi("/api/openapi.json", wire_app)[path][method]
    admin = make_caller("fuzz-admin@ochiq.uz", ["admin"])

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=os.environ.get("FUZZ_RANDOM") != "1",
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def answers(case):
        case.call_and_validate(headers=admin.headers, checks=CHECKS)

    answers()
