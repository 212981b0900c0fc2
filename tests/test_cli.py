"""build_assets.py as an author meets it: help, dry runs, warnings, exit codes."""

import errno
import json
import os
from pathlib import Path

import pytest
from demo_lesson import SPEC, lesson

import build_assets
import lessons


@pytest.fixture
def cli(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("DESCENT_STORE", str(tmp_path / "cache" / "store"))
    monkeypatch.setattr(lessons, "ALL", [lesson(SPEC)])
    out = tmp_path / "generated"

    def run(*args):
        code = build_assets.main(["--out", str(out), "--jobs", "2", *args])  # later options win
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    run.out, run.store = out, tmp_path / "cache" / "store"
    return run


def test_help_names_every_option(capsys):
    with pytest.raises(SystemExit) as done:
        build_assets.main(["--help"])
    assert done.value.code == 0
    text = capsys.readouterr().out
    for option in ["--only", "--quality", "--jobs", "--dry-run", "--force", "--list", "--shard", "--merge"]:
        assert option in text


def test_dry_run_says_why_and_builds_nothing(cli):
    code, out, _ = cli("--dry-run")
    assert code == 0
    assert out.count(" new") == 6 and "6 to build, 0 up to date" in out
    assert not cli.store.exists() and not cli.out.exists()


def test_build_publishes_and_a_damaged_entry_is_rebuilt_with_a_warning(cli):
    code, _, err = cli()
    assert code == 0 and "published 2 items" in err
    manifest = json.loads((cli.out / "manifest.json").read_text())
    assert set(manifest["figures"]) == {"demo/lr", "demo/adam3d"}
    victim = next(cli.store.glob("trajectory/*/*/trajectory.npz"))
    victim.write_bytes(b"truncated")
    code, out, _ = cli("--dry-run")
    assert "damaged" in out and "1 to build" in out
    code, _, err = cli()
    assert code == 0 and "is damaged in the store" in err
    code, out, _ = cli("--dry-run")
    assert "0 to build" in out


def test_shards_publish_nothing_and_a_merge_publishes_all(cli, tmp_path, monkeypatch):
    shards = []
    for i in (1, 2):
        monkeypatch.setenv("DESCENT_STORE", str(tmp_path / f"shard{i}" / "store"))
        code, _, err = cli("--shard", f"{i}/2")
        assert code == 0 and "published" not in err
        shards.append(tmp_path / f"shard{i}" / "store")
    assert not cli.out.exists()
    monkeypatch.setenv("DESCENT_STORE", str(cli.store))
    code, _, err = cli("--merge", str(shards[0]), "--merge", str(shards[1]))
    assert code == 0 and "published 2 items" in err and "merged" in err
    assert "building" not in err  # the shards built everything


@pytest.mark.parametrize(
    "args",
    [
        ["--only", "nothing-matches-this"],
        ["--jobs", "0"],
        ["--quality", "ultra"],
        ["--shard", "3/2"],
        ["--shard", "0/2"],
        ["--shard", "half"],
        ["--merge", "/no/such/store"],
    ],
)
def test_bad_options_exit_2(cli, args):
    try:
        code, _, err = cli(*args)
    except SystemExit as e:  # argparse's own usage errors
        code = e.code
    assert code == 2


def test_a_failed_publish_keeps_the_previous_assets(cli, monkeypatch):
    assert cli()[0] == 0
    altered = next(p for p in cli.out.rglob("*.json") if p.name != "manifest.json")
    altered.unlink()  # a published file no longer its entry's: the next build must publish again
    altered.write_text("{}")
    before = {p: p.read_bytes() for p in cli.out.rglob("*") if p.is_file()}
    real_write_text = Path.write_text

    def disk_full(path, *args, **kwargs):
        if path.name == "manifest.json":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_write_text(path, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", disk_full)
    code, _, err = cli("--force")
    assert code == 1
    assert f"could not publish to {cli.out}" in err and "No space left" in err
    assert {p: p.read_bytes() for p in cli.out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in cli.out.parent.iterdir()) == ["cache", "generated"]


def test_a_publish_stopped_between_its_renames_is_undone_by_the_next_build(cli):
    assert cli()[0] == 0
    manifest = (cli.out / "manifest.json").read_bytes()
    cli.out.rename(cli.out.with_name("generated.old"))  # as if killed right after the first rename
    code, out, _ = cli("--dry-run")
    assert code == 0 and not cli.out.exists()  # a dry run changes nothing
    assert cli()[0] == 0
    assert (cli.out / "manifest.json").read_bytes() == manifest
    assert sorted(p.name for p in cli.out.parent.iterdir()) == ["cache", "generated"]
