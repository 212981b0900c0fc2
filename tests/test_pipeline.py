"""The build: cache hits do no work, a changed recipe rebuilds exactly its dependants, damage is
repaired, and what is published is complete, traceable and free of NaN."""

import copy
import json
import types

import numpy as np
import pytest
from demo_lesson import SPEC, lesson

from descent.arrays import load_npz
from descent.pipeline import build, publish, select, shard, stale
from descent.plan import BuildIndex, make_plan
from descent.store import ArtifactStore


@pytest.fixture
def env(tmp_path):
    store = ArtifactStore(tmp_path / "store")

    def run(spec=SPEC, patterns=None):
        plan = make_plan([lesson(spec)])
        index = BuildIndex(tmp_path / "index.json")
        report = build(plan, select(plan, patterns), store, index, jobs=2)
        assert not report.failed, report.failed
        return plan, report

    return types.SimpleNamespace(store=store, run=run, tmp=tmp_path)


def entry_files(store):
    return {p: p.stat().st_mtime_ns for p in store.root.rglob("*") if p.is_file()}


def test_second_build_reuses_everything_and_touches_nothing(env):
    plan, cold = env.run()
    assert sum(cold.built.values()) == len(plan.artifacts) == 6
    before = entry_files(env.store)
    _, warm = env.run()
    assert sum(warm.built.values()) == 0 and sum(warm.reused.values()) == 6
    assert entry_files(env.store) == before


def test_changing_one_recipe_rebuilds_exactly_its_dependants(env):
    env.run()
    spec = copy.deepcopy(SPEC)
    spec["trajectories"]["fast"]["hyperparameters"]["lr"] = 0.3
    plan = make_plan([lesson(spec)])
    reasons = stale(plan, list(plan.artifacts), env.store, BuildIndex(env.tmp / "index.json"), False)
    assert reasons == {"trajectory:demo/fast": "recipe changed", "figure:demo/lr": "input changed"}
    _, report = env.run(spec)
    assert report.built == {"trajectory": 1, "figure": 1}


def test_a_code_change_rebuilds_that_kind_and_what_reads_it(env, monkeypatch):
    env.run()
    import descent.code

    real = descent.code.file_digest
    # As if descent/figures/contour_paths.py had been edited.
    monkeypatch.setattr(
        descent.code,
        "file_digest",
        lambda path: real(path) + ("-edited" if path.name == "contour_paths.py" else ""),
    )
    plan = make_plan([lesson(SPEC)])
    reasons = stale(plan, list(plan.artifacts), env.store, BuildIndex(env.tmp / "index.json"), False)
    assert reasons == {"figure:demo/lr": "code changed"}


def test_a_damaged_entry_is_reported_and_rebuilt(env):
    plan, _ = env.run()
    target = plan.artifacts["trajectory:demo/adam"]
    npz = env.store.entry_dir("trajectory", target.key) / "trajectory.npz"
    npz.write_bytes(npz.read_bytes()[:100])  # as if a write had been cut short
    index = BuildIndex(env.tmp / "index.json")
    assert stale(plan, list(plan.artifacts), env.store, index, False) == {"trajectory:demo/adam": "damaged"}
    _, report = env.run()
    assert report.built == {"trajectory": 1}
    assert load_npz(npz)["params"].shape == (51, 2)


def test_only_builds_the_match_and_its_inputs(env):
    plan, report = env.run(patterns=["demo/adam3d"])
    assert report.built == {"trajectory": 1, "figure": 1}
    assert select(plan, ["trajectory:*"]) == [n for n in plan.artifacts if n.startswith("trajectory:")]


def test_published_items_are_complete_traceable_and_finite(env):
    plan, _ = env.run()
    out = env.tmp / "published"
    manifest = publish(plan, env.store, out)
    assert manifest["missing"] == [] and set(manifest["figures"]) == {"demo/lr", "demo/adam3d"}
    assert json.loads((out / "manifest.json").read_text()) == manifest
    for item_id, item in manifest["figures"].items():
        assert set(item["files"]) == {"figure", "data", "recipe"}
        recipe = json.loads((out / item["files"]["recipe"]).read_text())
        assert recipe["key"] == item["key"] == plan.artifacts[f"figure:{item_id}"].key
        assert {i["id"] for i in recipe["inputs"]} == {
            i.split(":", 1)[1] for i in plan.artifacts[f"figure:{item_id}"].spec.inputs
        }
        data = load_npz(out / item["files"]["data"])
        assert all(np.all(np.isfinite(v)) for v in data.values())
        text = (out / item["files"]["figure"]).read_text()
        assert "NaN" not in text and "Infinity" not in text
        figure = json.loads(text)
        for control in figure["controls"]:
            for i in control.get("upto", []) + control.get("at", []):
                assert 0 <= i < len(figure["data"])
            for option in control.get("options", []):
                assert len(option["visible"]) == len(figure["data"])


def test_divergence_is_marked_in_the_data_and_the_figure(env):
    plan, _ = env.run()
    manifest = publish(plan, env.store, env.tmp / "published")
    data = load_npz(env.tmp / "published" / manifest["figures"]["demo/lr"]["files"]["data"])
    # The bowl's curvature is 2: lr 1.2 multiplies w by (1 - 2.4) = -1.4 each step.
    assert int(data["wild.diverged_step"]) > 0 and int(data["slow.diverged_step"]) == -1
    figure = json.loads(
        (env.tmp / "published" / manifest["figures"]["demo/lr"]["files"]["figure"]).read_text()
    )
    labels = [o["label"] for o in figure["controls"][0]["options"]]
    assert any("diverges" in label for label in labels)


def test_publish_replaces_the_previous_tree_whole(env):
    plan, _ = env.run()
    out = env.tmp / "published"
    out.mkdir()
    (out / "stale.txt").write_text("from an older build")
    publish(plan, env.store, out)
    assert not (out / "stale.txt").exists() and (out / "manifest.json").exists()
    assert not (env.tmp / "published.staging").exists() and not (env.tmp / "published.old").exists()


def test_shards_merged_publish_what_one_build_publishes(tmp_path):
    plan = make_plan([lesson(SPEC)])
    nodes = list(plan.artifacts)

    def run(store, index_name, chosen):
        report = build(plan, chosen, store, BuildIndex(tmp_path / index_name), jobs=2)
        assert not report.failed, report.failed
        return report

    whole = ArtifactStore(tmp_path / "whole")
    run(whole, "whole.json", nodes)
    one = publish(plan, whole, tmp_path / "one" / "generated")

    shares = [shard(plan, nodes, i, 2) for i in (1, 2)]
    published = [{n for n in share if plan.artifacts[n].spec.kind == "figure"} for share in shares]
    assert published[0] and published[1] and not published[0] & published[1]
    assert set(shares[0]) | set(shares[1]) == set(nodes)
    merged = ArtifactStore(tmp_path / "merged")
    for i, share in enumerate(shares, 1):
        store = ArtifactStore(tmp_path / f"shard{i}")
        run(store, f"shard{i}.json", share)
        assert merged.absorb(store) > 0
    again = run(merged, "merged.json", nodes)
    assert sum(again.built.values()) == 0  # the shares covered everything
    two = publish(plan, merged, tmp_path / "two" / "generated")
    assert one == two
    for path in (tmp_path / "one" / "generated").rglob("*"):
        if path.is_file():
            twin = tmp_path / "two" / "generated" / path.relative_to(tmp_path / "one" / "generated")
            assert twin.read_bytes() == path.read_bytes(), path.name


def test_merging_skips_a_damaged_entry_and_what_is_already_there(tmp_path, env):
    plan, _ = env.run()
    victim = next(env.store.root.glob("trajectory/*/*/trajectory.npz"))
    victim.write_bytes(b"truncated")
    merged = ArtifactStore(tmp_path / "merged")
    assert merged.absorb(env.store) == len(plan.artifacts) - 1
    assert merged.status("trajectory", victim.parent.name) == "missing"
    assert merged.absorb(env.store) == 0


@pytest.mark.parametrize("index, count", [(0, 2), (3, 2)])
def test_a_shard_outside_its_count_is_refused(index, count):
    plan = make_plan([lesson(SPEC)])
    with pytest.raises(ValueError, match=f"shard {index}/{count}"):
        shard(plan, list(plan.artifacts), index, count)


def tree(root):
    return {p.relative_to(root): (p.stat().st_ino, p.stat().st_mtime_ns) for p in root.rglob("*")}


def test_a_publish_that_changes_nothing_writes_nothing(env):
    plan, _ = env.run()
    out = env.tmp / "published"
    first = publish(plan, env.store, out, BuildIndex(env.tmp / "index.json"))
    before = tree(out)
    assert publish(plan, env.store, out, BuildIndex(env.tmp / "index.json")) == first
    assert tree(out) == before  # not even the manifest was rewritten
    # What a publish killed after its second rename left behind is cleared even when nothing changed.
    for leftover in ("published.old", "published.staging"):
        (env.tmp / leftover / "x").mkdir(parents=True)
    publish(plan, env.store, out, BuildIndex(env.tmp / "index.json"))
    assert tree(out) == before and not (env.tmp / "published.old").exists()
    assert not (env.tmp / "published.staging").exists()
    # A damaged published file is noticed, and the tree is published again.
    victim = out / first["figures"]["demo/lr"]["files"]["data"]
    victim.unlink()
    victim.write_bytes(b"altered")
    publish(plan, env.store, out, BuildIndex(env.tmp / "index.json"))
    assert victim.read_bytes() != b"altered"


def test_an_item_left_out_of_a_selection_keeps_its_last_build_marked_stale(env):
    """An author changes a recipe a published item depends on and builds only part of the
    course: the item keeps the entry it had (marked stale) instead of leaving the site."""
    plan, _ = env.run()
    out = env.tmp / "published"
    old = publish(plan, env.store, out, BuildIndex(env.tmp / "index.json"))["figures"]["demo/adam3d"]
    spec = copy.deepcopy(SPEC)
    spec["trajectories"]["adam"]["steps"] = 60  # the adam3d figure reads it
    plan, _ = env.run(spec, patterns=["demo/lr"])  # a selection that leaves adam3d out
    manifest = publish(plan, env.store, out, BuildIndex(env.tmp / "index.json"))
    item = manifest["figures"]["demo/adam3d"]
    assert item["stale"] is True and item["key"] == old["key"] != plan.artifacts["figure:demo/adam3d"].key
    assert manifest["stale"] == ["figure:demo/adam3d"] and manifest["missing"] == []
    assert (out / item["files"]["figure"]).is_file()
    assert "stale" not in manifest["figures"]["demo/lr"]
    # Once built, it is current again.
    plan, _ = env.run(spec)
    manifest = publish(plan, env.store, out, BuildIndex(env.tmp / "index.json"))
    assert manifest["stale"] == [] and "stale" not in manifest["figures"]["demo/adam3d"]
    assert manifest["figures"]["demo/adam3d"]["key"] == plan.artifacts["figure:demo/adam3d"].key


def test_an_item_never_built_is_missing_not_stale(env):
    plan, _ = env.run(patterns=["demo/lr"])
    manifest = publish(plan, env.store, env.tmp / "published", BuildIndex(env.tmp / "index.json"))
    assert manifest["missing"] == ["figure:demo/adam3d"] and manifest["stale"] == []
