"""Every notebook runs from top to bottom without an error, quickly, and shows its figures in a
form the site can draw."""

import re
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


# ---------- the site's notebook pages ----------


def test_notebook_math_becomes_arithmatex_markup_outside_code_and_attributes():
    """The site's build turns a Markdown cell's $ … $ and $$ … $$ into the markup the lessons' math
    has, which it typesets; code, other outputs and attributes keep their dollars."""
    from descent.site.math import ARITHMATEX
    from descent.site.notebooks import notebook_math

    cells = (
        '<div class="jupyter-wrapper"><div class="jp-Cell jp-MarkdownCell">'
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput"'
        ' data-mime-type="text/markdown">'
        '<h2 id="a-$w$">A saddle: $L(w) = w_1^2 - w_2^2$<a class="anchor-link" href="#a-$w$">¶</a></h2>'
        "<p>$$\nx &lt; 2\n$$</p>"
        "<p>Costs <code>$5</code> and <pre>$6 $7</pre> but $\\eta$ and $$\\beta$$ inline,"
        '<div class="note">nested $a$</div> then $b$.</p></div></div>'
        '<div class="jp-Cell jp-CodeCell"><div class="jp-RenderedText"><pre>$ echo $HOME</pre></div></div>'
        "</div> <!-- jupyter-wrapper -->"
    )
    out = notebook_math(cells)
    found = [(m.group("tag"), m.group("open"), m.group("tex")) for m in ARITHMATEX.finditer(out)]
    assert found == [
        ("span", "\\(", "L(w) = w_1^2 - w_2^2"),
        ("div", "\\[", "\nx &lt; 2\n"),  # a paragraph of display math is its block
        ("span", "\\(", "\\eta"),
        ("span", "\\[", "\\beta"),  # display math within a paragraph stays in it
        ("span", "\\(", "a"),
        ("span", "\\(", "b"),
    ]
    kept = ['id="a-$w$"', 'href="#a-$w$"', "<code>$5</code>", "<pre>$6 $7</pre>", "<pre>$ echo $HOME</pre>"]
    assert [k for k in kept if k not in out] == []
    assert "<p><div" not in out


@pytest.mark.browser
def test_a_notebook_page_shows_typeset_math_and_its_styles_without_katex_script(browser, site_url):
    """Loaded directly and reached by instant navigation (which swaps the content, not the head),
    a notebook page has its notebook stylesheet and typeset math, and loads no KaTeX script."""
    path = "notebooks/hyperparameter_sensitivity/"
    styled = """() => {
      const copyText = document.querySelector('.jupyter-wrapper .clipboard-copy-txt');
      const code = document.querySelector('.jupyter-wrapper .highlight-ipynb');
      if (!copyText || !code) return false;  // instant navigation has not swapped the content yet
      return getComputedStyle(copyText).display === 'none'
        && getComputedStyle(code).overflowX === 'auto'
        && document.querySelectorAll('.jp-MarkdownOutput .katex').length > 0;
    }"""
    page = browser.new_page(viewport={"width": 1350, "height": 940})
    requests = []
    page.on("request", lambda r: requests.append(r.url))
    try:
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
        assert page.evaluate(styled), "no notebook styles or no typeset math on a direct load"
        page.goto(site_url + "lessons/gradient-descent/")
        page.wait_for_load_state("networkidle")
        page.evaluate(
            """url => {
              window.__descentInstant = true;  // gone if the browser loads a whole new document
              [...document.querySelectorAll('.md-nav--primary a[href]')].find(a => a.href === url).click();
            }""",
            site_url + path,
        )
        page.wait_for_url(site_url + path)
        page.wait_for_function(styled)
        assert page.evaluate("window.__descentInstant"), "a full page load, not instant navigation"
        page.wait_for_load_state("networkidle")
    finally:
        page.close()
    scripts = [u for u in requests if re.search(r"katex[^/]*\.js|auto-render", u)]
    assert not scripts, scripts
