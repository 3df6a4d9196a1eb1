"""`tenor serve` called by the two PyPI clients that cannot share the dev environment.

`perspectiveapi` 1.1.0 and `perspective.py` 0.3.4 both install a top-level module named
`perspective`, as does conway's `perspective` 1.0.3 that the dev group already carries (tested in
tests/test_serve_clients.py). So each lives in its own `pip install --target` folder under
tests/.pyclients/ (made by .ci/run; see PYCLIENTS below) and runs in a subprocess with that folder
first on PYTHONPATH, against the real server on loopback. Their request-building code is
unchanged: perspectiveapi gets an httpx.Client whose transport rewrites the host to loopback;
perspective.py gets googleapiclient.discovery.build with the discovery URL swapped (spec
section 8). Happy paths only: perspective.py's error handling string-matches Google's host.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from tenor import Scorer  # noqa: E402
from tenor.serve import create_app  # noqa: E402

from .test_serve_clients import live_server  # noqa: E402

PYCLIENTS = Path(__file__).parent / ".pyclients"  # a dot folder, which pytest does not collect
# folder -> the pip command that fills it (the same lines are in .ci/run).
INSTALL = {
    "perspectiveapi": "pip install --no-deps --target tests/.pyclients/perspectiveapi perspectiveapi==1.1.0",
    "perspective.py": (
        "pip install --no-deps --target tests/.pyclients/perspective.py perspective.py==0.3.4 pycountry "
        "matplotlib contourpy cycler fonttools kiwisolver pillow pyparsing python-dateutil six"
    ),
}

PERSPECTIVEAPI_DRIVER = r"""
import json, sys
import httpx
from perspective.blocking import Perspective
from perspective.models import Attribute

port = int(sys.argv[1])

class RewriteTransport(httpx.BaseTransport):
    def __init__(self):
        self.inner = httpx.HTTPTransport()
        self.seen = []
    def handle_request(self, request):
        request.url = request.url.copy_with(scheme="http", host="127.0.0.1", port=port)
        self.seen.append(str(request.url))
        return self.inner.handle_request(request)
    def close(self):
        self.inner.close()

transport = RewriteTransport()
p = Perspective("k")
p._Perspective__client = httpx.Client(transport=transport)
score = p.score("You are a complete idiot and everyone knows it.",
                [Attribute.TOXICITY, Attribute.INSULT, Attribute.THREAT])
default = p.score("hello there")
print(json.dumps({
    "seen": transport.seen,
    "toxicity": score.toxicity, "insult": score.insult, "threat": score.threat,
    "severe_toxicity": score.severe_toxicity, "default_toxicity": default.toxicity,
}))
"""

PERSPECTIVE_PY_DRIVER = r"""
import json, sys
from googleapiclient import discovery

port = int(sys.argv[1])
real_build = discovery.build
seen = []

def build(*args, **kwargs):
    seen.append(kwargs.get("discoveryServiceUrl"))
    kwargs["discoveryServiceUrl"] = f"http://127.0.0.1:{port}/$discovery/rest?version=v1alpha1"
    kwargs["cache_discovery"] = False
    return real_build(*args, **kwargs)

discovery.build = build
import perspective
client = perspective.Client("k")
scores = client.analyze("You are a complete idiot and everyone knows it.", ["TOXICITY", "INSULT", "THREAT"])
in_english = client.analyze("hello there", ["TOXICITY"], language="en")
client.client.close()
print(json.dumps({"seen": seen, "scores": scores, "in_english": in_english}))
"""


@pytest.fixture(scope="module")
def port(scorer: Scorer) -> Iterator[int]:
    with live_server(create_app(scorer, db_path=":memory:")) as port:
        yield port


def _run(folder: str, driver: str, port: int) -> dict:
    target = PYCLIENTS / folder
    if not (target / "perspective").is_dir():
        pytest.skip(f"client not installed: {folder} lives outside the dev group because it installs a "
                    f"top-level `perspective` module that clashes with conway's `perspective`; "
                    f"run `{INSTALL[folder]}` (.ci/run does)")
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    env["PYTHONPATH"] = str(target)
    env["MPLBACKEND"] = "Agg"
    done = subprocess.run([sys.executable, "-c", driver, str(port)], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_perspectiveapi_blocking(port: int) -> None:
    out = _run("perspectiveapi", PERSPECTIVEAPI_DRIVER, port)
    assert out["seen"] and all(u.startswith(f"http://127.0.0.1:{port}/v1alpha1/comments:analyze?key=k")
                               for u in out["seen"])
    for name in ("toxicity", "insult", "threat", "default_toxicity"):
        assert isinstance(out[name], float) and 0.0 <= out[name] <= 1.0, name
    assert out["severe_toxicity"] is None  # not requested: the client reads it tolerantly


def test_perspective_py_happy_path(port: int) -> None:
    out = _run("perspective.py", PERSPECTIVE_PY_DRIVER, port)
    assert out["seen"] == ["https://commentanalyzer.googleapis.com/$discovery/rest?version=v1alpha1"]
    # It reports summaryScore.value * 100.
    assert set(out["scores"]) == {"TOXICITY", "INSULT", "THREAT"}
    assert all(0.0 <= v <= 100.0 for v in out["scores"].values())
    assert set(out["in_english"]) == {"TOXICITY"}
