"""The catalogue as DCAT-AP (RDF), for data.gouv.fr and other harvesters.

Every linked resource is typed (licence document, frequency, media type…) because the
DCAT-AP shapes check the class of what a property points to, not only its presence.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS

from opendata import datasets
from opendata.datasets import Dataset

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
EU_THEME_SCHEME = "http://publications.europa.eu/resource/authority/data-theme"
EU_AVAILABILITY = "http://publications.europa.eu/resource/authority/planned-availability/"
# The English labels of the EU data-theme authority table.
THEME_LABELS = {
    "AGRI": "Agriculture, fisheries, forestry and food",
    "ECON": "Economy and finance",
    "EDUC": "Education, culture and sport",
    "ENER": "Energy",
    "ENVI": "Environment",
    "GOVE": "Government and public sector",
    "HEAL": "Health",
    "INTR": "International issues",
    "JUST": "Justice, legal system and public safety",
    "REGI": "Regions and cities",
    "SOCI": "Population and society",
    "TECH": "Science and technology",
    "TRAN": "Transport",
}
PUBLISHER_TYPE = "http://purl.org/adms/publishertype/LocalAuthority"
LICENCE_TYPE = "http://purl.org/adms/licencetype/Attribution"
# The territory's extent (west, south, east, north), for dct:spatial.
TERRITORY_BBOX = (4.89637, 47.21949, 5.20611, 47.3977)
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
IANA = "https://www.iana.org/assignments/media-types/"
LANGUAGES = ("fr", "en")
CATALOGUE_TITLE = _("Open data of the metropolis")
CATALOGUE_DESCRIPTION = _(
    "Anonymised data of the command centre: equipment, energy, incidents and service levels."
)


def _texts(graph: Graph, subject: URIRef, predicate: URIRef, text: object) -> None:
    """One literal per language of the site: French first, then English."""
    for language in LANGUAGES:
        with translation.override(language):
            graph.add((subject, predicate, Literal(str(text), lang=language)))


def _typed(graph: Graph, uri: str, kind: URIRef) -> URIRef:
    node = URIRef(uri)
    graph.add((node, RDF.type, kind))
    return node


def _concept(graph: Graph, uri: str, label: str | None = None) -> URIRef:
    node = _typed(graph, uri, SKOS.Concept)
    if label:
        graph.add((node, SKOS.prefLabel, Literal(label, lang="en")))
    return node


def _territory(graph: Graph, catalogue: URIRef) -> URIRef:
    west, south, east, north = TERRITORY_BBOX
    node = _typed(graph, f"{catalogue}#territory", DCTERMS.Location)
    graph.add((node, SKOS.prefLabel, Literal(settings.OPENDATA_PUBLISHER, lang="fr")))
    polygon = (
        f"POLYGON(({west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}))"
    )
    graph.add((node, DCAT.bbox, Literal(polygon, datatype=GSP.wktLiteral)))
    return node


def _period(graph: Graph, node: URIRef, dataset: Dataset, modified: datetime) -> URIRef:
    """Dated datasets cover their published history; the others, the state they describe."""
    period = URIRef(f"{node}#period")
    graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
    if dataset.date_column:
        today = modified.date()
        months = today.year * 12 + today.month - 1 - settings.OPENDATA_HISTORY_MONTHS
        start = date(months // 12, months % 12 + 1, 1)
    else:
        start = modified.date()
    graph.add((period, DCAT.startDate, Literal(start.isoformat(), datatype=XSD.date)))
    return period


_FORMAT_DESCRIPTIONS = {
    "CSV": _("Every row as CSV (UTF-8, header row), following the dataset's Table Schema."),
    "JSON": _("Rows as JSON pages, in identifier order, with filters."),
    "GeoJSON": _("The whole layer as one GeoJSON FeatureCollection (CRS84 or Lambert-93)."),
}


def _distributions(dataset: Dataset) -> list[tuple[str, str, str, str]]:
    """(url name, EU file type, IANA media type, label) of each download."""
    found = [
        ("opendata:api-csv", "CSV", "text/csv", "CSV"),
        ("opendata:api-records", "JSON", "application/json", "JSON"),
    ]
    if dataset.spatial:
        found.append(("opendata:api-geojson", "GEOJSON", "application/geo+json", "GeoJSON"))
    return found


def catalogue_graph(
    *, absolute: Callable[[str, tuple[str, ...]], str], modified: datetime
) -> Graph:
    """`absolute(url_name, args)` turns a route into an absolute URL of this site."""
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    graph.bind("skos", SKOS)
    graph.bind("dcatap", DCATAP)
    stamp = Literal(modified.isoformat(), datatype=XSD.dateTime)

    catalogue = URIRef(absolute("opendata:catalogue", ()))
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    _texts(graph, catalogue, DCTERMS.title, CATALOGUE_TITLE)
    _texts(graph, catalogue, DCTERMS.description, CATALOGUE_DESCRIPTION)
    publisher = _typed(graph, f"{catalogue}#publisher", FOAF.Agent)
    graph.add((publisher, FOAF.name, Literal(settings.OPENDATA_PUBLISHER)))
    graph.add((publisher, DCTERMS.type, _concept(graph, PUBLISHER_TYPE, "Local Authority")))
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, FOAF.homepage, _typed(graph, str(catalogue), FOAF.Document)))
    graph.add((catalogue, DCTERMS.modified, stamp))
    issued = Literal(settings.OPENDATA_CATALOGUE_ISSUED, datatype=XSD.date)
    graph.add((catalogue, DCTERMS.issued, issued))
    themes = _typed(graph, EU_THEME_SCHEME, SKOS.ConceptScheme)
    graph.add((themes, DCTERMS.title, Literal("Data theme", lang="en")))
    graph.add((catalogue, DCAT.themeTaxonomy, themes))
    territory = _territory(graph, catalogue)
    graph.add((catalogue, DCTERMS.spatial, territory))
    graph.add(
        (catalogue, DCTERMS.language, _typed(graph, f"{EU_LANGUAGE}FRA", DCTERMS.LinguisticSystem))
    )
    licence = _typed(graph, settings.OPENDATA_LICENCE_URL, DCTERMS.LicenseDocument)
    graph.add((licence, DCTERMS.type, _concept(graph, LICENCE_TYPE, "Attribution")))
    graph.add((catalogue, DCTERMS.license, licence))

    # vcard:Kind is the class DCAT-AP asks for; Organization says which kind (no inference
    # is assumed on the harvester's side, so both are stated).
    contact = _typed(graph, f"{catalogue}#contact", VCARD.Kind)
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(settings.OPENDATA_PUBLISHER)))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{settings.OPENDATA_CONTACT_EMAIL}")))

    for dataset in datasets.published():
        node = URIRef(absolute("opendata:api-detail", (dataset.slug,)))
        graph.add((catalogue, DCAT.dataset, node))
        graph.add((node, RDF.type, DCAT.Dataset))
        _texts(graph, node, DCTERMS.title, dataset.title)
        _texts(graph, node, DCTERMS.description, dataset.description)
        graph.add((node, DCTERMS.identifier, Literal(dataset.slug)))
        graph.add((node, DCTERMS.publisher, publisher))
        graph.add((node, DCAT.contactPoint, contact))
        graph.add((node, DCTERMS.modified, stamp))
        page = absolute("opendata:dataset", (dataset.slug,))
        graph.add((node, DCAT.landingPage, _typed(graph, page, FOAF.Document)))
        frequency = _typed(graph, f"{EU_FREQUENCY}{dataset.frequency}", DCTERMS.Frequency)
        graph.add((node, DCTERMS.accrualPeriodicity, frequency))
        theme = _concept(graph, f"{EU_THEME_SCHEME}/{dataset.theme}", THEME_LABELS[dataset.theme])
        graph.add((theme, SKOS.inScheme, themes))
        graph.add((node, DCAT.theme, theme))
        graph.add((node, DCTERMS.spatial, territory))
        graph.add((node, DCTERMS.temporal, _period(graph, node, dataset, modified)))
        for keyword in dataset.keywords:
            graph.add((node, DCAT.keyword, Literal(keyword)))
        schema = _typed(graph, absolute("opendata:api-schema", (dataset.slug,)), DCTERMS.Standard)
        stable = _concept(graph, f"{EU_AVAILABILITY}STABLE", "stable")
        for name, file_type, media, label in _distributions(dataset):
            url = absolute(name, (dataset.slug,))
            distribution = URIRef(f"{url}#distribution")
            graph.add((node, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            graph.add((distribution, DCTERMS.title, Literal(f"{dataset.slug} ({label})")))
            _texts(graph, distribution, DCTERMS.description, _FORMAT_DESCRIPTIONS[label])
            graph.add((distribution, DCATAP.availability, stable))
            graph.add((distribution, DCAT.accessURL, URIRef(url)))
            graph.add((distribution, DCAT.downloadURL, URIRef(url)))
            graph.add((distribution, DCTERMS.license, licence))
            graph.add((distribution, DCTERMS.modified, stamp))
            graph.add(
                (
                    distribution,
                    DCTERMS.format,
                    _typed(graph, f"{EU_FILE_TYPE}{file_type}", DCTERMS.MediaTypeOrExtent),
                )
            )
            graph.add(
                (distribution, DCAT.mediaType, _typed(graph, f"{IANA}{media}", DCTERMS.MediaType))
            )
            if name == "opendata:api-csv":
                graph.add((distribution, DCTERMS.conformsTo, schema))
    return graph
