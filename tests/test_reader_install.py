"""A reader's install: the engine's wheel, built with the site, is all a notebook needs.

The slow tests do what a reader does: download a notebook from its page and run it in an
environment of their own that has Jupyter and nothing of the course; its first cell installs the
wheel from the site. They fail if the wheel lacks a module or a dependency a notebook uses.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
import subprocess
import sys
import urllib.request
import venv
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
import tomllib

from descent.site import wheel

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "docs" / "notebooks").glob("*.ipynb"))
LOCK = ROOT / "requirements.lock"
# What builds the course, never what a reader needs.
COURSE_ONLY = ("manim", "mkdocs", "material", "jax", "optax", "lessons", "scenes")
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


def code_cells(notebook: dict) -> list[str]:
    return ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]


def descent_imports(path: Path) -> set[str]:
    """The ``descent`` modules a notebook imports (IPython's ``%`` and ``!`` lines aside)."""
    found = set()
    for source in code_cells(json.loads(path.read_text())):
        python = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
        for node in ast.walk(ast.parse(python)):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
    return {m for m in found if m.split(".")[0] == "descent"}


def requirements(wheel_path: Path) -> list[str]:
    """The wheel's Requires-Dist lines that hold without an extra."""
    with zipfile.ZipFile(wheel_path) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(z.read(name).decode())
    return [r for r in metadata.get_all("Requires-Dist") if "extra ==" not in r]


def test_there_are_notebooks_and_they_import_the_engine():
    assert NOTEBOOKS
    assert all(descent_imports(p) for p in NOTEBOOKS), "a notebook that imports nothing of descent"


# ---------- the package ----------


def test_the_wheel_holds_the_engine_and_requires_what_notebooks_import(tmp_path):
    built = wheel.build(ROOT, tmp_path)
    assert re.fullmatch(r"descent-[0-9][0-9.]*-py3-none-any\.whl", built.name), built.name
    with zipfile.ZipFile(built) as z:
        names = set(z.namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in wheel.sources(ROOT) if p.suffix == ".py"}
    assert modules - names == set(), "modules of the checkout missing from the wheel"
    assert {n.split("/")[0] for n in names} == {"descent", built.name.rsplit("-", 3)[0] + ".dist-info"}
    for path in NOTEBOOKS:
        for module in descent_imports(path):
            file = module.replace(".", "/")
            assert f"{file}.py" in names or f"{file}/__init__.py" in names, (path.name, module)
    required = requirements(built)
    # Ranges, not the course's pins; nothing that only builds the course (Manim, MkDocs, JAX).
    assert sorted(re.match(r"[A-Za-z0-9_.-]+", r).group() for r in required) == ["numpy", "plotly", "torch"]
    assert not [r for r in required if "==" in r], required


def test_the_same_sources_give_the_same_wheel(tmp_path):
    """From a copy (other times, other file modes) under another umask: the same bytes."""
    first = wheel.build(ROOT, tmp_path / "a")
    copy = tmp_path / "checkout"
    for path in wheel.sources(ROOT):
        target = copy / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
        target.chmod(0o664)
    previous = os.umask(0o002)
    try:
        second = wheel.build(copy, tmp_path / "b")
    finally:
        os.umask(previous)
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()


def test_the_wheel_is_built_again_only_when_its_sources_change(tmp_path, monkeypatch):
    copy = tmp_path / "checkout"
    for path in wheel.sources(ROOT):
        target = copy / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(path.read_bytes())
    (copy / "lessons").mkdir()
    (copy / "lessons" / "x.py").write_text("X = 1\n")
    cache = tmp_path / "cache"
    first = wheel.cached(copy, cache)
    builds = []
    monkeypatch.setattr(wheel, "build", lambda root, out: builds.append(root) or pytest.fail("built again"))
    assert wheel.cached(copy, cache) == first
    (copy / "lessons" / "x.py").write_text("X = 2\n")  # not a source of the wheel
    assert wheel.cached(copy, cache) == first
    monkeypatch.undo()
    for edit in ["descent/surfaces.py", "pyproject.toml", "README.md"]:
        (copy / edit).write_text((copy / edit).read_text() + "\n")
        rebuilt = wheel.cached(copy, cache)
        assert rebuilt != first, edit
        first = rebuilt


def test_the_modules_notebooks_import_load_nothing_that_builds_the_course():
    modules = sorted(set().union(*map(descent_imports, NOTEBOOKS)))
    probe = f"import json, sys\nfor m in {modules!r}: __import__(m)\nprint(json.dumps(list(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True, capture_output=True, text=True)
    loaded = {m.split(".")[0] for m in json.loads(done.stdout)}
    assert [m for m in COURSE_ONLY if m in loaded] == []


def test_the_package_parses_as_the_oldest_python_it_accepts():
    """requires-python's lower bound, checked on the syntax of every module of the wheel (ruff's
    target-version holds the same bound)."""
    oldest = re.fullmatch(r">=\s*3\.(\d+)", PYPROJECT["project"]["requires-python"])
    assert oldest, PYPROJECT["project"]["requires-python"]
    assert PYPROJECT["tool"]["ruff"]["target-version"] == f"py3{oldest.group(1)}"
    for path in wheel.sources(ROOT):
        if path.suffix == ".py":
            ast.parse(path.read_text(), str(path), feature_version=(3, int(oldest.group(1))))


# ---------- the published site and a reader ----------


def notebook_page(site: Path, notebook: Path) -> str:
    return (site / "notebooks" / notebook.stem / "index.html").read_text()


def download_link(page: str) -> str:
    """The address of the page's "Download this notebook" link, from the site's root."""
    link = re.search(r'<a href="/?([^"]+\.ipynb)" download', page)
    assert link, "no download link"
    return link.group(1)


@pytest.mark.slow
def test_the_site_serves_the_wheel_and_each_notebook_page_says_how_to_install_it(
    built_site, site_url, tmp_path
):
    served = sorted((built_site / "downloads").glob("*.whl"))
    assert len(served) == 1, served
    assert served[0].read_bytes() == wheel.build(ROOT, tmp_path).read_bytes(), "not the wheel of the sources"
    url = f"{site_url}downloads/{served[0].name}"
    for path in NOTEBOOKS:
        page = notebook_page(built_site, path)
        assert f"<code>pip install {url}</code>" in page, path.name
        link = download_link(page)
        assert link.endswith(f"/{path.name}"), (path.name, link)
        with urllib.request.urlopen(site_url + link) as response:
            published = json.load(response)
        assert f"%pip install {url}" in code_cells(published)[0].splitlines(), path.name
        assert published["cells"][1:] == json.loads(path.read_text())["cells"], "the notebook itself changed"


def reader_environment(path: Path) -> Path:
    """A new virtual environment with a Jupyter kernel only (pinned by the lock); its python."""
    venv.create(path, with_pip=True)
    python = path / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "-q", "-c", str(LOCK), "ipykernel"]
    subprocess.run(pip, check=True, capture_output=True, text=True, env=clean_env())
    return python


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without what would make another Python see the checkout."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    return {**env, **extra}


def execute(notebook: dict, python: Path, workdir: Path, env: dict[str, str]) -> dict:
    """Run ``notebook`` in a kernel of ``python``'s environment, started in ``workdir``."""
    import nbclient
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    spec = workdir / "kernels" / "reader"
    spec.mkdir(parents=True)
    argv = [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "reader", "language": "python"})
    )
    specs = KernelSpecManager(kernel_dirs=[str(spec.parent)])
    km = KernelManager(kernel_name="reader", kernel_spec_manager=specs)
    nb = nbformat.reads(json.dumps(notebook), as_version=4)  # sources as strings, as nbclient reads them
    client = nbclient.NotebookClient(nb, km=km, timeout=300, resources={"metadata": {"path": str(workdir)}})
    client.execute(env=env)
    return nb


@pytest.mark.slow
def test_a_reader_runs_every_notebook_downloaded_from_the_site(built_site, site_url, tmp_path):
    """Every notebook, as downloaded, in a fresh environment: its first cell installs the wheel
    from the site, and every cell runs.

    PIP_CONSTRAINT (the lock) makes pip take the pinned torch CPU build (a local file here, the
    CPU index in CI) where a reader's pip would take PyPI's default build; the wheel itself and
    every other package come as a reader gets them."""
    python = reader_environment(tmp_path / "reader")
    env = clean_env(PIP_CONSTRAINT=str(LOCK))
    for module in ["descent", "numpy", "torch", "plotly"]:  # the wheel must bring them
        found = subprocess.run(
            [str(python), "-c", f"import {module}"], capture_output=True, env=env, cwd=tmp_path
        )
        assert found.returncode != 0, f"the new environment already has {module}"
    for path in NOTEBOOKS:
        with urllib.request.urlopen(site_url + download_link(notebook_page(built_site, path))) as response:
            notebook = json.load(response)
        notebook["cells"].append(
            {
                "cell_type": "code",
                "id": "where-descent-is",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": "import descent, sys\nprint(sys.prefix, descent.__file__)",
            }
        )
        workdir = tmp_path / path.stem  # not the checkout: its descent/ must not be importable
        workdir.mkdir()
        try:
            done = execute(notebook, python, workdir, env)
        except Exception as e:  # nbclient's CellExecutionError carries the cell and its traceback
            pytest.fail(f"{path.name}: {e}")
        install = "".join(o.get("text", "") for o in done["cells"][0]["outputs"])
        # pip says "Successfully installed" the first time only; the cell after the last says
        # where descent was imported from.
        assert "/downloads/descent-" in install and "ERROR" not in install, install
        # The kernel may send one printed line in more than one piece: join what the cell wrote.
        outputs = done["cells"][-1]["outputs"]
        printed = "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout")
        where = printed.split()
        assert Path(where[0]).resolve() == (tmp_path / "reader").resolve(), where
        assert "site-packages" in where[1], where
        figures = [
            o for c in done["cells"] if c["cell_type"] == "code" for o in c["outputs"]
            if "data-figure-json=" in o.get("data", {}).get("text/html", "")
        ]  # fmt: skip
        assert figures, f"{path.name} showed no figure"
    listed = [str(python), "-m", "pip", "list", "--format=json"]
    installed = subprocess.run(listed, check=True, capture_output=True, text=True, env=env)
    names = {p["name"].lower() for p in json.loads(installed.stdout)}
    assert "descent" in names
    assert [n for n in names if n.split("-")[0] in COURSE_ONLY] == [], "the course's tools were installed"
