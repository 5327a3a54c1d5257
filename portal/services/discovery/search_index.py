"""The search terms kept on each dataset (no $text index: the embedded server has none)."""

from portal.core.text import search_terms
from portal.db import search_cache
from portal.db.models import Dataset, Organization

# A term is stored with the part it came from, so ranking can weigh titles over keywords over
# descriptions: "t:" title or code, "k:" keyword or organization, "d:" description.


def _tagged(part, text):
    """Folded terms of a text under a part tag; a word with an apostrophe is also kept without
    it, since many people type `ozbekiston` for `o'zbekiston`."""
    out = []
    for term in search_terms(text):
        out.append(f"{part}:{term}")
        if "'" in term:
            out.append(f"{part}:{term.replace(chr(39), '')}")
    return out


def refresh(dataset, org_names=None):
    """Recompute the dataset's search terms from its passport."""
    terms = []
    for value in (dataset.title.to_dict() if dataset.title else {}).values():
        terms += _tagged("t", value)
    terms.append("t:" + dataset.code.lower())
    for keyword in dataset.keywords or []:
        terms += _tagged("k", keyword)
    if org_names is None:
        org = Organization.objects(code=dataset.organization).first()
        org_names = org.name.to_dict() if org else {}
    for value in org_names.values():
        terms += _tagged("k", value)
    for value in (dataset.description.to_dict() if dataset.description else {}).values():
        terms += _tagged("d", value)
    dataset.terms = list(dict.fromkeys(terms))
    return dataset.terms


def reindex_all():
    """Recompute the terms of every dataset (after a change to how terms are made)."""
    names = {o.code: o.name.to_dict() for o in Organization.objects}
    count = 0
    for dataset in Dataset.objects.exclude("versions"):
        terms = refresh(dataset, names.get(dataset.organization, {}))
        Dataset.objects(id=dataset.id).update_one(set__terms=terms)
        count += 1
    search_cache.rebuilt()  # terms changed without updated_at: every process reloads
    return count
