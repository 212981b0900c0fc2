#!/usr/bin/env python3
"""Build the course's assets: trajectories, trained networks, landscapes, figures, videos and
the visualizer's data, from the lesson specs.

Only what is stale is built (content keys, not file times); a second run with nothing changed
builds nothing. The published files and their manifest go to docs/assets/generated/.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="build_assets.py",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n"
        "  python build_assets.py                      build everything that is stale\n"
        "  python build_assets.py --quality low        fast drafts of the videos\n"
        "  python build_assets.py --only 'gradient-descent/*' --dry-run\n"
        "  python build_assets.py --shard 1/3          one machine's share; then, on one machine:\n"
        "  python build_assets.py --merge shard1/store --merge shard2/store --merge shard3/store\n"
        "exit status: 0 built, 1 an artifact failed, 2 a lesson spec or an option is wrong",
    )
    p.add_argument("--only", metavar="PATTERN", action="append",
                   help="build only artifacts whose id (or kind:id) matches this glob, "
                        "with what they read; may be repeated")  # fmt: skip
    p.add_argument("--quality", choices=["low", "medium", "high"], default="medium",
                   help="video quality, as manim's -ql/-qm/-qh (default: %(default)s)")  # fmt: skip
    p.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1, metavar="N",
                   help="artifacts built at once (default: the number of cores, %(default)s)")  # fmt: skip
    p.add_argument("--dry-run", action="store_true",
                   help="say what would be built and why (new, recipe or code changed, damaged)")  # fmt: skip
    p.add_argument("--force", action="store_true", help="rebuild even what is up to date")
    p.add_argument("--list", action="store_true", help="list every artifact with its key and exit")
    p.add_argument("--no-publish", action="store_true",
                   help="fill the store but leave docs/assets/generated alone")  # fmt: skip
    p.add_argument("--out", type=Path, default=ROOT / "docs" / "assets" / "generated",
                   help="where published files and manifest.json go (default: %(default)s)")  # fmt: skip
    p.add_argument("--shard", metavar="I/N",
                   help="build only share I of N of the work (for parallel machines; publishes "
                        "nothing); --merge the shares' stores afterwards")  # fmt: skip
    p.add_argument("--merge", metavar="STORE", type=Path, action="append", default=[],
                   help="first copy in the sound entries of another store (a shard's); "
                        "may be repeated")  # fmt: skip
    args = p.parse_args(argv)
    if args.jobs < 1:
        p.error("--jobs must be at least 1")
    if args.shard is not None:
        i, _, n = args.shard.partition("/")
        if not (i.isdigit() and n.isdigit() and 1 <= int(i) <= int(n)):
            p.error(f"--shard {args.shard}: expected I/N with 1 <= I <= N, e.g. 2/3")
        args.shard = (int(i), int(n))
        args.no_publish = True
    for store in args.merge:
        if not store.is_dir():
            p.error(f"--merge {store}: no such directory")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    import lessons
    from descent.lesson_spec import SpecError
    from descent.pipeline import log, select, shard
    from descent.plan import make_plan
    from descent.store import ArtifactStore, store_root

    try:
        plan = make_plan(lessons.ALL, quality=args.quality)
    except SpecError as e:
        log(f"error: {e}")
        return 2
    nodes = select(plan, args.only)
    if args.only and not nodes:
        log(f"error: --only {' '.join(args.only)} matches no artifact (try --list)")
        return 2
    if args.shard:
        nodes = shard(plan, nodes, *args.shard)
    if args.list:
        for n in nodes:
            print(f"{plan.artifacts[n].key[:12]}  {n}")
        return 0
    store = ArtifactStore(store_root())
    if args.dry_run and not args.merge:  # reads only: no need to wait for a running build
        return build_and_publish(args, plan, nodes, store)
    try:
        with store.exclusive(waiting=lambda holder: log(f"waiting: {holder} is using {store.root}")):
            return build_and_publish(args, plan, nodes, store)
    except OSError as e:  # the store's lock or the published tree could not be written
        log(f"error: {e}")
        return 1


def build_and_publish(args, plan, nodes, store) -> int:
    """Everything that writes: merge, build what is stale, publish. Runs holding the store."""
    from descent.kinds.registry import PUBLISHED
    from descent.pipeline import build, log, publish, recover_published, stale
    from descent.plan import BuildIndex
    from descent.store import ArtifactStore

    index = BuildIndex(store.root.parent / "index.json")
    if not (args.no_publish or args.dry_run):
        recover_published(args.out)
    for other in args.merge:
        log(f"merged {store.absorb(ArtifactStore(other))} entries from {other}")

    if args.dry_run:
        todo = stale(plan, nodes, store, index, args.force)
        for n in nodes:
            print(f"{'build' if n in todo else 'reuse'}  {n:<48} {todo.get(n, 'up to date')}")
        print(f"{len(todo)} to build, {len(nodes) - len(todo)} up to date")
        return 0

    todo = stale(plan, nodes, store, index, args.force)
    for n, reason in todo.items():
        if reason == "damaged":
            log(f"warning: {n} is damaged in the store (a file is missing or altered); rebuilding it")
    progress = None
    if todo:
        from tqdm import tqdm

        bar = tqdm(total=len(todo), unit="artifact", desc="building", file=sys.stderr,
                   dynamic_ncols=True, mininterval=0.5)  # fmt: skip

        def progress(node: str, ok: bool) -> None:
            bar.set_postfix_str(("" if ok else "FAILED ") + node, refresh=False)
            bar.update()

    try:
        report = build(plan, nodes, store, index, jobs=args.jobs, todo=todo, progress=progress)
    except KeyboardInterrupt:
        log("\ninterrupted: finished artifacts are kept in the store; nothing was published")
        return 130
    if todo:
        bar.close()
    log(report.table())
    if report.failed:
        for n, err in report.failed.items():
            log(f"failed: {n}: {err}")
        log("nothing published: the site keeps its previous assets")
        return 1
    if not args.no_publish:
        try:
            manifest = publish(plan, store, args.out, index)
        except OSError as e:
            log(f"error: could not publish to {args.out}: {e}")
            log("nothing published: the site keeps its previous assets")
            return 1
        shown = sum(len(manifest[f"{kind}s"]) for kind in PUBLISHED)
        log(f"published {shown} items to {args.out}")
        if manifest["stale"]:
            stale = ", ".join(manifest["stale"])
            log(f"kept their last build (out of date, not in this selection): {stale}")
            log("  rebuild them with: python build_assets.py")
        if manifest["missing"]:
            log(f"not built yet (left out): {', '.join(manifest['missing'])}")
    return 0


def _interrupted(signum, frame) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    # Ctrl-C, and SIGTERM from a stopped CI job or `kill`, clean up alike. SIGINT is set here too:
    # a process a shell starts in the background inherits SIGINT ignored, and Python then leaves it
    # so, which would make `kill -INT` do nothing.
    signal.signal(signal.SIGINT, _interrupted)
    signal.signal(signal.SIGTERM, _interrupted)
    sys.exit(main())
