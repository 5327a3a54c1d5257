"""Start-up: indexes, and the reference data of an empty database."""

import json
import logging
from datetime import timedelta
from pathlib import Path

from pymongo.errors import DuplicateKeyError

from portal.core.langs import LANG_KEYS
from portal.db import community as community_documents
from portal.db import content as content_documents
from portal.db import identity as identity_documents
from portal.db.connection import get_db
from portal.db.models import (
    Dataset,
    Directory,
    DirectoryItem,
    Organization,
    ensure_indexes,
    ml,
    utcnow,
)
from portal.db.publishing import history
from portal.services import reference
from portal.services.discovery import downloads
from portal.services.publishing import migrate, versions

DEMO = Path(__file__).resolve().parent.parent / "seed" / "demo.json"
log = logging.getLogger("portal.startup")


def prepare(load_demo=True):
    """Ensure indexes; on an empty database load the reference data (once, whoever comes first)."""
    ensure_indexes()
    downloads.ensure_indexes()
    community_documents.ensure_indexes()
    content_documents.ensure_indexes()
    identity_documents.ensure_indexes()
    statistics_indexes()
    history.ensure_indexes()
    if _claim("versions-window"):
        migrate.run(versions.WINDOW)
        _done("versions-window")
    if _claim("reference"):
        load_reference()
        if load_demo:
            from portal.services import seed

            seed.load_demo_datasets(demo())
        _done("reference")
    if _claim("content"):
        from portal.services.content import seed as content_seed

        content_seed.load()
        _done("content")
    # every start: what a database made by an older release lacks
    reference.ensure_sectors(demo()["sectors"])
    reference.ensure_portal_ids()


def statistics_indexes():
    from portal.db.statistics import counters, states

    counters.ensure_indexes()
    states.ensure_indexes()


def demo():
    """The demo data kept inside the project."""
    return json.loads(DEMO.read_text(encoding="utf-8"))


def _claim(name):
    """Take the one-time task `name`; a claim older than 5 minutes was a crash and is retaken."""
    col = get_db()["startup"]
    now = utcnow()
    try:
        col.insert_one({"_id": name, "state": "running", "at": now})
        return True
    except DuplicateKeyError:
        stale = col.find_one_and_update(
            {"_id": name, "state": "running", "at": {"$lt": now - timedelta(minutes=5)}},
            {"$set": {"at": now}},
        )
        return stale is not None


def _done(name):
    get_db()["startup"].update_one({"_id": name}, {"$set": {"state": "done", "at": utcnow()}})


def load_reference(data=None):
    """Regions directory, sectors and organizations; existing codes are left as they are."""
    data = data or demo()
    reference.ensure_sectors(data["sectors"])
    for code, items in {"regions": data["regions"], **data.get("directories", {})}.items():
        if not Directory.objects(code=code).first():
            Directory(
                code=code,
                name=ml(_directory_names.get(code, {k: code for k in LANG_KEYS})),
                items=[DirectoryItem(code=i["code"], name=ml(i["name"])) for i in items],
            ).save()
    for org in data["organizations"]:
        if not Organization.objects(code=org["code"]).first():
            Organization(
                code=org["code"],
                name=ml(org["name"]),
                parent=org.get("parent"),
                tin=org.get("tin"),
                phone=org.get("phone"),
                email=org.get("email"),
            ).save()
    log.info("reference data ready", extra={"fields": {"datasets": Dataset.objects.count()}})


_directory_names = {
    "regions": {
        "uzbText": "Hududlar (SOATO)",
        "uzbKrText": "Ҳудудлар (СОАТО)",
        "rusText": "Регионы (СОАТО)",
        "engText": "Regions (SOATO)",
    }
}
