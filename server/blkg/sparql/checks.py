"""What a SPARQL request is, decided by parsing it, before anything runs; and the one text
that both this check and the engine read.

A query (SELECT, ASK, CONSTRUCT, DESCRIBE) is accepted unless it contains `SERVICE`, which
would make this server send requests to other hosts. An update (INSERT, DELETE, LOAD,
CLEAR, ...) is refused: the endpoint is read-only. Text that is neither is a syntax error,
reported with its line and column. rdflib's SPARQL grammar does the parsing; nothing is
matched on the raw text.

The check parses with rdflib, the engine with pyoxigraph, and two parsers can read one text
differently: rdflib expands `\\u005c` before tokenising, pyoxigraph inside a string literal,
so `"x\\u005c") SERVICE <...> { } FILTER("#"` is a string and a comment to one and a live
SERVICE to the other; and a carriage return ends a comment for pyoxigraph but not for rdflib.
So `prepare` first makes the one text both read (`canonical`): the `\\uXXXX` and
`\\UXXXXXXXX` escapes processed once, as SPARQL 1.1 (section 19.2) specifies, before parsing,
an escape that spells another escape refused (each parser would process it again, differently),
and line breaks written as line feeds. The worker hands the engine `Prepared.text`, never the
text that came in.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from blkg.codes import Code
from blkg.errors import Refusal

FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
SOLUTION_FORMS = ("SELECT", "ASK")

CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# What either parser would still take for a codepoint escape (rdflib: \u or \U, any case,
# then 4 or 8 hex digits).
ESCAPE_LEFT = re.compile(r"\\[uU][0-9A-Fa-f]{4}")
LINE_BREAK = re.compile(r"\r\n?")
SERVICE_MESSAGE = (
    "SERVICE (federated query) is refused: this endpoint does not send requests to "
    "other hosts. Query the other endpoint yourself and combine the results."
)


@dataclass(frozen=True)
class Prepared:
    """A query that passed the check: the text to run, its form, and whether it names its
    own dataset (`FROM`, `FROM NAMED`)."""

    text: str
    form: str
    names_dataset: bool


def prepare(text: str) -> Prepared:
    """The checked query; raises `Refusal` for anything that must not run."""
    text = canonical(text)
    tree = _parse(text)
    if _contains(tree, "ServiceGraphPattern"):
        raise Refusal(Code.SERVICE_REFUSED, SERVICE_MESSAGE)
    return Prepared(text, FORMS[tree[1].name], _contains(tree, "DatasetClause"))


def canonical(text: str) -> str:
    """`text` with its codepoint escapes processed (once) and its line breaks as line feeds."""
    decoded = CODEPOINT_ESCAPE.sub(lambda match: _codepoint(match, text), text)
    left = ESCAPE_LEFT.search(decoded)
    if left is not None:
        raise Refusal(
            Code.QUERY_SYNTAX,
            "The query's \\u and \\U escapes, once processed (as SPARQL 1.1 specifies, before "
            f"parsing), spell another escape, {left.group(0)} at {_where(decoded, left.start())}: "
            "an escape may not produce an escape. Write the character itself.",
        )
    return LINE_BREAK.sub("\n", decoded)


def _codepoint(match: re.Match, text: str) -> str:
    value = int(match.group(1) or match.group(2), 16)
    if value > 0x10FFFF or 0xD800 <= value <= 0xDFFF:
        raise Refusal(
            Code.QUERY_SYNTAX,
            f"The escape {match.group(0)} at {_where(text, match.start())} is not a Unicode "
            "character (a surrogate or past U+10FFFF). Write the character itself, or a "
            "character outside the Basic Multilingual Plane as \\U followed by 8 hex digits.",
        )
    return chr(value)


def _where(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - text.rfind("\n", 0, offset)
    return f"line {line}, column {column}"


def _parse(text: str) -> ParseResults:
    try:
        return parseQuery(text)
    except ParseException as error:
        if _is_update(text):
            raise Refusal(
                Code.UPDATE_REFUSED,
                "This endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, CREATE, "
                "DROP, COPY, MOVE, ADD) is refused and nothing was changed. Send a SELECT, ASK, "
                "CONSTRUCT or DESCRIBE query.",
            ) from None
        raise Refusal(Code.QUERY_SYNTAX, _syntax_message(error)) from None
    except RecursionError:
        raise Refusal(
            Code.QUERY_SYNTAX,
            "The query is nested too deeply to be parsed (groups, brackets or parentheses "
            "within one another, a few dozen levels down). Write it with less nesting.",
        ) from None
    except Exception as error:  # the grammar raises a few other errors on odd input
        raise Refusal(Code.QUERY_SYNTAX, f"The query is not valid SPARQL: {error}.") from None


def _is_update(text: str) -> bool:
    try:
        tree = parseUpdate(text)
    except Exception:
        return False
    return "request" in tree  # an empty text parses as an update with no request


def _syntax_message(error: ParseException) -> str:
    line = error.line.strip()
    where = f"line {error.lineno}, column {error.col}"
    return f"The query is not valid SPARQL ({where}): {error.msg}, near: {line[:120]}"


def _contains(node, name: str) -> bool:
    if isinstance(node, CompValue):
        return node.name == name or any(_contains(v, name) for v in OrderedDict.values(node))
    if isinstance(node, ParseResults | list | tuple):
        return any(_contains(item, name) for item in node)
    return False


__all__ = [
    "FORMS",
    "SERVICE_MESSAGE",
    "SOLUTION_FORMS",
    "Prepared",
    "canonical",
    "prepare",
]
