"""Executors, where chunks are scored: this machine's cores (a process pool) or a Ray cluster
(Ray Data); `tenor batch --engine local|ray` picks one.

Both take the chunks still to do and hand every `ChunkResult` back to the driver, which alone
writes to disk; results come back in any order (parts are named by chunk index).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from itertools import islice
from typing import Any

from .._errors import TenorError
from .._machine import usable_cores
from .._scorer import Scorer
from ..engines import Engine
from ._work import Chunk, ChunkResult, ChunkScorer, ScoreSettings

__all__ = ["EXECUTORS", "ExecutorOptions", "default_workers", "run_local", "run_ray"]

EXECUTORS = ("local", "ray")
OnResult = Callable[[ChunkResult], None]


@dataclass(frozen=True)
class ExecutorOptions:
    """Where a batch runs (`tenor batch --engine`, --workers, --address)."""

    kind: str = "local"  # one of EXECUTORS: this machine's cores, or Ray
    workers: int | None = None  # processes or Ray actors (default: one per core, or per CPU of the cluster)
    address: str | None = (
        None  # Ray: the cluster to join, e.g. auto or ray://head:10001 (default: start Ray here)
    )


def default_workers() -> int:
    return usable_cores()


_worker_scorer: ChunkScorer | None = None
_inherited: ChunkScorer | None = None  # the driver's, handed to forked workers


def _exit_with_parent(parent: int) -> None:
    # A pool worker outlives a SIGKILLed driver (it holds its own end of the task queue, so it
    # never sees EOF): it leaves as soon as it is orphaned instead of idling forever.
    while os.getppid() == parent:
        time.sleep(0.25)
    os._exit(1)


def _init_worker(settings: ScoreSettings, parent: int) -> None:
    global _worker_scorer
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the driver's to handle, once
    threading.Thread(target=_exit_with_parent, args=(parent,), daemon=True, name="exit-with-parent").start()
    inherited = _inherited if _inherited is not None and _inherited.settings == settings else None
    _worker_scorer = inherited or ChunkScorer(settings)


def _score_in_worker(chunk: Chunk) -> ChunkResult:
    assert _worker_scorer is not None, "the pool initializer loads the model"
    return _worker_scorer(chunk)


def _runtime_loaded(engine: Engine) -> bool:
    """Whether `engine` runs a native runtime in this process. Duck-typed: an engine whose
    runtime loads lazily and does not survive a fork (an OpenMP thread pool, say) tells with a
    `loaded` property; the Engine protocol does not require one."""
    return bool(getattr(engine, "loaded", False))


def _start_method(*scorers: Scorer | None) -> str:
    """fork where it is safe (Linux, no other thread in this process): workers start at once and
    share the driver's model pages, which measured ~10% less CPU per row than a private copy
    each (two copies of the weights crowd the shared CPU cache). Otherwise spawn: forking a
    threaded process can deadlock the child on a lock some other thread held. An engine runtime
    already loaded in this process counts as a thread (see _runtime_loaded; a companion engine's
    loads on the first text in its languages, which the CLI's driver never scores)."""
    runtime_loaded = any(s is not None and any(_runtime_loaded(e) for e in s.engines) for s in scorers)
    if sys.platform == "linux" and threading.active_count() == 1 and not runtime_loaded:
        return "fork"
    return "spawn"


def run_local(
    chunks: Iterable[Chunk],
    settings: ScoreSettings,
    workers: int,
    on_result: OnResult,
    scorer: Scorer | None = None,
) -> None:
    """One worker scores in this process (with `scorer`, the driver's, when given); more get a
    pool of processes, each with the models loaded once, with at most two chunks per worker in
    flight so memory stays flat. Every worker's engines run one thread each."""
    global _inherited
    in_process = ChunkScorer(settings, scorer)
    if workers <= 1:
        for chunk in chunks:
            on_result(in_process(chunk))
        return
    context = multiprocessing.get_context(_start_method(scorer, in_process.scorer))
    _inherited = in_process if context.get_start_method() == "fork" else None
    try:
        with ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init_worker, initargs=(settings, os.getpid())
        ) as pool:
            _submit_all(pool, chunks, workers, on_result)
    finally:
        _inherited = None


def _submit_all(
    pool: ProcessPoolExecutor, chunks: Iterable[Chunk], workers: int, on_result: OnResult
) -> None:
    pending: set[Future[ChunkResult]] = set()
    try:
        for chunk in chunks:
            pending.add(pool.submit(_score_in_worker, chunk))
            if len(pending) >= 2 * workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    on_result(future.result())
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                on_result(future.result())
    except BaseException:
        for future in pending:
            future.cancel()
        raise


class _RayChunkScorer:
    """A Ray Data actor: the models load once per actor (every engine of the driver's scorer, as
    its settings say, each on one thread: an actor holds one CPU), a batch is one pickled chunk."""

    settings: ScoreSettings  # set on a subclass made per run (see run_ray), not passed as an argument

    def __init__(self) -> None:
        self.scorer = ChunkScorer(self.settings)

    def __call__(self, batch: dict[str, Any]) -> dict[str, list[Any]]:
        results = [pickle.dumps(self.scorer(pickle.loads(payload))) for payload in batch["payload"]]
        return {"index": list(batch["index"]), "result": results}


def _windows(chunks: Iterable[Chunk], size: int) -> Iterator[list[Chunk]]:
    source = iter(chunks)
    while window := list(islice(source, size)):
        yield window


def _run_window(
    window: list[Chunk], actor_class: type, actors: int, on_result: OnResult, attempts: int = 3
) -> None:
    """Score one window; when an actor or node is lost, the chunks not yet back are tried again
    (Ray's own actor restarts are off: they would re-ship constructor state through the object
    store, which Ray warns is fragile)."""
    import ray.data

    todo = {c.index: c for c in window}
    for attempt in range(1, attempts + 1):
        items = [{"index": i, "payload": pickle.dumps(c)} for i, c in todo.items()]
        with warnings.catch_warnings():
            # max_restarts has no named parameter yet and goes through the deprecated **ray_remote_args
            # (the ray extra's upper bound, <2.64, is where Ray removes it)
            warnings.simplefilter("ignore", DeprecationWarning)
            dataset = ray.data.from_items(items, override_num_blocks=len(items)).map_batches(
                actor_class,
                batch_size=1,
                batch_format="numpy",
                compute=ray.data.ActorPoolStrategy(size=min(actors, len(items))),
                num_cpus=1,
                max_restarts=0,
            )
        try:
            for row in dataset.iter_rows():
                result: ChunkResult = pickle.loads(row["result"])
                on_result(result)
                del todo[result.index]
            return
        except ray.exceptions.RayError as error:
            cause = getattr(error, "cause", None)
            if isinstance(cause, TenorError):  # a worker refusing to work (another model): no retry helps
                raise cause from None
            if attempt == attempts:
                raise


def run_ray(
    chunks: Iterable[Chunk],
    settings: ScoreSettings,
    workers: int | None,
    address: str | None,
    on_result: OnResult,
) -> int:
    """Score on Ray: `address` None starts a local Ray instance with `workers` CPUs; otherwise
    connects to that cluster (`auto`, `ray://head:10001`) and uses `workers` actors, or one per
    CPU of the cluster. The driver reads the inputs and ships chunks through Ray's object store,
    so workers need tenor and its model, not the input files. Returns the actor count used."""
    import ray
    import ray.data

    started = not ray.is_initialized()
    if started:
        ray.init(
            address=address,
            num_cpus=(workers or default_workers()) if address is None else None,
            include_dashboard=False,
            log_to_driver=False,
            logging_level=logging.ERROR,
            configure_logging=True,
        )
    try:
        data_context = ray.data.DataContext.get_current()
        data_context.enable_progress_bars = False
        data_context.execution_options.preserve_order = True
        logging.getLogger("ray.data").setLevel(logging.ERROR)
        # Settings travel in the class (pickled by value), not as constructor arguments, which
        # Ray would keep in the object store and warn about on every actor.
        actor_class = type("ChunkScorerActor", (_RayChunkScorer,), {"settings": settings})
        actors = workers or max(1, int(ray.cluster_resources().get("CPU", 1)))
        # A dataset per window of chunks: the driver streams the inputs without holding them
        # all, and each window is long enough (8 chunks per actor) that starting actors is noise.
        for window in _windows(chunks, max(16, 8 * actors)):
            _run_window(window, actor_class, actors, on_result)
        return actors
    finally:
        if started:
            ray.shutdown()
