"""The search terms kept on each dataset (no $text index: the embedded server has none)."""

from portal.core.text import search_terms
from portal.db.models import Organization

# A term is stored with the part it came from, so ranking can weigh titles over keywords over
# descriptions: "t:" title or code, "k:" keyword or organization, "d:" description.


def refresh(dataset):
    """Recompute the dataset's search terms from its passport."""
    terms = []
    for value in (dataset.title.to_dict() if dataset.title else {}).values():
        terms += ["t:" + t for t in search_terms(value)]
    terms.append("t:" + dataset.code.lower())
    for keyword in dataset.keywords or []:
        terms += ["k:" + t for t in search_terms(keyword)]
    org = Organization.objects(code=dataset.organization).first()
    if org:
        for value in org.name.to_dict().values():
            terms += ["k:" + t for t in search_terms(value)]
    for value in (dataset.description.to_dict() if dataset.description else {}).values():
        terms += ["d:" + t for t in search_terms(value)]
    dataset.terms = list(dict.fromkeys(terms))
    return dataset.terms
