"""Reviewer passwords, sessions and CSRF tokens: standard library only (hashlib.scrypt, secrets, hmac).

- Passwords: scrypt (n=2**14, r=8, p=1, 16-byte salt), stored as `scrypt$n$r$p$salt$hash`.
- Sessions: a random 32-byte token in an HttpOnly, SameSite=Strict cookie; the database keeps
  only its SHA-256, so a leaked database opens no session.
- CSRF: each session has its own random token, sent back in every form and compared in
  constant time; the login form, before any session, uses a double-submit cookie.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime, timedelta

__all__ = [
    "SESSION_HOURS", "check_password", "constant_time_equal", "hash_password", "hash_token", "new_token",
    "session_expiry",
]  # fmt: skip

SESSION_HOURS = 12
_N, _R, _P = 2**14, 8, 1
MIN_PASSWORD_CHARS = 10


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${_b64(salt)}${_b64(digest)}"


def check_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"),
            salt=base64.b64decode(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def constant_time_equal(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))  # type: ignore[union-attr]


def session_expiry(now: datetime | None = None) -> str:
    return ((now or datetime.now(UTC)) + timedelta(hours=SESSION_HOURS)).isoformat()


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if len(password) < MIN_PASSWORD_CHARS:
        return f"a password needs at least {MIN_PASSWORD_CHARS} characters"
    return None
