"""The dataset a SPARQL query sees, as SPARQL 1.1 and its Protocol say.

- Without `FROM`, `FROM NAMED`, `default-graph-uri` and `named-graph-uri`: the default graph is
  the union of the named graphs, each of which is also available by name (`GRAPH`).
- `FROM` and `FROM NAMED` build the dataset: the default graph is the merge of the `FROM`
  graphs (empty when there is none, or when they name no loaded graph), and only the
  `FROM NAMED` graphs are available by name.
- `default-graph-uri` and `named-graph-uri`, when given, replace the query's dataset.

Expected counts come from the graph as the project loads it, never typed in.
"""

from __future__ import annotations

import itertools

import pytest

from blkg.graph import GRAPH_NAMES

COUNT = "SELECT (COUNT(*) AS ?n) {dataset} {{ ?s ?p ?o }}"
BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) {dataset} {{ GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"


def iri(graph, name: str) -> str:
    return graph.settings.graph_iri(name)


def count(client, query: str, **params) -> int:
    response = client.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def by_graph(client, query: str, **params) -> dict[str, int]:
    response = client.get("/sparql", params={"query": query, **params})
    assert response.status_code == 200, response.text
    rows = response.json()["results"]["bindings"]
    return {row["g"]["value"]: int(row["n"]["value"]) for row in rows}


def size(graph, *names: str) -> int:
    return len(graph.union(names))


def test_without_a_dataset_the_default_graph_is_the_union(client, graph):
    assert count(client, COUNT.format(dataset="")) == size(graph, *GRAPH_NAMES)


def test_without_a_dataset_every_graph_is_available_by_name(client, graph):
    expected = {iri(graph, name): size(graph, name) for name in GRAPH_NAMES}
    assert by_graph(client, BY_GRAPH.format(dataset="")) == expected


@pytest.mark.parametrize("names", [(n,) for n in GRAPH_NAMES] + [("ontology", "data")])
def test_from_makes_the_default_graph_the_merge_of_its_graphs(client, graph, names):
    dataset = " ".join(f"FROM <{iri(graph, name)}>" for name in names)
    assert count(client, COUNT.format(dataset=dataset)) == size(graph, *names)


@pytest.mark.parametrize("unknown", ["urn:nothing", "https://w3id.org/blkg/graph/nothing"])
def test_from_a_graph_that_is_not_loaded_gives_an_empty_default_graph(client, unknown):
    assert count(client, COUNT.format(dataset=f"FROM <{unknown}>")) == 0


def test_from_with_a_prefixed_name(client, graph):
    query = f"PREFIX g: <{graph.settings.base_iri}graph/>\n" + COUNT.format(dataset="FROM g:data")
    assert count(client, query) == size(graph, "data")


def test_from_named_alone_leaves_the_default_graph_empty(client, graph):
    dataset = f"FROM NAMED <{iri(graph, 'ontology')}>"
    assert count(client, COUNT.format(dataset=dataset)) == 0


def test_only_the_from_named_graphs_are_available_by_name(client, graph):
    dataset = f"FROM NAMED <{iri(graph, 'ontology')}> FROM NAMED <{iri(graph, 'inferred')}>"
    expected = {iri(graph, n): size(graph, n) for n in ("ontology", "inferred")}
    assert by_graph(client, BY_GRAPH.format(dataset=dataset)) == expected


def test_from_alone_makes_no_graph_available_by_name(client, graph):
    dataset = f"FROM <{iri(graph, 'data')}>"
    assert by_graph(client, BY_GRAPH.format(dataset=dataset)) == {}


def test_from_and_from_named_together(client, graph):
    dataset = f"FROM <{iri(graph, 'data')}> FROM NAMED <{iri(graph, 'ontology')}>"
    assert count(client, COUNT.format(dataset=dataset)) == size(graph, "data")
    expected = {iri(graph, "ontology"): size(graph, "ontology")}
    assert by_graph(client, BY_GRAPH.format(dataset=dataset)) == expected


@pytest.mark.parametrize(
    ("query", "answer"),
    [
        ("ASK FROM <{ontology}> {{ ?s a owl:Ontology }}", True),
        ("ASK FROM <{data}> {{ ?s a owl:Ontology }}", False),
        ("ASK FROM <urn:nothing> {{ ?s ?p ?o }}", False),
    ],
)
def test_ask_sees_the_dataset_of_its_from(client, graph, query, answer):
    names = {name: iri(graph, name) for name in GRAPH_NAMES}
    response = client.get("/sparql", params={"query": query.format(**names)})
    assert response.json()["boolean"] is answer


@pytest.mark.parametrize(
    "query",
    [
        "CONSTRUCT {{ ?s ?p ?o }} FROM <{g}> WHERE {{ ?s ?p ?o }}",
        "DESCRIBE ?s FROM <{g}> {{ ?s ?p ?o }}",
    ],
    ids=["construct", "describe"],
)
def test_construct_and_describe_see_the_dataset_of_their_from(client, graph, query):
    text = query.format(g=iri(graph, "ontology"))
    response = client.get("/sparql", params={"query": text, "format": "nt"})
    assert response.status_code == 200, response.text
    triples = {line for line in response.text.splitlines() if line.strip()}
    assert len(triples) == size(graph, "ontology")


# -- the protocol's graphs replace the query's ---------------------------------------------------


def test_default_graph_uri_overrides_from(client, graph):
    query = COUNT.format(dataset=f"FROM <{iri(graph, 'ontology')}>")
    params = {"default-graph-uri": iri(graph, "data")}
    assert count(client, query, **params) == size(graph, "data")


def test_several_default_graph_uris_are_merged(client, graph):
    params = {"default-graph-uri": [iri(graph, "data"), iri(graph, "inferred")]}
    assert count(client, COUNT.format(dataset=""), **params) == size(graph, "data", "inferred")


def test_named_graph_uri_overrides_from_named(client, graph):
    query = BY_GRAPH.format(dataset=f"FROM NAMED <{iri(graph, 'ontology')}>")
    params = {"named-graph-uri": iri(graph, "data")}
    assert by_graph(client, query, **params) == {iri(graph, "data"): size(graph, "data")}


def test_a_protocol_dataset_without_default_graphs_has_an_empty_default_graph(client, graph):
    params = {"named-graph-uri": iri(graph, "data")}
    assert count(client, COUNT.format(dataset=f"FROM <{iri(graph, 'data')}>"), **params) == 0


def test_a_protocol_dataset_without_named_graphs_has_none_by_name(client, graph):
    params = {"default-graph-uri": iri(graph, "data")}
    assert by_graph(client, BY_GRAPH.format(dataset=""), **params) == {}


# -- the default graph is a merge, a set: a graph named twice adds nothing ------------------------


def spellings(graph, name: str) -> list[str]:
    """Ways to write the IRI of graph `name` in a dataset clause (full, prefixed, relative)."""
    return [f"<{iri(graph, name)}>", f"g:{name}", f"<{name}>"]


def with_prologue(graph, query: str) -> str:
    base = f"{graph.settings.base_iri}graph/"
    return f"BASE <{base}>\nPREFIX g: <{base}>\n{query}"


@pytest.mark.parametrize("times", [2, 3])
@pytest.mark.parametrize("name", GRAPH_NAMES)
def test_a_graph_repeated_in_from_counts_once(client, graph, name, times):
    dataset = " ".join(f"FROM <{iri(graph, name)}>" for _ in range(times))
    assert count(client, COUNT.format(dataset=dataset)) == size(graph, name)


@pytest.mark.parametrize("name", GRAPH_NAMES)
def test_a_graph_repeated_in_from_under_other_spellings_counts_once(client, graph, name):
    dataset = " ".join(f"FROM {spelling}" for spelling in spellings(graph, name))
    query = with_prologue(graph, COUNT.format(dataset=dataset))
    assert count(client, query) == size(graph, name)


def test_repeats_among_several_from_graphs_count_once(client, graph):
    names = ("ontology", "data", "ontology", "data", "ontology")
    dataset = " ".join(f"FROM <{iri(graph, name)}>" for name in names)
    assert count(client, COUNT.format(dataset=dataset)) == size(graph, "ontology", "data")


def test_a_graph_repeated_in_from_named_counts_once(client, graph):
    names = ("ontology", "inferred", "ontology", "inferred")
    dataset = " ".join(f"FROM NAMED <{iri(graph, name)}>" for name in names)
    query = with_prologue(graph, BY_GRAPH.format(dataset=dataset + " FROM NAMED g:ontology"))
    expected = {iri(graph, n): size(graph, n) for n in ("ontology", "inferred")}
    assert by_graph(client, query) == expected


@pytest.mark.parametrize("name", GRAPH_NAMES)
def test_a_repeated_default_graph_uri_counts_once(client, graph, name):
    params = {"default-graph-uri": [iri(graph, name)] * 3}
    assert count(client, COUNT.format(dataset=""), **params) == size(graph, name)


def test_a_repeated_named_graph_uri_counts_once(client, graph):
    params = {"named-graph-uri": [iri(graph, "data"), iri(graph, "data")]}
    assert by_graph(client, BY_GRAPH.format(dataset=""), **params) == {
        iri(graph, "data"): size(graph, "data")
    }


def test_the_shipped_graphs_share_no_triple(graph):
    """The engine counts a triple once per graph it is in when it merges different graphs (the
    union, several FROM): exact only because no two shipped graphs share a triple."""
    for first, second in itertools.combinations(GRAPH_NAMES, 2):
        shared = set(graph.named(first)) & set(graph.named(second))
        assert not shared, f"{first} and {second} share {len(shared)} triples"
