"""The DCAT-AP catalog of public datasets, a page at a time, with hydra paging links."""

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, XSD

import exporters
from portal.core.errors import NotFound
from portal.core.langs import LANG_TAGS
from portal.db.models import Dataset, Organization
from portal.services.discovery import browse
from portal.services.discovery.search import PUBLIC

PAGE_SIZE = 100
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
FREQ = Namespace("http://publications.europa.eu/resource/authority/frequency/")
IANA = "http://www.iana.org/assignments/media-types/"
FREQUENCIES = {
    "daily": "DAILY",
    "weekly": "WEEKLY",
    "monthly": "MONTHLY",
    "quarterly": "QUARTERLY",
    "semiannual": "ANNUAL_2",
    "annual": "ANNUAL",
    "irregular": "IRREG",
}
SYNTAXES = {
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("xml", "application/rdf+xml"),
}
DISTRIBUTIONS = browse.FILE_FORMATS
PREFIXES = {"dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "hydra": HYDRA, "vcard": VCARD,
            "xsd": XSD}  # fmt: skip


def _texts(graph, subject, predicate, values):
    for key, text in (values or {}).items():
        if text:
            graph.add((subject, predicate, Literal(text, lang=LANG_TAGS[key])))


def _media_type(fmt):
    return URIRef(IANA + exporters.MEDIA_TYPES[fmt].split(";")[0].strip())


def _dataset(graph, ds, root, orgs):
    # the same IRIs as the RDF downloads give the dataset and its publisher
    node = URIRef(f"{root}/datasets/{ds.code}")
    api = f"{root}/api/v1/datasets/{ds.code}"
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(ds.code)))
    _texts(graph, node, DCTERMS.title, ds.title.to_dict() if ds.title else {})
    _texts(graph, node, DCTERMS.description, ds.description.to_dict() if ds.description else {})
    for word in ds.keywords:
        graph.add((node, DCAT.keyword, Literal(word)))
    modified = ds.data_updated_at or ds.updated_at
    if modified:
        graph.add((node, DCTERMS.modified, Literal(modified.isoformat(), datatype=XSD.dateTime)))
    if ds.update_frequency in FREQUENCIES:
        graph.add((node, DCTERMS.accrualPeriodicity, FREQ[FREQUENCIES[ds.update_frequency]]))
    graph.add((node, OWL.versionInfo, Literal(str(ds.current_version))))
    graph.add((node, DCAT.landingPage, node))
    publisher = URIRef(f"{root}/organizations/{ds.organization}")
    graph.add((node, DCTERMS.publisher, publisher))
    if (publisher, RDF.type, FOAF.Agent) not in graph:
        graph.add((publisher, RDF.type, FOAF.Agent))
        graph.add((publisher, DCTERMS.identifier, Literal(ds.organization)))
        org = orgs.get(ds.organization)
        _texts(graph, publisher, FOAF.name, org.name.to_dict() if org else {})
    if ds.email or ds.phone:
        contact = BNode()
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((contact, RDF.type, VCARD.Kind))
        if ds.email:
            graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{ds.email}")))
        if ds.phone:
            graph.add((contact, VCARD.hasTelephone, Literal(ds.phone)))
    fields = browse.public_fields(ds)
    for fmt in DISTRIBUTIONS:
        if not exporters.supports(fmt, fields):
            continue
        dist = URIRef(f"{api}/data.{fmt}")
        graph.add((node, DCAT.distribution, dist))
        graph.add((dist, RDF.type, DCAT.Distribution))
        graph.add((dist, DCTERMS.title, Literal(f"{ds.code} ({fmt.upper()})")))
        graph.add((dist, DCAT.accessURL, URIRef(api)))
        graph.add((dist, DCAT.downloadURL, dist))
        graph.add((dist, DCAT.mediaType, _media_type(fmt)))
    return node


def page_graph(page, base_url, ext):
    """The catalog page `page` as an rdflib Graph; base_url is the portal's root URL."""
    root = base_url.rstrip("/")
    query = Dataset.objects(__raw__=PUBLIC).exclude("terms").order_by("code")
    total = query.count()
    last = max(1, -(-total // PAGE_SIZE))
    if page > last:
        raise NotFound(f"the catalog has {last} page(s)")
    items = list(query.skip((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    orgs = {o.code: o for o in Organization.objects(code__in=list({d.organization for d in items}))}
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    catalog = URIRef(f"{root}/catalog")
    graph.add((catalog, RDF.type, DCAT.Catalog))
    graph.add((catalog, RDF.type, HYDRA.Collection))
    graph.add((catalog, DCTERMS.title, Literal("Ochiq open data portal", lang="en")))
    graph.add((catalog, DCTERMS.title, Literal("Ochiq ma'lumotlar portali", lang="uz")))
    graph.add(
        (
            catalog,
            DCTERMS.description,
            Literal("Open data of the government organizations of Uzbekistan", lang="en"),
        )
    )
    graph.add((catalog, HYDRA.totalItems, Literal(total)))
    for ds in items:
        graph.add((catalog, DCAT.dataset, _dataset(graph, ds, root, orgs)))
        graph.add((catalog, HYDRA.member, URIRef(f"{root}/datasets/{ds.code}")))

    def link(n):
        return URIRef(f"{root}/catalog.{ext}?page={n}")

    view = link(page)
    graph.add((catalog, HYDRA.view, view))
    graph.add((view, RDF.type, HYDRA.PartialCollectionView))
    graph.add((view, HYDRA.first, link(1)))
    graph.add((view, HYDRA.last, link(last)))
    if page > 1:
        graph.add((view, HYDRA.previous, link(page - 1)))
    if page < last:
        graph.add((view, HYDRA.next, link(page + 1)))
    return graph


def render(page, base_url, ext):
    """(bytes, media type) of a catalog page in Turtle, JSON-LD or RDF/XML."""
    syntax, media_type = SYNTAXES[ext]
    graph = page_graph(page, base_url, ext)
    if syntax == "json-ld":
        data = graph.serialize(format="json-ld", context={k: str(v) for k, v in PREFIXES.items()})
    else:
        data = graph.serialize(format=syntax)
    return data.encode() if isinstance(data, str) else data, media_type
