"""The public read side: search, rows, versions, downloads and the DCAT catalog."""

from marshmallow import INCLUDE, fields, validate

from portal.core.frequencies import FREQUENCIES
from schemas.common import Paged, Strict, Trimmed, paged
from schemas.datasets import FieldOut, PassportOut

SORTS = ["relevance", "recent", "downloads", "rating"]
LANGS = ["1", "2", "3", "4", "uz", "oz", "ru", "en", "uzbText", "uzbKrText", "rusText", "engText"]


class LangArgs(Strict):
    lang = fields.String(load_default=None, validate=validate.OneOf(LANGS))


class SearchArgs(LangArgs):
    q = Trimmed(load_default="", validate=validate.Length(max=200))
    organization = fields.List(Trimmed(validate=validate.Length(max=64)), load_default=list)
    sector = fields.List(Trimmed(validate=validate.Length(max=64)), load_default=list)
    keyword = fields.List(Trimmed(validate=validate.Length(max=200)), load_default=list)
    update_frequency = fields.List(
        fields.String(validate=validate.OneOf(FREQUENCIES)), load_default=list
    )
    sort = fields.String(load_default=None, validate=validate.OneOf(SORTS))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    ai = fields.Boolean(load_default=False)  # the AI-ready section


class RowsArgs(LangArgs):
    """Paging and sorting; every other query key is a filter checked against the structure."""

    class Meta:
        unknown = INCLUDE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=1000000))
    page_size = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    sort = fields.String(load_default=None, validate=validate.Length(max=200))
    group_by = fields.String(load_default=None, validate=validate.Length(max=200))
    agg = fields.List(fields.String(validate=validate.Length(max=200)), load_default=list)


class CatalogArgs(Strict):
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))


class FacetCount(Strict):
    code = fields.String()
    count = fields.Integer()


class Facets(Strict):
    organization = fields.List(fields.Nested(FacetCount))
    sector = fields.List(fields.Nested(FacetCount))
    keyword = fields.List(fields.Nested(FacetCount))
    update_frequency = fields.List(fields.Nested(FacetCount))
    format = fields.List(
        fields.Nested(FacetCount),
        metadata={
            "description": "Datasets found that offer each download format (`code`: csv, json, "
            "xml, xlsx, rdf, ttl, jsonld, nt, geojson, parquet): every public dataset with data "
            "offers each but geojson, which needs a location or polygon field"
        },
    )
    ai = fields.List(
        fields.Nested(FacetCount),
        metadata={
            "description": 'Datasets found that are in the AI section: one count with `code` "1", '
            "or an empty list when none of them is (the section itself: `?ai=1`)"
        },
    )


class DatasetSummary(Strict):
    id = fields.String()
    code = fields.String()
    title = fields.Raw()
    description = fields.Raw(allow_none=True)
    organization = fields.String()
    sector = fields.String(allow_none=True)
    update_frequency = fields.String()
    keywords = fields.List(fields.String())
    version = fields.Integer()
    rows = fields.Integer()
    views = fields.Integer()
    downloads = fields.Integer()
    rating = fields.Float(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    ai = fields.Dict()  # in the AI section: {flagged, ready, quality}


class SearchPage(paged(DatasetSummary, "DatasetSummaryPage")):
    facets = fields.Nested(Facets, allow_none=True)


class Distribution(Strict):
    format = fields.String()
    media_type = fields.String()
    url = fields.String()


class QualitySummary(Strict):
    score = fields.Integer()
    max = fields.Integer()


class PublicPassport(PassportOut):
    distributions = fields.List(fields.Nested(Distribution))
    quality = fields.Nested(QualitySummary, allow_none=True)  # see /datasets/{ds}/quality


class StructureOut(Strict):
    code = fields.String()
    version = fields.Integer()
    fields = fields.List(fields.Nested(FieldOut))


class RowsPage(Paged):
    items = fields.List(fields.Dict())


class VersionOut(Strict):
    number = fields.Integer()
    created_at = fields.DateTime()
    source = fields.String(allow_none=True)
    rows = fields.Integer()
    added = fields.Integer()
    removed = fields.Integer()
    checksum = fields.String(allow_none=True)


class VersionDetail(VersionOut):
    fields = fields.List(fields.Nested(FieldOut))


class VersionList(Paged):
    items = fields.List(fields.Nested(VersionOut))
