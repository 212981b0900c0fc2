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
from pathlib import Path

from descent.kinds import Input
from descent.kinds.registry import KINDS, PUBLISHED
from descent.plan import BuildIndex, Plan, Planned
from descent.store import ArtifactStore, DamagedEntry, file_digest


@dataclass
class BuildReport:
    built: Counter = field(default_factory=Counter)
    reused: Counter = field(default_factory=Counter)
    failed: dict[str, str] = field(default_factory=dict)  # node -> error
    seconds: defaultdict = field(default_factory=lambda: defaultdict(float))
    wall: float = 0.0

    def table(self) -> str:
        kinds = [k for k in KINDS if self.built[k] or self.reused[k] or KINDS[k].published]
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
        (n for n in nodes if plan.artifacts[n].kind.published),
        key=lambda n: (-plan.artifacts[n].kind.cost, n),
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
            for n in sorted(pending, key=lambda n: -plan.artifacts[n].kind.cost):
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
    """Make one artifact and put it in the store (runs in a worker process): load its inputs
    from the store, hand them to its kind's producer, store what it makes."""
    import torch

    torch.set_num_threads(1)  # the pool already uses every core
    t0 = time.perf_counter()
    store = ArtifactStore(store_root)
    loaded = []
    for p in inputs:
        entry = store.get(p.spec.kind, p.key)
        if entry is None:
            raise DamagedEntry(f"input {p.node} vanished from the store")
        loaded.append(Input(p, p.kind.load(p.spec.id, p.spec.recipe, entry)))
    files = planned.kind.produce(planned, loaded)
    store.put(planned.spec.kind, planned.key, files, planned.provenance())
    return time.perf_counter() - t0


def publish(plan: Plan, store: ArtifactStore, out_dir: Path, index: BuildIndex | None = None) -> dict:
    """Copy every built published item (with its downloads) to ``out_dir`` with a manifest.

    Only verified store entries are published. An item whose current entry is not built (a
    build of a selection left it out) keeps its last good entry, marked stale in the manifest,
    so that a page that built before still builds; it is listed under ``missing`` only when it
    was never built. When nothing changed, nothing is written (``mkdocs serve`` sees no change).
    Otherwise the new tree replaces the old one by two renames (a publish stopped between them is
    undone by the next, see :func:`recover_published`). Returns the manifest.
    """
    recover_published(out_dir)
    manifest, files = _manifest(plan, store, index)
    text = json.dumps(manifest, indent=1, sort_keys=True) + "\n"
    if _already_published(out_dir, text, files):
        return manifest
    staging = out_dir.with_name(out_dir.name + ".staging")
    staging.mkdir(parents=True)
    try:
        for rel, (source, _) in files.items():
            (staging / rel).parent.mkdir(parents=True, exist_ok=True)
            _link_or_copy(source, staging / rel)
        (staging / "manifest.json").write_text(text)
        _swap_in(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # a failed write leaves nothing half-made
    return manifest


def _manifest(plan: Plan, store: ArtifactStore, index: BuildIndex | None):
    """The manifest, and the files to publish: path in the tree -> (store file, its digest)."""
    manifest: dict = {"version": 1, "missing": [], "stale": [], **{f"{k}s": {} for k in PUBLISHED}}
    files: dict[str, tuple[Path, str]] = {}
    for planned in plan.artifacts.values():
        if not planned.kind.published:
            continue
        entry, stale = _entry(store, planned.spec.kind, planned.key), False
        if entry is None and index is not None and index.last_key(planned.node) not in (None, planned.key):
            entry, stale = _entry(store, planned.spec.kind, index.last_key(planned.node)), True
        if entry is None:
            manifest["missing"].append(planned.node)
            continue
        rel_dir = f"{planned.spec.kind}s/{planned.spec.id}"
        item = {
            "title": planned.spec.title,
            "lesson": planned.spec.lesson,
            "key": entry.key,
            "recipe": entry.meta.get("recipe", planned.spec.recipe),
            "files": {name.split(".")[0]: f"{rel_dir}/{name}" for name in sorted(entry.files)},
        }
        if stale:
            item["stale"] = True
            manifest["stale"].append(planned.node)
        manifest[f"{planned.spec.kind}s"][planned.spec.id] = item
        for name, path in entry.files.items():
            files[f"{rel_dir}/{name}"] = (path, entry.meta["files"][name])
    return manifest, files


def _entry(store: ArtifactStore, kind: str, key: str):
    try:
        return store.get(kind, key)
    except DamagedEntry:
        return None


def _already_published(out_dir: Path, manifest_text: str, files: dict[str, tuple[Path, str]]) -> bool:
    """``out_dir`` holds exactly this manifest and these files, each with its entry's digest."""
    try:
        if (out_dir / "manifest.json").read_text() != manifest_text:
            return False
    except OSError:
        return False
    present = {p.relative_to(out_dir).as_posix() for p in out_dir.rglob("*") if p.is_file()}
    if present != {*files, "manifest.json"}:
        return False
    for rel, (source, digest) in files.items():
        target = out_dir / rel
        if not (os.path.samefile(source, target) or file_digest(target) == digest):
            return False
    return True


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copyfile(src, dst)


def recover_published(out_dir: Path) -> None:
    """Undo what a publish stopped short left: the previous tree is put back if it was stopped
    between its two renames, and the trees it had not yet removed are removed."""
    old = out_dir.with_name(out_dir.name + ".old")
    if old.is_dir() and not out_dir.exists():
        os.replace(old, out_dir)
    for leftover in (old, out_dir.with_name(out_dir.name + ".staging")):
        shutil.rmtree(leftover, ignore_errors=True)


def _swap_in(staging: Path, out_dir: Path) -> None:
    old = out_dir.with_name(out_dir.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if out_dir.exists():
        os.replace(out_dir, old)
    os.replace(staging, out_dir)
    shutil.rmtree(old, ignore_errors=True)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
