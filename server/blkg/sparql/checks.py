"""What kind of SPARQL request a text is, decided by parsing it, before anything runs.

A query (SELECT, ASK, CONSTRUCT, DESCRIBE) is accepted unless it contains `SERVICE`, which
would make this server send requests to other hosts. An update (INSERT, DELETE, LOAD,
CLEAR, ...) is refused: the endpoint is read-only. Text that is neither is a syntax error,
reported with its line and column. rdflib's SPARQL grammar does the parsing; nothing is
matched on the raw text.
"""

from __future__ import annotations

from collections import OrderedDict

from pyparsing import ParseException, ParseResults
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

FORMS = {
    "SelectQuery": "SELECT",
    "AskQuery": "ASK",
    "ConstructQuery": "CONSTRUCT",
    "DescribeQuery": "DESCRIBE",
}
SOLUTION_FORMS = ("SELECT", "ASK")


class Refused(Exception):
    """A request the endpoint will not run; `code` is stable, `message` says what to do."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def query_form(text: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; raises `Refused` for anything that must not run."""
    try:
        tree = parseQuery(text)
    except ParseException as error:
        if _is_update(text):
            raise Refused(
                "UPDATE_REFUSED",
                "This endpoint is read-only: SPARQL Update (INSERT, DELETE, LOAD, CLEAR, CREATE, "
                "DROP, COPY, MOVE, ADD) is refused and nothing was changed. Send a SELECT, ASK, "
                "CONSTRUCT or DESCRIBE query.",
            ) from None
        raise Refused("QUERY_SYNTAX", _syntax_message(error)) from None
    except RecursionError:
        raise Refused(
            "QUERY_SYNTAX",
            "The query is nested too deeply to be parsed (groups, brackets or parentheses "
            "within one another, a few dozen levels down). Write it with less nesting.",
        ) from None
    except Exception as error:  # the grammar raises a few other errors on odd input
        raise Refused("QUERY_SYNTAX", f"The query is not valid SPARQL: {error}.") from None
    if _contains(tree, "ServiceGraphPattern"):
        raise Refused(
            "SERVICE_REFUSED",
            "SERVICE (federated query) is refused: this endpoint does not send requests to "
            "other hosts. Query the other endpoint yourself and combine the results.",
        )
    return FORMS[tree[1].name]


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


__all__ = ["FORMS", "SOLUTION_FORMS", "Refused", "query_form"]
