"""Measurements that need the product in-process, run in a fresh child process each:

    python -m bench.probe reference          # the uncached answer to the coverage question
    python -m bench.probe calibrate DIR      # triples one synthetic session adds
    python -m bench.probe growth DIR         # load, validation and query times for DIR

`reference` loads and validates the shipped data as `blkg serve` does and executes the
question the full way (strawberry, no response cache, no prepared plan): the answer every
server's answers under load are compared with. `growth` prints JSON.
"""

from __future__ import annotations

import asyncio
import resource
import statistics
import sys
import time
from pathlib import Path

import orjson
from graphql import parse

from bench.questions import COVERAGE_QUERY
from bench.synthetic import relaxed_shapes, write_scaled
from blkg.api.prepared import prepare
from blkg.api.schema import build_schema
from blkg.config import Settings
from blkg.graph import load_knowledge_graph
from blkg.read import build_catalog
from blkg.startup import collector_paused
from blkg.validation import validate


def full_answer(schema, catalog) -> bytes:
    """The answer as strawberry executes it, encoded as the server encodes it."""
    result = asyncio.run(schema.execute(COVERAGE_QUERY, root_value=catalog))
    if result.errors:
        raise SystemExit(f"bench: the coverage question failed: {result.errors}")
    return orjson.dumps({"data": result.data})


def reference() -> None:
    graph = load_knowledge_graph(Settings.from_env())
    catalog = build_catalog(graph.union(), graph.settings.instance_base)
    sys.stdout.buffer.write(full_answer(build_schema(), catalog))


def calibrate(folder: Path) -> None:
    sessions = 24  # two rounds of the generator's pattern of focus links
    write_scaled(folder, sessions)
    settings = Settings.from_env()
    base = len(load_knowledge_graph(settings, check=False).union())
    scaled = len(load_knowledge_graph(settings.with_data_dir(folder), check=False).union())
    print(orjson.dumps({"per_session": (scaled - base) / sessions, "base": base}).decode())


def _timed(function, repeats: int, budget: float) -> float:
    """Median seconds of `function` over up to `repeats` calls, within about `budget` seconds."""
    times: list[float] = []
    started = time.perf_counter()
    while len(times) < repeats and (len(times) < 3 or time.perf_counter() - started < budget):
        before = time.perf_counter()
        function()
        times.append(time.perf_counter() - before)
    return statistics.median(times)


def growth(folder: Path) -> None:
    settings = Settings.from_env().with_data_dir(folder)
    with collector_paused():  # as at the server's start
        started = time.perf_counter()
        graph = load_knowledge_graph(settings, check=False)
        loaded = time.perf_counter()
        union = graph.union()
        violations = validate(union, relaxed_shapes(graph.shapes), graph.index)
        validated = time.perf_counter()
        catalog = build_catalog(union, settings.instance_base)
        schema = build_schema(settings.limits)
        built = time.perf_counter()
    plan = prepare(schema._schema, parse(COVERAGE_QUERY), None)
    answer = full_answer(schema, catalog)
    planned = orjson.dumps({"data": plan.execute(catalog, None)})
    report = {
        "triples": len(union),
        "sessions": len(catalog.sessions),
        "session_links": len(catalog.session_links),
        "violations": [str(v) for v in violations[:5]],
        "load_s": loaded - started,
        "validate_s": validated - loaded,
        "read_layer_s": built - validated,
        "answer_bytes": len(answer),
        "plan_answer_identical": planned == answer,
        "query_full_s": _timed(lambda: full_answer(schema, catalog), 20, 3.0),
        "query_plan_s": _timed(
            lambda: orjson.dumps({"data": plan.execute(catalog, None)}), 200, 2.0
        ),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(orjson.dumps(report).decode())


def main(argv: list[str]) -> None:
    command, *rest = argv
    if command == "reference":
        reference()
    elif command == "calibrate":
        calibrate(Path(rest[0]))
    elif command == "growth":
        growth(Path(rest[0]))
    else:
        raise SystemExit(f"bench.probe: unknown command {command!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
