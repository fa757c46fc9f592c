"""The SERVICE check and the engine read the same query: `\\u` escapes cannot smuggle a SERVICE.

rdflib (the check) expanded `\\u005c` before tokenising, pyoxigraph (the engine) inside the
string literal, so `FILTER(?o != "x\\u005c") SERVICE <...> { } FILTER(?o != "#"` was a string
and a comment to the check and a live SERVICE to the engine. Now the escapes are processed
once, as SPARQL 1.1 section 19.2 specifies, and both read the result (`checks.prepare`).

"The engine runs SERVICE" is observed without any network: the SERVICE names port 1, which
pyoxigraph refuses to contact, raising an error that says so.
"""

from __future__ import annotations

import itertools
import subprocess
import sys
import textwrap

import orjson
import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from blkg.errors import Refusal
from blkg.sparql.checks import canonical, prepare
from tests.conftest import free_port

TARGET = "<http://127.0.0.1:1/>"
SERVICE = f"SERVICE {TARGET} {{ ?x ?y ?z }}"
STORE = ox.Store()
STORE.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o")))


def engine_runs_service(text: str) -> bool:
    """Whether pyoxigraph, given `text`, would call the SERVICE (no connection is made)."""
    try:
        list(STORE.query(text, use_default_graph_as_union=True, prefixes={"ex": "urn:ex:"}))
    except OSError:
        return True
    except (SyntaxError, ValueError):
        return False
    return False


def check_passes(text: str) -> str | None:
    """The text the engine would be given, or None when the check refuses the query."""
    try:
        return prepare(text).text
    except Refusal:
        return None


def in_select(body: str) -> str:
    return f"SELECT * {{ ?s ?p ?o . {body} }}"


# -- the attack and its variants ---------------------------------------------------------------

# Texts the two parsers read differently: the SERVICE is inside a string or a comment for one,
# live for the other. Processed once, it is in a string for both, or refused.
HIDDEN = {
    "the issue's attack": in_select(f'FILTER(?o != "x\\u005c") {SERVICE} FILTER(?o != "#"\n)'),
    "8-digit escape": in_select(f'FILTER(?o != "x\\U0000005c") {SERVICE} FILTER(?o != "#"\n)'),
    "upper-case hex": in_select(f'FILTER(?o != "x\\u005C") {SERVICE} FILTER(?o != "#"\n)'),
    "single quotes": in_select(f"FILTER(?o != 'x\\u005c') {SERVICE} FILTER(?o != '#'\n)"),
    "long string": in_select(f"FILTER(?o != '''x\\u005c''') {SERVICE} FILTER(?o != '''#'''\n)"),
    "prefix hiding the closing quote": 'PREFIX q: <urn:x\\u005c">\n'
    + in_select(f'{SERVICE} FILTER(?o != "#"\n)'),
    "escape spelling an escape": in_select(
        f'FILTER(?o != "x\\u005cu005c") {SERVICE} FILTER(?o != "#"\n)'
    ),
}
# SERVICE spelled with escapes, or hidden from rdflib only: once processed, a plain SERVICE.
LIVE = {
    "carriage return ends a comment": in_select(f"# a comment\r{SERVICE}\n"),
    "escaped carriage return": in_select(f"# a comment\\u000d{SERVICE}\n"),
    "escaped line feed": in_select(f"# a comment\\u000a{SERVICE}\n"),
    "escaped keyword letter": in_select(f"SERV\\u0049CE {TARGET} {{ ?x ?y ?z }}"),
    "whole keyword escaped": in_select(
        "".join(f"\\u{ord(c):04x}" for c in "SERVICE") + f" {TARGET} {{ ?x ?y ?z }}"
    ),
    "escaped IRI": in_select("SERVICE <http\\u003a//127.0.0.1:1/> { ?x ?y ?z }"),
    "escaped IRI brackets": in_select("SERVICE \\u003chttp://127.0.0.1:1/\\u003e { ?x ?y ?z }"),
    "in a prefix": "PREFIX svc: <http\\u003A//127.0.0.1:1/>\n"
    + in_select("SERVICE svc: { ?x ?y ?z }"),
    "escaped brace": in_select(SERVICE.replace("{", "\\u007b", 1)),
    "silent": in_select(f"SERVICE SILENT {TARGET} {{ ?x ?y ?z }}"),
    "lower case": in_select(f"service {TARGET} {{ ?x ?y ?z }}"),
}


@pytest.mark.parametrize("query", [*HIDDEN.values(), *LIVE.values()], ids=[*HIDDEN, *LIVE])
def test_the_check_and_the_engine_read_the_same_query(query):
    """Refused, or run as a query that the engine too reads without a SERVICE."""
    text = check_passes(query)
    assert text is None or not engine_runs_service(text)


@pytest.mark.parametrize("query", LIVE.values(), ids=LIVE.keys())
def test_a_service_written_with_escapes_is_refused_as_a_service(query):
    with pytest.raises(Refusal) as refused:
        prepare(query)
    assert refused.value.code == "SERVICE_REFUSED"


def test_the_issues_attack_did_reach_the_engine_before():
    """The positive control: the raw text makes pyoxigraph call the SERVICE."""
    assert engine_runs_service(HIDDEN["the issue's attack"])
    assert engine_runs_service(LIVE["carriage return ends a comment"])


# Every combination of a construct that can hide text, an escape inside it, and a closer.
OPENERS = [
    'FILTER(?o != "x{e}") ',
    "FILTER(?o != 'x{e}') ",
    "FILTER(?o != '''x{e}''') ",
    'FILTER(?o != """x{e}""") ',
    "# comment{e} ",
    "FILTER(?o != <urn:a{e}>) ",
    "FILTER(?o != ex:a{e}) ",
    "",
]
ESCAPES = [
    "\\u005c", "\\U0000005c", "\\u005cu005c", "\\\\u005c", "\\", "\\\\", "\\r", "\r",
    "\\u000d", "\\u000a", "\\u0022", "\\u0027", "\\u0023", "\\#", "\\u003e", "",
]  # fmt: skip
CLOSERS = [' FILTER(?o != "#"\n)', " FILTER(?o != '''#'''\n)", "\n", " # \n", ""]


def test_no_combination_hides_a_service_from_the_check():
    slipped = []
    for opener, escape, closer in itertools.product(OPENERS, ESCAPES, CLOSERS):
        query = in_select(opener.format(e=escape) + SERVICE + closer)
        text = check_passes(query)
        if text is not None and engine_runs_service(text):
            slipped.append(query)
    assert slipped == []


# Any character of a query may be written as an escape; a query so written is the same query.
@st.composite
def escaped(draw, text: str) -> str:
    out = []
    for char in text:
        how = draw(st.sampled_from(["plain"] * 6 + ["u", "U"]))
        out.append(
            char
            if how == "plain"
            else f"\\u{ord(char):04X}"
            if how == "u"
            else f"\\U{ord(char):08x}"
        )
    return "".join(out)


@settings(max_examples=200)
@given(data=st.data(), parts=st.tuples(*(st.sampled_from(p) for p in (OPENERS, ESCAPES, CLOSERS))))
def test_escaping_any_characters_hides_no_service(data, parts):
    opener, escape, closer = parts
    query = data.draw(escaped(in_select(opener.format(e=escape) + SERVICE + closer)))
    text = check_passes(query)
    assert text is None or not engine_runs_service(text), query


# -- processing the escapes --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ('"\\u0041"', '"A"'),
        ('"\\U0001F600"', '"\U0001f600"'),
        ('"\\u00e9t\\u00E9"', '"été"'),
        ('"\\\\u0041"', '"\\A"'),  # one pass, left to right: the second backslash starts it
        ('"a\\nb"', '"a\\nb"'),  # string escapes are the grammar's, left alone
        ("a\r\nb\rc\nd", "a\nb\nc\nd"),
        ("a\\u000db", "a\nb"),
        ("SELECT * { ?s ?p ?o }", "SELECT * { ?s ?p ?o }"),
    ],
)
def test_escapes_are_processed_once_before_parsing(written, read):
    assert canonical(written) == read


@pytest.mark.parametrize(
    ("written", "says"),
    [
        ('"\\u005cu0041"', "spell another escape"),
        ('"\\U0000005cU00000041"', "spell another escape"),
        ('"\\u005cu00"', ""),  # short: not an escape for anyone; left for the grammar
        ('"\\uD800"', "not a Unicode character"),
        ('"\\U00110000"', "not a Unicode character"),
    ],
)
def test_escapes_that_cannot_be_read_one_way_are_refused(written, says):
    if not says:
        assert canonical(written) == '"\\u00"'
        return
    with pytest.raises(Refusal) as refused:
        canonical(written)
    assert refused.value.code == "QUERY_SYNTAX" and says in refused.value.message
    assert "line 1, column " in refused.value.message


def test_an_escaped_query_runs_as_written_out(client):
    plain = "SELECT ?title { sess:3 rdfs:label ?title }"
    written = "".join(f"\\u{ord(c):04x}" if c.isalpha() else c for c in plain)
    answers = [client.get("/sparql", params={"query": q}).json() for q in (plain, written)]
    assert answers[0] == answers[1]
    assert answers[0]["results"]["bindings"][0]["title"]["value"] == "Managing Change"


# -- the backstop: a SERVICE past the check fails in the worker, in the client's words ---------

PAST_THE_CHECK = """
import sys, orjson, pyoxigraph as ox
from blkg.sparql import worker
from blkg.sparql.checks import Prepared
store = ox.Store()
store.add(ox.Quad(ox.NamedNode("urn:s"), ox.NamedNode("urn:p"), ox.Literal("o")))
worker.seal_descriptors()
worker.prepare = lambda text: Prepared(text, "SELECT", False)  # a check that misses it
request = {"query": sys.argv[1], "results": "json", "graph": None,
           "max_results": 10, "max_bytes": 4096}
header, body = worker.answer(store, request, {})
sys.stdout.write(orjson.dumps(header).decode())
"""


def test_a_service_that_passed_the_check_is_refused_without_os_words():
    query = f"SELECT * {{ ?s ?p ?o SERVICE <http://127.0.0.1:{free_port()}/> {{ ?x ?y ?z }} }}"
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(PAST_THE_CHECK), query],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    header = orjson.loads(result.stdout)
    assert header["code"] == "SERVICE_REFUSED" and "SERVICE" in header["message"]
    for words in ("os error", "Errno", "Too many open files", "descriptor"):
        assert words not in header["message"]
