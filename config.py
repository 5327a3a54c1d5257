"""Settings. Every key may be overridden by an environment variable PORTAL_<KEY>."""

import json
import os

DEFAULT_SECRET = "dev-only-change-me"  # noqa: S105 - the default production refuses to start with


class Config:
    ENV = "development"
    SECRET_KEY = DEFAULT_SECRET
    MONGO_URI = ""  # empty: the embedded server started by `make run`
    MONGO_DB = "ochiq"
    BASE_URL = "http://127.0.0.1:8000"
    # Embedded development database (SecantusDB)
    EMBEDDED_HOST = "127.0.0.1"
    EMBEDDED_PORT = 27018
    EMBEDDED_PATH = "var/mongo"
    EMBEDDED_CACHE = "256M"
    # Request limits
    MAX_CONTENT_LENGTH = 50 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 1024 * 1024
    MAX_FORM_PARTS = 100
    MAX_JSON_ROWS = 50_000
    UPLOAD_MAX_ROWS = 1_000_000
    UPLOAD_JOB_THRESHOLD = 2 * 1024 * 1024  # files above this run as a job (202)
    METHODOLOGY_MAX_BYTES = 20 * 1024 * 1024
    MAX_ROW_ERRORS = 1000
    # Upload jobs (run by `python -m portal.worker`, which `make run` starts beside gunicorn)
    JOB_CONCURRENCY = 2  # jobs running at once, across every worker
    JOB_LEASE_SECONDS = 60  # a job whose worker has not beaten for this long is taken over
    JOB_MAX_ATTEMPTS = 2  # a job is started at most this often; then it fails with a message
    JOB_POLL_SECONDS = 1
    JOB_ERRORS_INLINE = 50  # row errors kept in the job document; the full list goes to GridFS
    READER_CHILDREN = 2  # spreadsheet reader children (each up to GiBs) at once on a host
    # Community: moderation and spam rules
    COMMUNITY_REPORTS_TO_HIDE = 3  # distinct reporters that hide an item until an operator decides
    COMMUNITY_EDIT_MINUTES = 15  # how long the author may edit a comment
    COMMUNITY_MAX_LINKS = 3  # links allowed in one message
    COMMUNITY_NEW_ACCOUNT_HOURS = 24  # younger accounts posting links are held for review
    RATING_PRIOR_VOTES = 5  # "top rated": each dataset starts with this many votes of the mean
    SURVEY_PERIOD_DAYS = 30  # one survey answer per browser in this many days
    # Paging
    PAGE_SIZE_DEFAULT = 20
    PAGE_SIZE_MAX = 100
    # Sessions and tokens
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    TOKEN_DEFAULT_DAYS = 365
    # Retention (TTL indexes): raw search log entries and finished jobs; sessions at expiry
    SEARCH_LOG_DAYS = 180
    JOB_RETENTION_DAYS = 30
    # Sign-in: "oneid" (id.egov.uz) or "oidc" (a standard OpenID Connect provider)
    AUTH_PROVIDER = "oneid"
    ONEID_URL = "https://sso.egov.uz/sso/oauth/Authorization.do"
    ONEID_CLIENT_ID = ""
    ONEID_CLIENT_SECRET = ""
    ONEID_SCOPE = ""
    ONEID_REDIRECT_URI = "http://127.0.0.1:8000/auth/callback"
    OIDC_METADATA_URL = ""
    OIDC_CLIENT_ID = ""
    OIDC_CLIENT_SECRET = ""
    OIDC_SCOPE = "openid email profile"
    OIDC_REDIRECT_URI = ""  # empty: BASE_URL + /auth/callback
    DEV_LOGIN = True  # a development sign-in as a demo user; impossible in production
    LOAD_DEMO = True
    WARM_LISTS = True  # load the search records and list views in the background at start
    # API docs
    API_TITLE = "Ochiq open data portal"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = "/api/docs/assets/"
    LOG_LEVEL = "INFO"
    # Security headers on every answer. One policy for pages and API alike: scripts and styles
    # from this site only (no inline script), no framing; tighten or extend it here.
    CONTENT_SECURITY_POLICY = (
        "default-src 'self'; script-src 'self'; style-src 'self'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    )
    REFERRER_POLICY = "same-origin"
    # Reverse proxies in front of the portal that set X-Forwarded-For/-Proto (nginx: 1). The
    # client's address then comes from them: rate limits per address count clients, not the
    # proxy. 0 (direct): the headers are ignored, as a client could forge them.
    TRUSTED_PROXIES = 0
    HSTS = ""  # Strict-Transport-Security value; empty: not sent (production sends it)
    # Rate limits (portal/ratelimits.py): per kind, a strict limit per token or signed-in
    # person ("caller") and a high one per address ("ip"), in flask-limiter's notation.
    # Counters live in the portal's MongoDB unless RATELIMIT_STORAGE_URI names another store.
    RATE_LIMITS = {
        "signin": {"caller": "", "ip": "300 per minute"},
        "search": {"caller": "120 per minute", "ip": "6000 per minute"},
        "download": {"caller": "120 per minute", "ip": "6000 per minute"},
        "push": {"caller": "60 per minute", "ip": "3000 per minute"},
        "upload": {"caller": "20 per minute", "ip": "600 per minute"},
        "write": {"caller": "120 per minute", "ip": "3000 per minute"},
        # Comments, ratings, reports, proposals, votes, follows, feedback, the survey: strict
        # per person; per address high enough for a ministry's staff behind one address.
        "community": {"caller": "10 per minute;200 per day", "ip": "1200 per minute"},
    }
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = ""
    # The table and downloads: each version's columnar file (GridFS, cached in COLUMNAR_DIR)
    COLUMNAR_DIR = "var/columnar"  # empty: a temporary folder
    COLUMNAR_CACHE_MB = 4096  # local copies beyond this are evicted, least recently used first
    COLUMNAR_STORE_MB = 51200  # and the files kept in GridFS (an evicted one is made again)
    TABLE_FILE_AFTER_PUBLISH = "thread"  # make a new version's file: thread, sync or off
    TABLE_QUERY_SECONDS = 5  # a table query running longer is stopped (422)
    TABLE_SEGMENTS_MAX = 16  # a version's table of more files than this is merged (compacted)
    TABLE_ANSWERS_KEPT = 256  # small table answers a process keeps per file and query (0: none)
    BUILD_WAIT_SECONDS = 20  # a request waits this long for another worker's build, then 503
    EXPORT_STORE_MB = 20480  # stored downloads beyond this are evicted, least recently used first
    EXPORT_STORE_AFTER_BUILD = "thread"  # a new download is stored behind its first answer, or sync
    # Monitoring and statistics: the daily run's hour (UTC), how often the tables are redone
    MONITORING_HOUR = 1
    STATISTICS_REFRESH_SECONDS = 300
    # Reminder e-mails: sent only when SMTP_HOST is set
    SMTP_HOST = ""
    SMTP_PORT = 25
    SMTP_STARTTLS = False
    SMTP_USER = ""
    SMTP_PASSWORD = ""
    SMTP_FROM = "noreply@ochiq.uz"
    # Pages: the footer's link to the previous version of the portal (empty: no link)
    PREVIOUS_PORTAL_URL = "https://old.data.egov.uz"


class ProductionConfig(Config):
    ENV = "production"
    SESSION_COOKIE_SECURE = True
    HSTS = "max-age=31536000; includeSubDomains"
    DEV_LOGIN = False
    LOAD_DEMO = False


class TestConfig(Config):
    ENV = "testing"
    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105
    MONGO_URI = "mongomock://localhost"
    MONGO_DB = "ochiq_test"
    LOG_LEVEL = "WARNING"
    # On, but high: a test that needs a refusal lowers one kind.
    RATE_LIMITS = {
        kind: {"caller": "100000 per minute", "ip": "100000 per minute"}
        for kind in ("signin", "search", "download", "push", "upload", "write", "community")
    }
    COLUMNAR_DIR = ""
    TABLE_FILE_AFTER_PUBLISH = "sync"
    EXPORT_STORE_AFTER_BUILD = "sync"
    WARM_LISTS = False


CONFIGS = {"development": Config, "production": ProductionConfig, "testing": TestConfig}


def _coerce(current, raw):
    """Turn an environment string into the type of the default it overrides."""
    if isinstance(current, bool):
        return raw.strip().lower() in ("1", "true", "yes", "on")
    if isinstance(current, int):
        return int(raw)
    if isinstance(current, (list, dict)):
        return json.loads(raw)
    return raw


def load(name=None, overrides=None):
    """The settings of one environment, with PORTAL_* variables and overrides applied."""
    name = name or os.environ.get("PORTAL_ENV", "development")
    base = CONFIGS[name]
    settings = {k: getattr(base, k) for k in dir(base) if k.isupper()}
    for key, current in list(settings.items()):
        raw = os.environ.get(f"PORTAL_{key}")
        if raw is not None:
            settings[key] = _coerce(current, raw)
    settings.update(overrides or {})
    if settings["ENV"] == "production":
        if settings["SECRET_KEY"] in ("", DEFAULT_SECRET) or len(settings["SECRET_KEY"]) < 32:
            raise RuntimeError(
                "production needs PORTAL_SECRET_KEY: a random string of 32 characters or more"
            )
        # Not configurable: production never offers the development sign-in.
        settings["DEV_LOGIN"] = False
        if not settings["MONGO_URI"]:
            raise RuntimeError("production needs PORTAL_MONGO_URI")
    return settings
