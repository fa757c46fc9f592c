"""`blkg serve` with another uvicorn event loop, for the loop comparison (`--loops`).

    python -m bench.variant --port PORT --loop asyncio|uvloop

It builds the application the way `blkg serve` does (`blkg.startup.served_app`) and
changes nothing but the loop. Not part of the product.
"""

from __future__ import annotations

import argparse

import uvicorn

from blkg.cli import UVICORN_OPTIONS
from blkg.config import Settings
from blkg.startup import served_app


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.variant")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--loop", choices=["asyncio", "uvloop"], required=True)
    args = parser.parse_args()
    app = served_app(Settings.from_env())
    options = {**UVICORN_OPTIONS, "loop": args.loop}
    uvicorn.run(app, host="127.0.0.1", port=args.port, **options)


if __name__ == "__main__":
    main()
