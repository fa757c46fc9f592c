"""The registry of formats (`blkg.formats`): its declarations are right, and every table of
formats the server uses (negotiation, SPARQL writers, pages, CLI, VoID, export) is exactly
what it declares, so declaring a format is the one change that adds it everywhere."""

from __future__ import annotations

import asyncio
import re

import httpx
import pyoxigraph as ox
import pytest
from rdflib import DCAT, Dataset, Graph, URIRef, plugin
from rdflib.parser import Parser
from rdflib.query import ResultParser
from rdflib.serializer import Serializer
from starlette.applications import Starlette

from blkg import cli, formats
from blkg.export import SELECTIONS, file_name, serialize
from blkg.formats import FORMATS, REGISTRY, Format, Use, media_types, serving
from blkg.sparql import results
from blkg.web import rdf, sparql
from blkg.web.dereference import dereference_routes
from blkg.web.pages import sparql_form
from blkg.web.void import IANA, void_graph
from tests.rdf_parsing import assert_isomorphic

GRAPH_FORMATS = list(serving(Use.GRAPH).values())
RESULT_FORMATS = list(serving(Use.RESULTS).values())


# -- the declarations ------------------------------------------------------------------------


def test_names_are_unique_and_every_format_serves_something():
    assert len(FORMATS) == len(REGISTRY)
    assert all(fmt.uses for fmt in REGISTRY)


@pytest.mark.parametrize("use", list(Use))
def test_within_a_use_each_media_type_names_one_format(use):
    declared = [t for fmt in serving(use).values() for t in (fmt.media_type, *fmt.aliases)]
    assert len(declared) == len(set(declared)) == len(media_types(use))


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda fmt: fmt.name)
def test_graph_formats_are_what_pyoxigraph_and_rdflib_know(fmt):
    oxigraph = getattr(ox.RdfFormat, fmt.oxigraph)
    assert oxigraph.media_type == fmt.media_type
    assert oxigraph.supports_datasets == fmt.quads
    assert plugin.get(fmt.rdflib, Serializer) and plugin.get(fmt.rdflib, Parser)


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda fmt: fmt.name)
def test_result_formats_are_what_pyoxigraph_and_rdflib_know(fmt):
    oxigraph = getattr(ox.QueryResultsFormat, fmt.oxigraph)
    assert oxigraph.media_type.split(";")[0] == fmt.media_type
    assert oxigraph.file_extension == fmt.extension
    assert plugin.get(fmt.rdflib, ResultParser)


# -- every table follows from it -------------------------------------------------------------


def offered(use: Use) -> dict[str, str]:
    """What negotiation should offer for `use`: canonical types first, then the aliases."""
    chosen = serving(use).values()
    canonical = {fmt.media_type: fmt.name for fmt in chosen}
    return canonical | {a: fmt.name for fmt in chosen for a in fmt.aliases if a not in canonical}


def test_negotiation_offers_what_the_registry_declares():
    assert offered(Use.GRAPH) == rdf.RDF_TYPES
    assert offered(Use.CONSTRUCT) == sparql.GRAPH_TYPES
    assert offered(Use.RESULTS) == sparql.RESULT_TYPES
    assert next(iter(rdf.RDF_TYPES.items())) == (REGISTRY[0].media_type, REGISTRY[0].name)


def test_sparql_writers_are_the_declared_formats():
    assert list(results.GRAPH_FORMATS) == list(serving(Use.CONSTRUCT))
    assert list(results.RESULT_FORMATS) == list(serving(Use.RESULTS))


def test_cli_format_choices_are_the_graph_formats(capsys):
    parser = cli._parser()
    assert parser.parse_args(["export"]).format == GRAPH_FORMATS[0].name
    for fmt in GRAPH_FORMATS:
        assert parser.parse_args(["export", "--format", fmt.name]).format == fmt.name
    for fmt in RESULT_FORMATS:
        with pytest.raises(SystemExit):
            parser.parse_args(["export", "--format", fmt.name])
    assert "invalid choice" in capsys.readouterr().err


def test_sparql_form_offers_every_answer_format():
    options = re.findall(r'<option value="([^"]+)">', sparql_form().decode())
    assert options == [*serving(Use.RESULTS), *serving(Use.CONSTRUCT)]


def test_void_lists_a_distribution_per_graph_format_and_selection(graph):
    described = void_graph(graph, "https://example.org")
    distributions = set(described.objects(None, DCAT.distribution))
    assert len(distributions) == len(GRAPH_FORMATS) * len(SELECTIONS)
    served = {str(t).removeprefix(IANA) for t in described.objects(None, DCAT.mediaType)}
    assert served == {fmt.media_type for fmt in GRAPH_FORMATS}


async def html_page(app: Starlette, path: str) -> str:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
        return (await http.get(path, headers={"Accept": "text/html"})).text


def test_pages_link_to_their_data_in_every_graph_format(graph):
    page = asyncio.run(html_page(Starlette(routes=dereference_routes(graph)), "/def"))
    alternates = re.findall(r'<link rel="alternate" type="([^"]+)" href="\?format=([^"]+)">', page)
    assert alternates == [(fmt.media_type, fmt.name) for fmt in GRAPH_FORMATS]
    footer = page[page.index("<footer>") :]
    assert all(f">{fmt.label}</a>" in footer for fmt in GRAPH_FORMATS)


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda fmt: fmt.name)
def test_export_file_names_take_the_declared_extension(graph, fmt):
    assert file_name(graph, fmt.name, "all").endswith("." + fmt.extension)


# -- a format declared is a format served ----------------------------------------------------

NQUADS = Format(
    "nq", "application/n-quads", "N-Quads", "nq", formats.GRAPHS, "nquads", "N_QUADS",
    quads=True, line_per_statement=True,
)  # fmt: skip


@pytest.fixture
def with_nquads(monkeypatch):
    """The registry with one more line: a format export has no code of its own for."""
    monkeypatch.setattr(formats, "REGISTRY", (*REGISTRY, NQUADS))
    monkeypatch.setitem(FORMATS, NQUADS.name, NQUADS)


def test_export_writes_a_newly_declared_format(graph, with_nquads):
    content = serialize(graph, "nq", "asserted")
    assert content == serialize(graph, "nq", "asserted")  # deterministic
    assert content.splitlines() == sorted(content.splitlines())
    dataset = Dataset()
    dataset.parse(data=content, format=NQUADS.rdflib)
    for name in SELECTIONS["asserted"]:
        parsed = Graph() + dataset.graph(URIRef(graph.settings.graph_iri(name)))
        assert_isomorphic(graph.named(name), parsed)
