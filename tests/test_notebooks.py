"""Every notebook runs from top to bottom without an error, quickly, and shows its figures in a
form the site can draw."""

from pathlib import Path

import nbclient
import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "docs" / "notebooks").glob("*.ipynb"))
pytestmark = pytest.mark.slow


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_without_errors(path):
    nb = nbformat.read(path, as_version=4)
    assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), (
        "commit notebooks without outputs"
    )
    # A cell that raises fails here (nbclient raises CellExecutionError); a minute is the budget.
    nbclient.NotebookClient(
        nb, timeout=60, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    ).execute()
    figures = [
        o for c in nb.cells if c.cell_type == "code" for o in c.outputs
        if "data-figure-json=" in o.get("data", {}).get("text/html", "")
    ]  # fmt: skip
    assert figures, f"{path.name} shows no figure the site can draw"
