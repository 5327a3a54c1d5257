"""Connecting to MongoDB (or mongomock in the fast test suite)."""

import mongoengine
from mongoengine.connection import get_db as _get_db

ALIAS = "default"


def connect(uri, db_name):
    """Connect mongoengine (and so pymongo) to `uri`; `mongomock://` gives an in-memory server."""
    mongoengine.disconnect(ALIAS)
    if uri.startswith("mongomock://"):
        import mongomock
        import mongomock.gridfs

        mongomock.gridfs.enable_gridfs_integration()
        mongoengine.connect(
            db=db_name,
            alias=ALIAS,
            host="mongodb://localhost",
            mongo_client_class=mongomock.MongoClient,
            uuidRepresentation="standard",
        )
    else:
        mongoengine.connect(
            db=db_name,
            alias=ALIAS,
            host=uri,
            uuidRepresentation="standard",
            serverSelectionTimeoutMS=5000,
        )
    return get_db()


def get_db():
    """The pymongo Database of the portal."""
    return _get_db(ALIAS)


def ping():
    """True when the database answers."""
    get_db().command("ping")
    return True


def disconnect():
    """Close the connection."""
    mongoengine.disconnect(ALIAS)
