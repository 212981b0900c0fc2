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
"""

from __future__ import annotations

import shutil
import subprocess
from contextlib import suppress
from functools import cache
from pathlib import Path

import manim
from manim import config
from manim.utils import tex_file_writing
from manim.utils.tex import TexTemplate

from descent.store import ArtifactStore, DamagedEntry, StoreWriteError, canonical_json, sha256_hex, store_root

KIND = "tex"
SVG = "formula.svg"


def svg_for(expression: str, environment: str | None = None, tex_template: TexTemplate | None = None) -> Path:
    """The SVG of ``expression`` typeset in ``environment`` with ``tex_template`` (default: the
    configured one): the stored one if sound, else compiled now and stored."""
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
        entry = None  # compiled again below; put() replaces the damaged entry
    if entry is not None:
        return entry.file(SVG)
    svg = tex_file_writing.tex_to_svg_file(expression, environment, template)
    with suppress(StoreWriteError):  # a store this process cannot write: the render has its SVG
        store.put(KIND, key, {SVG: svg}, {"expression": expression, "environment": environment})
    return svg


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
