"""The ceiling: a bare Starlette route returning pre-serialised bytes, on the same uvicorn
options as `blkg serve` (`blkg.cli.UVICORN_OPTIONS`). Not part of the product.

    python -m bench.ceiling --port PORT --body FILE
"""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from blkg.cli import UVICORN_OPTIONS, uvicorn_options
from blkg.config import Settings


def ceiling_app(body: bytes) -> Starlette:
    async def answer(request: Request) -> Response:
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/graphql", answer, methods=["GET", "POST"])])


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.ceiling")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--body", type=Path, required=True)
    parser.add_argument("--loop", default=UVICORN_OPTIONS["loop"])
    args = parser.parse_args()
    options = {**uvicorn_options(Settings.from_env().limits), "loop": args.loop}
    uvicorn.run(ceiling_app(args.body.read_bytes()), host="127.0.0.1", port=args.port, **options)


if __name__ == "__main__":
    main()
