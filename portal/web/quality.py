"""The quality score as the passport shows it: each criterion named, with its points and, when
missed, how to fix it, in the page's language (the service's own words are English)."""

from flask_babel import gettext as _

from portal.services.statistics import quality
from portal.web import i18n

_words = {}  # language -> (names, fixes): the catalogs are read once, 26 gettext calls a page


def forget():
    _words.clear()


def words():
    """(names, fixes) of the criteria in the page's language, made once per language."""
    lang = i18n.current()
    if lang not in _words:
        _words[lang] = (names(), fixes())
    return _words[lang]


def names():
    return {
        "title_languages": _("Title in all four languages"),
        "description_languages": _("Description in all four languages"),
        "keywords": _("At least %(num)s keywords", num=quality.MIN_KEYWORDS),
        "sector": _("Sector"),
        "contacts": _("Contact phone and e-mail"),
        "legal_basis": _("Legal basis"),
        "methodology": _("Methodology file"),
        "structure_typed": _("Typed columns"),
        "captions": _("Column captions in all four languages"),
        "frequency_kept": _("Update frequency declared and kept"),
        "machine_readable": _("Machine-readable formats"),
        "dcat": _("A valid DCAT-AP record"),
        "downloads": _("Downloads with content"),
    }


def fixes():
    return {
        "title_languages": _("Give the title in all four languages (uz, oz, ru, en)."),
        "description_languages": _("Describe the dataset in all four languages (uz, oz, ru, en)."),
        "keywords": _("Add at least %(num)s keywords people would search for.",
                      num=quality.MIN_KEYWORDS),
        "sector": _("Choose the sector the dataset belongs to."),
        "contacts": _("Give a contact phone and e-mail for questions about the data."),
        "legal_basis": _("State the legal basis for publishing the data."),
        "methodology": _("Upload the methodology file: how the data is collected and computed."),
        "structure_typed": _("Type the columns: numbers, dates, places or directories, not only "
                             "text."),
        "captions": _("Caption every visible column in all four languages."),
        "frequency_kept": _("Declare how often the data is updated, and upload on time."),
        "machine_readable": _("Upload the data as a table (step 3) so that it is offered as CSV, "
                              "JSON, XML and RDF."),
        "dcat": _("Complete the passport so that its DCAT-AP record validates."),
        "downloads": _("Publish a version with rows and at least one visible column, so that "
                       "the downloads have content."),
    }  # fmt: skip


def shown(doc):
    """`{score, max, criteria: [{id, name, points, max, passed, fix, detail}]}` of a score;
    `detail` is what the DCAT check said (English, from the validator)."""
    named, fixed = words()
    criteria = []
    for c in doc["criteria"]:
        detail = None
        if c["id"] == "dcat" and c.get("fix") and "The record says: " in c["fix"]:
            detail = c["fix"].split("The record says: ", 1)[1].rstrip(".")
        criteria.append({
            **c, "name": named.get(c["id"], c["id"]),
            "fix": None if c["passed"] else fixed.get(c["id"], c.get("fix")), "detail": detail,
        })  # fmt: skip
    return {"score": doc["score"], "max": doc["max"], "criteria": criteria}
