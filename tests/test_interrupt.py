"""An interrupted build stops everything it started (workers and their Manim renders) and leaves
the store sound: the next build finishes the work."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from processes import alive, descendants, rendering

ROOT = Path(__file__).resolve().parent.parent
VIDEO = "video:gradient-descent/parabola"
pytestmark = pytest.mark.slow


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_an_interrupted_render_leaves_no_process_and_a_sound_store(tmp_path, how):
    env = {**os.environ, "DESCENT_STORE": str(tmp_path / "store")}
    cmd = [sys.executable, "build_assets.py", "--only", VIDEO, "--quality", "low", "--no-publish"]
    # Started as a shell starts a job in the background: with SIGINT ignored, which Python keeps
    # unless the build sets its own handler.
    build = subprocess.Popen(
        cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )  # fmt: skip
    seen: set[int] = set()
    deadline = time.monotonic() + 120
    while not rendering(seen) and time.monotonic() < deadline:
        time.sleep(0.2)
        seen |= descendants(build.pid)
    assert rendering(seen), "the render never started"
    time.sleep(1.0)
    seen |= descendants(build.pid)
    build.send_signal(how)
    _, err = build.communicate(timeout=60)
    assert build.returncode == 130 and "interrupted" in err
    time.sleep(2.0)
    assert [pid for pid in seen if alive(pid)] == []
    # The render was stopped, not waited for: no video in the store. The trajectories it had
    # finished are kept, and a rerun builds the video and nothing else.
    assert not list((tmp_path / "store").glob("video/*/*/entry.json"))
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    table = {row.split()[0]: row.split()[1:4] for row in done.stderr.splitlines() if row[:1].isalpha()}
    assert table["video"] == ["1", "0", "0"] and table["trajectory"][0] == "0"
