#!/usr/bin/env python3
"""Every course video rendered by the code of an earlier commit and by the current tree, measured
in one run on one machine.

Each side has a store of its own that starts with the videos' inputs (merged from a store that
holds them, anything missing built) and no video and no formula: the current tree's side starts
with an empty formula store, as a cold course build does, and fills it as it goes. The videos are
rendered one at a time, alternating sides (before, after, and with ``--warm`` the current tree
again with every formula already stored), each by ``build_assets.py --only video:<id>`` in its
own tree; a video's time is the build's own measure of it (render, index moved to the front,
poster and captions), so start-up and planning are left out on both sides alike.

    .venv/bin/python bench/render_time.py                          # medium quality, against 441dd1d
    .venv/bin/python bench/render_time.py --before-tree /work/baseline --warm
    .venv/bin/python bench/render_time.py --quality low --only 'gradient-descent/*'
"""

from __future__ import annotations

import argparse
import fnmatch
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INPUT_KINDS = ("trajectory", "surface", "network", "landscape")
NOT_INPUTS = ("video", "tex", "previews")  # what a merged store must not bring along


def build(tree: Path, store: Path, *args: str) -> str:
    """``build_assets.py`` of ``tree`` (its own code first on the path) into ``store``; its log."""
    env = {**os.environ, "DESCENT_STORE": str(store), "PYTHONPATH": str(tree)}
    cmd = [sys.executable, "build_assets.py", "--no-publish", "--jobs", "1", *args]
    done = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{tree}: {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout + done.stderr


def video_ids(tree: Path, store: Path, pattern: str) -> list[str]:
    listed = build(tree, store, "--list", "--only", "video:*")
    ids = [line.split("video:", 1)[1] for line in listed.splitlines() if "  video:" in line]
    return [i for i in ids if fnmatch.fnmatch(i, pattern)]


def video_seconds(log: str) -> float:
    """The "seconds" column of the video row of the build's closing table."""
    row = next(line for line in log.splitlines() if re.match(r"video\s+1\s", line))
    return float(row.split()[-1])


def prepare(tree: Path, store: Path, source: Path | None) -> None:
    """A store holding the videos' inputs only: merged from ``source``, the rest built."""
    listed = build(tree, store, "--list", "--only", "video:*")  # the videos and what they read
    nodes = [line.split()[1] for line in listed.splitlines() if len(line.split()) == 2]  # "key kind:id"
    only = [a for node in nodes if node.split(":")[0] in INPUT_KINDS for a in ("--only", node)]
    build(tree, store, *(["--merge", str(source)] if source else []), *only)
    for folder in NOT_INPUTS:
        shutil.rmtree(store / folder, ignore_errors=True)


def forget_video(tree: Path, store: Path, video: str, quality: str) -> None:
    """Remove a built video from ``store`` so that the next build renders it again."""
    listed = build(tree, store, "--list", "--quality", quality, "--only", f"video:{video}")
    key = next(line.split()[0] for line in listed.splitlines() if line.endswith(f"video:{video}"))
    for entry in (store / "video").glob(f"{key[:2]}/{key}*"):
        shutil.rmtree(entry)


@contextmanager
def before_tree(given: Path | None, revision: str, work: Path):
    """The tree of the code before: ``given``, or a worktree of ``revision`` removed afterwards."""
    if given:
        yield given
        return
    tree = work / "before"
    subprocess.run(["git", "worktree", "add", "--detach", str(tree), revision], cwd=ROOT, check=True)
    try:
        yield tree
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)


def commit(tree: Path) -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True, text=True)
    return done.stdout.strip() or "?"


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--before", default="441dd1d", help="the commit to compare with (default: 441dd1d)")
    p.add_argument("--before-tree", type=Path, help="a checkout of that commit to use instead of a worktree")
    p.add_argument("--before-store", type=Path, help="a store holding its inputs (default: the tree's own)")
    p.add_argument("--after-store", type=Path, default=ROOT / ".cache" / "store",
                   help="a store holding the current inputs (default: the project's)")  # fmt: skip
    p.add_argument("--quality", choices=["low", "medium", "high"], default="medium")
    p.add_argument("--only", default="*", help="the videos to render (a glob over their ids)")
    p.add_argument("--warm", action="store_true", help="render each video a third time, formulas stored")
    args = p.parse_args()

    with tempfile.TemporaryDirectory(prefix="descent-render-time-") as tmp:
        work = Path(tmp)
        with before_tree(args.before_tree, args.before, work) as old:
            sides = {
                "before": (old, work / "before-store" / "store"),
                "after": (ROOT, work / "after-store" / "store"),
            }
            sources = {
                "before": args.before_store or old / ".cache" / "store",
                "after": args.after_store,
            }
            for side, (tree, store) in sides.items():
                print(f"{side}: the videos' inputs into a fresh store...", file=sys.stderr)
                source = sources[side]
                prepare(tree, store, source if source.is_dir() else None)
            videos = video_ids(ROOT, sides["after"][1], args.only)
            rows = []
            for video in videos:
                row = {"video": video}
                for side in ("before", "after", "warm") if args.warm else ("before", "after"):
                    tree, store = sides["after" if side == "warm" else side]
                    if side == "warm":
                        forget_video(tree, store, video, args.quality)
                    t0 = time.perf_counter()
                    log = build(tree, store, "--quality", args.quality, "--only", f"video:{video}")
                    row[side] = video_seconds(log)
                    print(f"{video:<32} {side:<6} {row[side]:7.1f} s ({time.perf_counter() - t0:.1f} s wall)",
                          file=sys.stderr)  # fmt: skip
                rows.append(row)
            report(rows, args, commit(old), commit(ROOT))


def report(rows: list[dict], args, before: str, after: str) -> None:
    columns = ["before", "after", *(["warm"] if args.warm else [])]
    header = ["video", *(f"{c} (s)" for c in columns), "after / before"]
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    for r in rows:
        cells = [r["video"], *(f"{r[c]:.1f}" for c in columns), f"{r['after'] / r['before']:.2f}"]
        lines.append("| " + " | ".join(cells) + " |")
    total = {c: sum(r[c] for r in rows) for c in columns}
    cells = [
        "**sum**",
        *(f"**{total[c]:.1f}**" for c in columns),
        f"**{total['after'] / total['before']:.2f}**",
    ]
    lines.append("| " + " | ".join(cells) + " |")
    machine = f"{platform.machine()}, {os.cpu_count()} cores"
    print(f"{time.strftime('%Y-%m-%d')}, {machine}, quality {args.quality}, before {before}, after {after}")
    print("\n".join(lines))
    print(f"summed render time: {100 * (1 - total['after'] / total['before']):.1f} % lower after")
    if args.warm:
        print(f"with every formula stored: {100 * (1 - total['warm'] / total['before']):.1f} % lower")


if __name__ == "__main__":
    main()
