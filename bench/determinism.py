#!/usr/bin/env python3
"""Compare two artifact stores: for every entry both hold, are the files the same?

    .venv/bin/python bench/determinism.py STORE_A STORE_B           same tree, two cold builds
    .venv/bin/python bench/determinism.py --by-id OLD_STORE NEW_STORE  two versions of the code

By key (the default), an entry of one store is compared with the entry of the same key in the
other: two cold builds of one tree (two machines, two days, two CI runs). An entry's key covers
its recipe, inputs, code and library versions, so two entries with one key were made from the
same things; a difference is the output of a library that is not deterministic, or depends on
something the key does not cover.

By id (``--by-id``), the entries of each store's last build (its ``index.json``) are paired by
kind, id and recipe, keys aside: a change of the code changes every key, and this tells whether
it changed the data too. What records keys is read
without them: the ``key`` and ``code`` fields of JSON files (recipes, provenance), and the
provenance in the header of the visualizer's packed files. A recipe field the newer code adds
(``quality`` and ``settings`` of a video, a playground's ``initial``) does not keep two entries
from pairing when every field they share is equal.

Prints, per kind, how many entries both stores hold and how many differ, and names every file
that differs.
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from descent.store import ArtifactStore, DamagedEntry, Entry  # noqa: E402

KEY_FIELDS = {"key", "code"}


def entries(store: ArtifactStore):
    for kind, key in store.stored():
        try:
            entry = store.get(kind, key)
        except DamagedEntry as e:
            print(f"skipped, damaged: {e}", file=sys.stderr)
            continue
        if entry is not None:
            yield entry


def pairs_by_key(a: ArtifactStore, b: ArtifactStore):
    for left in entries(a):
        right = b.get(left.kind, left.key)
        if right is not None:
            yield left, right


def current(store: ArtifactStore) -> list[Entry]:
    """The entries of the store's last build (its index beside it names each item's key), or,
    without an index, every entry."""
    try:
        index = json.loads((store.root.parent / "index.json").read_text())
    except (OSError, ValueError):
        return list(entries(store))
    found = []
    for node, record in sorted(index.items()):
        try:
            entry = store.get(node.split(":", 1)[0], record["key"])
        except DamagedEntry as e:
            print(f"skipped, damaged: {e}", file=sys.stderr)
            continue
        if entry is not None:
            found.append(entry)
    return found


def pairs_by_id(a: ArtifactStore, b: ArtifactStore):
    newer = {(e.kind, e.meta.get("id")): e for e in current(b)}
    for left in current(a):
        right = newer.get((left.kind, left.meta.get("id")))
        if right is not None and same_where_shared(left.meta.get("recipe", {}), right.meta.get("recipe", {})):
            yield left, right


def same_where_shared(old: dict, new: dict) -> bool:
    return all(new[k] == v for k, v in old.items() if k in new)


def without_keys(value):
    if isinstance(value, dict):
        return {k: without_keys(v) for k, v in value.items() if k not in KEY_FIELDS}
    if isinstance(value, list):
        return [without_keys(v) for v in value]
    return value


def content(path: Path) -> object:
    """A file's content with the keys it records left out."""
    data = path.read_bytes()
    if path.suffix == ".json":
        return without_keys(json.loads(data))
    if path.suffix == ".bin":  # the visualizer's packed files: a JSON header, then the arrays
        (n,) = struct.unpack_from("<I", data)
        header = json.loads(data[4 : 4 + n])
        header.pop("provenance", None)
        return header, data[4 + n :]
    return data


def compare(pairs, by_id: bool) -> tuple[Counter, Counter, list[str]]:
    shared, differing, files = Counter(), Counter(), []
    for left, right in pairs:
        shared[left.kind] += 1
        names = sorted(set(left.meta["files"]) | set(right.meta["files"]))
        if by_id:
            different = [
                n for n in names
                if n not in left.meta["files"] or n not in right.meta["files"]
                or content(left.file(n)) != content(right.file(n))
            ]  # fmt: skip
        else:
            different = [n for n in names if left.meta["files"].get(n) != right.meta["files"].get(n)]
        if different:
            differing[left.kind] += 1
            files += [f"{left.kind} {left.meta.get('id', left.key[:12])} {n}" for n in different]
    return shared, differing, files


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("a", type=Path, help="one store (e.g. .cache/store)")
    p.add_argument("b", type=Path, help="another store")
    p.add_argument("--by-id", action="store_true", help="pair entries by kind, id and recipe, keys aside")
    args = p.parse_args()
    for store in (args.a, args.b):
        if not store.is_dir():
            p.error(f"{store}: no such directory")
    a, b = ArtifactStore(args.a), ArtifactStore(args.b)
    pairs = pairs_by_id(a, b) if args.by_id else pairs_by_key(a, b)
    shared, differing, files = compare(pairs, args.by_id)
    print("| kind | entries in both | identical | differing |")
    print("| --- | --- | --- | --- |")
    for kind in sorted(shared):
        print(f"| {kind} | {shared[kind]} | {shared[kind] - differing[kind]} | {differing[kind]} |")
    for line in files:
        print(f"differs: {line}")
    return 1 if files else 0


if __name__ == "__main__":
    sys.exit(main())
