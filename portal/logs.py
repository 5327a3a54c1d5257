"""Structured (JSON lines) logging that never prints tokens or secrets."""

import logging
import re
import sys
from urllib.parse import parse_qsl, urlencode

import orjson
from gunicorn.glogging import Logger as GunicornLogger

_SECRET = re.compile(
    r"(oq[pd]_[0-9a-f]{12}_)[A-Za-z0-9_\-]+|(Bearer\s+)\S+|((?:token|code|secret|password)=)[^&\s]+",
    re.I,
)


def redact(text):
    """Mask anything that looks like a token, a bearer header or a secret parameter."""
    return _SECRET.sub(lambda m: (m.group(1) or m.group(2) or m.group(3)) + "***", text)


class JsonFormatter(logging.Formatter):
    def format(self, record):
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key, value in getattr(record, "fields", {}).items():
            entry[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["error"] = redact(self.formatException(record.exc_info))
        return orjson.dumps(entry, default=str).decode()


def setup(level="INFO"):
    """Send the portal's logs to stderr as JSON lines."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger("portal")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    return root


# Query parameters whose values are secrets or personal data: OAuth codes and states, the
# development sign-in's e-mail, tokens passed by old clients, first-login codes.
SECRET_PARAMETERS = frozenset(
    {
        "code",
        "state",
        "session_state",
        "email",
        "token",
        "access_token",
        "id_token",
        "invite",
        "secret",
        "password",
    }
)


def redact_query(query):
    """A query string with the values of secret parameters replaced by ***."""
    if not query:
        return query
    pairs = parse_qsl(query, keep_blank_values=True)
    kept = [(k, "***" if k.lower() in SECRET_PARAMETERS else v) for k, v in pairs]
    return redact(urlencode(kept, safe="*/:,"))


def redact_uri(uri):
    """A request URI (path?query) with its secret parameters redacted."""
    if not uri or "?" not in uri:
        return uri
    path, _, query = uri.partition("?")
    return f"{path}?{redact_query(query)}"


class AccessLogger(GunicornLogger):
    """gunicorn's access log, without the secrets a URL or a header can carry.

    `/auth/callback?code=...&state=...` and `/auth/dev-login?email=...` are logged with
    their values masked; the Authorization and Cookie headers never reach a log format.
    """

    URIS = ("{raw_uri}e", "{request_uri}e", "{http_referer}e", "{referer}i")
    HIDDEN = ("{authorization}i", "{cookie}i", "{http_authorization}e", "{http_cookie}e")

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        raw = environ.get("RAW_URI") or environ.get("PATH_INFO", "")
        atoms["r"] = (
            f"{environ.get('REQUEST_METHOD')} {redact_uri(raw)} {environ.get('SERVER_PROTOCOL')}"
        )
        atoms["q"] = redact_query(environ.get("QUERY_STRING", ""))
        atoms["f"] = redact_uri(environ.get("HTTP_REFERER", "-"))
        for key in self.URIS:
            if key in atoms:
                atoms[key] = redact_uri(atoms[key])
        if "{query_string}e" in atoms:
            atoms["{query_string}e"] = redact_query(atoms["{query_string}e"])
        for key in self.HIDDEN:
            if key in atoms:
                atoms[key] = "***"
        return atoms
