"""Structured (JSON lines) logging that never prints tokens or secrets."""

import logging
import re
import sys

import orjson

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
