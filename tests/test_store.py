"""The store: content-addressed, atomic, and never hands out a damaged entry."""

import errno
import json
import os
import threading
import time

import pytest

from descent.store import ArtifactStore, DamagedEntry, StoreWriteError, canonical_json, sha256_hex

KEY = sha256_hex("some recipe")


@pytest.fixture
def store(tmp_path):
    return ArtifactStore(tmp_path / "store")


def test_put_then_get_returns_the_same_bytes(store):
    store.put("trajectory", KEY, {"a.bin": b"\x00\x01", "b.txt": b"hello"}, {"recipe": {"x": 1}})
    entry = store.get("trajectory", KEY)
    assert entry.file("a.bin").read_bytes() == b"\x00\x01"
    assert entry.file("b.txt").read_bytes() == b"hello"
    assert entry.meta["recipe"] == {"x": 1}


def test_absent_entry_is_none(store):
    assert store.get("trajectory", KEY) is None and store.status("trajectory", KEY) == "missing"


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: (d / "a.bin").write_bytes(b"\x00"),  # truncated
        lambda d: (d / "a.bin").write_bytes(b"\x00\x02"),  # altered, same size
        lambda d: (d / "a.bin").unlink(),  # missing
        lambda d: (d / "entry.json").write_text("{not json"),  # unreadable record
        lambda d: (d / "entry.json").unlink(),
    ],
)
def test_damage_is_detected_and_a_new_put_repairs_it(store, damage):
    store.put("trajectory", KEY, {"a.bin": b"\x00\x01"}, {})
    damage(store.entry_dir("trajectory", KEY))
    assert store.status("trajectory", KEY) == "damaged"
    with pytest.raises(DamagedEntry):
        store.get("trajectory", KEY)
    store.put("trajectory", KEY, {"a.bin": b"\x00\x01"}, {})
    assert store.get("trajectory", KEY).file("a.bin").read_bytes() == b"\x00\x01"


def test_an_entry_moved_under_another_key_is_refused(store):
    other = sha256_hex("other")
    store.put("trajectory", KEY, {"a.bin": b"1"}, {})
    src, dst = store.entry_dir("trajectory", KEY), store.entry_dir("trajectory", other)
    dst.parent.mkdir(parents=True, exist_ok=True)
    src.rename(dst)
    with pytest.raises(DamagedEntry, match="another key"):
        store.get("trajectory", other)


def test_writes_leave_no_staging_directories(store):
    store.put("trajectory", KEY, {"a.bin": b"1"}, {})
    store.put("trajectory", KEY, {"a.bin": b"1"}, {})  # the second finds the first in place
    siblings = list(store.entry_dir("trajectory", KEY).parent.iterdir())
    assert siblings == [store.entry_dir("trajectory", KEY)]


def test_record_lists_a_digest_for_every_file(store):
    store.put("figure", KEY, {"figure.json": b"{}", "data.npz": b"PK"}, {})
    record = json.loads((store.entry_dir("figure", KEY) / "entry.json").read_text())
    assert record["files"] == {"figure.json": sha256_hex(b"{}"), "data.npz": sha256_hex(b"PK")}


def test_canonical_json_ignores_key_order_and_refuses_nan():
    assert canonical_json({"b": 1, "a": [1, 2]}) == canonical_json({"a": [1, 2], "b": 1})
    with pytest.raises(ValueError):
        canonical_json({"lr": float("nan")})


def test_a_failed_write_names_the_entry_and_the_store_and_leaves_nothing(store, monkeypatch):
    store.put("trajectory", KEY, {"a.bin": b"\x00\x01"}, {})
    other = sha256_hex("another recipe")
    real_fsync = os.fsync

    def disk_full(fd):  # the data is written, then the disk refuses it
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(StoreWriteError) as failed:
        store.put("figure", other, {"figure.json": b"{}"}, {})
    monkeypatch.setattr(os, "fsync", real_fsync)
    message = str(failed.value)
    assert "figure" in message and str(store.root) in message and "No space left" in message
    assert failed.value.errno == errno.ENOSPC
    assert store.status("figure", other) == "missing" and store.status("trajectory", KEY) == "ok"
    assert list(store.root.glob("*/*/.*")) == []


def test_a_second_holder_waits_and_is_told_who_holds_the_store(store):
    told, order = [], []
    with store.exclusive():
        second = threading.Thread(target=lambda: _hold(store, told, order))
        second.start()
        time.sleep(0.3)
        order.append("first done")
    second.join(timeout=10)
    assert order == ["first done", "second holds"]
    assert told == [f"build {os.getpid()}"]


def _hold(store, told, order):
    with store.exclusive(waiting=told.append):
        order.append("second holds")


def test_holding_the_store_clears_what_killed_writers_left(store):
    store.put("trajectory", KEY, {"a.bin": b"\x00\x01"}, {})
    half = store.entry_dir("trajectory", KEY).parent / f".{KEY[:12]}.half"
    half.mkdir()
    (half / "a.bin").write_bytes(b"\x00")
    with store.exclusive():
        assert not half.exists()
    assert store.status("trajectory", KEY) == "ok"


def test_stored_lists_entries_and_not_writes_cut_short(store):
    store.put("trajectory", "ab" * 32, {"a.npz": b"x"}, {})
    store.put("figure", "cd" * 32, {"f.json": b"{}"}, {})
    # A write killed after its record was written, before the rename: a hidden directory.
    cut = store.entry_dir("network", "ef" * 32).with_name("." + "ef" * 6 + ".tmp")
    cut.mkdir(parents=True)
    (cut / "entry.json").write_text("{}")
    assert store.stored() == [("figure", "cd" * 32), ("trajectory", "ab" * 32)]
