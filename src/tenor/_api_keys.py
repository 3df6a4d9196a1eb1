"""API keys for `tenor serve`: made here, shown once, kept only as a SHA-256 hash.

Outside `tenor.serve` (whose package imports FastAPI) so that `tenor keys` runs without the
[serve] extra, on the machine that holds the database."""

from __future__ import annotations

import hashlib
import secrets

__all__ = ["PREFIX_LENGTH", "generate_key", "hash_key", "key_prefix"]

# The first characters of a key, shown by `tenor keys list` and accepted by `tenor keys revoke`:
# enough to tell keys apart, far too few to guess the rest (the key holds 240 random bits).
PREFIX_LENGTH = 10


def generate_key() -> str:
    # "tk_" marks a tenor key in config files and secret scanners; token_urlsafe needs no
    # escaping in `?key=`, which is how most Perspective clients send it.
    return "tk_" + secrets.token_urlsafe(30)


def hash_key(key: str) -> str:
    # A plain (unsalted, fast) SHA-256 is enough: keys are long random strings, not passwords,
    # so there is nothing to brute-force, and it keeps the per-request lookup a single index hit.
    # surrogatepass: a key arrives from a query string or header and may hold anything.
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def key_prefix(key: str) -> str:
    return key[:PREFIX_LENGTH]
