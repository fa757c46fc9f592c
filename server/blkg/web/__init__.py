"""The HTTP layer: the Starlette app, its endpoints and their response helpers."""
