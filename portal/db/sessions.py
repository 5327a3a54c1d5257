"""Server-side browser sessions kept in MongoDB, so login can rotate and logout can end them."""

import hashlib
import secrets
from datetime import timedelta

from flask.sessions import SessionInterface, SessionMixin
from werkzeug.datastructures import CallbackDict

from portal.db.connection import get_db
from portal.db.models import utcnow

LIFETIME = timedelta(hours=12)


def stored_id(sid):
    """The id a session is stored under: a hash of the cookie's value, so a copy of the
    collection (a backup, a log of queries) lets nobody take over a session."""
    return hashlib.sha256(sid.encode()).hexdigest()


class StoredSession(CallbackDict, SessionMixin):
    def __init__(self, initial=None, sid=None, new=False):
        def on_update(_):
            self.modified = True

        super().__init__(initial, on_update)
        self.sid = sid
        self.new = new
        self.modified = False
        self.rotate = False

    def regenerate(self):
        """Give the session a new id at the next response (at login), dropping the old one."""
        self.rotate = True
        self.modified = True


class MongoSessionInterface(SessionInterface):
    collection = "sessions"

    def _col(self):
        return get_db()[self.collection]

    def open_session(self, app, request):
        sid = request.cookies.get(app.config.get("SESSION_COOKIE_NAME", "session"))
        if sid:
            doc = self._col().find_one({"_id": stored_id(sid), "expires": {"$gt": utcnow()}})
            if doc:
                return StoredSession(doc.get("data", {}), sid=sid)
        return StoredSession(sid=None, new=True)

    def save_session(self, app, session, response):
        name = app.config.get("SESSION_COOKIE_NAME", "session")
        domain = self.get_cookie_domain(app)
        path = self.get_cookie_path(app)
        if not session:
            if session.sid:
                self._col().delete_one({"_id": stored_id(session.sid)})
                response.delete_cookie(name, domain=domain, path=path)
            return
        if not session.modified and not session.rotate:
            return
        if session.rotate and session.sid:
            self._col().delete_one({"_id": stored_id(session.sid)})
            session.sid = None
        if not session.sid:
            session.sid = secrets.token_urlsafe(32)
        expires = utcnow() + LIFETIME
        self._col().replace_one(
            {"_id": stored_id(session.sid)},
            {"data": dict(session), "expires": expires},
            upsert=True,
        )
        response.set_cookie(
            name,
            session.sid,
            max_age=int(LIFETIME.total_seconds()),
            httponly=True,
            secure=self.get_cookie_secure(app),
            samesite=self.get_cookie_samesite(app),
            domain=domain,
            path=path,
        )
