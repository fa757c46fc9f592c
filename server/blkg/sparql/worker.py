"""A SPARQL worker process: the dataset in a pyoxigraph store, answering one query at a time.

Started by `blkg.sparql.engine` as `python -m blkg.sparql.worker`. On stdin it receives a
setup frame (JSON: graph IRIs, prefixes, memory budget, parent pid), one N-Triples frame per
named graph, then one JSON frame per query; on stdout it answers each query with a JSON
header frame and a body frame. It exits when stdin closes or its parent dies, and the
server kills it when a query runs past the time limit: that is what stops a runaway query.

Without `FROM`, `FROM NAMED` and the protocol's `default-graph-uri` and `named-graph-uri`, a
query sees the union of the named graphs as its default graph and each graph by name; with
`FROM`/`FROM NAMED` it sees the dataset they describe; the protocol's graphs, when given,
replace the query's (SPARQL 1.1 Protocol, section 2.1.4). The store is only ever queried,
never updated, and a query is checked (refused if it is an update or uses SERVICE) before
pyoxigraph sees it: `blkg.sparql.checks.prepare` gives the text that both the check and
pyoxigraph read.

An answer is written as it is produced into a buffer capped at the request's `max_bytes`
(`blkg.sparql.results`): past it, writing stops and the answer is a RESULT_TOO_LARGE error,
as it is past `max_results` rows or triples.

pyoxigraph itself would run `SERVICE` by sending an HTTP request to the host it names. Should
a query ever reach it past the check, the worker cannot do that either: once the store is
loaded it lowers its limit of open file descriptors to those it already has open (its pipes),
so opening a socket or a file fails. Such a failure is answered as the refusal it is
(SERVICE_REFUSED), never with the operating system's words. Nothing a query says can make
the worker fetch a URL or read a file.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import sys
from urllib.parse import urljoin

import orjson
import pyoxigraph as ox
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from blkg.codes import Code
from blkg.errors import Refusal
from blkg.sparql import results
from blkg.sparql.checks import SERVICE_MESSAGE, SOLUTION_FORMS, Prepared, prepare
from blkg.sparql.frames import read_frame, write_frame

PR_SET_PDEATHSIG = 1


OUT_OF_MEMORY = (
    "The query needed more memory than this endpoint allows and was stopped. Make it more "
    "selective."
)


class TooManyResults(Exception):
    """More rows or triples than the request's `max_results`."""


def main() -> int:
    channel = _private_stdout()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when workers stop
    stdin = sys.stdin.buffer
    setup = orjson.loads(read_frame(stdin) or b"{}")
    _die_with_parent(setup.get("parent"))
    store = ox.Store()
    for graph_iri in setup["graphs"]:
        triples = read_frame(stdin) or b""
        store.load(triples, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph_iri))
    _limit_memory(setup.get("memory_bytes"))
    seal_descriptors()
    _send(channel, {"ready": True, "quads": len(store)}, b"")
    prefixes = setup.get("prefixes", {})
    while (request := read_frame(stdin)) is not None:
        header, body = answer(store, orjson.loads(request), prefixes)
        _send(channel, header, body)
    return 0


def answer(store: ox.Store, request: dict, prefixes: dict[str, str]) -> tuple[dict, bytes]:
    """Run one query request; never raises."""
    try:
        query = prepare(request["query"])
        format_name = request["results"] if query.form in SOLUTION_FORMS else request["graph"]
        if format_name is None:
            return {"ok": False, "code": Code.NOT_ACCEPTABLE, "form": query.form}, b""
        options = _dataset(request, query, prefixes)
        out = results.CappedBuffer(request["max_bytes"])
        found = store.query(query.text, prefixes=prefixes, **options)
        _write(query.form, found, format_name, request["max_results"], prefixes, out)
    except Refusal as refusal:
        return _error(refusal.code, refusal.message, refusal.status), b""
    except TooManyResults:
        return _error(Code.RESULT_TOO_LARGE, _too_many(request["max_results"])), b""
    except results.TooLarge:
        return _error(Code.RESULT_TOO_LARGE, _too_large(request["max_bytes"])), b""
    except SyntaxError as error:
        return _error(Code.QUERY_SYNTAX, f"The query is not valid SPARQL: {error}."), b""
    except OSError:  # the sealed descriptors stopped a SERVICE call: say so, not errno's words
        return _error(Code.SERVICE_REFUSED, SERVICE_MESSAGE), b""
    except MemoryError:
        return _error(Code.QUERY_ABORTED, OUT_OF_MEMORY), b""
    except Exception as error:  # evaluation errors from pyoxigraph
        return _error(Code.QUERY_FAILED, f"The query could not be evaluated: {error}."), b""
    return {"ok": True, "form": query.form, "format": format_name}, out.getvalue()


def _dataset(request: dict, query: Prepared, prefixes: dict[str, str]) -> dict:
    """The dataset options: the protocol's graphs, else the query's own, else the union.

    The default graph is an RDF merge, a set: pyoxigraph would read a graph named twice (in
    `FROM` or `default-graph-uri`) twice, and count its triples twice, so each graph is passed
    once (likewise for the named graphs). The shipped graphs share no triple, so the merge of
    different graphs needs no more than that.
    """
    default, named = request.get("default_graphs") or [], request.get("named_graphs") or []
    if default or named:
        try:
            return _graphs(default, named)
        except ValueError as error:
            raise Refusal(Code.BAD_REQUEST, f"A graph URI is not a valid IRI: {error}.") from None
    if query.names_dataset:
        return _own_dataset(query.text, prefixes)
    return {"use_default_graph_as_union": True}


def _graphs(default: list[str], named: list[str]) -> dict:
    """pyoxigraph's dataset options for these graph IRIs, each graph once."""
    return {
        "default_graph": [ox.NamedNode(g) for g in dict.fromkeys(default)],
        "named_graphs": [ox.NamedNode(g) for g in dict.fromkeys(named)],
    }


def _own_dataset(text: str, prefixes: dict[str, str]) -> dict:
    """The dataset the query's `FROM` and `FROM NAMED` describe, as options (which replace
    them); or none, leaving pyoxigraph to report what it cannot read in them."""
    try:
        prologue, query = parseQuery(text)
        resolve = _resolver(prologue, prefixes)
        clauses = query.datasetClause or []
        default = [resolve(c.default) for c in clauses if c.default is not None]
        named = [resolve(c.named) for c in clauses if c.named is not None]
        return _graphs(default, named)
    except (KeyError, ValueError):  # an unknown prefix, a bad IRI: pyoxigraph's error says which
        return {}


def _resolver(prologue, prefixes: dict[str, str]):
    """A function giving the full IRI of an IRI or prefixed name written after `prologue`.

    Written here rather than with rdflib's `Prologue`, which builds an rdflib graph and so
    imports modules: the sealed worker can open no file.
    """
    base, namespaces = "", dict(prefixes)

    def resolve(term) -> str:
        if isinstance(term, CompValue) and term.name == "pname":
            return namespaces[term.prefix or ""] + (term.localname or "")
        return urljoin(base, str(term)) if base else str(term)

    for declaration in prologue:
        if declaration.name == "Base":
            base = resolve(declaration.iri)
        elif declaration.name == "PrefixDecl":
            namespaces[declaration.prefix or ""] = resolve(declaration.iri)
    return resolve


def _write(form: str, found, format_name: str, limit: int, prefixes: dict, out) -> None:
    if form == "ASK":
        results.boolean(found, format_name, out)
    elif form == "SELECT":
        variables = [variable.value for variable in found.variables]
        rows = _take(([solution[v] for v in variables] for solution in found), limit)
        results.solutions(variables, rows, format_name, out)
    else:
        results.triples(_take(found, limit), format_name, prefixes, out)


def _take(items, limit: int):
    """The items, one at a time; raises `TooManyResults` on the one past `limit`."""
    for taken, item in enumerate(items):
        if taken == limit:
            raise TooManyResults
        yield item


def _too_many(limit: int) -> str:
    return (
        f"The query has more than {limit:,} results, the most this endpoint returns, and was "
        "stopped. Add a LIMIT (with OFFSET to page through), or, on your own deployment, raise "
        "the limit with BLKG_SPARQL_MAX_RESULTS."
    )


def _too_large(limit: int) -> str:
    return (
        f"The answer is larger than {_size(limit)}, the most this endpoint sends, and was "
        "stopped. Ask for fewer or shorter values (a LIMIT, fewer variables, SUBSTR on long "
        "strings), or, on your own deployment, raise the limit with BLKG_SPARQL_MAX_BYTES."
    )


def _size(count: int) -> str:
    mib = 1024 * 1024
    if count % mib == 0:
        return f"{count // mib} MiB ({count:,} bytes)"
    return f"{count:,} bytes"


def _error(code: Code, message: str, status: int | None = None) -> dict:
    """The header of a refused query: the server answers it as a `Refusal` of this code (and
    status, where the refusal gave its own)."""
    return {"ok": False, "code": code, "message": message, "status": status}


def _send(channel, header: dict, body: bytes) -> None:
    write_frame(channel, orjson.dumps(header))
    write_frame(channel, body)
    channel.flush()


def _private_stdout():
    """Keep stdout for frames only: anything a library prints goes to stderr."""
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    return channel


def _die_with_parent(parent: int | None) -> None:
    """Ask Linux to kill this process when the server goes, however it goes."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: closing stdin still ends it
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:
        sys.exit(0)  # the server is already gone


def _limit_memory(budget: int | None) -> None:
    """Cap the address space at what is in use now plus `budget` bytes."""
    if not budget:
        return
    try:
        with open("/proc/self/status") as status:
            in_use = next(int(ln.split()[1]) * 1024 for ln in status if ln.startswith("VmSize:"))
    except (OSError, StopIteration):
        return  # no /proc: no cap
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = in_use + budget
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def seal_descriptors() -> None:
    """From now on this process can open no file and no socket; what is open stays usable.

    A new descriptor takes the lowest free number, and must be below the soft limit of
    RLIMIT_NOFILE: with the limit at the lowest free number, there is none to take.
    """
    lowest_free = os.dup(0)
    os.close(lowest_free)
    resource.setrlimit(resource.RLIMIT_NOFILE, (lowest_free, lowest_free))


if __name__ == "__main__":
    sys.exit(main())
