"""Every compat endpoint of the OpenAPI spec, fed odd values in each parameter it documents:
never a 500, and errors in the envelope."""

import pytest

ODD = [
    "", "-1", "0", "10001", "99999999999999999999", "1e309", "abc", "$where", '{"$gt": 1}',
    "\x00", "a" * 300, "ёжик", "6076e30d7b6428eee08802aa", "../../etc/passwd", "1;2",
]  # fmt: skip
COMPAT = ("/apiClient/", "/apiData/", "/apiPartner/")


def _operations(spec):
    for path, item in spec["paths"].items():
        if not path.startswith(COMPAT):
            continue
        for method, operation in item.items():
            if method in ("get", "post"):
                yield path, method, operation


def _check(resp, path):
    assert resp.status_code < 500, (path, resp.status_code, resp.data[:200])
    if resp.status_code >= 400 and path != "/apiData/MainData/ExternalApi":
        body = resp.get_json()
        assert body["result"] is None and body["code"] == resp.status_code and body["error"]


@pytest.mark.wire
def test_odd_parameter_values_never_break_a_compat_endpoint(client, author):
    spec = client.get("/api/openapi.json").json
    operations = list(_operations(spec))
    assert len(operations) >= 9
    for path, method, operation in operations:
        names = [p["name"] for p in operation.get("parameters", []) if p["in"] == "query"]
        for name in names:
            for value in ODD:
                if method == "get":
                    resp = client.get(path, query_string={name: value}, headers=author.headers)
                else:
                    resp = client.post(path, query_string={name: value}, json={})
                _check(resp, path)
        if method == "post":
            for body in ({}, [], {"limit": "x"}, {"fields": {"$gt": 1}}, {"guidId": ["x"]}, 7):
                _check(client.post(path, json=body), path)
            _check(client.post(path, data=b"\xff{not json", content_type="application/json"), path)
