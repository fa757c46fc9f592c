"""Length-prefixed frames: how the server and its SPARQL workers talk over pipes.

A frame is a 4-byte big-endian length and that many bytes. The worker side reads and writes
blocking file objects; the server side reads an asyncio stream.
"""

from __future__ import annotations

import asyncio
import struct
from typing import BinaryIO

LENGTH = struct.Struct(">I")


def frame(payload: bytes) -> bytes:
    return LENGTH.pack(len(payload)) + payload


def write_frame(stream: BinaryIO, payload: bytes) -> None:
    stream.write(frame(payload))


def read_frame(stream: BinaryIO) -> bytes | None:
    """The next frame, or None at the end of the stream."""
    head = stream.read(LENGTH.size)
    if len(head) < LENGTH.size:
        return None
    (size,) = LENGTH.unpack(head)
    payload = stream.read(size)
    if len(payload) < size:
        return None
    return payload


async def read_frame_async(reader: asyncio.StreamReader) -> bytes:
    """The next frame; raises `asyncio.IncompleteReadError` if the stream ends first."""
    (size,) = LENGTH.unpack(await reader.readexactly(LENGTH.size))
    return await reader.readexactly(size)


__all__ = ["frame", "read_frame", "read_frame_async", "write_frame"]
