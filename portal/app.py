"""create_app(): config, database, API, auth, error handlers, blueprints, CLI."""

import logging
import time

from flask import Flask, g, request
from flask_smorest import Api

import config as settings
from portal import logs, ratelimits, serve
from portal.api import context, errors, guards, security
from portal.compat import http as compat_http
from portal.db import connection, retention
from portal.db.sessions import MongoSessionInterface

log = logging.getLogger("portal.request")


def _blueprints():
    from portal.api import (
        auth,
        community,
        content,
        datasets,
        health,
        public,
        reference,
        statistics,
        users,
    )
    from portal.compat import partner as compat_partner
    from portal.compat import push as compat_push
    from portal.compat import read as compat_read
    from portal.compat import table as compat_table

    return (
        [reference.blp, users.blp, datasets.blp, auth.blp, public.blp, public.catalog_blp]
        + community.BLUEPRINTS
        + content.BLUEPRINTS
        + [statistics.blp, statistics.monitoring_blp]
        + [compat_table.blp, compat_read.blp, compat_partner.blp, compat_push.blp],
        [health.blp, security.blp],
    )


def create_app(env=None, overrides=None):
    """Build the WSGI app for an environment (development, production, testing)."""
    app = Flask(__name__)
    app.config.update(settings.load(env, overrides))
    logs.setup(app.config["LOG_LEVEL"])
    app.config["MONGO_URI"] = serve.database_uri(app.config)
    connection.connect(app.config["MONGO_URI"], app.config["MONGO_DB"])
    app.session_interface = MongoSessionInterface()
    app.json.ensure_ascii = False
    app.json.sort_keys = False

    api = Api(app, spec_kwargs={"info": {"description": "Ochiq open data portal API"}})
    api.spec.components.security_scheme(
        "bearer", {"type": "http", "scheme": "bearer", "description": "personal API token"}
    )
    api_blueprints, plain_blueprints = _blueprints()
    for blp in api_blueprints:
        api.register_blueprint(blp)
    for blp in plain_blueprints:
        app.register_blueprint(blp)
    from portal import web

    web.init_app(app)
    errors.register(app)
    compat_http.install(app)
    app.before_request(_start)
    guards.register(app)  # after the caller is known: 401 before judging the request
    app.after_request(_finish)
    ratelimits.init_app(app)  # after _start: counting needs the caller
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from portal import cli
    from portal.services import discovery, startup

    cli.register(app)
    discovery.configure(app.config)
    startup.prepare(load_demo=app.config["LOAD_DEMO"])
    retention.ensure(app.config["SEARCH_LOG_DAYS"], app.config["JOB_RETENTION_DAYS"])
    if app.config["WARM_LISTS"] and not app.config["MONGO_URI"].startswith("mongomock:"):
        from portal.services.discovery import listing

        listing.warm_in_background()
    return app


def _start():
    g.started = time.perf_counter()
    context.load_caller()


def _finish(response):
    security.add_headers(response)
    elapsed = (time.perf_counter() - g.get("started", time.perf_counter())) * 1000
    user = g.get("user")
    log.info(
        "request",
        extra={
            "fields": {
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "ms": round(elapsed, 1),
                "user": str(user.id) if user else None,
            }
        },
    )
    return response
