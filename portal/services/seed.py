"""The demo datasets of demo.json, loaded as version 1 of each on an empty database."""

import logging

from portal.db.models import Dataset, Field, Organization, ml
from portal.services.discovery import search_index
from portal.services.publishing import validation, versions

log = logging.getLogger("portal.seed")


def load_demo_datasets(data):
    """Create each demo dataset that is missing, with its rows as version 1."""
    for item in data.get("datasets", []):
        if Dataset.objects(code=item["code"]).first():
            continue
        serial = int(item["code"].rsplit("-", 1)[1])
        fields = [
            Field(
                name=f["name"],
                type=f["type"],
                caption=ml(f["caption"]),
                visible=f.get("visible", True),
                order=i + 1,
                directory=f.get("directory"),
            )
            for i, f in enumerate(item["fields"])
        ]
        dataset = Dataset(
            code=item["code"],
            serial=serial,
            organization=item["organization"],
            sector=item["sector"],
            title=ml(item["title"]),
            description=ml(item.get("description")),
            is_priority=item.get("is_priority", False),
            update_frequency=item.get("update_frequency", "irregular"),
            phone=item.get("phone"),
            email=item.get("email"),
            kind=item.get("kind"),
            keywords=item.get("keywords", []),
            fields=fields,
            created_by="seed",
        )
        search_index.refresh(dataset)
        dataset.save()
        field_dicts = [f.to_dict() for f in fields]
        rows = validation.check_records(field_dicts, item.get("rows", []), max_errors=100)
        versions.publish(dataset, rows, source="seed", by="seed", fields=field_dicts)
        Organization._get_collection().update_one(
            {"code": item["organization"], "next_serial": {"$lte": serial}},
            {"$set": {"next_serial": serial + 1}},
        )
        log.info("demo dataset loaded", extra={"fields": {"code": item["code"]}})
