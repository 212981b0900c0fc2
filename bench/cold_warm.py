#!/usr/bin/env python3
"""Cold build against a warm one with nothing changed, measured in one run.

Builds every asset into a fresh store (cold), then runs the same command again (warm), and prints
both wall-clock times, their ratio and a row for the table in bench/README.md. Both runs are
real ``build_assets.py`` processes, so the warm time includes start-up, planning, verifying every
stored file's digest and publishing.

``--only`` measures part of the course the same way (a lesson's artifacts with what they read):
what that part adds to a cold build, per kind.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed_build(store: Path, out: Path, quality: str, jobs: int, only: list[str]) -> tuple[float, str]:
    cmd = [sys.executable, "build_assets.py", "--quality", quality, "--jobs", str(jobs), "--out", str(out)]
    cmd += [arg for pattern in only for arg in ("--only", pattern)]
    t0 = time.perf_counter()
    done = subprocess.run(
        cmd, cwd=ROOT, env={**os.environ, "DESCENT_STORE": str(store)}, capture_output=True, text=True
    )
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        sys.exit(f"build failed:\n{done.stderr}")
    return seconds, done.stderr


def built_count(log: str) -> int:
    """The "built" column of the closing table's total row."""
    total = next(line for line in log.splitlines() if line.startswith("total"))
    return int(total.split()[1])


def closing_table(log: str) -> list[str]:
    lines = log.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("kind"))
    end = next(i for i, line in enumerate(lines) if line.startswith("total"))
    return lines[start : end + 1]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quality", choices=["low", "medium", "high"], default="low")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    p.add_argument(
        "--only", action="append", default=[], metavar="PATTERN",
        help="build only these artifacts (as build_assets.py --only); may be repeated",
    )  # fmt: skip
    args = p.parse_args()
    with tempfile.TemporaryDirectory(prefix="descent-bench-") as tmp:
        store, out = Path(tmp) / "store", Path(tmp) / "generated"
        print(f"cold build ({args.quality}, {args.jobs} jobs)...", file=sys.stderr)
        cold, cold_log = timed_build(store, out, args.quality, args.jobs, args.only)
        print("warm build (nothing changed)...", file=sys.stderr)
        warm, warm_log = timed_build(store, out, args.quality, args.jobs, args.only)
    built_warm = built_count(warm_log)
    if built_warm != 0:
        sys.exit(f"the warm build rebuilt {built_warm} artifacts; it should build none:\n{warm_log}")
    print("the cold build's closing table (seconds per kind are summed over workers):")
    print("\n".join(closing_table(cold_log)))
    print(f"cold {cold:.1f} s, warm {warm:.2f} s, cold/warm {cold / warm:.0f}x")
    if args.only:
        print("of: " + " ".join(args.only))
    print(
        f"| {time.strftime('%Y-%m-%d')} | {platform.machine()}, {os.cpu_count()} cores | {args.quality} "
        f"| {args.jobs} | {cold:.1f} | {warm:.2f} | {cold / warm:.0f}x |"
    )


if __name__ == "__main__":
    main()
