"""A video: a Manim scene rendered in its own process and media directory from the inputs its
spec declares, which it is handed (``descent.scene_inputs``); then the mp4's index moved to the
front (so browsers start playing before the download ends), a poster frame picked, and the
scene's narration turned into WebVTT captions and a text description."""

from __future__ import annotations

import ast
import html
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from descent.downloads import downloads
from descent.kinds import DATA, Checked, Kind
from descent.scene_inputs import INPUTS_ENV, ResolvedInput, SceneInputs, write_preview_record
from descent.store import PROJECT_ROOT, store_root

SCENES_DIR = PROJECT_ROOT / "scenes"
QUALITIES = {"low": "l", "medium": "m", "high": "h"}
RENDER_TIMEOUT_S = 3600
CLASS_NAME = re.compile(r"^[A-Z][A-Za-z0-9_]*$")
SCENE_FILE = re.compile(r"^[a-z0-9_]+\.py$")  # a file in scenes/, not a path elsewhere


def check(spec, where: str, v: dict) -> Checked:
    spec.known_fields(v, where, {"title", "scene", "class", "inputs", "settings"})
    title = spec.string(v, where, "title")
    scene = spec.string(v, where, "scene", pattern=SCENE_FILE)
    if not (SCENES_DIR / scene).is_file():
        spec.fail(f"{where}.scene", f"no file scenes/{scene}")
    cls = spec.string(v, where, "class", pattern=CLASS_NAME)
    try:
        defined = scene_classes(SCENES_DIR / scene)
    except SyntaxError as e:
        spec.fail(f"{where}.scene", f"scenes/{scene} is not valid Python (line {e.lineno}: {e.msg})")
    if cls not in defined:
        spec.fail(
            f"{where}.class",
            f"scenes/{scene} defines no class {cls!r} (it defines {', '.join(defined) or 'none'})",
        )
    inputs = spec.inputs(v, where)
    recipe = {"scene": scene, "class": cls, "title": title}
    if "settings" in v:  # plain values the scene reads (a tolerance), so it repeats none
        settings = v["settings"]
        spec.mapping(settings, f"{where}.settings")
        try:
            json.dumps(settings, allow_nan=False)
        except (TypeError, ValueError) as e:
            spec.fail(f"{where}.settings", f"must be plain JSON data ({e})")
        recipe["settings"] = settings
    return Checked(recipe, inputs, title)


def scene_classes(path: Path) -> list[str]:
    """The classes a scene file defines at its top level (read, not imported: Manim is heavy)."""
    return [n.name for n in ast.parse(path.read_text()).body if isinstance(n, ast.ClassDef)]


def scene_source(recipe: dict) -> list[str]:
    """The scene's file: its key covers the scene and what the scene imports (the style module)."""
    return [f"scenes/{recipe['scene']}"]


def produce(planned, inputs) -> dict[str, bytes]:
    recipe = planned.spec.recipe
    handed = SceneInputs(
        planned.spec.id,
        recipe,
        tuple(
            ResolvedInput(i.planned.spec.id, i.planned.spec.kind, i.planned.key, i.planned.spec.recipe)
            for i in inputs
        ),
        store_root(),
    )
    write_preview_record(handed)
    with tempfile.TemporaryDirectory(prefix="descent-render-") as tmp:
        media = Path(tmp) / "media"
        narration = Path(tmp) / "narration.json"
        inputs_file = Path(tmp) / "inputs.json"
        inputs_file.write_text(handed.to_json())
        cmd = [
            sys.executable, "-m", "manim", "render",
            f"-q{QUALITIES[recipe['quality']]}",
            "--media_dir", str(media),
            "--disable_caching",
            "--progress_bar", "none",
            "--output_file", "video",
            str(SCENES_DIR / recipe["scene"]),
            recipe["class"],
        ]  # fmt: skip
        env = {
            **os.environ,
            INPUTS_ENV: str(inputs_file),
            "DESCENT_STORE": str(store_root()),
            "PYTHONPATH": str(PROJECT_ROOT),
            "DESCENT_CAPTIONS": str(narration),  # where style.narrate writes the scene's cues
        }
        done = subprocess.run(
            cmd, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=RENDER_TIMEOUT_S
        )
        rendered = sorted(media.rglob("video.mp4"))
        if done.returncode != 0 or not rendered:
            tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
            raise RuntimeError(f"manim failed on scenes/{recipe['scene']} {recipe['class']}:\n{tail}")
        cues = read_cues(narration) if narration.exists() else []
        if not cues:
            raise RuntimeError(
                f"scenes/{recipe['scene']} {recipe['class']} recorded no caption cues: every scene "
                "narrates its sections with style.narrate"
            )
        faststart = Path(tmp) / "faststart.mp4"
        remux_faststart(rendered[0], faststart)
        return {
            "video.mp4": faststart.read_bytes(),
            "poster.jpg": poster_jpeg(faststart),
            "captions.vtt": webvtt(cues, duration(faststart)).encode(),
            "description.txt": description(cues).encode(),
            **downloads(planned, inputs),
        }


def read_cues(path: Path) -> list[tuple[float, str]]:
    """The ``(start in seconds, words)`` cues a scene recorded, in order."""
    return [(float(c["start"]), str(c["text"])) for c in json.loads(path.read_text(encoding="utf-8"))]


def webvtt(cues: list[tuple[float, str]], duration: float) -> str:
    """WebVTT captions: each cue shows until the next one starts, the last until ``duration``.

    Times are rounded to milliseconds first, so one cue ends exactly where the next begins; a cue
    that would last no time (two at one moment, or one at the very end) is left out.
    """
    starts = [round(start * 1000) for start, _ in cues]
    ends = [*starts[1:], round(duration * 1000)]
    blocks = ["WEBVTT"]
    for start, end, (_, words) in zip(starts, ends, cues, strict=True):
        if end > start:
            text = html.escape(" ".join(words.split()), quote=False)  # &, < and > only
            blocks.append(f"{timestamp(start)} --> {timestamp(end)}\n{text}")
    return "\n\n".join(blocks) + "\n"


def timestamp(ms: int) -> str:
    """``HH:MM:SS.mmm`` for a time in milliseconds."""
    seconds, ms = divmod(ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{ms:03d}"


def description(cues: list[tuple[float, str]]) -> str:
    """The video as text: every cue's words in order, a paragraph each."""
    return "\n\n".join(" ".join(words.split()) for _, words in cues) + "\n"


def duration(video: Path) -> float:
    """Seconds of the mp4's video stream."""
    import av

    with av.open(str(video)) as c:
        stream = c.streams.video[0]
        return float(stream.duration * stream.time_base)


def remux_faststart(src: Path, dst: Path) -> None:
    """Copy the video stream unchanged into an mp4 whose index (moov) comes first."""
    import av

    with (
        av.open(str(src)) as inp,
        av.open(str(dst), "w", format="mp4", options={"movflags": "faststart"}) as out,
    ):
        in_stream = inp.streams.video[0]
        out_stream = out.add_stream_from_template(in_stream)
        for packet in inp.demux(in_stream):
            if packet.dts is None:  # the demuxer's final empty packet
                continue
            packet.stream = out_stream
            out.mux(packet)


def poster_jpeg(video: Path, samples: int = 24) -> bytes:
    """The sampled frame with the most drawn on it (sections fade to black between them)."""
    import av
    import numpy as np
    from PIL import Image

    with av.open(str(video)) as c:
        stream = c.streams.video[0]
        frames = stream.frames or 1
        every = max(1, frames // samples)
        best, best_score = None, -1.0
        for i, frame in enumerate(c.decode(stream)):
            if i % every:
                continue
            rgb = frame.to_ndarray(format="rgb24")
            score = float(np.std(rgb[::4, ::4]))
            if score > best_score:
                best, best_score = rgb, score
    out = io.BytesIO()
    Image.fromarray(best).save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


KIND = Kind(
    "video",
    "videos",
    check=check,
    produce=produce,
    versions=("numpy", "manim", "av", "pillow"),
    reads=(DATA,),
    published=True,
    code=scene_source,
    build_options=("quality",),
    cost=3,
)
