"""`tenor reviewers`: accounts for the review UI (`tenor serve` at /ui). Not API keys: a reviewer
signs in with a password; the database keeps only its scrypt hash."""

from __future__ import annotations

import sys

import click

from ..store import SuggestionStore, shown
from ..store._reviews import ReviewerError

__all__ = ["reviewers"]

_DB = click.option(
    "--db", default="tenor.db", show_default=True, help="The database `tenor serve --db` uses."
)


def _password(from_stdin: bool) -> str:
    from ..serve.ui._auth import password_problem

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problem = password_problem(password)
    if problem:
        raise click.ClickException(problem)
    return password


@click.group()
def reviewers() -> None:
    """Reviewer accounts for the review UI (add, list, disable, enable, password)."""


@reviewers.command("add")
@click.argument("name")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin (for scripts)."
)
@_DB
def add(name: str, password_stdin: bool, db: str) -> None:
    """Create reviewer NAME; asks for the password twice (or reads it with --password-stdin)."""
    from ..serve.ui._auth import hash_password

    name = name.strip()
    if not name or len(name) > 64 or any(not ch.isprintable() for ch in name):
        raise click.BadParameter("1-64 printable characters", param_hint="NAME")
    password = _password(password_stdin)
    store = SuggestionStore(db)
    try:
        store.add_reviewer(name, hash_password(password))
    except ReviewerError as e:
        raise click.ClickException(str(e)) from None
    finally:
        store.close()
    click.echo(
        f"reviewer {name} added; they sign in at http://HOST:PORT/ui/ of `tenor serve --db {shown(db)}`",
        err=True,
    )


@reviewers.command("list")
@_DB
def list_reviewers(db: str) -> None:
    """Every reviewer: name, created, disabled."""
    store = SuggestionStore(db)
    try:
        for r in store.reviewers():
            state = f"disabled {r['disabled_at'][:19]}" if r["disabled_at"] else "active"
            click.echo(f"{r['username']}\tcreated {r['created_at'][:19]}\t{state}")
    finally:
        store.close()


def _set(name: str, db: str, **change: object) -> None:
    store = SuggestionStore(db)
    try:
        store.set_reviewer(name, **change)  # type: ignore[arg-type]
    except ReviewerError as e:
        raise click.ClickException(str(e)) from None
    finally:
        store.close()


def _switch(disabled: bool, help_text: str) -> None:
    verb = "disable" if disabled else "enable"

    @reviewers.command(verb, help=help_text)
    @click.argument("name")
    @_DB
    def command(name: str, db: str) -> None:
        _set(name, db, disabled=disabled)
        click.echo(f"reviewer {name} {verb}d", err=True)


_switch(True, "Stop NAME from signing in; their open sessions end now. Their decisions stay.")
_switch(False, "Let a disabled reviewer sign in again.")


@reviewers.command("password")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from the first line of stdin.")
@_DB
def password(name: str, password_stdin: bool, db: str) -> None:
    """Set a new password for NAME; their open sessions end."""
    from ..serve.ui._auth import hash_password

    _set(name, db, password_hash=hash_password(_password(password_stdin)))
    click.echo(f"password of {name} changed", err=True)
