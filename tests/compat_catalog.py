"""Many public datasets at once, written straight into the datasets collection (no uploads),
for the compat list tests and bench/compat.py."""

from datetime import timedelta

BATCH = 2000


def ml(text):
    return {"uzbText": text, "uzbKrText": text, "rusText": text, "engText": text}


FIELDS = [
    {"name": "Nomi", "type": "text", "caption": ml("Nomi"), "visible": True, "order": 1},
    {"name": "Soni", "type": "number", "caption": ml("Soni"), "visible": True, "order": 2},
    {"name": "Joy", "type": "location", "caption": ml("Joy"), "visible": True, "order": 3},
]


def insert_catalog(
    count, *, organization="2-001", sectors=("economy",), first_serial=50000, searchable=True
):
    """Insert `count` public datasets (version 1, a few rows each, fields like a real table)
    of one organization, spread over `sectors`; returns their codes. Not `searchable`: without
    search terms (found by listing and filters only), quicker to write."""
    from portal.db import search_cache
    from portal.db.models import Dataset, utcnow

    now = utcnow()
    col = Dataset._get_collection()
    codes, docs = [], []
    for i in range(count):
        serial = first_serial + i
        code = f"{organization}-{serial}"
        when = now - timedelta(seconds=i)
        docs.append(
            {
                "code": code,
                "serial": serial,
                "organization": organization,
                "sector": sectors[i % len(sectors)],
                "title": ml(f"Jadval {serial}"),
                "update_frequency": "annual",
                "fields": FIELDS,
                "status": "published",
                "active": True,
                "current_version": 1,
                "versions": [{"number": 1, "created_at": when, "rows": i % 7, "source": "seed"}],
                "views": 0,
                "downloads": i % 5,
                "rating_sum": 0,
                "rating_count": 0,
                "terms": [f"t:{code}"] if searchable else [],
                "created_by": "seed",
                "created_at": when,
                "updated_at": when,
                "data_updated_at": when,
            }
        )
        codes.append(code)
        if len(docs) >= BATCH:
            col.insert_many(docs, ordered=False)
            docs = []
    if docs:
        col.insert_many(docs, ordered=False)
    search_cache.rebuilt()  # written without the portal's code: every process reloads
    return codes
