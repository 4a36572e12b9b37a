"""The DCAT-AP catalogue validates against the SEMIC DCAT-AP 2.1.1 SHACL shapes.

The vendored file is a May 2022 revision of the 2.1.1 shapes, not the released file (see
shacl/LICENCE.md): the checksum pins exactly which file this is.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS

SHAPES = Path(__file__).parent / "shacl" / "dcat-ap_2.1.1_shacl_shapes.ttl"


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def _conforms(data: Graph, shapes: Graph) -> tuple[bool, str]:
    conforms, _graph, text = validate(data, shacl_graph=shapes, inference="none")
    return bool(conforms), str(text)


@pytest.mark.parametrize(
    ("url", "rdf_format"),
    [("/opendata/catalog.jsonld", "json-ld"), ("/opendata/catalog.ttl", "turtle")],
)
def test_the_catalogue_conforms_to_the_dcat_ap_shapes(api, territory, shapes, url, rdf_format):
    data = Graph().parse(data=api.get(url).content.decode(), format=rdf_format)
    conforms, report = _conforms(data, shapes)
    assert conforms, report


def test_the_shapes_reject_a_catalogue_without_a_publisher(api, territory, shapes):
    """The shapes are really applied: a catalogue missing a mandatory property fails."""
    data = Graph().parse(data=api.get("/opendata/catalog.ttl").content.decode(), format="turtle")
    catalogue = next(data.subjects(predicate=DCAT.dataset))
    data.remove((catalogue, DCTERMS.publisher, None))
    conforms, report = _conforms(data, shapes)
    assert not conforms
    assert "publisher" in report


def test_the_shapes_reject_a_distribution_with_two_licences(api, territory, shapes):
    data = Graph().parse(data=api.get("/opendata/catalog.ttl").content.decode(), format="turtle")
    distribution = next(data.subjects(predicate=DCAT.accessURL))
    data.add((distribution, DCTERMS.license, URIRef("https://example.org/other-licence")))
    assert not _conforms(data, shapes)[0]


def test_the_shapes_are_the_official_file_unchanged_with_their_licence_beside_them():
    digest = hashlib.sha256(SHAPES.read_bytes()).hexdigest()
    # SEMICeu/DCAT-AP, releases/2.1.1/dcat-ap_2.1.1_shacl_shapes.ttl, as LICENCE.md records.
    assert digest == "918c64cb2d19cf8c21e7a1fa6e3b301d99be763e97232317f6765a581bf4608e"
    licence = (SHAPES.parent / "LICENCE.md").read_text(encoding="utf-8")
    assert SHAPES.name in licence
    assert "CC BY 4.0" in licence
    declared = Graph().parse(SHAPES, format="turtle")
    assert (
        None,
        DCTERMS.license,
        URIRef("https://creativecommons.org/licenses/by/4.0"),
    ) in declared
