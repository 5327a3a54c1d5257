"""The calamine child that opens uploaded workbooks inherits none of the portal's secrets."""

from portal.ingest import xlsx

DUMP_ENV = """
import os, pickle, sys
sys.stdin.buffer.read()
out = sys.stdout.buffer
pickle.dump({"sheet": "Data", "start_col": 0, "columns": None}, out)
pickle.dump([[k, v] for k, v in sorted(os.environ.items())], out)
"""


def test_the_reader_child_starts_with_a_minimal_environment(monkeypatch, tmp_path):
    secrets = {
        "PORTAL_SECRET_KEY": "s" * 40,
        "PORTAL_MONGO_URI": "mongodb://portal:password@db.internal/ochiq",
        "PORTAL_ONEID_CLIENT_SECRET": "oneid-secret",
        "AWS_SECRET_ACCESS_KEY": "aws",
    }
    for key, value in secrets.items():
        monkeypatch.setenv(key, value)
    script = tmp_path / "dump_env.py"
    script.write_text(DUMP_ENV)
    # The real launch (the same command line and environment), with a child that reports
    # the environment it was given instead of reading the workbook.
    monkeypatch.setattr(xlsx, "CHILD_SCRIPT", script)
    rows, start_col, columns = xlsx.calamine_rows(b"PK", unpacked=10, max_rows=10, timeout=30)
    seen = dict(rows)
    assert start_col == 0 and columns is None
    assert not set(secrets) & set(seen), seen
    assert not any(value in str(seen) for value in secrets.values())
    assert set(seen) <= {"PATH", "LC_ALL", "RUST_BACKTRACE", "LC_CTYPE"}, seen
    assert seen["RUST_BACKTRACE"] == "0"
