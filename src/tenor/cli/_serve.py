"""`tenor serve`: a thin shell over `tenor.serve.create_app` on uvicorn ([serve] extra)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ..store import shown
from ._extras import requires_extra
from ._score import _multilingual, multilingual_options

if TYPE_CHECKING:
    from .._scorer import Scorer

__all__ = ["serve"]

_SERVE_EXTRAS = frozenset(
    {"fastapi", "uvicorn", "starlette", "pydantic", "anyio", "jinja2", "multipart", "python_multipart"}
)


# With --workers N > 1 uvicorn starts N fresh processes that each import the app by name, so the
# options travel to them in this environment variable and each builds its own app.
_WORKER_CONFIG = "TENOR_SERVE_WORKER_CONFIG"


# (enabled, --multilingual-model, --multilingual-threads): the companion engines `tenor serve`
# attaches beside the default one by default (the flags keep their names; the code is generic)
_SHIPPED_COMPANIONS = (True, None, 1)


def _load_scorer(model: str | None, companions: tuple[bool, str | None, int] = _SHIPPED_COMPANIONS) -> Scorer:
    """The scorer with its companion engines (see `_companions`), each limited to the
    --multilingual-threads threads (1 by default: the other cores stay free for the default
    engine's comments and the event loop), and warmed now (Scorer.warm) so that the first comment
    in another language does not wait for an encoder to load. A companion that cannot score is
    left out with a warning, unless it was asked for by name."""
    from .._scorer import Scorer

    enabled, name, threads = companions
    scorer = Scorer(model, multilingual=_companions(enabled, name)).with_threads(threads)
    failed = scorer.warm()
    if not failed:
        return scorer
    if name is not None or scorer.model_version in failed:  # asked for by name: fail
        raise next(iter(failed.values()))
    kinds = {engine.info.version: engine.info.kind for engine in scorer.engines}
    for version, error in failed.items():
        click.echo(f"warning: {kinds[version]} tier off: {error}", err=True)
    working = [engine for engine in scorer.engines if engine.info.version not in failed]
    return Scorer.from_engines(working, max_bytes=scorer.max_bytes)


def _companions(enabled: bool, name: str | None) -> str | bool | None:
    """Scorer's `multilingual` argument for the flags: False for none (--no-multilingual), a
    version name or folder for that engine (--multilingual-model), None for every shipped
    companion whose runtime is installed (none without the `multilingual` extra: no error)."""
    return name if enabled else False


def _load_techniques(name: str | None, enabled: bool):
    """The persuasion-technique model for articles:techniques and UI uploads, or None when off."""
    if not enabled:
        return None
    from ..techniques import load_technique_model

    return load_technique_model(name)


def _worker_app():
    """The app of one worker process under `--workers N` (uvicorn calls this as a factory)."""
    from ..serve import create_app

    config = json.loads(os.environ[_WORKER_CONFIG])
    model, companions = config.pop("model"), tuple(config.pop("multilingual", _SHIPPED_COMPANIONS))
    techniques = _load_techniques(config.pop("techniques_model"), config.pop("techniques"))
    return create_app(_load_scorer(model, companions), techniques=techniques, **config)


_UNITS = {1.0: "s", 60.0: "min"}


def _parse_rate(value: str | None) -> tuple[int, float] | None:
    """'60' or '60/min' -> (60, 60.0); '5/s' -> (5, 1.0)."""
    if value is None:
        return None
    count, _, unit = value.strip().partition("/")
    windows = {"": 60.0, "min": 60.0, "m": 60.0, "s": 1.0, "sec": 1.0}
    if not count.isdigit() or int(count) < 1 or unit.lower() not in windows:
        raise click.BadParameter(
            f"{value!r}: give a positive whole number, optionally with /s or /min (e.g. 60, 60/min, 5/s)."
        )
    return int(count), windows[unit.lower()]


@click.command()
@click.option(
    "--host", default="127.0.0.1", show_default=True, help="Interface to listen on (0.0.0.0 for all)."
)
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="TCP port.")
@click.option(
    "--db",
    "db",
    default="tenor.db",
    show_default=True,
    help="SQLite file for suggestions, API keys and stored requests (':memory:' keeps none).",
)
@click.option(
    "--public-url",
    default=None,
    help="Base URL clients reach this server at, for the discovery document [default: from each request].",
)
@click.option("--model", default=None, help="A shipped model version or a folder made by `tenor train`.")
@click.option(
    "--api-key",
    default=None,
    envvar="TENOR_API_KEY",
    help="Also accept this key (?key=, X-Goog-Api-Key or Authorization: Bearer) and require a key"
    " [default: a key is required only once `tenor keys create` made one].",
)
@click.option(
    "--rate-limit",
    default=None,
    callback=lambda ctx, param, value: _parse_rate(value),
    metavar="N[/s|/min]",
    help="Allow N comments:analyze requests per minute (N or N/min) or per second (N/s) per key"
    " (per client IP without a key); more get 429 RESOURCE_EXHAUSTED [default: no limit].",
)
@click.option(
    "--store-requests",
    is_flag=True,
    default=False,
    help="Keep each analyze request (text, attributes, scores) in --db, except those with"
    " doNotStore: true [default: keep nothing from analyze].",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    metavar="N",
    help="Server processes sharing the port, each with its own copy of the model (about"
    " 200 MB each). --rate-limit then counts per process, and --db :memory: is one"
    " database per process.",
)
@click.option(
    "--import-dir",
    "import_dirs",
    multiple=True,
    type=click.Path(exists=True, file_okay=False),
    help="A folder whose page files reviewers may import in the UI by path (repeatable) [default: upload only].",
)
@click.option("--no-ui", is_flag=True, help="Serve the API only, without the review UI under /ui.")
@click.option(
    "--techniques-model",
    default=None,
    metavar="TEXT",
    help="The persuasion-technique model: a shipped version or a folder [default: the shipped one].",
)
@click.option(
    "--no-techniques",
    is_flag=True,
    help="Load no technique model: articles:techniques answers 501 and UI uploads get no techniques.",
)
@multilingual_options
@click.option(
    "--multilingual-threads",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    metavar="N",
    help="CPU threads of the multilingual encoder (each comment takes it ~50-90 ms a thread); the"
    " default leaves the other cores to English comments, which are scored far faster.",
)
def serve(
    host: str,
    port: int,
    db: str,
    public_url: str | None,
    model: str | None,
    api_key: str | None,
    rate_limit: tuple[int, float] | None,
    store_requests: bool,
    workers: int,
    import_dirs: tuple[str, ...],
    no_ui: bool,
    techniques_model: str | None,
    no_techniques: bool,
    multilingual_model: str | None,
    no_multilingual: bool,
    multilingual_threads: int,
) -> None:
    """Serve Perspective API's comments:analyze, comments:suggestscore and discovery over HTTP,
    tenor's articles:techniques (persuasion techniques in an article), and the review UI at /ui
    (reviewer accounts: `tenor reviewers add NAME`)."""
    if no_techniques and techniques_model is not None:
        raise click.UsageError("--techniques-model and --no-techniques contradict each other; give one.")
    _multilingual(no_multilingual, multilingual_model)  # the two flags contradict each other
    with requires_extra("serve", _SERVE_EXTRAS, "serving"):
        import uvicorn

        from ..serve import create_app
    limit, window = rate_limit or (None, 60.0)
    options = {
        "public_url": public_url,
        "db_path": db,
        "api_key": api_key,
        "rate_limit_per_minute": limit,
        "rate_limit_window_s": window,
        "store_requests": store_requests,
        "ui": not no_ui,
        "import_dirs": [str(Path(d).resolve()) for d in import_dirs],
    }
    chosen = (techniques_model, not no_techniques)
    companions = (not no_multilingual, multilingual_model, multilingual_threads)
    if workers == 1:
        try:
            app = create_app(_load_scorer(model, companions), techniques=_load_techniques(*chosen), **options)  # type: ignore[arg-type]
        except (
            ImportError
        ) as e:  # a postgresql:// --db without the [postgres] extra: the message says what to install
            raise click.ClickException(str(e)) from None
        version, keyed = (
            app.state.scorer.model_version,
            api_key is not None or app.state.store.keys_required(),
        )
        technique_version = app.state.techniques.version if app.state.techniques is not None else None
        companions_banner = _companions_line(app.state.scorer)
    else:
        # A bad --model, --techniques-model, --multilingual-model or --db fails before any worker
        # starts, and the database schema is migrated once, before the workers open it; done in a
        # short-lived process so that this supervisor does not keep a copy of the models while the
        # workers serve.
        version, keyed, technique_version, companions_banner = _probe(model, options, chosen, companions)
    per = " per worker" if workers > 1 else ""
    click.echo(
        f"tenor serving model {version} on http://{host}:{port}/"
        + (f" with {workers} worker processes" if workers > 1 else ""),
        err=True,
    )
    click.echo(
        f"  persuasion techniques: {f'model {technique_version}' if technique_version else 'off (--no-techniques)'}",
        err=True,
    )
    if companions_banner:
        threads = f"{multilingual_threads} encoder thread{'s' if multilingual_threads > 1 else ''}{per}"
        click.echo(f"  other languages: {companions_banner}, {threads}", err=True)
    else:
        click.echo(f"  other languages: off, English only ({_why_no_companions(no_multilingual)})", err=True)
    if not no_ui:
        click.echo(
            f"  review UI: http://{host}:{port}/ui/ (accounts: tenor reviewers add NAME --db {shown(db)})",
            err=True,
        )
    click.echo(
        f"  API key: {'required' if keyed else 'not required'}; rate limit: "
        f"{f'{limit}/{_UNITS[window]}{per}' if limit else 'off'}; analyze requests stored: {'yes' if store_requests else 'no'}",
        err=True,
    )
    # uvicorn's own access log prints the query string, which may hold an API key: tenor logs
    # requests itself (tenor.serve.access), without query or body.
    if workers == 1:
        uvicorn.run(app, host=host, port=port, access_log=False, log_level="info", log_config=_log_config())
        return
    os.environ[_WORKER_CONFIG] = json.dumps(
        {
            "model": model,
            "techniques_model": techniques_model,
            "techniques": not no_techniques,
            "multilingual": list(companions),
            **options,
        }
    )
    _run_workers(
        uvicorn.Config(
            f"{__name__}:_worker_app",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            access_log=False,
            log_level="info",
            log_config=_log_config(),
        )
    )


def _log_config() -> dict[str, Any]:
    """uvicorn's logging setup plus tenor's loggers (the access log, tenor.serve.access) on its
    stderr handler: uvicorn configures only its own loggers, so without this every access line
    was dropped (found by tests/test_docs.py)."""
    import copy

    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["tenor"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


_SHIPPED_TECHNIQUES = (None, True)  # (--techniques-model, loaded): what `tenor serve` does by default


def _companions_line(scorer: Scorer) -> str | None:
    """'model multilingual-2026.11.0 (es, fr, ...; TOXICITY)' for the startup banner: each engine
    beside the default one, with the languages it adds and its attributes; None when there is none."""
    default = scorer.default_engine.info
    lines = []
    for engine in scorer.engines[1:]:
        info = engine.info
        languages = [lang for lang in info.all_languages if lang not in default.all_languages]
        lines.append(f"model {info.version} ({', '.join(languages)}; {', '.join(info.attributes)})")
    return "; ".join(lines) or None


def _why_no_companions(no_multilingual: bool) -> str:
    """Why the banner says English only: the flag, a companion that would not start, or its extra."""
    from ..engines import companions

    if no_multilingual:
        return "--no-multilingual"
    if any(companion.available() for companion in companions()):
        return "see the warning above"
    hints = " or ".join(companion.install_hint for companion in companions())
    return f"{hints} to add them" if hints else "no companion engine is registered"


def _check(
    model: str | None,
    options: dict,
    techniques: tuple[str | None, bool] = _SHIPPED_TECHNIQUES,
    companions: tuple[bool, str | None, int] = _SHIPPED_COMPANIONS,
) -> tuple[str, bool, str | None, str | None]:
    """(model version, whether a key is required, technique model version or None, the companion
    engines' banner line or None), having built the app once and closed it."""
    from ..serve import create_app

    app = create_app(_load_scorer(model, companions), techniques=_load_techniques(*techniques), **options)
    try:
        found = app.state.techniques
        keyed = options["api_key"] is not None or app.state.store.keys_required()
        return (
            app.state.scorer.model_version,
            keyed,
            found.version if found is not None else None,
            _companions_line(app.state.scorer),
        )
    finally:
        app.state.store.close()


def _probe(
    model: str | None,
    options: dict,
    techniques: tuple[str | None, bool] = _SHIPPED_TECHNIQUES,
    companions: tuple[bool, str | None, int] = _SHIPPED_COMPANIONS,
) -> tuple[str, bool, str | None, str | None]:
    """`_check` in a fresh process: errors (a bad --model, an unreachable --db) come back here."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(_check, model, options, techniques, companions).result()


def _run_workers(config) -> None:
    """What `uvicorn.run(..., workers=N)` does, with one fix: uvicorn binds the shared socket as
    `socket.socket(family)`, whose `proto` is 0, and asyncio then skips TCP_NODELAY on every
    accepted connection (it checks proto == IPPROTO_TCP). Starlette writes headers and body
    separately, so Nagle's algorithm plus delayed ACKs held each response ~40 ms: 22 requests/s
    on one connection. The same socket, re-wrapped with its real protocol, gets TCP_NODELAY."""
    import inspect
    import socket

    from uvicorn import Server
    from uvicorn.supervisors import Multiprocess

    sock = config.bind_socket()
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.proto == 0:
        sock = socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())
    kwargs = {"target": Server(config).run} if "target" in inspect.signature(Multiprocess).parameters else {}
    try:
        Multiprocess(config, sockets=[sock], **kwargs).run()
    except KeyboardInterrupt:
        pass
