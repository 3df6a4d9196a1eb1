"""`tenor serve` called by the npm `perspective-api-client` 3.1.0 under Node (spec section 8).

tests/node/driver.js loads the package unchanged and points it at loopback with an axios request
interceptor on the axios instance the package itself resolves. Needs `node` and
`npm --prefix tests/node ci` (.ci/run does both, and fails if this test is skipped)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from tenor import Scorer  # noqa: E402
from tenor.serve import create_app  # noqa: E402

from .test_serve_clients import live_server  # noqa: E402

NODE_DIR = Path(__file__).parent / "node"


@pytest.fixture(scope="module")
def port(scorer: Scorer) -> Iterator[int]:
    with live_server(create_app(scorer, db_path=":memory:")) as port:
        yield port


def test_perspective_api_client_npm(port: int) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node client not run: `node` is not on PATH (install nodejs)")
    if not (NODE_DIR / "node_modules" / "perspective-api-client").is_dir():
        pytest.skip("node client not installed: run `npm --prefix tests/node ci`")
    # axios 0.18 honours http(s)_proxy from the environment: keep the request on loopback.
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy")}
    done = subprocess.run([node, "driver.js", str(port)], cwd=NODE_DIR, env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])

    assert out["seen"] and all(u == f"http://127.0.0.1:{port}/v1alpha1/comments:analyze" for u in out["seen"])
    # It resolves response.data as-is.
    value = out["toxicity"]["attributeScores"]["TOXICITY"]["summaryScore"]["value"]
    assert isinstance(value, float) and 0.0 <= value <= 1.0
    assert list(out["toxicity"]["attributeScores"]) == ["TOXICITY"]  # its default request
    assert list(out["several"]["attributeScores"]) == ["TOXICITY", "INSULT", "THREAT"]
    assert out["full"]["clientToken"] == "node-1" and out["full"]["languages"] == ["en"]
    # And rejects with error.response.data.error.message.
    assert out["error"] == {"name": "ResponseError", "message": "Comment must be non-empty.", "status": 400}
