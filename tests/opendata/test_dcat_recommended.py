"""DCAT-AP beyond the mandatory: EU frequency and theme codes, the recommended properties
of the catalogue, datasets and distributions, and typed agents, licences and contacts."""

from __future__ import annotations

import pytest
from rdflib import RDF, XSD, Graph, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, SKOS

from opendata import datasets

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
# The codes of the EU frequency authority table (Publications Office, 2023 edition).
EU_FREQUENCIES = {
    "1MIN", "5MIN", "10MIN", "15MIN", "30MIN", "HOURLY", "BIHOURLY", "TRIHOURLY", "12HRS",
    "CONT", "UPDATE_CONT", "DAILY", "DAILY_2", "WEEKLY", "WEEKLY_2", "WEEKLY_3", "BIWEEKLY",
    "MONTHLY", "MONTHLY_2", "MONTHLY_3", "BIMONTHLY", "QUARTERLY", "ANNUAL", "ANNUAL_2",
    "ANNUAL_3", "BIENNIAL", "TRIENNIAL", "QUADRENNIAL", "QUINQUENNIAL", "DECENNIAL",
    "BIDECENNIAL", "TRIDECENNIAL", "IRREG", "NEVER", "OP_DATPRO", "OTHER", "UNKNOWN",
}  # fmt: skip
EU_THEMES = {
    "AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI",
    "TECH", "TRAN",
}  # fmt: skip


@pytest.fixture
def graph(api, territory) -> Graph:  # type: ignore[no-untyped-def]
    return Graph().parse(data=api.get("/opendata/catalog.ttl").content.decode(), format="turtle")


def _one(graph: Graph, subject: object, predicate: URIRef) -> object:
    values = list(graph.objects(subject, predicate))  # type: ignore[arg-type]
    assert values, f"{subject} has no {predicate}"
    return values[0]


def test_every_frequency_is_a_code_of_the_eu_authority_table(graph):
    frequencies = set(graph.objects(None, DCTERMS.accrualPeriodicity))
    assert len(frequencies) >= 3
    for frequency in frequencies:
        assert str(frequency).startswith(FREQUENCY)
        assert str(frequency).removeprefix(FREQUENCY) in EU_FREQUENCIES


def test_the_declared_frequencies_are_eu_codes():
    assert {d.frequency for d in datasets.published()} <= EU_FREQUENCIES
    assert {d.theme for d in datasets.published()} <= EU_THEMES


def test_the_catalogue_has_its_recommended_properties(graph):
    catalogue = next(graph.subjects(RDF.type, DCAT.Catalog))
    assert _one(graph, catalogue, DCTERMS.issued).datatype == XSD.date  # type: ignore[attr-defined]
    taxonomy = _one(graph, catalogue, DCAT.themeTaxonomy)
    assert (taxonomy, RDF.type, SKOS.ConceptScheme) in graph
    assert (_one(graph, catalogue, DCTERMS.spatial), RDF.type, DCTERMS.Location) in graph
    assert (_one(graph, catalogue, FOAF.homepage), RDF.type, FOAF.Document) in graph


def test_every_dataset_has_a_theme_a_place_and_a_period(graph):
    found = list(graph.subjects(RDF.type, DCAT.Dataset))
    assert len(found) == len(datasets.published())
    for dataset in found:
        theme = _one(graph, dataset, DCAT.theme)
        assert str(theme).removeprefix(THEME) in EU_THEMES
        assert (theme, RDF.type, SKOS.Concept) in graph
        assert (theme, SKOS.prefLabel, None) in graph
        assert (_one(graph, dataset, DCTERMS.spatial), RDF.type, DCTERMS.Location) in graph
        period = _one(graph, dataset, DCTERMS.temporal)
        assert (period, RDF.type, DCTERMS.PeriodOfTime) in graph
        assert _one(graph, period, DCAT.startDate).datatype == XSD.date  # type: ignore[attr-defined]
        # The shapes check dates with the non-SHACL sh:shape, which validators skip.
        assert _one(graph, dataset, DCTERMS.modified).datatype == XSD.dateTime  # type: ignore[attr-defined]


def test_every_distribution_is_described_and_says_how_available_it_is(graph):
    distributions = list(graph.subjects(RDF.type, DCAT.Distribution))
    assert distributions
    for distribution in distributions:
        languages = {d.language for d in graph.objects(distribution, DCTERMS.description)}  # type: ignore[attr-defined]
        assert languages == {"fr", "en"}
        availability = _one(graph, distribution, DCATAP.availability)
        assert (availability, RDF.type, SKOS.Concept) in graph


def test_publisher_and_licence_are_typed_and_the_contact_is_a_vcard_kind(graph):
    publisher = next(graph.objects(None, DCTERMS.publisher))
    assert (_one(graph, publisher, DCTERMS.type), RDF.type, SKOS.Concept) in graph
    licence = next(graph.subjects(RDF.type, DCTERMS.LicenseDocument))
    assert (_one(graph, licence, DCTERMS.type), RDF.type, SKOS.Concept) in graph
    for contact in set(graph.objects(None, DCAT.contactPoint)):
        assert (contact, RDF.type, VCARD.Kind) in graph
        assert (contact, VCARD.hasEmail, None) in graph
