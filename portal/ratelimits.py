"""Rate limits per token or person and per address, shared by every worker.

Each kind of request (`RATE_LIMITS` in config.py) has two limits: a strict one per caller
(the token, else the signed-in person; anonymous callers have none) and a high one per
address, so a ministry's whole staff or an integrator's servers behind one address still
get through. Counters live in MongoDB (flask-limiter's storage), so every worker and host
counts together. Answers carry X-RateLimit-Limit/-Remaining/-Reset; a refusal is a 429 in
the error shape with Retry-After.

A view opts into a kind with `@rate_limit("search")` (placed right under the route
decorator); every other write (POST, PUT, PATCH, DELETE) falls under the kind "write".
"""

import atexit

from flask import current_app, g, request
from flask_limiter import Limit, Limiter

from portal.core.errors import PortalError
from portal.core.jsonbody import load_json
from portal.services.identity.tokens import lookup_of

KINDS = ("signin", "search", "download", "push", "upload", "write", "community")
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def address_key():
    """The client's address (behind a proxy, configure it to set REMOTE_ADDR)."""
    return f"ip:{request.remote_addr or 'unknown'}"


def caller_key():
    """The token, else the signed-in person, else a push token in the JSON body."""
    token = g.get("token")
    if token is not None:
        return f"token:{token.id}"
    user = g.get("user")
    if user is not None:
        return f"user:{user.id}"
    body = None
    if request.is_json:
        try:
            # The checked reader: a hostile body (deep nesting, ...) is the view's to refuse.
            body = load_json(request.get_data(cache=True))
        except (PortalError, ValueError, RecursionError):
            body = None
    lookup = lookup_of(body.get("token")) if isinstance(body, dict) else None
    return f"token:{lookup}" if lookup else ""


def _setting(kind, who):
    def provider():
        return (current_app.config["RATE_LIMITS"].get(kind) or {}).get(who) or ""

    return provider


def _anonymous():
    return not caller_key()


def _message(kind):
    def message():
        return f"too many {kind} requests: wait for the time Retry-After gives, then try again"

    return message


limiter = Limiter(
    address_key,
    default_limits=[
        Limit(
            _setting("write", "caller"),
            key_function=caller_key,
            scope="write",
            shared=True,
            methods=WRITES,
            exempt_when=_anonymous,
            error_message=_message("write"),
        ),
        Limit(
            _setting("write", "ip"),
            key_function=address_key,
            scope="write-ip",
            shared=True,
            methods=WRITES,
            error_message=_message("write"),
        ),
    ],
    headers_enabled=True,
    strategy="fixed-window",
    key_prefix="ochiq",
)


def rate_limit(kind, methods=None):
    """Decorator: count the view's requests under `kind` (one of KINDS), per caller and per
    address, with the limits config.py sets for that kind; `methods` counts only those (a
    page that shows a form on GET and takes it on POST counts the POSTs)."""
    if kind not in KINDS:
        raise ValueError(f"rate limit kind {kind!r} is not one of {KINDS}")

    def decorate(view):
        by_address = limiter.shared_limit(
            _setting(kind, "ip"),
            scope=f"{kind}-ip",
            key_func=address_key,
            methods=methods,
            error_message=_message(kind),
        )
        by_caller = limiter.shared_limit(
            _setting(kind, "caller"),
            scope=kind,
            key_func=caller_key,
            exempt_when=_anonymous,
            methods=methods,
            error_message=_message(kind),
        )
        # The per-caller limit first: the headers then tell the strict one when it applies.
        return by_address(by_caller(view))

    return decorate


_closes_at_exit = False


def _storage_settings(config):
    uri = config.get("RATELIMIT_STORAGE_URI") or ""
    if not uri:
        mongo = config["MONGO_URI"]
        uri = mongo if mongo.startswith(("mongodb://", "mongodb+srv://")) else "memory://"
    options = {}
    if uri.startswith(("mongodb://", "mongodb+srv://")):
        options = {
            "database_name": config["MONGO_DB"],
            "counter_collection_name": "rate_limits",
            "window_collection_name": "rate_limit_windows",
        }
    return uri, options


def _only_on_refusals(response):
    # flask-limiter sends Retry-After with every limited answer; it means something on a 429,
    # and on an answer whose error set its own (a 503 while another worker builds an export).
    if response.status_code != 429:
        response.headers.pop("Retry-After", None)
        if g.get("retry_after"):
            response.headers["Retry-After"] = g.retry_after
    return response


def close_storage():
    """Close the counters' MongoDB client while the interpreter can still run threads.

    limits' MongoDB storage closes its client in `__del__`; left to the garbage collector at
    interpreter exit, that close starts pymongo's monitor threads and waits for them forever,
    so a worker (or a test run) never exits. Closing here first leaves `__del__` nothing to do.
    """
    current = getattr(limiter, "_storage", None)
    client = getattr(current, "_storage", None)
    if client is not None:
        client.close()


def init_app(app):
    """Attach the limiter; after load_caller, so the caller is known when counting."""
    global _closes_at_exit
    close_storage()  # the storage of an app built before this one in the same process
    if not _closes_at_exit:
        atexit.register(close_storage)
        _closes_at_exit = True
    uri, options = _storage_settings(app.config)
    app.config["RATELIMIT_STORAGE_URI"] = uri
    app.config["RATELIMIT_STORAGE_OPTIONS"] = options
    # Registered before the limiter's own hook, so it runs after it.
    app.after_request(_only_on_refusals)
    limiter.init_app(app)
    if options:
        # Connect now (and make the counters' TTL index), not lazily inside a request.
        limiter.storage.storage  # noqa: B018
