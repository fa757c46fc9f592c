"""Every export format parses back and is isomorphic with the graph it came from."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from blkg.export import SELECTIONS, file_name, serialize
from blkg.formats import Use, serving

FORMATS = serving(Use.GRAPH)
CASES = [(fmt, selection) for fmt in FORMATS for selection in SELECTIONS]


def describe_difference(expected: Graph, actual: Graph) -> str:
    _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
    lines = [f"- {t}" for t in sorted(only_expected)[:10]]
    lines += [f"+ {t}" for t in sorted(only_actual)[:10]]
    return "\n".join(lines)


def parsed_graphs(content: bytes, fmt: str, graph, names) -> dict[str, Graph]:
    if not FORMATS[fmt].quads:
        parsed = Graph().parse(data=content, format=FORMATS[fmt].rdflib)
        return {"+".join(names): parsed}
    dataset = Dataset()
    dataset.parse(data=content, format=FORMATS[fmt].rdflib)
    return {name: dataset.graph(URIRef(graph.settings.graph_iri(name))) for name in names}


def test_every_format_and_selection_is_tested():
    assert {"turtle", "trig", "nt", "jsonld"} <= set(FORMATS)
    assert len(CASES) == len(FORMATS) * 3


@pytest.mark.parametrize(("fmt", "selection"), CASES)
def test_export_parses_back_isomorphic(graph, fmt, selection):
    names = SELECTIONS[selection]
    content = serialize(graph, fmt, selection)
    for key, parsed in parsed_graphs(content, fmt, graph, names).items():
        expected = graph.union(tuple(key.split("+")))
        assert len(parsed) == len(expected) > 0
        assert isomorphic(parsed, expected), describe_difference(expected, parsed)


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_export_is_deterministic(graph, fmt):
    assert serialize(graph, fmt, "all") == serialize(graph, fmt, "all")


def test_inferred_selection_holds_only_derived_triples(graph):
    parsed = Graph().parse(data=serialize(graph, "nt", "inferred"), format="nt")
    assert len(parsed) == len(graph.named("inferred"))


@pytest.mark.parametrize(("fmt", "extension"), [(k, v.extension) for k, v in FORMATS.items()])
def test_file_name_carries_selection_version_and_extension(graph, fmt, extension):
    name = file_name(graph, fmt, "asserted")
    assert name.startswith("blkg-asserted-") and name.endswith("." + extension)
    assert graph.version.split("+")[0] in name
