"""Every quotation in the graph stands, word for word, in the text of its source.

A quotation (an `oa:TextQuoteSelector`) is what makes a link *sourced*, so a quotation that is
not in its source is a false claim. Each one is looked up in the source's text, with markup
(Markdown emphasis and links, HTML tags, escapes, trademark signs) and whitespace normalised
on both sides; the words themselves, punctuation included, must match exactly.

The two WWC documents are U.S. government works in the public domain and ship with the tests
(`tests/sources/`). The brochure is McREL's: its text is read from the workplace's seeds
(`../shared/seeds/` beside the repository, or `BLKG_SOURCES_DIR`). Where it cannot be found the
brochure's quotations are skipped, unless `BLKG_REQUIRE_SOURCES` is set (CI sets it), which
makes a missing text a failure.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

import pytest
from rdflib import DCTERMS, RDF, URIRef

from blkg.config import Settings
from blkg.graph import load_knowledge_graph
from blkg.namespaces import OA

SHIPPED = Path(__file__).parent / "sources"
SEEDS = Path(os.environ.get("BLKG_SOURCES_DIR", Path(__file__).parents[2] / "shared" / "seeds"))

# Source key -> the file holding its text. Only these sources can be quoted.
TEXTS = {
    "wwc-brief-2020": SHIPPED / "wwc-brief-2020.txt",
    "wwc-i4i-page": SHIPPED / "wwc-i4i-page.txt",
    "mcrel-consortium": SEEDS / "004_fcfcf4504c2ee5fe.txt",
}

_MARKUP = [
    (re.compile(r"<[^>]+>"), " "),  # HTML tags of the brochure's tables
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # Markdown links: their text
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!$])"), r"\1"),  # Markdown escapes
    (re.compile(r"[*®™]|\[[®™]\]"), ""),  # emphasis and trademark signs
    (re.compile(r"\s+"), " "),
]


def normalised(text: str) -> str:
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    return text.strip()


@cache
def source_text(key: str) -> str:
    path = TEXTS[key]
    if not path.is_file():
        if os.environ.get("BLKG_REQUIRE_SOURCES"):
            pytest.fail(f"the text of source {key} is not at {path}")
        pytest.skip(f"the text of source {key} is not available here ({path})")
    return normalised(path.read_text(encoding="utf-8"))


GRAPH = load_knowledge_graph(Settings())
UNION = GRAPH.union()
QUOTATIONS = sorted(UNION.subjects(RDF.type, OA.TextQuoteSelector), key=str)


def key_of(source: URIRef) -> str:
    return str(source).rstrip("/").rsplit("/", 1)[-1]


def label(quotation: URIRef) -> str:
    return quotation.removeprefix(GRAPH.settings.instance_base)


def test_the_graph_holds_quotations():
    assert QUOTATIONS


@pytest.mark.parametrize("quotation", QUOTATIONS, ids=label)
def test_a_quotation_comes_from_a_source_whose_text_we_read(quotation):
    sources = [key_of(s) for s in UNION.objects(quotation, DCTERMS.source)]
    assert len(sources) == 1 and sources[0] in TEXTS, (
        f"{label(quotation)} cites {sources}; quotations can come only from {sorted(TEXTS)}"
    )


@pytest.mark.parametrize("quotation", QUOTATIONS, ids=label)
def test_a_quotation_stands_word_for_word_in_its_source(quotation):
    text = source_text(key_of(UNION.value(quotation, DCTERMS.source)))
    exact = normalised(str(UNION.value(quotation, OA.exact)))
    prefix = normalised(str(UNION.value(quotation, OA.prefix) or ""))
    suffix = normalised(str(UNION.value(quotation, OA.suffix) or ""))
    assert exact in text, f"{label(quotation)}: not in its source: {exact!r}"
    assert f"{prefix} {exact}".strip() in text or prefix + exact in text
    assert f"{exact} {suffix}".strip() in text or exact + suffix in text


@pytest.mark.parametrize(
    ("marked", "plain"),
    [
        ("Increased *understanding* of", "Increased understanding of"),
        ("<i>1st-year pricing for 4 sessions:</i>", "1st-year pricing for 4 sessions:"),
        ("[Dhuey and Smith \\(2018\\)](#)", "Dhuey and Smith (2018)"),
        ("*Balanced Leadership*[®] Studied", "Balanced Leadership Studied"),
        ("\\$3,500 plus\n\ttravel", "$3,500 plus travel"),
    ],
)
def test_markup_and_whitespace_do_not_count(marked, plain):
    assert normalised(marked) == normalised(plain)


def test_different_words_do_count():
    assert normalised("retained") != normalised("returned")
