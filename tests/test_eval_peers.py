"""Peer scorers of `tenor eval --peers`: output mapping, the ready marker, install failures, and the
subprocess protocol (against stand-in peers in a pip-less venv, so no network is needed). One slow
test installs the real better-profanity."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import textwrap
import venv
from pathlib import Path
from urllib.parse import urlparse

import pytest

for _module in ("sklearn", "pandas"):
    pytest.importorskip(_module, reason="tenor.evaluate needs the `eval` extra (scikit-learn, pandas)")

from tenor import TenorError
from tenor._attributes import PERSPECTIVE_ATTRIBUTES
from tenor.evaluate import _peer_runner as runner
from tenor.evaluate import peers
from tenor.evaluate._peer_errors import PeerInstallError, PeerLocaleError, PeerRunError
from tenor.evaluate.peers import (
    PEERS,
    PeerSpec,
    ensure_peer,
    is_ready,
    peer_venv_dir,
    venv_python,
)

# --- mapping of each peer's raw output ------------------------------------------------------------


def _sonar_classes(hate: float, offensive: float, neither: float) -> list[dict[str, object]]:
    names = ("hate_speech", "offensive_language", "neither")
    return [{"class_name": n, "confidence": c} for n, c in zip(names, (hate, offensive, neither))]


def test_hatesonar_hate_is_identity_attack_and_hate_plus_offensive_is_toxicity() -> None:
    scores = runner.map_hatesonar(_sonar_classes(0.25, 0.5, 0.25))
    assert scores == {"IDENTITY_ATTACK": 0.25, "TOXICITY": 0.75}
    # float32 probabilities may sum past 1; a score never does
    assert runner.map_hatesonar(_sonar_classes(0.6, 0.40000006, 0.0))["TOXICITY"] == 1.0


def test_profanity_check_probability_is_profanity_and_toxicity() -> None:
    assert runner.map_profanity_check(0.8) == {"PROFANITY": 0.8, "TOXICITY": 0.8}
    assert type(runner.map_profanity_check(0.8)["PROFANITY"]) is float


def test_better_profanity_flag_is_zero_or_one() -> None:
    assert runner.map_better_profanity(True) == {"PROFANITY": 1.0, "TOXICITY": 1.0}
    assert runner.map_better_profanity(False) == {"PROFANITY": 0.0, "TOXICITY": 0.0}


def test_specs_agree_with_the_runner() -> None:
    assert set(PEERS) == set(runner.LOADERS) == {"alt-profanity-check", "hatesonar", "better-profanity"}
    mapped = {
        "alt-profanity-check": runner.map_profanity_check(0.5),
        "hatesonar": runner.map_hatesonar(_sonar_classes(0.2, 0.3, 0.5)),
        "better-profanity": runner.map_better_profanity(True),
    }
    for name, spec in PEERS.items():
        assert spec.name == name
        assert spec.requirement.startswith(f"{name}==")  # an exact pin
        assert set(spec.attributes) <= set(PERSPECTIVE_ATTRIBUTES)
        assert set(spec.attributes) == set(mapped[name])
        assert spec.note.endswith(".")


def test_load_errors_are_classified() -> None:
    onnx = RuntimeError("FAIL : Failed to construct locale with name:en_US.UTF-8:locale::facet")
    assert runner.classify_load_error(onnx) == "locale"
    assert runner.classify_load_error(ImportError("No module named 'hatesonar'")) == "load"


# --- where venvs live, and when one is ready -------------------------------------------------------

SPEC = PEERS["better-profanity"]


def test_venv_dir_is_keyed_by_pin_and_honours_tenor_peers_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TENOR_PEERS_DIR", str(tmp_path / "env"))
    default = peer_venv_dir(SPEC)
    assert default.parent == tmp_path / "env" and default.name.startswith("better-profanity-")
    assert peer_venv_dir(SPEC, tmp_path / "arg").parent == tmp_path / "arg"
    other_pin = PeerSpec(SPEC.name, "better-profanity==0.6.1", SPEC.attributes, SPEC.note)
    assert peer_venv_dir(other_pin) != default


def _write_marker(venv_dir: Path, requirement: str = SPEC.requirement) -> None:
    marker = {"requirement": requirement, "python": peers._python_tag(), "freeze": []}
    (venv_dir / peers.READY_MARKER).write_text(json.dumps(marker), encoding="utf-8")


def test_ready_only_with_a_matching_marker_and_a_python(tmp_path: Path) -> None:
    venv_dir = tmp_path / "v"
    venv_python(venv_dir).parent.mkdir(parents=True)
    assert not is_ready(venv_dir, SPEC)  # no marker: pip never finished
    _write_marker(venv_dir)
    assert not is_ready(venv_dir, SPEC)  # no interpreter
    venv_python(venv_dir).touch()
    assert is_ready(venv_dir, SPEC)
    _write_marker(venv_dir, "better-profanity==0.6.1")
    assert not is_ready(venv_dir, SPEC)
    (venv_dir / peers.READY_MARKER).write_text("{trunc", encoding="utf-8")
    assert not is_ready(venv_dir, SPEC)


def test_unknown_peer_is_a_tenor_error() -> None:
    with pytest.raises(TenorError, match="choose from alt-profanity-check"):
        ensure_peer("perspective")


def test_failed_install_names_the_peer_and_log_and_is_not_ready(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bogus = PeerSpec("tenor-bogus-peer", "tenor-bogus-peer==0.0.0", {"TOXICITY": "x"}, "None.")
    monkeypatch.setitem(PEERS, bogus.name, bogus)
    # no index and an empty find-links folder: pip fails in a second, network or not
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path / "no-wheels"))
    (tmp_path / "no-wheels").mkdir()
    venv_dir = peer_venv_dir(bogus, tmp_path / "peers")
    venv_dir.mkdir(parents=True)
    (venv_dir / "left-over-from-an-interrupted-install").touch()
    messages: list[str] = []

    with pytest.raises(PeerInstallError) as caught:
        ensure_peer(bogus.name, tmp_path / "peers", log=messages.append)

    log_file = venv_dir / peers.INSTALL_LOG
    assert "tenor-bogus-peer" in str(caught.value) and str(log_file) in str(caught.value)
    assert "pip install failed" in str(caught.value)
    assert "No matching distribution found for tenor-bogus-peer" in log_file.read_text(encoding="utf-8")
    assert any("removing the unfinished venv" in m for m in messages)
    assert not (venv_dir / "left-over-from-an-interrupted-install").exists()
    assert not is_ready(venv_dir, bogus)


# --- the runner protocol, against stand-in peers ---------------------------------------------------

FAKE_BETTER_PROFANITY = """
print("stand-in better_profanity imported")  # a chatty peer must not corrupt the protocol

class _Profanity:
    def contains_profanity(self, text):
        if text == "crash now":
            raise RuntimeError("stand-in peer crashed")
        return "darn" in text

profanity = _Profanity()
"""

FAKE_HATESONAR = """
class Sonar:
    def __init__(self):
        raise RuntimeError(
            "[ONNXRuntimeError] : 1 : FAIL : Exception during initialization: string_normalizer.cc:235"
            " Failed to construct locale with name:en_US.UTF-8:locale::facet::_S_create_c_locale"
        )
"""


def _install_stand_in(site_packages: Path, module: str, distribution: str, version: str, source: str) -> None:
    (site_packages / module).mkdir()
    (site_packages / module / "__init__.py").write_text(textwrap.dedent(source), encoding="utf-8")
    dist_info = site_packages / f"{module}-{version}.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {distribution}\nVersion: {version}\n", encoding="utf-8"
    )


@pytest.fixture(scope="module")
def stand_in_peers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A peers root holding ready venvs (no pip, so made in milliseconds) whose better-profanity
    and hatesonar are stand-ins."""
    root = tmp_path_factory.mktemp("peers")
    for name, module, source in (
        ("better-profanity", "better_profanity", FAKE_BETTER_PROFANITY),
        ("hatesonar", "hatesonar", FAKE_HATESONAR),
    ):
        venv_dir = peer_venv_dir(PEERS[name], root)
        venv.create(venv_dir, with_pip=False)
        purelib = subprocess.run(
            [str(venv_python(venv_dir)), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        version = PEERS[name].requirement.split("==")[1]
        _install_stand_in(Path(purelib), module, name, version, source)
        _write_marker(venv_dir, PEERS[name].requirement)
    return root


def test_ready_venv_is_reused_and_reports_its_installed_version(stand_in_peers: Path) -> None:
    messages: list[str] = []
    peer = ensure_peer("better-profanity", stand_in_peers, log=messages.append)
    assert peer.version == "0.7.0" and peer.spec is PEERS["better-profanity"]
    assert messages == []  # nothing installed
    assert not (peer_venv_dir(SPEC, stand_in_peers) / peers.INSTALL_LOG).exists()


def test_many_texts_stream_through_in_order(stand_in_peers: Path) -> None:
    peer = ensure_peer("better-profanity", stand_in_peers, log=lambda _: None)
    # more than any pipe buffer holds, with newlines, unicode and empty texts on the way
    texts = [f"line {i}\nwith \u00e9, {'darn' if i % 7 == 0 else 'fine'} \U0001f600" for i in range(30_000)]
    texts[5] = ""
    expected = [1.0 if "darn" in t else 0.0 for t in texts]

    scores = peer.predict(texts)

    assert scores == {"PROFANITY": expected, "TOXICITY": expected}
    assert peer.predict(texts) == scores  # deterministic
    assert peer.predict([]) == {"PROFANITY": [], "TOXICITY": []}


def test_a_crash_mid_run_is_a_tenor_error_with_the_peers_stderr(stand_in_peers: Path) -> None:
    peer = ensure_peer("better-profanity", stand_in_peers, log=lambda _: None)
    with pytest.raises(PeerRunError, match="(?s)better-profanity failed.*stand-in peer crashed"):
        peer.predict(["fine", "crash now", "fine"])


def test_missing_locale_says_how_to_generate_it(stand_in_peers: Path) -> None:
    with pytest.raises(PeerLocaleError) as caught:
        ensure_peer("hatesonar", stand_in_peers, log=lambda _: None)
    message = str(caught.value)
    assert "en_US.UTF-8" in message and "hatesonar" in message
    assert "locale-gen" in message and "LOCPATH=" in message


# --- the real thing ------------------------------------------------------------------------------


def _package_index_unreachable() -> str | None:
    """Why pip cannot reach an index, or None; decided within a few seconds."""
    if os.environ.get("PIP_NO_INDEX"):
        return "PIP_NO_INDEX is set"
    index = urlparse(os.environ.get("PIP_INDEX_URL", "https://pypi.org/simple"))
    if index.scheme == "file":
        return None if Path(index.path).is_dir() else f"index folder {index.path} is missing"
    try:
        with socket.create_connection((index.hostname or "", index.port or 443), timeout=3):
            return None
    except OSError as error:
        return f"{index.hostname} unreachable ({error})"


@pytest.mark.slow
def test_better_profanity_end_to_end(tmp_path: Path) -> None:
    why = _package_index_unreachable()
    if why:
        pytest.skip(f"installing better-profanity needs a package index: {why}")
    peer = ensure_peer("better-profanity", tmp_path, log=lambda _: None)
    assert peer.version == "0.7.0"
    assert is_ready(peer_venv_dir(SPEC, tmp_path), SPEC)

    texts = ["You are a fucking idiot.", "Have a nice day.", "What a load of sh1t."]
    scores = peer.predict(texts)

    assert scores == {"PROFANITY": [1.0, 0.0, 1.0], "TOXICITY": [1.0, 0.0, 1.0]}
    assert ensure_peer("better-profanity", tmp_path, log=lambda _: None).predict(texts) == scores
