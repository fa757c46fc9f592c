"""`GET /export`: every format and selection parses back isomorphic, is byte for byte what
`blkg export` writes, and carries validators that make revalidation a 304."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from email.utils import parsedate_to_datetime

import pytest
from rdflib import URIRef

from blkg.export import SELECTIONS
from blkg.formats import Use, serving
from blkg.web.conditional import content_tag
from tests.conftest import child_process
from tests.rdf_parsing import PARSERS, assert_isomorphic, parse

FORMATS = serving(Use.GRAPH)
CASES = [(fmt, selection) for fmt in FORMATS for selection in SELECTIONS]
BLKG_EXPORT = [sys.executable, "-m", "blkg", "export"]


def download(client, fmt: str, selection: str):
    response = client.get("/export", params={"graph": selection}, headers=accept(fmt))
    assert response.status_code == 200, response.text
    return response


def accept(fmt: str) -> dict[str, str]:
    return {"Accept": FORMATS[fmt].media_type}


def test_every_format_and_selection_is_covered():
    assert {"turtle", "trig", "nt", "jsonld"} <= set(FORMATS)
    assert len(CASES) == len(FORMATS) * 3


@pytest.mark.parametrize("parser", PARSERS)
@pytest.mark.parametrize(("fmt", "selection"), CASES)
def test_download_parses_back_isomorphic(client, graph, fmt, selection, parser):
    parsed = parse(download(client, fmt, selection).content, fmt, parser)
    names = SELECTIONS[selection]
    if FORMATS[fmt].quads:
        assert set(parsed) == {URIRef(graph.settings.graph_iri(name)) for name in names}
        for name in names:
            assert_isomorphic(graph.named(name), parsed[URIRef(graph.settings.graph_iri(name))])
    else:
        assert list(parsed) == [None]
        assert_isomorphic(graph.union(names), parsed[None])


@pytest.fixture(scope="module")
def cli_exports() -> dict[tuple[str, str], bytes]:
    """`blkg export` of every format and selection, run side by side (each process ended and
    its pipes closed however this fixture ends)."""
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    with contextlib.ExitStack() as processes:
        runs = {
            (fmt, graph): processes.enter_context(
                child_process([*BLKG_EXPORT, "--format", fmt, "--graph", graph], **pipes)
            )
            for fmt, graph in CASES
        }
        outputs = {}
        for case, run in runs.items():
            out, err = run.communicate(timeout=300)  # a guard: twelve exports share the cores
            assert run.returncode == 0, err.decode()
            outputs[case] = out
    return outputs


@pytest.mark.parametrize(("fmt", "selection"), CASES)
def test_download_is_byte_for_byte_the_cli_export(client, cli_exports, fmt, selection):
    assert download(client, fmt, selection).content == cli_exports[(fmt, selection)]


def test_curl_default_gets_turtle_of_all_graphs(client, cli_exports):
    response = client.get("/export", headers={"Accept": "*/*"})
    assert response.headers["content-type"].startswith("text/turtle")
    assert response.content == cli_exports[("turtle", "all")]


def test_file_name_carries_selection_format_and_version(client, graph):
    response = download(client, "trig", "asserted")
    disposition = response.headers["content-disposition"]
    version = graph.version.replace("+", "-")
    assert disposition == f'attachment; filename="blkg-asserted-{version}.trig"'


def test_last_modified_is_the_dataset_modification_date(client, graph):
    response = download(client, "nt", "inferred")
    assert parsedate_to_datetime(response.headers["last-modified"]) == graph.modified


def test_etag_is_a_digest_of_the_bytes_sent(client):
    response = download(client, "jsonld", "all")
    assert response.headers["etag"] == content_tag(response.content)
    assert response.headers["etag"] != download(client, "jsonld", "asserted").headers["etag"]
    assert response.headers["etag"] != download(client, "nt", "all").headers["etag"]


def test_matching_if_none_match_is_304_without_a_body(client):
    etag = download(client, "turtle", "all").headers["etag"]
    response = client.get(
        "/export", headers={"Accept": "text/turtle", "If-None-Match": f'"other", {etag}'}
    )
    assert response.status_code == 304
    assert response.content == b""
    assert response.headers["etag"] == etag


def test_stale_if_none_match_gets_the_body(client):
    response = client.get("/export", headers={"Accept": "text/turtle", "If-None-Match": '"old"'})
    assert response.status_code == 200 and response.content


def test_if_modified_since_the_last_modification_is_304(client):
    last_modified = download(client, "turtle", "all").headers["last-modified"]
    response = client.get(
        "/export", headers={"Accept": "text/turtle", "If-Modified-Since": last_modified}
    )
    assert response.status_code == 304


def test_head_gives_the_headers_only(client):
    response = client.head("/export", headers={"Accept": "application/n-triples"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/n-triples")
    assert response.content == b""


def test_unknown_selection_is_400_naming_the_selections(client):
    response = client.get("/export", params={"graph": "everything"})
    assert response.status_code == 400
    message = response.json()["errors"][0]["message"]
    assert "asserted" in message and "inferred" in message and "all" in message
