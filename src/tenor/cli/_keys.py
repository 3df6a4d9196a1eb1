"""`tenor keys create|list|revoke`: API keys for `tenor serve`, kept hashed in its database.

Only the standard library is needed (sqlite3, hashlib), so keys can be managed on a machine
without the [serve] extra, e.g. the one that holds the database.
"""

from __future__ import annotations

import click

from .._api_keys import generate_key, hash_key, key_prefix
from ..store import AmbiguousKeyError, SuggestionStore

__all__ = ["keys"]

_DB = click.option(
    "--db",
    "db",
    default="tenor.db",
    show_default=True,
    type=click.Path(dir_okay=False),
    help="The database `tenor serve --db` uses.",
)


@click.group()
def keys() -> None:
    """Manage API keys. Once any key is active, `tenor serve` on that database requires one."""


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
    store = SuggestionStore(db)
    try:
        rows = store.keys()
    finally:
        store.close()
    if not rows:
        click.echo("no keys: tenor serve needs none", err=True)
        return
    click.echo(f"{'PREFIX':<12} {'CREATED':<20} {'REVOKED':<20} NAME")
    for row in rows:
        revoked = (row["revoked_at"] or "-")[:19]
        click.echo(f"{row['prefix']:<12} {row['created_at'][:19]:<20} {revoked:<20} {row['name']}")


@keys.command()
@click.argument("prefix_or_name")
@_DB
def revoke(prefix_or_name: str, db: str) -> None:
    """Revoke the active key with this name or prefix (as `tenor keys list` shows it)."""
    store = SuggestionStore(db)
    try:
        revoked = store.revoke_key(prefix_or_name, hash_key(prefix_or_name))
    except AmbiguousKeyError as e:
        raise click.ClickException(str(e)) from None
    finally:
        store.close()
    label = f" {revoked['name']!r}" if revoked["name"] else ""
    click.echo(f"Revoked key{label} ({revoked['prefix']}...).", err=True)
