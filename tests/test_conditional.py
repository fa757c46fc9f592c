"""ETags are digests of the bytes served: data that changes under an unchanged version string
gets new ETags, so a client revalidating its old copy gets the new one, never a stale 304.

The apps are built in-process, on a copy of the shipped data with one literal changed.
"""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from blkg.config import Settings
from blkg.graph import KnowledgeGraph, load_knowledge_graph
from blkg.web.conditional import content_tag
from blkg.web.dereference import dereference_routes
from blkg.web.downloads import download_routes
from blkg.web.void import void_routes

TITLE = 'dcterms:title "Balanced Leadership Knowledge Graph"@en'
CHANGED_TITLE = 'dcterms:title "Balanced Leadership Knowledge Graph, edited"@en'
# (path, Accept) of representations that show the dataset's title.
SHOWING_THE_TITLE = [
    ("/export", "text/turtle"),
    ("/export?graph=asserted", "application/ld+json"),
    ("/export?graph=asserted", "application/n-triples"),
    ("/.well-known/void", "text/turtle"),
    ("/id/dataset", "application/trig"),
    ("/id/dataset", "text/html"),
    ("/graph/data", "text/turtle"),
]
UNCHANGED = ("/def", "text/turtle")  # the ontology: no literal of it changed


def app_for(graph: KnowledgeGraph) -> Starlette:
    return Starlette(
        routes=[*download_routes(graph), *dereference_routes(graph), *void_routes(graph)]
    )


def fetch(app: Starlette, requests: list[tuple[str, dict[str, str]]]) -> list[httpx.Response]:
    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as http:
            return [await http.get(path, headers=headers) for path, headers in requests]

    return asyncio.run(run())


def etags(app: Starlette, representations: list[tuple[str, str]]) -> list[str]:
    responses = fetch(app, [(path, {"Accept": accept}) for path, accept in representations])
    assert all(response.status_code == 200 for response in responses)
    return [response.headers["etag"] for response in responses]


@pytest.fixture(scope="module")
def shipped(graph) -> Starlette:
    return app_for(graph)


@pytest.fixture(scope="module")
def edited(tmp_path_factory, data_dir: Path, graph) -> Starlette:
    """The shipped data with the dataset's title changed, under the shipped version string
    (the version names a digest of the files; here it stands for any change it misses)."""
    copy = tmp_path_factory.mktemp("edited") / "data"
    shutil.copytree(data_dir, copy)
    dataset = copy / "dataset.ttl"
    text = dataset.read_text()
    assert text.count(TITLE) == 1
    dataset.write_text(text.replace(TITLE, CHANGED_TITLE))
    loaded = load_knowledge_graph(Settings(data_dir=copy))
    same_version = dataclasses.replace(loaded, content_hash=graph.content_hash)
    assert same_version.version == graph.version
    return app_for(same_version)


def test_a_changed_literal_under_the_same_version_changes_the_etags(shipped, edited):
    before = etags(shipped, SHOWING_THE_TITLE)
    after = etags(edited, SHOWING_THE_TITLE)
    assert all(old != new for old, new in zip(before, after, strict=True))
    assert len(set(before)) == len(before)  # and each representation has its own


def test_what_did_not_change_keeps_its_etag(shipped, edited):
    assert etags(shipped, [UNCHANGED]) == etags(edited, [UNCHANGED])


def test_the_old_etag_gets_the_new_content_not_a_304(shipped, edited):
    for path, accept in SHOWING_THE_TITLE:
        (old_etag,) = etags(shipped, [(path, accept)])
        stale, current = fetch(
            edited,
            [(path, {"Accept": accept, "If-None-Match": old_etag}), (path, {"Accept": accept})],
        )
        assert stale.status_code == 200, path
        assert b"edited" in stale.content, path
        assert stale.headers["etag"] == current.headers["etag"] == content_tag(current.content)
        (revalidated,) = fetch(
            edited, [(path, {"Accept": accept, "If-None-Match": current.headers["etag"]})]
        )
        assert revalidated.status_code == 304 and revalidated.content == b"", path


def test_another_base_iri_under_the_same_version_changes_the_etags(graph, shipped):
    moved = load_knowledge_graph(Settings(base_iri="https://mirror.example/"))
    assert moved.version == graph.version
    representations = [("/.well-known/void", "text/turtle"), ("/export", "text/turtle")]
    assert set(etags(shipped, representations)).isdisjoint(etags(app_for(moved), representations))
