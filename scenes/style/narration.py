"""Captions: each scene narrates what it shows (:func:`narrate`); the video producer turns the cues
into WebVTT captions and a text description. :func:`plain` reads the course's formulas as text."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from manim import Scene

CAPTIONS_ENV = "DESCENT_CAPTIONS"


def narrate(scene: Scene, words: str) -> None:
    """A caption cue from now (the time the scene has played so far) until the next cue.

    The cues go to the JSON file named by ``$DESCENT_CAPTIONS`` when it is set, rewritten on
    every cue so that it is complete however the render ends; a plain preview only keeps them.
    """
    words = " ".join(words.split())
    if not words:
        raise ValueError("a caption cue needs words")
    cues = scene.__dict__.setdefault("narration", [])
    cues.append({"start": float(scene.renderer.time), "text": words})
    path = os.environ.get(CAPTIONS_ENV)
    if path:
        Path(path).write_text(json.dumps(cues, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


SUBSCRIPT = dict(zip("0123456789i", "₀₁₂₃₄₅₆₇₈₉ᵢ", strict=True))
SUPERSCRIPT = dict(zip("0123456789−ᵀ°", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻ᵀ°", strict=True))
# TeX's control words in the surfaces' formulas and in tex_number, as text; a control word
# swallows one space after it, as in TeX.
TEX_WORDS = {
    "top": "ᵀ",
    "circ": "°",
    "lVert": "‖",
    "rVert": "‖",
    "left": "",
    "right": "",
    "sin": " sin ",
    "cos": " cos ",
    "sum": "Σ",
    "pi": "π",
    "quad": " ",
    "times": " × ",
}


def plain(tex: str) -> str:
    """A formula of the course's surfaces (``Surface.latex``) or a :func:`tex_number` as plain
    text for captions: ``w_1^2 + 10\\,w_2^2`` reads ``w₁² + 10 w₂²``."""

    def word(match: re.Match) -> str:
        if match.group(1) not in TEX_WORDS:
            raise ValueError(f"no plain text for \\{match.group(1)} in {tex!r}")
        return TEX_WORDS[match.group(1)]

    def script(table: dict[str, str], mark: str):
        def replace(match: re.Match) -> str:
            body = match.group(1)
            if all(c in table for c in body):
                return "".join(table[c] for c in body)
            return f"{mark}({body.replace(' ', '')})"

        return replace

    out = tex.replace(r"\tfrac12", "½").replace(r"\,", " ").replace(r"\ ", " ").replace("-", "−")
    out = re.sub(r"\\([a-zA-Z]+) ?", word, out)
    for body in (r"(\w|°)", r"\{([^{}]*)\}"):  # single characters first, as in e^{-w^2}
        out = re.sub("_" + body, script(SUBSCRIPT, "_"), out)
        out = re.sub(r"\^" + body, script(SUPERSCRIPT, "^"), out)
    return " ".join(out.split())
