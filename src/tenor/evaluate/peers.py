"""Peer libraries that `tenor eval --peers` scores beside tenor.

Each peer lives in its own virtual environment, so its pins never constrain tenor's, and runs as a
subprocess (_peer_runner.py, by path, with the peer venv's python) that streams JSON lines.

    peer = ensure_peer("hatesonar")            # makes the venv once, then re-uses it
    peer.predict(["you idiot", "hello"])       # {"IDENTITY_ATTACK": [...], "TOXICITY": [...]}
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from ._peer_errors import PeerError, PeerInstallError, PeerLocaleError, PeerRunError

__all__ = ["PEERS", "Peer", "PeerSpec", "ensure_peer"]


@dataclass(frozen=True)
class PeerSpec:
    name: str
    requirement: str
    attributes: dict[str, str]
    note: str


PEERS: dict[str, PeerSpec] = {
    spec.name: spec
    for spec in (
        PeerSpec(
            name="alt-profanity-check",
            requirement="alt-profanity-check==1.9.1",
            attributes={"PROFANITY": "predict_prob", "TOXICITY": "predict_prob"},
            note=(
                "predict_prob (a calibrated linear SVM on bag-of-words) is read as both PROFANITY and"
                " TOXICITY, because its 'offensive' label was trained on Davidson et al. tweets plus the"
                " Jigsaw 2018 toxic-comment train set (any toxic label counted as offensive)."
            ),
        ),
        PeerSpec(
            name="hatesonar",
            requirement="hatesonar==0.1.0",
            attributes={
                "IDENTITY_ATTACK": "P(hate_speech)",
                "TOXICITY": "P(hate_speech) + P(offensive_language)",
            },
            note=(
                "Sonar().ping gives Davidson et al.'s three class probabilities: hate_speech (hatred of a"
                " targeted group) is read as IDENTITY_ATTACK and hate_speech + offensive_language"
                " (= 1 - neither) as TOXICITY; it has no profanity class of its own."
            ),
        ),
        PeerSpec(
            name="better-profanity",
            requirement="better-profanity==0.7.0",
            attributes={"PROFANITY": "contains_profanity (0/1)", "TOXICITY": "contains_profanity (0/1)"},
            note=(
                "contains_profanity (a word-list match with leetspeak variants) is read as 1.0 or 0.0 for"
                " both PROFANITY and TOXICITY, since a swear-word list is its only signal; being 0/1, its"
                " AUC is that of a single operating point."
            ),
        ),
    )
}

RUNNER = Path(__file__).with_name("_peer_runner.py")
# Written last, after pip and the probe succeed: a venv without it is unfinished and rebuilt.
READY_MARKER = ".tenor-peer-ready"
INSTALL_LOG = "tenor-install.log"


class Peer:
    """One installed peer: `predict` streams texts through its runner process."""

    def __init__(self, spec: PeerSpec, python: Path, version: str) -> None:
        self.spec = spec
        self.python = python
        self.version = version

    def __repr__(self) -> str:
        return f"Peer({self.spec.name}=={self.version}, python={self.python})"

    def predict(self, texts: Sequence[str]) -> dict[str, list[float]]:
        texts = list(texts)
        if not all(isinstance(text, str) for text in texts):
            raise TypeError("Peer.predict takes a sequence of str")  # a None would crash the peer instead
        rows = _run_runner(self.spec, self.python, texts)
        if len(rows) != len(texts):
            raise PeerRunError(self.spec.name, f"returned {len(rows)} scores for {len(texts)} texts")
        expected = set(self.spec.attributes)
        if rows and set(rows[0]) != expected:
            problem = f"returned attributes {sorted(rows[0])}, expected {sorted(expected)}"
            raise PeerRunError(self.spec.name, problem)
        return {attribute: [float(row[attribute]) for row in rows] for attribute in self.spec.attributes}


def ensure_peer(name: str, cache_dir: Path | None = None, *, log: Callable[[str], None] = print) -> Peer:
    """Create (once) a venv for the peer under cache_dir (default: $TENOR_PEERS_DIR or
    ~/.cache/tenor/peers), in <name>-<pin hash>/, pip install the pinned requirement into it, and
    return a Peer. Re-uses an existing venv whose marker file says the install finished."""
    if name not in PEERS:
        raise PeerError(f"Unknown peer {name!r}: choose from {', '.join(PEERS)}.")
    spec = PEERS[name]
    venv_dir = peer_venv_dir(spec, cache_dir)
    python = venv_python(venv_dir)
    if is_ready(venv_dir, spec):
        return Peer(spec, python, _probe_version(spec, python))
    if venv_dir.exists():
        log(f"{name}: removing the unfinished venv {venv_dir}")
        shutil.rmtree(venv_dir)
    log(f"{name}: installing {spec.requirement} into {venv_dir}")
    venv_dir.mkdir(parents=True)
    log_file = venv_dir / INSTALL_LOG
    _logged_step(spec, log_file, "creating the venv", [sys.executable, "-m", "venv", str(venv_dir)])
    pip = [str(python), "-m", "pip", "--disable-pip-version-check", "--no-input"]
    _logged_step(spec, log_file, "pip install", [*pip, "install", spec.requirement])
    # the exact versions pulled in, kept for whoever has to reproduce a peer's numbers
    freeze = subprocess.run([*pip, "freeze"], capture_output=True, text=True, check=False).stdout
    marker = {"requirement": spec.requirement, "python": _python_tag(), "freeze": freeze.split()}
    (venv_dir / READY_MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
    # probed after the marker: a machine-level problem (the locale) must not cost a reinstall
    version = _probe_version(spec, python)
    log(f"{name}: {version} ready")
    return Peer(spec, python, version)


def peer_venv_dir(spec: PeerSpec, cache_dir: Path | None = None) -> Path:
    root = cache_dir or Path(os.environ.get("TENOR_PEERS_DIR") or Path.home() / ".cache" / "tenor" / "peers")
    # the interpreter is part of the key: a venv is bound to the Python that made it
    digest = hashlib.sha256(f"{spec.requirement}|{_python_tag()}".encode()).hexdigest()[:12]
    return Path(root) / f"{spec.name}-{digest}"


def venv_python(venv_dir: Path) -> Path:
    return venv_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def is_ready(venv_dir: Path, spec: PeerSpec) -> bool:
    """The venv finished installing exactly this pin, and its python is still there."""
    try:
        marker = json.loads((venv_dir / READY_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        isinstance(marker, dict)
        and marker.get("requirement") == spec.requirement
        and marker.get("python") == _python_tag()
        and venv_python(venv_dir).exists()
    )


def _python_tag() -> str:
    return sys.implementation.cache_tag or f"py{sys.version_info[0]}{sys.version_info[1]}"


def _logged_step(spec: PeerSpec, log_file: Path, step: str, command: list[str]) -> None:
    with log_file.open("a", encoding="utf-8") as out:
        out.write(f"$ {' '.join(command)}\n")
        out.flush()
        try:
            result = subprocess.run(
                command, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, check=False
            )
        except OSError as error:
            out.write(f"{error}\n")
            raise PeerInstallError(spec.name, spec.requirement, log_file, step) from error
    if result.returncode != 0:
        raise PeerInstallError(spec.name, spec.requirement, log_file, step)


def _runner_command(spec: PeerSpec, python: Path, *extra: str) -> tuple[list[str], dict[str, str]]:
    # -P: the runner's own folder (tenor's sources) must not shadow the peer's imports; -s: no user
    # site-packages. tenor's PYTHONPATH is dropped for the same reason; a fixed hash seed keeps any
    # set iteration inside a peer the same from run to run.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}
    env.update(PYTHONHASHSEED="0", PYTHONIOENCODING="utf-8")
    return [str(python), "-P", "-s", str(RUNNER), spec.name, *extra], env


def _probe_version(spec: PeerSpec, python: Path) -> str:
    command, env = _runner_command(spec, python, "--probe")
    try:
        result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, env=env, check=False)
    except OSError as error:
        raise PeerRunError(spec.name, f"cannot start {python}: {error}") from error
    lines = result.stdout.splitlines()
    header = _parse_header(spec, lines[0] if lines else b"", result.stderr.decode("utf-8", "replace"))
    return str(header["version"])


def _parse_header(spec: PeerSpec, line: bytes, stderr: str) -> dict[str, object]:
    """The runner's first line: the version, or why the peer could not load."""
    try:
        header = json.loads(line)
    except ValueError:
        header = None
    if not isinstance(header, dict):
        raise PeerRunError(spec.name, "its runner exited before loading the peer", _tail(stderr))
    if header.get("error") == "locale":
        raise PeerLocaleError(spec.name, str(header.get("message", "")))
    if "error" in header:
        raise PeerRunError(spec.name, f"cannot load it: {header.get('message')}", _tail(stderr))
    return header


def _tail(text: str, lines: int = 15) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _write_texts(pipe: IO[bytes], texts: list[str]) -> None:
    # On its own thread, so the runner's output is read while input is still going in: neither
    # pipe buffer can fill up and block the other side, whatever the number of texts.
    try:
        for text in texts:
            pipe.write(json.dumps(text).encode("ascii") + b"\n")
    except (BrokenPipeError, ValueError, OSError):
        pass  # the runner stopped early; its status and stderr say why
    finally:
        try:
            pipe.close()
        except OSError:
            pass


def _run_runner(spec: PeerSpec, python: Path, texts: list[str]) -> list[dict[str, float]]:
    command, env = _runner_command(spec, python)
    # stderr to a file: a chatty peer (warnings per batch) cannot fill a pipe nobody reads
    with tempfile.TemporaryFile() as stderr_file:
        try:
            process = subprocess.Popen(
                command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr_file, env=env
            )
        except OSError as error:
            raise PeerRunError(spec.name, f"cannot start {python}: {error}") from error
        with process:
            assert process.stdin is not None and process.stdout is not None
            writer = threading.Thread(target=_write_texts, args=(process.stdin, texts), daemon=True)
            writer.start()
            try:
                first = process.stdout.readline()
                lines = process.stdout.readlines()
                writer.join()
            except BaseException:
                process.kill()  # interrupted: do not leave a runner waiting on a pipe
                raise
            status = process.wait()
        stderr_file.seek(0)
        stderr = stderr_file.read().decode("utf-8", "replace")
    _parse_header(spec, first, stderr)
    if status != 0:
        raise PeerRunError(spec.name, f"its runner exited with status {status}", _tail(stderr))
    try:
        return [json.loads(line) for line in lines]
    except ValueError as error:
        raise PeerRunError(spec.name, f"wrote a line that is not JSON ({error})", _tail(stderr)) from error
