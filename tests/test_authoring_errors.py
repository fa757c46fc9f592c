"""What a data author reads from `blkg validate` after the mistakes people make when editing the
Turtle files: a mistyped slug is reported first, once, where it is written, with the IRI it
was probably meant to be; every violation is printed once, with its file and the line of its
subject; the counts count distinct problems.

Each test breaks a copy of the shipped data in one way, as a new user would.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import SH, BNode, Graph, URIRef

from blkg.config import Settings
from blkg.graph import graph_violations, load_knowledge_graph, load_shapes
from blkg.positions import scan
from blkg.undeclared import Undeclared
from blkg.validation import Violation, report, validate
from tests.conftest import blkg


def edit(path: Path, old: str, new: str, after: str | None = None) -> int:
    """Replace the first `old` (the first after the line holding `after`, if given) with
    `new`; return the line it is on."""
    lines = path.read_text().splitlines(keepends=True)
    start = 0 if after is None else next(i for i, line in enumerate(lines) if after in line)
    number = next(i for i in range(start, len(lines)) if old in lines[i])
    lines[number] = lines[number].replace(old, new, 1)
    path.write_text("".join(lines))
    return number + 1


def subject_line(path: Path, subject: str) -> int:
    """The line of `path` that starts the statement about `subject`."""
    lines = path.read_text().splitlines()
    return next(i for i, line in enumerate(lines) if line.split() == [subject]) + 1


def problems(data: Path) -> list:
    graph = load_knowledge_graph(Settings().with_data_dir(data), check=False)
    return graph_violations(graph)


# -- a mistyped slug ------------------------------------------------------------------------------

# (file, the text as shipped, the same text with the slug mistyped, the IRI it should be)
TYPOS = {
    "in a component membership": (
        "component-memberships.ttl",
        "blf:responsibility resp:situational-awareness ",
        "blf:responsibility resp:situational-awarness ",
        "resp:situational-awareness",
    ),
    "in a session focus": (
        "session-focus.ttl",
        "blf:component comp:magnitude-of-change ",
        "blf:component comp:magnitude-of-chnage ",
        "comp:magnitude-of-change",
    ),
    "in a learning outcome's session": (
        "learning-outcomes.ttl",
        "blf:learningOutcomeOf sess:1 ",
        "blf:learningOutcomeOf sess:11 ",
        "sess:1",
    ),
}


@pytest.mark.parametrize("where", list(TYPOS))
def test_a_mistyped_slug_is_reported_first_with_its_line_and_the_iri_meant(data_copy, where):
    name, shipped, mistyped, meant = TYPOS[where]
    line = edit(data_copy / name, shipped, mistyped)
    result = blkg("validate", "--data", str(data_copy))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    typo = mistyped.split()[1]
    first = result.stderr.splitlines()[0]
    assert first == (
        f"{data_copy / name}:{line}: {typo} is used but never declared; did you mean {meant}?"
    )


def test_violations_of_derived_links_that_follow_from_a_typo_are_counted_not_printed(data_copy):
    edit(data_copy / "component-memberships.ttl", *TYPOS["in a component membership"][1:3])
    result = blkg("validate", "--data", str(data_copy))
    lines = result.stderr.splitlines()
    assert "session-link" not in result.stderr  # the user never wrote those nodes
    follows = "more violations follow from resp:situational-awarness"
    assert any(follows in line for line in lines), result.stderr
    assert lines[-1] == "blkg: 1 IRI used but never declared; the data was not loaded."


def test_a_hint_about_the_node_a_typo_was_meant_for_names_the_typo(data_copy):
    """A misspelt membership leaves its responsibility "in no component besides Leadership":
    the message says so, and that the misspelt IRI may be meant for it."""
    path = data_copy / "component-memberships.ttl"
    line = edit(
        path,
        "blf:responsibility resp:situational-awareness ",
        "blf:responsibility resp:situational-awarness ",
        after="<membership/purposeful-community/situational-awareness>",
    )
    result = blkg("validate", "--data", str(data_copy))
    about = [
        line
        for line in result.stderr.splitlines()
        if line.startswith(f"{data_copy / 'responsibilities.ttl'}:")
        and "resp:situational-awareness:" in line
    ]
    assert len(about) == 1, result.stderr
    assert f"resp:situational-awarness, written at {path}:{line} and never declared" in about[0]
    assert "may be a misspelling of this node" in about[0]


def test_an_undeclared_subject_refuses_the_data_even_when_every_shape_holds(data_copy):
    """A file that adds statements about a node another file declares, with the node misspelt,
    breaks no shape; it is still refused, at the line of the misspelt subject."""
    path = data_copy / "second-order-change.ttl"
    line = edit(path, "resp:optimizer\n", "resp:optimiser\n")
    result = blkg("validate", "--data", str(data_copy))
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{path}:{line}: resp:optimiser is used but never declared; did you mean resp:optimizer?",
        "blkg: 1 IRI used but never declared; the data was not loaded.",
    ]


def test_a_mistyped_property_is_reported_with_the_property_meant(data_copy):
    path = data_copy / "responsibilities.ttl"
    line = edit(path, "blf:number 20 ;", "blf:numbr 20 ;")
    [undeclared] = [p for p in problems(data_copy) if isinstance(p, Undeclared)]
    assert str(undeclared) == (
        f"{path}:{line}: blf:numbr is used but never declared; did you mean blf:number?"
    )


# -- each violation once, with its file and line --------------------------------------------------


def test_two_nodes_that_clash_are_one_violation_naming_both_places(data_copy):
    path = data_copy / "sessions.ttl"
    edit(path, '"Managing Change"@en', '"Balanced Leadership: An Overview"@en')
    result = blkg("validate", "--data", str(data_copy))
    lines = result.stderr.splitlines()
    assert lines[-1] == "blkg: 1 violation; the data was not loaded.", result.stderr
    assert lines[0].startswith(f"{path}:{subject_line(path, 'sess:1')}: sess:1: ")
    assert lines[0].endswith(f"(value: sess:3, {path}:{subject_line(path, 'sess:3')})")


def duplicated(shapes: Graph, shape: URIRef, copies: int) -> Graph:
    """`shapes` with `copies` more shapes saying exactly what `shape` says."""

    def copy(node, into: Graph, renamed) -> None:
        for predicate, value in shapes.predicate_objects(node):
            if isinstance(value, BNode):
                fresh = BNode()
                into.add((renamed, predicate, fresh))
                copy(value, into, fresh)
            else:
                into.add((renamed, predicate, value))

    more = Graph()
    more += shapes
    for n in range(copies):
        copy(shape, more, URIRef(f"{shape}-again-{n}"))
    return more


def test_a_violation_several_shapes_report_is_printed_once(data_copy):
    """The same problem found by several shapes (or several rows of one SPARQL constraint) is
    one violation and counts once."""
    edit(data_copy / "responsibilities.ttl", "blf:number 20 ;", "blf:number 22 ;")
    graph = load_knowledge_graph(Settings().with_data_dir(data_copy), check=False)
    shapes = load_shapes()
    [found] = validate(graph.union(), shapes, graph.index)
    assert (URIRef(found.shape), SH.message, None) in shapes
    again = validate(graph.union(), duplicated(shapes, URIRef(found.shape), 2), graph.index)
    assert [str(v) for v in again] == [str(found)]
    assert report(again)[-1] == "blkg: 1 violation; the data was not loaded."


def test_a_violation_names_the_line_of_its_subject(data_copy):
    path = data_copy / "responsibilities.ttl"
    edit(path, "blf:number 20 ;", "blf:number 22 ;")
    [violation] = problems(data_copy)
    assert isinstance(violation, Violation)
    expected = subject_line(path, "resp:situational-awareness")
    assert str(violation).startswith(f"{path}:{expected}: resp:situational-awareness blf:number: ")


def test_a_violation_names_the_file_that_states_the_faulty_property(data_copy):
    """A node declared in one file and described further in another: the violation of a
    property the second file states points at the second file."""
    path = data_copy / "second-order-change.ttl"
    edit(path, "blf:NegativeAssociation", "blf:Sourced", after="resp:culture")
    [violation] = problems(data_copy)
    assert str(violation).startswith(
        f"{path}:{subject_line(path, 'resp:culture')}: resp:culture blf:secondOrderAssociation: "
    )


def test_the_scan_counts_lines_through_multi_line_strings_and_comments(tmp_path):
    path = tmp_path / "x.ttl"
    path.write_text(
        "@prefix ex: <thing/> .\n"
        "# a comment naming ex:b .\n"
        'ex:a ex:p """one\n'
        'two . ex:b"""@en ;\n'
        "    ex:q <thing/c> .\n"
        "\n"
        "<thing/b> ex:p ex:a .\n"
    )
    scanned = scan(path, "https://example.org/")
    subjects = [(s.subject, s.line) for s in scanned.statements]
    assert subjects == [("https://example.org/thing/a", 3), ("https://example.org/thing/b", 7)]
    assert scanned.uses["https://example.org/thing/c"] == [5]
    assert scanned.show("https://example.org/thing/b") == "ex:b"
