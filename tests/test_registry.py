"""The optimizer registry: every entry complete and consistent, its colours readable and told
apart, and each entry's three backends in agreement."""

import itertools
import math
import re

import numpy as np
import plotly.graph_objects as go
import pytest
import torch

from descent.figures import theme
from descent.figures.network_gradients import HIGH as GRADIENT_MAGNITUDE
from descent.optim import OPTIMIZERS, OTHER_COLOURS, Style, make_optimizer, resolve_hyperparameters, style_of
from descent.optim.optax_torch import OptaxOptimizer
from descent.optim.protocol import OptaxForm
from descent.optim.registry import GUEST_MARKERS
from descent.optim.torch_backend import torch_optimizer
from descent.surfaces import get_surface
from descent.trajectory import record

TEACHING_ORDER = [
    "sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw",
    "nadam", "radam", "adafactor", "muon", "lion", "schedule_free_adamw",
]  # fmt: skip
# The library whose numbers each optimizer's runs publish: torch.optim, or Optax where torch has none.
PRODUCTION = {name: "torch" for name in TEACHING_ORDER} | {"lion": "optax", "schedule_free_adamw": "optax"}
BACKGROUNDS = {"white": "#ffffff", "dark theme": "#1e2129", "video": "#000000"}
MIN_CONTRAST = 3.0  # WCAG's minimum for graphics against their background
MIN_APART = 12.0  # CIEDE2000: told apart at a glance (a just-noticeable difference is about 1 to 2)
MIN_FROM_SIGNALS = 15.0


# ---------- colour arithmetic (WCAG 2 contrast, CIELAB under D65, CIEDE2000)


def _rgb(hex_colour: str) -> tuple[float, ...]:
    return tuple(int(hex_colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))


def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(hex_colour: str) -> float:
    r, g, b = map(_linear, _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def lab(hex_colour: str) -> tuple[float, float, float]:
    r, g, b = map(_linear, _rgb(hex_colour))
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883
    f = lambda t: t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116  # noqa: E731
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def ciede2000(lab1, lab2) -> float:
    """Sharma, Wu and Dalal (2005), with kL = kC = kH = 1."""
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1 = math.degrees(math.atan2(b1, a1)) % 360 if c1 else 0.0
    h2 = math.degrees(math.atan2(b2, a2)) % 360 if c2 else 0.0
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_l, d_c = l2 - l1, c2 - c1
    d_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_bar, c_bar = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_bar = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_bar = (h1 + h2) / 2
    else:
        h_bar = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_bar, 1 + 0.015 * c_bar * t
    r_t = (
        -math.sin(math.radians(60 * math.exp(-(((h_bar - 275) / 25) ** 2))))
        * 2
        * math.sqrt(c_bar**7 / (c_bar**7 + 25**7))
    )
    return math.sqrt((d_l / s_l) ** 2 + (d_c / s_c) ** 2 + (d_h / s_h) ** 2 + r_t * (d_c / s_c) * (d_h / s_h))


def apart(a: str, b: str) -> float:
    return ciede2000(lab(a), lab(b))


@pytest.mark.parametrize(
    "lab1, lab2, expected",
    [  # pairs and values from Sharma, Wu and Dalal's published test data
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((50.0, 2.5, 0.0), (50.0, 3.1736, 0.5854), 1.0),
        ((60.2574, -34.0099, 36.2677), (60.4626, -34.1751, 39.4387), 1.2644),
        ((22.7233, 20.0904, -46.6940), (23.0331, 14.9730, -42.5619), 2.0373),
    ],
)
def test_the_colour_distance_is_ciede2000(lab1, lab2, expected):
    assert ciede2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)


def test_contrast_is_wcags():
    assert contrast("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)  # WCAG's well-known grey


# ---------- the entries


def test_the_registry_holds_the_course_optimizers_in_teaching_order():
    assert list(OPTIMIZERS) == TEACHING_ORDER
    assert all(name == entry.name for name, entry in OPTIMIZERS.items())


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_entry_is_complete(name):
    entry = OPTIMIZERS[name]
    assert entry.label
    assert re.fullmatch(r"#[0-9a-f]{6}", entry.colour)
    go.scatter.Marker(symbol=entry.marker)  # plotly refuses a symbol it does not know
    assert "lr" in entry.hyperparameters and entry.hyperparameters["lr"].default is None
    assert callable(entry.reference) and callable(entry.initial_state)
    assert callable(getattr(entry.optax, "build", None)) or (isinstance(entry.optax, str) and entry.optax)
    assert entry.production == PRODUCTION[name]
    hp = resolve_hyperparameters(name, {"lr": 0.1})
    p = torch.nn.Parameter(torch.zeros((2, 3) if entry.matrices_only else 2, dtype=torch.float64))
    made = torch_optimizer(entry, [p], hp)
    if entry.production == "torch":
        assert isinstance(made, getattr(torch.optim, entry.torch_class))
    else:  # Optax's transform, stepped inside a torch optimizer
        assert isinstance(made, OptaxOptimizer) and made.entry is entry
        assert isinstance(entry.optax, OptaxForm)


def test_only_muon_needs_matrices_and_torch_refuses_it_a_vector_with_the_message_we_expect():
    assert [name for name, entry in OPTIMIZERS.items() if entry.matrices_only] == ["muon"]
    assert "vector" in OPTIMIZERS["muon"].matrices_only
    vector = torch.nn.Parameter(torch.zeros(2, dtype=torch.float64))
    with pytest.raises(ValueError, match=r"Muon only supports 2D parameters .* size: torch\.Size\(\[2\]\)"):
        torch.optim.Muon([vector])
    with pytest.raises(ValueError, match="Muon only supports 2D parameters"):
        record(get_surface("bowl"), make_optimizer("muon", {"lr": 0.1}), (1.0, 1.0), 3)
    with pytest.raises(ValueError, match="cannot step"):
        record(get_surface("bowl"), make_optimizer("muon", {"lr": 0.1}, "reference"), (1.0, 1.0), 3)


@pytest.mark.parametrize(
    "name, key", [(name, key) for name, entry in OPTIMIZERS.items() for key in entry.hyperparameters]
)
def test_every_hyperparameter_is_described_and_its_default_is_valid_and_on_its_slider(name, key):
    hp = OPTIMIZERS[name].hyperparameters[key]
    assert hp.symbol and hp.label and hp.meaning
    assert hp.scale in ("linear", "log", "log1m")
    if hp.default is not None:
        assert hp.default in hp.valid, hp.meaning
    if hp.range is not None:
        low, high = hp.range
        assert low < high
        assert low > 0 if hp.scale == "log" else high < 1 if hp.scale == "log1m" else True
        assert hp.default is None or low <= hp.default <= high
        assert any(x in hp.valid for x in np.linspace(low, high, 9))


def test_a_key_means_the_same_in_every_optimizer_that_has_it():
    # The page shows one slider per key: its symbol, label, range and scale must agree.
    seen = {}
    for entry in OPTIMIZERS.values():
        for key, hp in entry.hyperparameters.items():
            look = (hp.symbol, hp.label, hp.range, hp.scale)
            assert seen.setdefault(key, look) == look, (entry.name, key)


def test_markers_are_distinct_and_no_guest_takes_a_course_optimizers():
    markers = [entry.marker for entry in OPTIMIZERS.values()]
    assert len(set(markers)) == len(markers)
    assert not set(GUEST_MARKERS) & set(markers)
    for symbol in GUEST_MARKERS:
        go.scatter.Marker(symbol=symbol)


# ---------- colours

SIGNALS = {  # the course's meanings: red gradient, yellow position, green minimum
    "figures' position": theme.POSITION,
    "figures' minimum": theme.MINIMUM,
    "figures' gradient magnitude": GRADIENT_MAGNITUDE,
}
COURSE = {name: entry.colour for name, entry in OPTIMIZERS.items()}
OTHERS = {f"other {k}": c for k, c in enumerate(OTHER_COLOURS)}


def _signals() -> dict[str, str]:
    manim = pytest.importorskip("manim")
    videos = {"videos' gradient": manim.RED, "videos' position": manim.YELLOW, "videos' minimum": manim.GREEN}
    return {**SIGNALS, **{k: c.to_hex().lower() for k, c in videos.items()}}


@pytest.mark.parametrize("name, colour", {**COURSE, **OTHERS}.items())
def test_every_colour_reads_on_white_on_the_dark_theme_and_on_video_black(name, colour):
    for where, background in BACKGROUNDS.items():
        assert contrast(colour, background) >= MIN_CONTRAST, f"{name} on {where}"


@pytest.mark.parametrize("name, colour", {**COURSE, **OTHERS}.items())
def test_every_colour_is_clear_of_red_yellow_and_green(name, colour):
    for meaning, signal in _signals().items():
        assert apart(colour, signal) >= MIN_FROM_SIGNALS, f"{name} is near the {meaning} colour"


def test_colours_are_told_apart_pairwise():
    colours = {**COURSE, **OTHERS}
    close = [
        (a, b) for a, b in itertools.combinations(colours, 2) if apart(colours[a], colours[b]) < MIN_APART
    ]
    assert close == []


def test_every_name_gets_a_look_and_ones_own_optimizers_get_different_ones():
    adam = OPTIMIZERS["adam"]
    assert style_of("adam") == Style(adam.label, adam.colour, adam.marker)
    guests = [style_of("Sign descent", k) for k in range(len(OTHER_COLOURS))]
    assert [g.label for g in guests] == ["Sign descent"] * len(OTHER_COLOURS)
    assert len({g.colour for g in guests}) == len(guests) and len({g.marker for g in guests}) == len(guests)
    assert not {g.colour for g in guests} & set(COURSE.values())


# ---------- backends, per entry

# A learning rate per entry at which 80 steps on the wavy bowl are well-behaved.
RATES = {
    "sgd": 0.05,
    "momentum": 0.02,
    "nesterov": 0.02,
    "adagrad": 0.3,
    "rmsprop": 0.02,
    "adam": 0.05,
    "adamw": 0.05,
    "nadam": 0.05,
    "radam": 0.05,
    "adafactor": 0.05,
    "muon": 0.02,
    "lion": 0.02,
    "schedule_free_adamw": 0.05,
}


def test_every_entry_has_a_rate():
    assert RATES.keys() == OPTIMIZERS.keys()


@pytest.mark.parametrize("name", [name for name, entry in OPTIMIZERS.items() if not entry.matrices_only])
def test_each_entrys_torch_reference_and_optax_forms_agree(name):
    backends = ["torch", "reference"] + (["optax"] if not isinstance(OPTIMIZERS[name].optax, str) else [])
    if "optax" in backends:
        pytest.importorskip("optax")
    surface = get_surface("wavy_bowl")
    runs = {
        b: record(surface, make_optimizer(name, {"lr": RATES[name]}, b), (2.0, 2.0), 80) for b in backends
    }
    scale = np.abs(runs["torch"].params).max()
    for backend, run in runs.items():
        rel = OPTAX_TOLERANCE.get(name, 1e-9) if backend == "optax" else 1e-9
        np.testing.assert_allclose(
            run.params, runs["torch"].params, rtol=rel, atol=rel * scale, err_msg=backend
        )


# Where Optax's form is the same rule but places ε elsewhere: Optax's RAdam adds it to the root of
# the bias-corrected second moment, torch's to the raw root (ε/√(1 − β₂ᵗ) in Optax's terms, up to
# 1.3e-7 at the first rectified step with ε = 1e-8); measured 4.7e-9 on these runs.
OPTAX_TOLERANCE = {"radam": 1e-7}
