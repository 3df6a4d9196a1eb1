"""`tenor keys create|list|revoke`: API keys for `tenor serve`, kept hashed in its database.

Only the standard library is needed (sqlite3, hashlib), so keys can be managed on a machine
without the [serve] extra, e.g. the one that holds the database.
"""

from __future__ import annotations

from pathlib import Path

import click

from .._api_keys import generate_key, hash_key, key_prefix
from ..store import AmbiguousKeyError, SuggestionStore, is_postgres_url, shown

__all__ = ["keys"]

_DB = click.option(
    "--db",
    "db",
    default="tenor.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The database `tenor serve --db` uses.",
)


def _existing(db: str) -> SuggestionStore:
    """The store at `db`, which must exist: listing or revoking keys in a mistyped path must not
    leave an empty database there (and report "no keys", as if the service were open)."""
    if not is_postgres_url(db) and db != ":memory:" and not Path(db).is_file():
        raise click.ClickException(
            f"no database at {shown(db)}: give the --db that `tenor serve --db` uses (`tenor keys create` makes one)"
        )
    return SuggestionStore(db)


@click.group()
def keys() -> None:
    """Manage API keys. Once a key is made, `tenor serve` on that database requires one, also
    after every key is revoked (then every call is refused) until `tenor keys open`."""


@keys.command()
@click.option("--name", default="", help="A label for the key (who or what uses it).")
@_DB
def create(name: str, db: str) -> None:
    """Make a key and print it once: only its hash is stored, so it cannot be shown again."""
    key = generate_key()
    store = SuggestionStore(db)
    try:
        store.add_key(name=name, prefix=key_prefix(key), key_hash=hash_key(key))
    finally:
        store.close()
    click.echo(key)  # alone on stdout, so `KEY=$(tenor keys create)` works
    label = f" {name!r}" if name else ""
    click.echo(
        f"Created key{label} ({key_prefix(key)}...). Save it now: tenor keeps only its hash.", err=True
    )


@keys.command("list")
@_DB
def list_keys(db: str) -> None:
    """List keys: prefix, name, created, revoked. Never the key itself."""
    store = _existing(db)
    try:
        rows = store.keys()
        required = store.keys_required()
    finally:
        store.close()
    click.echo(
        "tenor serve requires a key"
        + ("" if any(r["revoked_at"] is None for r in rows) else " (none is active: every call is refused)")
        if required
        else "tenor serve requires no key (open)",
        err=True,
    )
    if not rows:
        return
    click.echo(f"{'PREFIX':<12} {'CREATED':<20} {'REVOKED':<20} NAME")
    for row in rows:
        revoked = (row["revoked_at"] or "-")[:19]
        click.echo(f"{row['prefix']:<12} {row['created_at'][:19]:<20} {revoked:<20} {row['name']}")


@keys.command()
@click.argument("prefix_or_name")
@_DB
def revoke(prefix_or_name: str, db: str) -> None:
    """Revoke the active key with this name or prefix (as `tenor keys list` shows it). Keys stay
    required: revoking the last one refuses every call until `tenor keys open`."""
    store = _existing(db)
    try:
        revoked = store.revoke_key(prefix_or_name, hash_key(prefix_or_name))
    except AmbiguousKeyError as e:
        raise click.ClickException(str(e)) from None
    finally:
        store.close()
    label = f" {revoked['name']!r}" if revoked["name"] else ""
    click.echo(f"Revoked key{label} ({revoked['prefix']}...).", err=True)


@keys.command()
@_DB
def require(db: str) -> None:
    """Require an API key on every Perspective call, before any key is made (locks the service)."""
    store = SuggestionStore(db)
    try:
        store.set_keys_required(True)
    finally:
        store.close()
    click.echo("tenor serve now requires an API key (make one: tenor keys create).", err=True)


@keys.command("open")
@_DB
def open_service(db: str) -> None:
    """Stop requiring API keys (an open service): refused while a key is still active."""
    store = _existing(db)
    try:
        if store.has_active_keys():
            raise click.ClickException(
                "keys are still active: revoke them first (tenor keys list shows them)"
            )
        store.set_keys_required(False)
    finally:
        store.close()
    click.echo("tenor serve now requires no API key: anyone who reaches it may call it.", err=True)
