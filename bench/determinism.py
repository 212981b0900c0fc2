#!/usr/bin/env python3
"""Compare two artifact stores built cold from the same tree (two machines, two days, two CI
runs): for every entry both hold, are the files byte for byte the same?

    .venv/bin/python bench/determinism.py STORE_A STORE_B

Prints, per kind, how many entries both stores hold and how many differ, and names every file
that differs. An entry's key covers its recipe, inputs, code and library versions, so two
entries with one key were made from the same things; a difference is the output of a
library that is not deterministic, or depends on something the key does not cover.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from descent.store import ENTRY_FILE, ArtifactStore, DamagedEntry  # noqa: E402


def compare(a: ArtifactStore, b: ArtifactStore) -> tuple[Counter, Counter, list[str]]:
    shared, differing, files = Counter(), Counter(), []
    for record in sorted(a.root.glob(f"*/*/*/{ENTRY_FILE}")):
        kind, key = record.parent.parent.parent.name, record.parent.name
        try:
            left, right = a.get(kind, key), b.get(kind, key)
        except DamagedEntry as e:
            print(f"skipped, damaged: {e}", file=sys.stderr)
            continue
        if right is None:
            continue
        shared[kind] += 1
        names = sorted(set(left.meta["files"]) | set(right.meta["files"]))
        different = [n for n in names if left.meta["files"].get(n) != right.meta["files"].get(n)]
        if different:
            differing[kind] += 1
            files += [f"{kind} {key[:12]} {n}" for n in different]
    return shared, differing, files


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("a", type=Path, help="one store (e.g. .cache/store)")
    p.add_argument("b", type=Path, help="another store built from the same tree")
    args = p.parse_args()
    for store in (args.a, args.b):
        if not store.is_dir():
            p.error(f"{store}: no such directory")
    shared, differing, files = compare(ArtifactStore(args.a), ArtifactStore(args.b))
    print("| kind | entries in both | identical | differing |")
    print("| --- | --- | --- | --- |")
    for kind in sorted(shared):
        print(f"| {kind} | {shared[kind]} | {shared[kind] - differing[kind]} | {differing[kind]} |")
    for line in files:
        print(f"differs: {line}")
    return 1 if files else 0


if __name__ == "__main__":
    sys.exit(main())
