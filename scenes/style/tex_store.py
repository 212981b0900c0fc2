"""Each distinct formula is compiled once for the whole course and kept in the artifact store.

Manim typesets every ``MathTex``, ``Tex`` and axis number (``DecimalNumber``) through one function,
``tex_to_svg_file(expression, environment, tex_template)``: it writes a ``.tex`` file into the
render's media directory, runs latex and dvisvgm, and returns the SVG's path. Every render has a
media directory of its own, so every render compiled all its formulas again (the parabola video:
26.4 s with its 42 formulas compiled, 13.0 s with them already there).

:func:`svg_for` has the same signature and returns the same SVG, from the store when it holds
it: an entry of kind ``"tex"`` keyed by the sha256 of the whole TeX source (template, environment
and expression), the compiler and output format, and the versions of latex, dvisvgm and Manim
(which passes dvisvgm its options). A missing entry is compiled by Manim's own function and put
in the store; a damaged one (its digest fails) is compiled again and replaced, never read. Two
renders may compile the same formula at once: the store keeps whichever lands first, both sound.

Compiling one formula costs about 0.17 s, nearly all of it starting latex and dvisvgm, and a
video has dozens of its own: the numbers it reads from its runs, one readout per step. Where a
scene makes many, :func:`prepare` builds them first with blanks standing in, notes the formulas
the store lacks, and compiles those together (:func:`compile_together`: one latex and one dvisvgm
run for all, 400 formulas in under a second against over a minute one by one); when the scene
builds them for real, they come from the store.

dvisvgm names a glyph by the number TeX gave its font in the whole document, so a formula's SVG
would differ with the formulas compiled beside it: every SVG is stored in one form
(:func:`canonical`, glyphs renamed by first use), the same whichever way it was compiled.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import manim
from manim import config
from manim.utils import tex_file_writing
from manim.utils.tex import TexTemplate

from descent.store import ArtifactStore, DamagedEntry, StoreWriteError, canonical_json, sha256_hex, store_root

KIND = "tex"
SVG = "formula.svg"
FORM = "glyphs renamed by first use"  # how an SVG is stored (canonical); in the key


def svg_for(expression: str, environment: str | None = None, tex_template: TexTemplate | None = None) -> Path:
    """The SVG of ``expression`` typeset in ``environment`` with ``tex_template`` (default: the
    configured one): the stored one if sound, else compiled now and stored (or, inside
    :func:`prepare`, a blank one, the formula noted)."""
    template = tex_template or config["tex_template"]
    if environment is None:
        source = template.get_texcode_for_expression(expression)
    else:
        source = template.get_texcode_for_expression_in_env(expression, environment)
    key = tex_key(source, template)
    store = ArtifactStore(store_root())
    try:
        entry = store.get(KIND, key)
    except DamagedEntry:
        entry = None  # compiled again; put() replaces the damaged entry
    if entry is not None:
        return entry.file(SVG)
    if _noted is not None:
        _noted[key] = (source, expression, environment)
        return _blank(expression)
    svg = Path(tex_file_writing.tex_to_svg_file(expression, environment, template)).read_text()
    return _store(store, key, canonical(svg), expression, environment)


def _store(store: ArtifactStore, key: str, svg: str, expression: str, environment: str | None) -> Path:
    try:
        entry = store.put(
            KIND, key, {SVG: svg.encode()}, {"expression": expression, "environment": environment}
        )
        return entry.file(SVG)
    except StoreWriteError:  # a store this process cannot write: the render has its SVG all the same
        path = Path(tempfile.mkdtemp(prefix="descent-tex-")) / SVG
        path.write_text(svg)
        return path


def tex_key(source: str, template: TexTemplate) -> str:
    compilers = [template.tex_compiler] if isinstance(template.tex_compiler, str) else template.tex_compiler
    return sha256_hex(
        canonical_json(
            {
                "source": source,
                "compilers": list(compilers),
                "output": template.output_format,
                "tools": [tool_version(c) for c in compilers] + [tool_version("dvisvgm")],
                "manim": manim.__version__,
                "form": FORM,
            }
        )
    )


@cache
def tool_version(program: str) -> str:
    """The first line ``program --version`` prints (asked once per process), or why there is none."""
    if shutil.which(program) is None:
        return f"{program}: not installed"
    done = subprocess.run([program, "--version"], capture_output=True, text=True, check=False)
    lines = (done.stdout or done.stderr).strip().splitlines()
    return lines[0] if lines else f"{program}: no version"


# ---------- one form of an SVG, however it was compiled

DEFS = re.compile(r"<defs>\n(.*?)</defs>\n", re.S)
GLYPH = re.compile(r"<path id='([^']+)' (d='[^']*')/>\n")
USE = re.compile(r"xlink:href='#([^']+)'")
PAGE = re.compile(r"<g id='page\d+'>")


def canonical(svg: str) -> str:
    """``svg`` with its glyphs named ``g0``, ``g1`` ... in the order the page first uses them and
    defined in that order, and its page called page 1: what dvisvgm writes for a formula alone,
    and for the same formula as one page of a longer document, then match byte for byte."""
    found = DEFS.search(svg)
    if found is None:
        return PAGE.sub("<g id='page1'>", svg, count=1)
    glyphs = dict(GLYPH.findall(found.group(1)))
    body = svg[found.end() :]
    names: dict[str, str] = {}
    for glyph in [*USE.findall(body), *glyphs]:  # glyphs the page never uses go last
        names.setdefault(glyph, f"g{len(names)}")
    order = sorted(glyphs, key=lambda g: int(names[g][1:]))
    defs = "".join(f"<path id='{names[g]}' {glyphs[g]}/>\n" for g in order)
    body = PAGE.sub("<g id='page1'>", USE.sub(lambda m: f"xlink:href='#{names[m.group(1)]}'", body), count=1)
    return f"{svg[: found.start()]}<defs>\n{defs}</defs>\n{body}"


# ---------- many formulas at once

_noted: dict[str, tuple[str, str, str | None]] | None = None  # inside prepare(): key -> formula


def prepare(make: Callable[[], object]) -> int:
    """Compile together the formulas that ``make()`` would typeset and the store lacks: it is run
    with blanks standing in for them, and what it builds is thrown away. A scene calls it before
    it builds the same things for real (every step's readout, say), which then come from the store.
    ``make`` must only build mobjects. Returns how many formulas were compiled."""
    global _noted
    if _noted is not None:  # inside another prepare: its formulas are noted already
        make()
        return 0
    _noted = {}
    try:
        make()
    except Exception:  # a blank did not suit the scene's code: what was noted is still compiled
        pass
    finally:
        noted, _noted = _noted, None
    return compile_together(noted, config["tex_template"])


def compile_together(formulas: dict[str, tuple[str, str, str | None]], template: TexTemplate) -> int:
    """Compile ``formulas`` (key -> TeX source, expression, environment) of ``template`` in one
    latex and one dvisvgm run and store each; returns how many. A batch that fails (a formula that
    does not compile) stores nothing: each formula is then compiled alone when it is needed."""
    if not formulas or template.tex_compiler != "latex" or template.output_format != ".dvi":
        return 0
    begin, end = r"\begin{document}", r"\end{document}"
    preamble = next(iter(formulas.values()))[0].partition(begin)[0]
    pages = [source.partition(begin)[2].rpartition(end)[0] for source, _, _ in formulas.values()]
    if any(source.partition(begin)[0] != preamble for source, _, _ in formulas.values()):
        return 0
    store = ArtifactStore(store_root())
    with tempfile.TemporaryDirectory(prefix="descent-tex-") as tmp:
        work = Path(tmp)
        (work / "formulas.tex").write_text(f"{preamble}{begin}{''.join(pages)}{end}\n")
        commands = [
            ["latex", "-interaction=batchmode", "-halt-on-error", "formulas.tex"],
            ["dvisvgm", "--page=1-", "--no-fonts", "--verbosity=0", "--output=page-%p.svg", "formulas.dvi"],
        ]
        for command in commands:
            if subprocess.run(
                command, cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            ).returncode:
                return 0
        svgs = sorted(work.glob("page-*.svg"), key=lambda p: int(p.stem.rpartition("-")[2]))
        if len(svgs) != len(formulas):
            return 0
        for (key, (_, expression, environment)), svg in zip(formulas.items(), svgs, strict=True):
            _store(store, key, canonical(svg.read_text()), expression, environment)
    return len(formulas)


def _blank(expression: str) -> Path:
    """A stand-in SVG with the groups ``MathTex`` looks for in ``expression`` (one per part), each
    with a small square per character, so that code picking glyphs out of it still runs."""
    groups = re.findall(r"<g id='([^']+)'>", expression) or ["unique000"]
    parts = []
    for name in groups:
        tex = expression.split(f"<g id='{name}'>}}", 1)[-1].split("\\special", 1)[0]
        count = max(1, len(re.sub(r"\s|[{}]", "", tex)))
        squares = "".join(f"<rect x='{i}' y='0' width='0.5' height='0.5'/>" for i in range(count))
        parts.append(f"<g id='{name}'>{squares}</g>")
    path = Path(tempfile.mkdtemp(prefix="descent-tex-")) / "blank.svg"
    svg = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 100 1'><g id='page1'>{}</g></svg>"
    path.write_text(svg.format("".join(parts)))
    return path
