"""Build what is stale, in parallel, then publish the site's assets and manifest.

Data flows one way: lesson specs -> plan (keys) -> producers -> store -> published files. Each
artifact is built in a worker process; an artifact starts once its inputs are in the store. The
published tree (``docs/assets/generated``) is assembled beside the old one and swapped in whole,
so the site never sees half of a build.
"""

from __future__ import annotations

import fnmatch
import json
import multiprocessing
import os
import shutil
import signal
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from descent.lesson_spec import DATA_KINDS
from descent.plan import BuildIndex, Plan, Planned
from descent.store import ArtifactStore, DamagedEntry

PUBLISHED_KINDS = ("figure", "video", "visualizer", "playground")
# Longest first keeps both cores busy: a video takes far longer than anything else.
PRIORITY = {
    "video": 0,
    "landscape": 1,
    "network": 1,
    "figure": 2,
    "visualizer": 2,
    "playground": 2,
    "surface": 3,
    "trajectory": 3,
}
KINDS = ("trajectory", "surface", "network", "landscape", "figure", "video", "visualizer", "playground")


@dataclass
class BuildReport:
    built: Counter = field(default_factory=Counter)
    reused: Counter = field(default_factory=Counter)
    failed: dict[str, str] = field(default_factory=dict)  # node -> error
    seconds: defaultdict = field(default_factory=lambda: defaultdict(float))
    wall: float = 0.0

    def table(self) -> str:
        kinds = [k for k in KINDS if self.built[k] or self.reused[k] or k in ("figure", "video")]
        fails = Counter(n.split(":", 1)[0] for n in self.failed)
        rows = [f"{'kind':<12}{'built':>7}{'reused':>8}{'failed':>8}{'seconds':>10}"]
        for k in kinds:
            rows.append(f"{k:<12}{self.built[k]:>7}{self.reused[k]:>8}{fails[k]:>8}{self.seconds[k]:>10.1f}")
        rows.append(
            f"{'total':<12}{sum(self.built.values()):>7}{sum(self.reused.values()):>8}"
            f"{len(self.failed):>8}{self.wall:>10.1f}  (wall clock)"
        )
        return "\n".join(rows)


def select(plan: Plan, patterns: list[str] | None) -> list[str]:
    """Node names matching any pattern (by id or ``kind:id``), with everything they read."""
    if not patterns:
        return list(plan.artifacts)
    chosen = [
        n for n, p in plan.artifacts.items()
        if any(fnmatch.fnmatch(p.spec.id, pat) or fnmatch.fnmatch(n, pat) for pat in patterns)
    ]  # fmt: skip
    return plan.with_inputs(chosen)


def shard(plan: Plan, nodes: list[str], index: int, count: int) -> list[str]:
    """Share ``index`` (1 to ``count``) of the work in ``nodes``, with everything it reads.

    The published artifacts are dealt out in turn, longest kinds first (videos take minutes
    each), so that every share takes about as long. Data that several shares read is built by
    each of them: it is deterministic, so the copies have one key and merging keeps one.
    Data that nothing published reads goes to the first share.
    """
    if not 1 <= index <= count:
        raise ValueError(f"shard {index}/{count}: the index must be from 1 to {count}")
    published = sorted(
        (n for n in nodes if plan.artifacts[n].spec.kind in PUBLISHED_KINDS),
        key=lambda n: (PRIORITY[plan.artifacts[n].spec.kind], n),
    )
    mine = [n for i, n in enumerate(published) if i % count == index - 1]
    if index == 1:
        read = set(plan.with_inputs(published))
        mine += [n for n in nodes if n not in read]
    return plan.with_inputs(mine)


def stale(plan: Plan, nodes: list[str], store: ArtifactStore, index: BuildIndex, force: bool):
    """``{node: reason}`` for the nodes that must be built."""
    reasons = {}
    for n in nodes:
        reason = "forced" if force else index.reason(plan.artifacts[n], store)
        if reason:
            reasons[n] = reason
    return reasons


def build(plan: Plan, nodes: list[str], store: ArtifactStore, index: BuildIndex, *,
          jobs: int, force: bool = False, todo: dict[str, str] | None = None,
          progress=None) -> BuildReport:  # fmt: skip
    """Build the stale ones among ``nodes`` (``todo``, if the caller has worked them out);
    returns what was built, reused and failed."""
    start = time.perf_counter()
    report = BuildReport()
    if todo is None:
        todo = stale(plan, nodes, store, index, force)
    for n in nodes:
        if n not in todo:
            report.reused[plan.artifacts[n].spec.kind] += 1
    pending = dict(todo)
    running: dict[Future, str] = {}
    with _worker_pool(jobs) as pool, _stopped_on_exit(pool):
        while pending or running:
            for n in sorted(pending, key=lambda n: PRIORITY[plan.artifacts[n].spec.kind]):
                inputs = plan.artifacts[n].spec.inputs
                if any(i in report.failed for i in inputs):
                    report.failed[n] = "an input failed"
                    del pending[n]
                    if progress:
                        progress(n, False)
                elif not any(i in pending or i in running.values() for i in inputs):
                    planned = plan.artifacts[n]
                    ins = [plan.artifacts[i] for i in inputs]
                    running[pool.submit(build_one, planned, ins, str(store.root))] = n
                    del pending[n]
            if not running:
                continue
            finished, _ = wait(running, return_when=FIRST_COMPLETED)
            for fut in finished:
                n = running.pop(fut)
                kind = plan.artifacts[n].spec.kind
                try:
                    report.seconds[kind] += fut.result()
                    report.built[kind] += 1
                    index.record(plan.artifacts[n])
                    index.save()
                except Exception as e:  # a failed artifact is reported; the others go on
                    report.failed[n] = f"{type(e).__name__}: {e}"
                if progress:
                    progress(n, n not in report.failed)
    report.wall = time.perf_counter() - start
    return report


def _worker_pool(jobs: int) -> ProcessPoolExecutor:
    """Workers forked from a fork server, never from this process: the caller may hold threads
    (JAX starts some when imported), and forking a threaded process can deadlock. The server
    preloads the heavy libraries once (``descent.worker_preload``), so workers start warm. Each
    worker leads a process group of its own, with the renderers it starts."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["descent.worker_preload"])
    return ProcessPoolExecutor(max_workers=max(1, jobs), mp_context=context, initializer=_serve_build)


def _serve_build() -> None:
    """Lead a process group, and end it if the build dies without a word (SIGKILL, a lost
    machine). A worker would otherwise wait for work forever, and a render it started would run
    on for minutes beside a rerun's. The parent's sentinel is a pipe that closes when it dies."""
    os.setpgid(0, 0)
    build = multiprocessing.parent_process()

    def end_with_build() -> None:
        build.join()
        os.killpg(0, signal.SIGKILL)

    threading.Thread(target=end_with_build, name="end-with-build", daemon=True).start()


@contextmanager
def _stopped_on_exit(pool: ProcessPoolExecutor):
    """If the build ends early (an interrupt, SIGTERM), stop every worker and what it started
    (a Manim render can take minutes): nothing keeps running once the build has returned.
    What they had half-written is in the store's temporary directories, never in an entry."""
    try:
        yield
    except BaseException:
        for pid in list(getattr(pool, "_processes", None) or {}):  # the executor's own record
            with suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGTERM)
        pool.shutdown(wait=False, cancel_futures=True)
        raise


def build_one(planned: Planned, inputs: list[Planned], store_root: str) -> float:
    """Make one artifact and put it in the store (runs in a worker process)."""
    import torch

    torch.set_num_threads(1)  # the pool already uses every core
    t0 = time.perf_counter()
    store = ArtifactStore(store_root)
    kind = planned.spec.kind
    if kind in DATA_KINDS:
        producer = import_module(f"descent.producers.{kind}")
        files = producer.produce(planned.spec.recipe)
    elif kind == "playground":  # self-contained: it runs its own reference trajectories
        from descent import playground
        from descent.producers import bundle

        files = playground.produce(planned.spec.recipe)
        files["recipe.json"] = bundle.recipe_json(planned, [])
    else:
        from descent.artifacts import from_entry
        from descent.producers import bundle

        runs = []
        for p in inputs:
            entry = store.get(p.spec.kind, p.key)
            if entry is None:
                raise DamagedEntry(f"input {p.node} vanished from the store")
            runs.append((p, from_entry(p.spec.kind, p.spec.id, p.spec.recipe, entry)))
        if kind == "figure":
            from descent import figures

            files = figures.produce(planned, [r for _, r in runs])
            files.update(bundle.downloads(planned, runs))
        elif kind == "video":
            from descent.producers import video

            files = video.produce(planned, inputs)
            files.update(bundle.downloads(planned, runs))
        else:  # the visualizer's per-combination files are its data; one recipe covers them all
            from descent.producers import visualizer

            files = visualizer.produce(planned, runs)
            files["recipe.json"] = bundle.recipe_json(planned, [p for p, _ in runs])
    store.put(kind, planned.key, files, planned.provenance())
    return time.perf_counter() - t0


def publish(plan: Plan, store: ArtifactStore, out_dir: Path) -> dict:
    """Copy every built figure and video (and its downloads) to ``out_dir`` with a manifest.

    Only verified store entries are published; the new tree replaces the old one by two renames
    (a publish stopped between them is undone by the next, see :func:`recover_published`).
    Returns the manifest. Artifacts not in the store are left out and listed under ``missing``.
    """
    staging = out_dir.with_name(out_dir.name + ".staging")
    recover_published(out_dir)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        manifest = _assemble(plan, store, staging)
        _swap_in(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # a failed write leaves nothing half-made
    return manifest


def _assemble(plan: Plan, store: ArtifactStore, staging: Path) -> dict:
    manifest: dict = {"version": 1, "missing": [], **{f"{k}s": {} for k in PUBLISHED_KINDS}}
    for planned in plan.artifacts.values():
        kind = planned.spec.kind
        if kind not in PUBLISHED_KINDS:
            continue
        try:
            entry = store.get(kind, planned.key)
        except DamagedEntry:
            entry = None
        if entry is None:
            manifest["missing"].append(planned.node)
            continue
        rel_dir = Path(f"{kind}s") / planned.spec.id
        (staging / rel_dir).mkdir(parents=True, exist_ok=True)
        files = {}
        for name, path in sorted(entry.files.items()):
            _link_or_copy(path, staging / rel_dir / name)
            files[name.split(".")[0]] = f"{rel_dir.as_posix()}/{name}"
        manifest[f"{kind}s"][planned.spec.id] = {
            "title": planned.spec.title,
            "lesson": planned.spec.lesson,
            "key": planned.key,
            "recipe": planned.spec.recipe,
            "files": files,
        }
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    (staging / "manifest.json").write_text(text)
    return manifest


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def recover_published(out_dir: Path) -> None:
    """Put the previous tree back if a publish was stopped between its two renames."""
    old = out_dir.with_name(out_dir.name + ".old")
    if old.is_dir() and not out_dir.exists():
        os.replace(old, out_dir)


def _swap_in(staging: Path, out_dir: Path) -> None:
    old = out_dir.with_name(out_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
