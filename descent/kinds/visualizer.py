"""The visualizer's data: stored landscapes packed for the in-browser visualizer, a small
``index.json`` and one binary file per (dataset, model, training) combination, so the page
fetches only the combination it shows.

A training is how a landscape's network was trained: its optimizer, hyperparameters, batch and
schedule. Its id is the optimizer's name, with ``-b<batch>`` for minibatches (``adam``,
``momentum-b16``); every input of one training must train the same way.

A combination's file is ``<dataset>-<model>-<training>.bin``:

    uint32 (little-endian)  n, the length of the header
    n bytes                 UTF-8 JSON header, padded with spaces to a multiple of 4 bytes
    the arrays, each at ``header.arrays[name].offset`` bytes after the header, little-endian

Loss planes are float16 (a picture needs three digits, not seven), probabilities are uint8
(``p * 255`` rounded), everything else float32. A minibatch run also carries, per epoch, the
lowest and highest loss of its batches (float16): the noise each step sees; and the weights after
every step on the plane, once (``steps``, relative to the initial weights), with the recorded
epochs' own coordinates in that frame (``steps_origin``): on epoch ``e``'s plane a step is at
``steps[s] - steps_origin[e]``. These stay float32: float16 keeps about 3 digits of a coordinate's
size, not of its distance from the centre, and at the smallest zoom late steps lie close together
far from the initial weights.
"""

from __future__ import annotations

import json
import re
import struct
from typing import Any

import numpy as np

from descent.datasets import DATASETS, train_size
from descent.downloads import recipe_json
from descent.kinds import Checked, Kind
from descent.kinds.landscape import LandscapeRun
from descent.optim.registry import OPTIMIZERS

FORMAT = 3
DATASET_LABELS = {"moons": "Moons", "circles": "Circles", "xor": "XOR", "spiral": "Spiral", "blobs": "Blobs"}
# How a training's label names its optimizer, where the registry's label alone would not say it.
OPTIMIZER_PHRASES = {
    "sgd": "plain SGD",
    "momentum": "SGD with momentum",
    "nesterov": "SGD with Nesterov momentum",
}


def model_id(hidden: list[int]) -> str:
    """``[16, 16]`` -> ``"2x16"`` (the visualizer's models have equal widths)."""
    return f"{len(hidden)}x{hidden[0]}"


def training_id(recipe: dict[str, Any]) -> str:
    """``adam`` for full-batch Adam, ``momentum-b16`` for momentum on minibatches of 16."""
    batch = recipe.get("batch")
    return recipe["optimizer"] if batch is None else f"{recipe['optimizer']}-b{batch}"


def training_settings(recipe: dict[str, Any]) -> dict[str, Any]:
    """What a training is: the same for every input the page offers under one training id."""
    return {key: recipe.get(key) for key in ("optimizer", "hyperparameters", "batch", "schedule")}


def training_label(recipe: dict[str, Any]) -> str:
    """``Full-batch Adam``, ``SGD with momentum, batches of 16``."""
    optimizer = recipe["optimizer"]
    name = OPTIMIZER_PHRASES.get(optimizer, OPTIMIZERS[optimizer].label)
    batch = recipe.get("batch")
    return f"Full-batch {name}" if batch is None else f"{name[0].upper()}{name[1:]}, batches of {batch}"


COMBINATION = re.compile(r"^[a-z]+/[0-9]+x[0-9]+(/[a-z0-9]+(-b[0-9]+)?)?$")


def check(spec, where: str, v: dict) -> Checked:
    """One visualizer over landscapes: one per (dataset, model, training) combination, each model
    of equal widths (``2x16`` is two layers of 16), every input of a training trained alike, and
    the default among them (``dataset/model/training``; ``dataset/model`` where there is one
    training)."""
    spec.known_fields(v, where, {"title", "inputs", "default"})
    title = spec.string(v, where, "title")
    inputs = spec.inputs(v, where)
    default = spec.string(v, where, "default", pattern=COMBINATION)
    combinations = set()
    trainings: dict[str, tuple[str, dict]] = {}  # id -> (the first input trained so, its settings)
    for node in inputs:
        recipe = spec.recipes[node]
        hidden, dataset = recipe["hidden"], recipe["dataset"]
        if len(set(hidden)) != 1:
            spec.fail(
                f"{where}.inputs",
                f"{node} has layers of unequal widths {hidden}; the page picks by depth x width",
            )
        training, settings = training_id(recipe), training_settings(recipe)
        first, first_settings = trainings.setdefault(training, (node, settings))
        if settings != first_settings:
            differ = ", ".join(k for k in settings if settings[k] != first_settings[k])
            spec.fail(
                f"{where}.inputs",
                f"{first} and {node} both train as {training!r} but differ in {differ}; the page "
                "offers one setting per optimizer and batch size",
            )
        combination = f"{dataset}/{model_id(hidden)}/{training}"
        if combination in combinations:
            spec.fail(f"{where}.inputs", f"two landscapes for {combination}")
        combinations.add(combination)
    if default.count("/") == 1:
        if len(trainings) > 1:
            spec.fail(
                f"{where}.default",
                f"{default!r} names no training, and the inputs train in {len(trainings)} ways "
                f"({', '.join(trainings)}): write dataset/model/training",
            )
        default = f"{default}/{next(iter(trainings))}"
    if default not in combinations:
        spec.fail(
            f"{where}.default", f"{default!r} is not among the inputs' dataset/model/training combinations"
        )
    return Checked({"title": title, "default": default}, inputs, title)


def produce(planned, inputs) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    models: dict[str, dict] = {}
    datasets: dict[str, dict] = {}
    trainings: dict[str, dict] = {}  # in the order of the inputs: the lesson lists its first first
    combos: dict[str, str] = {}
    for input_planned, run in inputs:
        r = run.recipe  # the lesson spec checked: equal widths, one landscape per combination
        model, dataset, training = model_id(r["hidden"]), r["dataset"], training_id(r)
        key = f"{dataset}/{model}/{training}"
        name = f"{dataset}-{model}-{training}.bin"
        combos[key] = name
        files[name] = combination_bytes(run, input_planned.provenance())
        models[model] = {
            "id": model,
            "layers": len(r["hidden"]),
            "width": r["hidden"][0],
            "label": f"{len(r['hidden'])} × {r['hidden'][0]}",
        }
        datasets[dataset] = {"id": dataset, "label": DATASET_LABELS.get(dataset, dataset)}
        trainings.setdefault(training, {"id": training, "label": training_label(r), **training_settings(r)})
    default = planned.spec.recipe["default"]
    index = {
        "format": FORMAT,
        "title": planned.spec.title,
        "models": sorted(models.values(), key=lambda m: (m["layers"], m["width"])),
        "datasets": [datasets[d] for d in DATASETS if d in datasets],  # in the course's order
        "trainings": list(trainings.values()),
        "default": dict(zip(("dataset", "model", "training"), default.split("/"), strict=True)),
        "combinations": combos,
    }
    files["index.json"] = (json.dumps(index, indent=1, sort_keys=True) + "\n").encode()
    first_view = first_view_bytes(files[combos[default]])  # travels inside the page
    if first_view is not None:
        files["first-view.bin"] = first_view
    # One recipe covers every combination; the combinations' files are its data.
    files["recipe.json"] = recipe_json(planned, [i.planned for i in inputs])
    return files


def combination_bytes(run: LandscapeRun, provenance: dict[str, Any]) -> bytes:
    a = run.arrays
    n_train = len(a["y_train"])
    arrays = {
        "loss": a["plane.loss"].astype("<f2"),  # [epoch, zoom, b, a]
        "prob": np.rint(np.clip(a["boundary.prob"], 0, 1) * 255).astype(np.uint8),  # [epoch, y, x]
        "curves": np.stack([a["loss_train"], a["acc_train"], a["loss_test"], a["acc_test"]]).astype("<f4"),
        "points": np.concatenate([a["x_train"], a["x_test"]]).astype("<f4"),  # [n, 2]
        "labels": np.concatenate([a["y_train"], a["y_test"]]).astype(np.uint8),
        "path": a["path.coords"].astype("<f4"),  # [plane epoch, epoch, 2]
        "path_error": a["path.error"].astype("<f4"),  # [plane epoch, epoch]
    }
    r = run.recipe
    steps_per_epoch = -(-train_size(r["samples"]) // r.get("batch", n_train))
    if steps_per_epoch > 1:  # a full batch's one loss per epoch is the training loss itself
        batches = a["batch_loss"].reshape(-1, steps_per_epoch)
        arrays["batch_range"] = np.stack([batches.min(1), batches.max(1)]).astype("<f2")  # [2, epoch]
        if "steps.coords" in a:  # every step, drawn as a line through the recorded epochs
            arrays["steps"] = a["steps.coords"].astype("<f4")  # [step, 2]
            arrays["steps_origin"] = a["steps.origin"].astype("<f4")  # [epoch, 2]
    header: dict[str, Any] = {
        "format": FORMAT,
        "id": run.id,
        "dataset": r["dataset"],
        "hidden": r["hidden"],
        "activation": r["activation"],
        "optimizer": r["optimizer"],
        "hyperparameters": r["hyperparameters"],
        "training": training_id(r),
        "batch": r.get("batch"),  # null: the whole training set
        "steps_per_epoch": steps_per_epoch,
        "schedule": r.get("schedule"),  # null: a constant rate
        "epochs": [int(e) for e in a["record_epochs"]],
        "radii": [float(v) for v in a["plane.radii"]],
        "grid": int(a["plane.loss"].shape[-1]),
        "boundary": {
            "grid": int(a["boundary.prob"].shape[-1]),
            "extent": [float(a["boundary.xs"][0]), float(a["boundary.xs"][-1])],
        },
        "n_train": n_train,
        "curve_names": ["loss_train", "acc_train", "loss_test", "acc_test"],
        "provenance": provenance,
    }
    return encode_combination(header, arrays)


def encode_combination(header: dict[str, Any], arrays: dict[str, np.ndarray]) -> bytes:
    """The file: its header (with where each array lies, under "arrays") and the arrays."""
    header = {**header, "arrays": {}}
    blobs, offset = [], 0
    for name, arr in arrays.items():
        arr = np.ascontiguousarray(arr)
        header["arrays"][name] = {"dtype": arr.dtype.name, "shape": list(arr.shape), "offset": offset}
        data = arr.tobytes()
        data += b"\0" * (-len(data) % 4)  # every array starts 4-byte aligned, as typed arrays need
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, sort_keys=True, separators=(",", ":"), allow_nan=False).encode()
    text += b" " * (-len(text) % 4)
    return struct.pack("<I", len(text)) + text + b"".join(blobs)


def first_view_bytes(data: bytes) -> bytes | None:
    """The first view of a combination file, small enough to travel inside the page: the loss
    planes and the decision boundary of the last recorded epoch only (where the visualizer
    opens), everything else whole, in the same format. Under "first_view", the header says which
    epoch that is and gives each zoom's loss scale over every epoch, so that the first view's
    heights and colours are the whole file's. None if a scale is not finite (the page then
    fetches the whole file for its first view, as for any other)."""
    header, arrays = read_combination(data)
    last = len(header["epochs"]) - 1
    loss = arrays["loss"].astype(np.float64)
    ranges = []
    for z in range(loss.shape[1]):
        values = loss[:, z][~np.isnan(loss[:, z])]  # as the page computes it: NaN is skipped
        if not values.size or not np.isfinite(values).all():
            return None
        lo, hi = float(values.min()), float(values.max())
        ranges.append([lo, hi if hi > lo else lo + 1])
    del header["arrays"]
    header["first_view"] = {"epoch": last, "z_ranges": ranges}
    arrays = {**arrays, "loss": arrays["loss"][last:], "prob": arrays["prob"][last:]}
    return encode_combination(header, arrays)


def read_combination(data: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """The header and arrays of a combination file (what the page decodes; used by tests)."""
    (n,) = struct.unpack_from("<I", data)
    header = json.loads(data[4 : 4 + n])
    base = 4 + n
    arrays = {}
    for name, info in header["arrays"].items():
        dtype = np.dtype(info["dtype"]).newbyteorder("<")
        count = int(np.prod(info["shape"]))
        arrays[name] = np.frombuffer(data, dtype, count, base + info["offset"]).reshape(info["shape"])
    return header, arrays


KIND = Kind(
    "visualizer",
    "visualizers",
    check=check,
    produce=produce,
    versions=("numpy",),
    reads=("landscape",),
    published=True,
)
