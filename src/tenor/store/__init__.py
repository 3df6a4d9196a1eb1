"""tenor's embedded database (SQLite, or PostgreSQL by URL): suggestions, API keys, analyzed
pages, opted-in requests. Shared by `tenor serve`, `tenor keys` and `tenor analyze`; needs no extra
for SQLite."""

from ._backends import shown
from ._store import SCHEMA_VERSION, AmbiguousKeyError, SuggestionStore, is_postgres_url

__all__ = ["SCHEMA_VERSION", "AmbiguousKeyError", "SuggestionStore", "is_postgres_url", "shown"]
