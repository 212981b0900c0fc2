"""A content-addressed artifact store.

Every entry lives at ``<root>/<kind>/<key[:2]>/<key>/`` where ``key`` is the sha256 of the canonical
recipe, the keys of its inputs, a fingerprint of the code that makes it and the versions that
matter. Nothing is keyed by file name or modification time. An entry is written into a temporary
directory and moved into place with one ``os.replace``; its ``entry.json`` records a digest of every
file, so a damaged or half-written entry is detected on read and never used.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ENTRY_FILE = "entry.json"
LOCK_FILE = ".lock"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def store_root() -> Path:
    """Where the project's store lives: ``$DESCENT_STORE`` or ``.cache/store`` in the project."""
    return Path(os.environ.get("DESCENT_STORE", PROJECT_ROOT / ".cache" / "store"))


def canonical_json(value: Any) -> str:
    """JSON with sorted keys and no whitespace: equal data gives equal text, hence equal keys."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), allow_nan=False)


def sha256_hex(data: bytes | str) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


class DamagedEntry(Exception):
    """An entry whose files are missing or do not match their recorded digests."""


class StoreWriteError(OSError):
    """Writing an entry failed (no space, a file size limit, permissions); nothing was stored."""


@dataclass(frozen=True)
class Entry:
    """A verified entry: its directory, its files (name -> path) and what it was made from."""

    kind: str
    key: str
    path: Path
    meta: dict[str, Any]

    def file(self, name: str) -> Path:
        if name not in self.meta["files"]:
            raise KeyError(f"{self.kind} {self.key[:12]} has no file {name!r}")
        return self.path / name

    @property
    def files(self) -> dict[str, Path]:
        return {name: self.path / name for name in self.meta["files"]}


class ArtifactStore:
    """Entries by (kind, key); reads verify digests, writes are atomic."""

    def __init__(self, root: Path | str):
        self.root = Path(root)

    def entry_dir(self, kind: str, key: str) -> Path:
        return self.root / kind / key[:2] / key

    def get(self, kind: str, key: str) -> Entry | None:
        """The entry, or ``None`` if absent; :class:`DamagedEntry` if it fails its digests."""
        path = self.entry_dir(kind, key)
        if not path.exists():
            return None
        try:
            meta = json.loads((path / ENTRY_FILE).read_text())
            files = meta["files"]
        except (OSError, ValueError, KeyError, TypeError) as e:
            raise DamagedEntry(f"{kind} {key[:12]}: unreadable {ENTRY_FILE} ({e})") from None
        if meta.get("key") != key:
            raise DamagedEntry(f"{kind} {key[:12]}: {ENTRY_FILE} names another key")
        for name, digest in files.items():
            f = path / name
            if not f.is_file() or file_digest(f) != digest:
                raise DamagedEntry(f"{kind} {key[:12]}: {name} is missing or altered")
        return Entry(kind, key, path, meta)

    def status(self, kind: str, key: str) -> str:
        """``"ok"``, ``"missing"`` or ``"damaged"``."""
        try:
            return "ok" if self.get(kind, key) else "missing"
        except DamagedEntry:
            return "damaged"

    @contextmanager
    def exclusive(self, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
        """Hold the store alone: one build at a time writes it, a second waits its turn.

        ``waiting`` is told who holds it. The lock is the kernel's (``flock``), so it ends with
        its holder, however that ends. Holding it, what killed builds left half-written (their
        temporary directories) is removed: nobody else can be writing it.
        """
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / LOCK_FILE, "a+") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if waiting:
                    lock.seek(0)
                    waiting(lock.read().strip() or "another build")
                fcntl.flock(lock, fcntl.LOCK_EX)
            lock.seek(0)
            lock.truncate()
            lock.write(f"build {os.getpid()}\n")
            lock.flush()
            self._remove_leftovers()
            yield

    def _remove_leftovers(self) -> None:
        for temporary in self.root.glob("*/*/.*"):
            shutil.rmtree(temporary, ignore_errors=True)

    def put(self, kind: str, key: str, files: dict[str, bytes | Path], meta: dict[str, Any]) -> Entry:
        """Write an entry atomically from bytes or existing files; replaces a damaged one.

        A failed write raises :class:`StoreWriteError` and leaves no trace of the entry."""
        try:
            return self._put(kind, key, files, meta)
        except OSError as e:
            if isinstance(e, StoreWriteError):
                raise
            reason = e.strerror or errno.errorcode.get(e.errno or 0, str(e))
            where = f" ({e.filename})" if e.filename else ""
            error = StoreWriteError(
                f"could not write {kind} {key[:12]} to the store {self.root}: {reason}{where}"
            )
            error.errno = e.errno
            raise error from e

    def _put(self, kind: str, key: str, files: dict[str, bytes | Path], meta: dict[str, Any]) -> Entry:
        final = self.entry_dir(kind, key)
        final.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{key[:12]}.", dir=final.parent))
        try:
            digests = {}
            for name, content in files.items():
                target = staging / name
                if isinstance(content, Path):
                    shutil.copyfile(content, target)
                else:
                    target.write_bytes(content)
                _fsync(target)
                digests[name] = file_digest(target)
            record = {**meta, "kind": kind, "key": key, "files": digests}
            (staging / ENTRY_FILE).write_text(json.dumps(record, indent=1, sort_keys=True))
            _fsync(staging / ENTRY_FILE)
            self._discard_if_damaged(kind, key)
            try:
                os.replace(staging, final)
            except OSError:
                # Another build finished the same entry first; keep the one in place if sound.
                if self.status(kind, key) != "ok":
                    raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        entry = self.get(kind, key)
        assert entry is not None
        return entry

    def stored(self) -> list[tuple[str, str]]:
        """``(kind, key)`` of every entry in place, sound or not, sorted: not the temporary
        directories of writes in progress or cut short (their names start with a dot)."""
        return sorted(
            (p.parent.parent.parent.name, p.parent.name)
            for p in self.root.glob(f"*/*/*/{ENTRY_FILE}")
            if not p.parent.name.startswith(".")
        )

    def absorb(self, other: ArtifactStore) -> int:
        """Copy in every sound entry of ``other`` that this store lacks (another machine's share
        of a build); returns how many. A damaged entry of ``other`` is skipped, never copied."""
        count = 0
        for kind, key in other.stored():
            if self.status(kind, key) == "ok":
                continue
            try:
                entry = other.get(kind, key)
            except DamagedEntry:
                continue
            if entry is None:
                continue
            meta = {k: v for k, v in entry.meta.items() if k not in ("kind", "key", "files")}
            self.put(kind, key, entry.files, meta)
            count += 1
        return count

    def _discard_if_damaged(self, kind: str, key: str) -> None:
        path = self.entry_dir(kind, key)
        if path.exists() and self.status(kind, key) == "damaged":
            trash = Path(tempfile.mkdtemp(prefix=".damaged.", dir=path.parent))
            os.replace(path, trash / "entry")
            shutil.rmtree(trash, ignore_errors=True)


def _fsync(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())
