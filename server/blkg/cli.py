"""The `blkg` command: validate the data, export the graph, serve the API."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from blkg.config import ConfigError, Limits, Settings
from blkg.errors import BLKGError, ValidationFailed
from blkg.formats import Use, serving
from blkg.web.security_headers import RESPONSE_HEADERS


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="blkg", description="The Balanced Leadership Knowledge Graph."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser("validate", help="check the data against the SHACL shapes")
    _add_data_option(validate)

    export = commands.add_parser("export", help="write the graph as RDF")
    _add_data_option(export)
    export.add_argument(
        "--format",
        choices=list(serving(Use.GRAPH)),
        default=next(iter(serving(Use.GRAPH))),
        help="serialisation (default: %(default)s)",
    )
    export.add_argument(
        "--graph",
        choices=["asserted", "inferred", "all"],
        default="all",
        help="which named graphs to write (default: all)",
    )
    export.add_argument("--out", type=Path, help="file to write (default: standard output)")

    serve = commands.add_parser("serve", help="serve the GraphQL API over HTTP")
    _add_data_option(serve)
    serve.add_argument(
        "--host",
        default=os.environ.get("HOST", "127.0.0.1"),
        help="address to listen on (default: $HOST or 127.0.0.1)",
    )
    serve.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("PORT", "8000")),
        help="port to listen on (default: $PORT or 8000)",
    )
    return parser


def _add_data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        type=Path,
        metavar="DIR",
        help="folder of Turtle data files laid out like the shipped data (default: shipped data)",
    )


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env().with_data_dir(args.data)


def _validate(args: argparse.Namespace) -> int:
    from blkg.graph import load_knowledge_graph

    graph = load_knowledge_graph(_settings(args))
    counts = graph.triple_counts()
    files = len({f for files in graph.index.stated_in.values() for f in files})
    print(
        f"conforms: {files} files, {sum(counts.values())} triples "
        f"({counts['ontology']} ontology, {counts['data']} data, {counts['inferred']} inferred), "
        f"version {graph.version}"
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from blkg.export import serialize, write_atomically
    from blkg.graph import load_knowledge_graph

    content = serialize(load_knowledge_graph(_settings(args)), args.format, args.graph)
    if args.out is None:
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
    else:
        write_atomically(args.out, content)
    return 0


# How `blkg serve` runs uvicorn: one worker, uvloop's event loop and the httptools parser, no
# access log. bench/ serves its ceiling app with the same options. The parser is httptools
# guarded against slow, stalled, oversized and malformed requests and clients that stop reading
# (blkg.web.connections), which answers a client's mistakes without logging them, so only
# warnings and errors of the server itself are written; no WebSockets; the security headers go
# on every response (blkg.web.security_headers). Named by its import string here, the guarded
# protocol has the default limits: `uvicorn_options` gives it the configured ones.
UVICORN_OPTIONS = {
    "loop": "uvloop",
    "http": "blkg.web.connections:GuardedHttpToolsProtocol",
    "ws": "none",
    "headers": RESPONSE_HEADERS,
    "log_level": "warning",
    "access_log": False,
}


def uvicorn_options(limits: Limits) -> dict:
    """`UVICORN_OPTIONS`, with connections guarded by `limits`."""
    from blkg.web.connections import guarded_protocol

    return {**UVICORN_OPTIONS, "http": guarded_protocol(limits)}


def _serve(args: argparse.Namespace) -> int:
    from blkg.startup import served_app

    settings = _settings(args)
    app = served_app(settings)

    import uvicorn

    print(f"blkg: serving on http://{args.host}:{args.port}/graphql", file=sys.stderr, flush=True)
    uvicorn.run(app, host=args.host, port=args.port, **uvicorn_options(settings.limits))
    return 0


COMMANDS = {"validate": _validate, "export": _export, "serve": _serve}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ValidationFailed as failure:
        from blkg.validation import report

        for line in report(failure.violations):
            print(line, file=sys.stderr)
        return failure.exit_code
    except ConfigError as error:
        print(f"blkg: {error}", file=sys.stderr)
        return 1
    except BLKGError as error:
        print(f"blkg: {error}", file=sys.stderr)
        return error.exit_code
    except OSError as error:
        print(f"blkg: {error.filename or ''}: {error.strerror}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
