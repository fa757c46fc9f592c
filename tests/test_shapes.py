"""The SHACL shapes: the shipped data conforms, the shapes are valid SHACL, and every shape
rejects its invalid examples with its own message.

Each file in tests/shapes/invalid/ is named after the shape it breaks (`<Shape>.ttl`, or
`<Shape>--<variant>.ttl`) and holds a minimal graph that shape must reject. A case is checked the
way the loader checks data (the ontology beside it, the derived links computed), against that one
shape alone, so the test shows the shape itself catches the fault and says so in its message.
"""

from __future__ import annotations

from pathlib import Path

import pyshacl
import pytest
from rdflib import RDF, SH, BNode, Graph, URIRef
from rdflib.term import Node

from blkg.config import Settings
from blkg.graph import graph_violations, load_shapes
from blkg.inference import infer
from blkg.loading import parse_turtle, turtle_files
from blkg.resources import ontology_dir
from blkg.validation import validate

CASES_DIR = Path(__file__).parent / "shapes" / "invalid"
CASES = sorted(CASES_DIR.glob("*.ttl"))
SHAPES_HEADER = URIRef("https://w3id.org/blkg/shapes")
BLSH = "https://w3id.org/blkg/shapes#"
SHACL_SHACL = Path(pyshacl.__file__).parent / "assets" / "shacl-shacl.ttl"

SHAPES = load_shapes()
SHAPE_NODES = sorted(
    {s for kind in (SH.NodeShape, SH.PropertyShape) for s in SHAPES.subjects(RDF.type, kind)},
    key=str,
)


def shape_of(case: Path) -> URIRef:
    return URIRef(BLSH + case.stem.split("--")[0])


def describe(graph: Graph, node: Node, into: Graph) -> Graph:
    """`node`'s triples and, recursively, those of the blank nodes it points to."""
    for predicate, value in graph.predicate_objects(node):
        into.add((node, predicate, value))
        if isinstance(value, BNode):
            describe(graph, value, into)
    return into


def alone(shape: URIRef) -> Graph:
    """A shapes graph holding only `shape`, with the prefix declarations it refers to."""
    return describe(SHAPES, shape, describe(SHAPES, SHAPES_HEADER, Graph()))


def ontology() -> Graph:
    graph = Graph()
    for path in turtle_files(ontology_dir()):
        graph += parse_turtle(path)
    return graph


ONTOLOGY = ontology()


def checked_like_the_loader(case: Path) -> Graph:
    asserted = ONTOLOGY + parse_turtle(case, Settings().instance_base)
    return asserted + infer(asserted, Settings().instance_base)


def test_the_shipped_data_conforms(graph):
    assert graph_violations(graph) == []


def test_the_shapes_are_valid_shacl():
    meta = Graph().parse(SHACL_SHACL, format="turtle")
    conforms, _, text = pyshacl.validate(SHAPES, shacl_graph=meta, inference="none")
    assert conforms, text


@pytest.mark.parametrize("shape", SHAPE_NODES, ids=lambda s: s.removeprefix(BLSH))
def test_every_shape_is_named_labelled_and_explains_itself(shape):
    assert isinstance(shape, URIRef) and shape.startswith(BLSH)
    message = SHAPES.value(shape, SH.message)
    assert message is not None and message.language == "en" and " " in message
    assert SHAPES.value(shape, URIRef("http://www.w3.org/2000/01/rdf-schema#label")) is not None


def test_no_shape_is_anonymous():
    anonymous = [s for s in SHAPES.objects(None, SH.property) if isinstance(s, BNode)]
    anonymous += [s for s in SHAPES.objects(None, SH.node) if isinstance(s, BNode)]
    assert anonymous == []


def test_the_invalid_cases_cover_every_shape():
    assert len(SHAPE_NODES) > 40 and len(CASES) >= len(SHAPE_NODES)
    assert {shape_of(case) for case in CASES} == set(SHAPE_NODES)


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.stem)
def test_each_invalid_case_fails_with_its_shapes_message(case):
    shape = shape_of(case)
    violations = validate(checked_like_the_loader(case), alone(shape))
    assert violations, f"{case.name} conforms to {shape}"
    expected = str(SHAPES.value(shape, SH.message))
    assert {(v.shape, v.message) for v in violations} == {(str(shape), expected)}
