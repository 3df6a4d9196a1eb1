"""Errors of the peer libraries `tenor eval --peers` runs beside tenor.

TenorError
└── PeerError                 a peer cannot be installed or run
    ├── PeerInstallError      its venv could not be made (pip log named)
    ├── PeerLocaleError       hatesonar's model needs the en_US.UTF-8 locale
    └── PeerRunError          the peer process failed or broke the protocol
"""

from __future__ import annotations

from pathlib import Path

from .._errors import TenorError

__all__ = ["PeerError", "PeerInstallError", "PeerLocaleError", "PeerRunError"]

# The fix, as it goes into the docs and CI. Both build the same en_US.UTF-8 data from glibc's
# sources (LOCPATH just needs no root); hatesonar's scores on 2,897 Jigsaw texts were identical.
LOCALE_FIX_ROOT = (
    "apt-get update && apt-get install -y locales"
    " && sed -i 's/^# *en_US.UTF-8 UTF-8/en_US.UTF-8 UTF-8/' /etc/locale.gen && locale-gen"
)
LOCALE_FIX_USER = (
    "mkdir -p ~/.cache/tenor/locale && localedef -i en_US -c -f UTF-8 ~/.cache/tenor/locale/en_US.UTF-8"
    " && export LOCPATH=~/.cache/tenor/locale"
)


class PeerError(TenorError):
    """A peer library cannot be installed or run."""


class PeerInstallError(PeerError):
    def __init__(self, peer: str, requirement: str, log_file: Path, step: str) -> None:
        self.peer = peer
        self.log_file = log_file
        super().__init__(
            f"Could not install peer {peer} ({requirement}): {step} failed; see {log_file}."
            " Check that pip can reach a package index (or set PIP_INDEX_URL / PIP_FIND_LINKS),"
            " then rerun: the unfinished venv is rebuilt."
        )


class PeerLocaleError(PeerError):
    def __init__(self, peer: str, detail: str) -> None:
        self.peer = peer
        super().__init__(
            f"Peer {peer} cannot load its model: onnxruntime needs the en_US.UTF-8 locale, which is not"
            " generated on this machine. Generate it, then rerun:\n"
            f"  as root (Debian/Ubuntu):  {LOCALE_FIX_ROOT}\n"
            f"  or without root, in the shell that runs tenor:  {LOCALE_FIX_USER}\n"
            f"(the peer said: {detail.strip()})"
        )


class PeerRunError(PeerError):
    def __init__(self, peer: str, problem: str, stderr_tail: str = "") -> None:
        self.peer = peer
        tail = f" Its stderr ends with:\n{stderr_tail}" if stderr_tail.strip() else ""
        super().__init__(f"Peer {peer} failed: {problem}.{tail}")
