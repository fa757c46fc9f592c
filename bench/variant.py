"""`blkg serve` with another uvicorn event loop (`--loops`), or without its prepared plans.

    python -m bench.variant --port PORT [--loop asyncio|uvloop] [--full-path]

It builds the application the way `blkg serve` does (`blkg.startup.served_app`) and changes
nothing but the loop, or, with `--full-path`, answers every GraphQL request by strawberry's
full execution (the comparison that decides whether prepared plans earn their place). Not
part of the product.
"""

from __future__ import annotations

import argparse

import uvicorn

from blkg.cli import UVICORN_OPTIONS, uvicorn_options
from blkg.config import Settings
from blkg.startup import served_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.variant")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--loop", choices=["asyncio", "uvloop"], default=UVICORN_OPTIONS["loop"])
    parser.add_argument("--full-path", action="store_true", help="no prepared plans")
    args = parser.parse_args()
    app = served_app(Settings.from_env())
    if args.full_path:
        app.state.graphql.prepared = False
    options = {**uvicorn_options(Settings.from_env().limits), "loop": args.loop}
    uvicorn.run(app, host="127.0.0.1", port=args.port, **options)


if __name__ == "__main__":
    main()
