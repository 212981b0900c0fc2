"""A build killed at any moment (SIGKILL: no handler runs) loses nothing: each rerun carries on,
and the last one ends with the same store and published files, byte for byte, as a build that
was never interrupted. Two builds at once share a store safely, and a failed write says so and
leaves the store sound."""

import json
import os
import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from processes import alive, descendants, parents, rendering

from descent.store import ArtifactStore, store_root

ROOT = Path(__file__).resolve().parent.parent
# Training (three networks), rendering (a video) and publishing, in under a minute of work.
ONLY = ["--only", "video:gradient-descent/parabola", "--only", "figure:backprop/*"]
NETWORKS_ONLY = ["--only", "figure:backprop/*"]  # 3 networks and 2 figures: seconds
pytestmark = pytest.mark.slow


def start(root: Path, only: list[str] = ONLY, store: Path | None = None, **popen) -> subprocess.Popen:
    env = {**os.environ, "DESCENT_STORE": str(store or root / "store")}
    out = root / "generated"
    return subprocess.Popen(
        [sys.executable, "build_assets.py", *only, "--quality", "low", "--jobs", "2", "--out", str(out)],
        cwd=ROOT, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen,
    )  # fmt: skip


def run(root: Path, only: list[str] = ONLY, store: Path | None = None, **popen) -> tuple[int, str]:
    build = start(root, only, store, **popen)
    _, err = build.communicate(timeout=600)
    return build.returncode, err


def files(directory: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(directory)): p.read_bytes() for p in sorted(directory.rglob("*")) if p.is_file()
    }


def entries(store: Path) -> dict[str, bytes]:
    """Every file of every entry (temporary directories and the lock are not entries)."""
    found = {}
    for kind, key in ArtifactStore(store).stored():
        path = ArtifactStore(store).entry_dir(kind, key)
        found.update({f"{path.relative_to(store)}/{k}": v for k, v in files(path).items()})
    return found


def assert_sound(root: Path, reference: dict[str, bytes]) -> None:
    """No entry fails its digests, and what is published is complete and as the reference."""
    store = ArtifactStore(root / "store")
    for kind, key in store.stored():  # a write cut short leaves a temporary directory, not an entry
        assert store.status(kind, key) == "ok", f"{kind} {key[:12]} is damaged"
    out = root / "generated"
    if not out.exists():
        return
    published = files(out)
    manifest = json.loads(published["manifest.json"])
    listed = {
        path for kind in ("figures", "videos") for item in manifest[kind].values()
        for path in item["files"].values()
    }  # fmt: skip
    assert listed <= published.keys(), "the manifest lists a file that is not there"
    for path, content in published.items():
        if path != "manifest.json":
            assert content == reference[path], f"published {path} differs from an uninterrupted build's"


def wait_until(condition, build: subprocess.Popen, seen: set[int], timeout: float = 300) -> bool:
    """Poll ``condition`` while the build runs, recording its processes; False if it ended first."""
    deadline = time.monotonic() + timeout
    while build.poll() is None and time.monotonic() < deadline:
        seen |= descendants(build.pid)
        if condition(seen):
            return True
        time.sleep(0.02)
    return False


def workers(build: int, pids: set[int]) -> bool:
    """Whether the build's workers run: processes below its children (the fork server)."""
    known = parents()
    return any(known.get(pid) not in (build, None) for pid in pids)


def count(root: Path, kind: str) -> int:
    return sum(k == kind for k, _ in ArtifactStore(root / "store").stored())


def test_builds_killed_at_random_moments_end_as_an_uninterrupted_build(tmp_path, built_site):
    seed = int(os.environ.get("DESCENT_KILL_SEED", time.time_ns() % 10**6))
    rng = random.Random(seed)
    # The reference is the project's store, which the site's build filled without interruption
    # (built_site): publishing from it builds nothing.
    uninterrupted = store_root()
    code, err = run(tmp_path / "reference", store=uninterrupted)
    assert code == 0, err
    assert table(err)["total"][0] == "0", "the site's build left the reference incomplete"
    reference = files(tmp_path / "reference" / "generated")
    killed_root = tmp_path / "killed"
    staging = killed_root / "generated.staging"
    kills = {"training": 0, "rendering": 0, "publishing": 0}
    wanted = {"training": 3, "rendering": 4, "publishing": 3}
    for _ in range(30):
        left = {
            "training": count(killed_root, "network") < 3,
            "rendering": count(killed_root, "video") == 0,
            "publishing": True,
        }
        phase = next((p for p in wanted if kills[p] < wanted[p] and left[p]), None)
        if phase is None:
            break
        published = killed_root / "generated" / "manifest.json"
        if phase == "publishing" and published.exists():  # a build that changes nothing writes nothing
            outdated = {**json.loads(published.read_text()), "missing": ["out of date"]}
            published.write_text(json.dumps(outdated))
        build, seen = start(killed_root), set()
        if phase == "training":
            delay = rng.uniform(0.0, 0.3)  # three tiny networks train in well under a second
            hit = wait_until(lambda pids, pid=build.pid: workers(pid, pids), build, seen)
        elif phase == "rendering":
            delay = rng.uniform(0.2, 3.0)  # the parabola renders in seconds, its formulas stored
            hit = wait_until(rendering, build, seen)
        else:  # publishing takes milliseconds: watch for its staging tree without pausing
            delay = 0.0
            while build.poll() is None and not staging.exists():
                pass
            hit = build.poll() is None
        time.sleep(delay)
        seen |= descendants(build.pid)
        # What the build was doing when killed, judged from the store (publishing: the staging
        # tree was seen, and the build had not exited when the signal came).
        doing = (
            "publishing" if phase == "publishing"
            else "training" if count(killed_root, "network") < 3
            else "rendering" if count(killed_root, "video") == 0
            else "other"
        )  # fmt: skip
        if hit:
            build.send_signal(signal.SIGKILL)
        _, err = build.communicate(timeout=600)
        assert build.returncode in (0, -signal.SIGKILL), f"seed {seed}, {phase}: {err}"
        if build.returncode == -signal.SIGKILL:
            kills[doing] = kills.get(doing, 0) + 1
        deadline = time.monotonic() + 10  # the workers notice at once; the fork server follows
        while any(alive(p) for p in seen) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert [p for p in seen if alive(p)] == [], f"seed {seed}: a process outlived its killed build"
        assert_sound(killed_root, reference)
    assert sum(kills.values()) >= 10 and min(kills[p] for p in wanted) >= 2, (seed, kills)

    code, err = run(killed_root)
    assert code == 0, f"seed {seed}: {err}"
    # What it published is what the uninterrupted build publishes for the same items.
    published = files(killed_root / "generated")
    manifest, whole = json.loads(published.pop("manifest.json")), json.loads(reference["manifest.json"])
    items = {(kind, name): item for kind in ("figures", "videos") for name, item in manifest[kind].items()}
    assert {kind for kind, _ in items} == {"figures", "videos"}, f"seed {seed}: {sorted(items)}"
    assert all(item == whole[kind][name] for (kind, name), item in items.items()), f"seed {seed}"
    listed = {path for item in items.values() for path in item["files"].values()}
    assert published.keys() == listed, f"seed {seed}: published files are not those of its items"
    assert all(content == reference[path] for path, content in published.items()), (
        f"seed {seed}: published files differ"
    )
    built = entries(killed_root / "store")
    assert built and all((uninterrupted / path).read_bytes() == content for path, content in built.items()), (
        f"seed {seed}: the store's entries differ from an uninterrupted build's"
    )
    leftovers = [p for p in (killed_root / "store").glob("*/*/.*")] + list(killed_root.glob("generated.*"))
    assert leftovers == []


def table(err: str) -> dict[str, list[str]]:
    """The closing table of a build: kind -> [built, reused, failed, seconds]."""
    rows = [line.split() for line in err.splitlines() if line[:1].isalpha()]
    return {row[0]: row[1:5] for row in rows if len(row) >= 5 and row[1].isdigit()}


def test_two_builds_started_at_once_share_the_store(tmp_path):
    first, second = start(tmp_path, NETWORKS_ONLY), start(tmp_path, NETWORKS_ONLY)
    (_, err1), (_, err2) = first.communicate(timeout=600), second.communicate(timeout=600)
    assert first.returncode == 0 and second.returncode == 0, err1 + err2
    waited, other = (err1, err2) if "waiting:" in err1 else (err2, err1)
    assert "waiting:" in waited and "is using" in waited
    assert table(waited)["total"][0] == "0"  # the other had built it all
    assert int(table(other)["total"][0]) == 5
    assert_sound(tmp_path, files(tmp_path / "generated"))


def limit_file_size(limit: int):
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def test_a_failed_write_is_reported_and_leaves_the_store_sound(tmp_path):
    code, err = run(tmp_path, NETWORKS_ONLY, preexec_fn=limit_file_size(4096))  # networks are larger
    assert code == 1, err
    assert "could not write network" in err and "File too large" in err
    assert "nothing published" in err and not (tmp_path / "generated").exists()
    assert_sound(tmp_path, {})
    assert list((tmp_path / "store").glob("*/*/.*")) == []  # no half-written entry left behind
    code, err = run(tmp_path, NETWORKS_ONLY)
    assert code == 0, err
    assert len(json.loads((tmp_path / "generated" / "manifest.json").read_text())["figures"]) == 2
