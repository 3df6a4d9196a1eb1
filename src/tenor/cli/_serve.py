"""`tenor serve`: a thin shell over `tenor.serve.create_app` on uvicorn ([serve] extra)."""

from __future__ import annotations

import click

__all__ = ["serve"]

_SERVE_EXTRAS = frozenset({"fastapi", "uvicorn", "starlette", "pydantic", "anyio"})


def _load_scorer(model: str | None):  # type: ignore[no-untyped-def]
    from .._scorer import Scorer

    return Scorer(model)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on (0.0.0.0 for all).")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option("--db", "db", default="tenor.db", show_default=True,
              help="SQLite file for suggestions, API keys and stored requests (':memory:' keeps none).")
@click.option("--public-url", default=None,
              help="Base URL clients reach this server at, for the discovery document [default: from each request].")
@click.option("--model", default=None, help="A shipped model version or a folder made by `tenor train`.")
@click.option("--api-key", default=None, envvar="TENOR_API_KEY",
              help="Also accept this key (?key=, X-Goog-Api-Key or Authorization: Bearer) and require a key"
                   " [default: a key is required only once `tenor keys create` made one].")
@click.option("--rate-limit", default=None, type=click.IntRange(min=1), metavar="N",
              help="Allow N comments:analyze requests per minute per key (per client IP without a key);"
                   " more get 429 RESOURCE_EXHAUSTED [default: no limit].")
@click.option("--store-requests", is_flag=True, default=False,
              help="Keep each analyze request (text, attributes, scores) in --db, except those with"
                   " doNotStore: true [default: keep nothing from analyze].")
def serve(
    host: str, port: int, db: str, public_url: str | None, model: str | None, api_key: str | None,
    rate_limit: int | None, store_requests: bool,
) -> None:
    """Serve Perspective API's comments:analyze, comments:suggestscore and discovery over HTTP."""
    try:
        import uvicorn

        from ..serve import create_app
    except ModuleNotFoundError as e:
        if (e.name or "").split(".")[0] in _SERVE_EXTRAS:
            raise click.ClickException(
                f"serving needs {e.name}, which is not installed: pip install 'tenor[serve]'"
            ) from None
        raise
    app = create_app(_load_scorer(model), public_url=public_url, db_path=db, api_key=api_key,
                     rate_limit_per_minute=rate_limit, store_requests=store_requests)
    click.echo(f"tenor serving model {app.state.scorer.model_version} on http://{host}:{port}/", err=True)
    keyed = api_key is not None or app.state.store.has_active_keys()
    click.echo(
        f"  API key: {'required' if keyed else 'not required'}; rate limit: "
        f"{f'{rate_limit}/min' if rate_limit else 'off'}; analyze requests stored: {'yes' if store_requests else 'no'}",
        err=True,
    )
    # uvicorn's own access log prints the query string, which may hold an API key: tenor logs
    # requests itself (tenor.serve.access), without query or body.
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info")
