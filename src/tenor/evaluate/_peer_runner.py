"""Scores texts with one peer library, inside that peer's own virtual environment.

Run by path with the peer venv's python (`python -P -s _peer_runner.py <peer>`); it must import
nothing from tenor, because tenor is not installed there. tenor.evaluate.peers drives it.

Protocol, JSON lines on both pipes:
  stdout line 1   {"peer": name, "version": installed version}
              or  {"error": "locale" | "load", "message": ...} and exit status 2
  stdin           one JSON string per line, the texts
  stdout          one {attribute: score} per text, same order
With --probe it stops after line 1 (tenor reads the version and checks the model loads).

The map_* functions are pure, so tenor's tests import this module to check them.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from importlib.metadata import version

# Texts scored per round trip: big enough to amortise the peers' per-call overhead, small enough
# that output starts early and memory stays flat on tens of thousands of texts.
BATCH = 256

Scores = dict[str, float]


def map_profanity_check(probability: float) -> Scores:
    """alt-profanity-check's P(offensive) stands for both PROFANITY and TOXICITY."""
    p = float(probability)
    return {"PROFANITY": p, "TOXICITY": p}


def map_hatesonar(classes: Sequence[Mapping[str, object]]) -> Scores:
    """hatesonar's three Davidson et al. classes: hate speech is an identity attack; hate or
    offensive language is toxic."""
    p = {str(c["class_name"]): float(c["confidence"]) for c in classes}  # type: ignore[arg-type]
    hate, offensive = p["hate_speech"], p["offensive_language"]
    # float32 probabilities can sum a hair above 1
    return {"IDENTITY_ATTACK": hate, "TOXICITY": min(1.0, hate + offensive)}


def map_better_profanity(contains_profanity: bool) -> Scores:
    """better-profanity only says yes or no: 1.0 or 0.0 for PROFANITY and TOXICITY."""
    flag = 1.0 if contains_profanity else 0.0
    return {"PROFANITY": flag, "TOXICITY": flag}


def _load_profanity_check() -> Callable[[list[str]], list[Scores]]:
    from profanity_check import predict_prob  # type: ignore[import-not-found]  # only in the peer's venv

    # one vectorised call per batch; rows are independent, so batching does not change a score
    return lambda texts: [map_profanity_check(p) for p in predict_prob(texts)]


def _load_hatesonar() -> Callable[[list[str]], list[Scores]]:
    from hatesonar import Sonar  # type: ignore[import-not-found]  # only in the peer's venv

    sonar = Sonar()
    # ping() one text at a time, the library's own API: feeding the ONNX session whole batches
    # is no faster here and changes the last bits of the probabilities
    return lambda texts: [map_hatesonar(sonar.ping(t)["classes"]) for t in texts]


def _load_better_profanity() -> Callable[[list[str]], list[Scores]]:
    from better_profanity import profanity  # type: ignore[import-not-found]  # only in the peer's venv

    return lambda texts: [map_better_profanity(profanity.contains_profanity(t)) for t in texts]


LOADERS: dict[str, Callable[[], Callable[[list[str]], list[Scores]]]] = {
    "alt-profanity-check": _load_profanity_check,
    "hatesonar": _load_hatesonar,
    "better-profanity": _load_better_profanity,
}

# What onnxruntime says when the en_US.UTF-8 locale that hatesonar's model asks for is missing.
LOCALE_FAILURE = "Failed to construct locale"


def classify_load_error(error: BaseException) -> str:
    return "locale" if LOCALE_FAILURE in str(error) else "load"


def _batches(lines: Iterable[bytes]) -> Iterable[list[str]]:
    texts = (json.loads(line) for line in lines if line.strip())
    while batch := list(itertools.islice(texts, BATCH)):
        yield batch


def _emit(out, obj: object) -> None:
    out.write(json.dumps(obj).encode("ascii") + b"\n")


def main(argv: list[str]) -> int:
    name, probe = argv[0], "--probe" in argv[1:]
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # anything a peer prints must not land among the protocol lines
    try:
        score = LOADERS[name]()
    except Exception as error:  # noqa: BLE001  # reported to tenor, which raises a TenorError with the fix
        _emit(out, {"error": classify_load_error(error), "message": f"{type(error).__name__}: {error}"})
        out.flush()
        return 2
    _emit(out, {"peer": name, "version": version(name)})
    out.flush()
    if probe:
        return 0
    for batch in _batches(sys.stdin.buffer):
        for scores in score(batch):
            _emit(out, scores)
        out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
