"""A network diagram coloured by the gradient magnitudes of a real backward pass, one recorded
epoch at a time: connections by ``|∂L/∂W|``, neurons by the batch mean of ``|∂L/∂z|``.

Colours run from dark blue (small) to red (large), normalised per epoch (the largest connection
and the largest neuron of that epoch are full red); hovering shows the actual values.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from descent.figures.theme import base_layout, f32

LOW, HIGH = "#1e3a5f", "#ff6b6b"  # the course's gradient-magnitude colours (seed 001)
BINS = 8  # connections are drawn in this many shades, one trace each


def mix(t: float) -> str:
    a = np.array([int(LOW[i : i + 2], 16) for i in (1, 3, 5)])
    b = np.array([int(HIGH[i : i + 2], 16) for i in (1, 3, 5)])
    r, g, bl = np.round(a + (b - a) * t).astype(int)
    return f"rgb({r},{g},{bl})"


def positions(widths: list[int]) -> list[np.ndarray]:
    """Neuron centres per layer: layers at x = 0, 1, ..., neurons centred on y = 0."""
    return [np.stack([np.full(w, float(i)), np.arange(w) - (w - 1) / 2], 1) for i, w in enumerate(widths)]


def build(recipe: dict, networks: list) -> tuple[go.Figure, list[dict]]:
    net = networks[recipe["default"]]
    a = net.arrays
    widths = net.widths
    pos = positions(widths)
    epochs = [int(e) for e in a["record_epochs"]]
    traces, per_epoch = [], []
    for r in range(len(epochs)):
        members = []
        grads = [np.abs(a[f"layer{l}.weight_grad"][r]) for l in range(net.layers)]
        top = max(float(g.max()) for g in grads) or 1.0
        segments = [[] for _ in range(BINS)]
        mids, mid_text = [], []
        for l, g in enumerate(grads):
            for j in range(g.shape[0]):
                for i in range(g.shape[1]):
                    b = min(int(g[j, i] / top * BINS), BINS - 1)
                    p, q = pos[l][i], pos[l + 1][j]
                    segments[b].append((p, q))
                    mids.append((p + q) / 2)
                    mid_text.append(f"|∂L/∂W| = {g[j, i]:.3g}<br>layer {l + 1}, {i + 1} → {j + 1}")
        for b, segs in enumerate(segments):
            if not segs:
                continue
            xs = np.array([[p[0], q[0], np.nan] for p, q in segs]).ravel()
            ys = np.array([[p[1], q[1], np.nan] for p, q in segs]).ravel()
            members.append(len(traces))
            traces.append(go.Scatter(
                x=f32(xs), y=f32(ys), mode="lines", hoverinfo="skip", showlegend=False,
                line={"color": mix((b + 0.5) / BINS), "width": 1 + 4 * (b + 0.5) / BINS},
                visible=r == len(epochs) - 1, name=f"connections, shade {b + 1}",
            ))  # fmt: skip
        mids = np.array(mids)
        members.append(len(traces))
        traces.append(go.Scatter(
            x=f32(mids[:, 0]), y=f32(mids[:, 1]), mode="markers", marker={"size": 8, "opacity": 0},
            text=mid_text, hovertemplate="%{text}<extra></extra>", showlegend=False,
            visible=r == len(epochs) - 1, name="connection gradients",
        ))  # fmt: skip
        neuron = [a[f"neurons{i}.grad"][r] for i in range(len(widths))]
        values = np.concatenate(neuron)
        xy = np.concatenate(pos)
        members.append(len(traces))
        traces.append(go.Scatter(
            x=f32(xy[:, 0]), y=f32(xy[:, 1]), mode="markers", name="neurons",
            marker={
                "size": 26, "color": values / (values.max() or 1.0), "cmin": 0, "cmax": 1,
                "colorscale": [[0, LOW], [1, HIGH]], "line": {"width": 1.5, "color": "#888"},
                "showscale": True,
                "colorbar": {"title": {"text": "|gradient| / largest<br>this epoch"}, "len": 0.8},
            },
            customdata=values, hovertemplate="mean |∂L/∂z| = %{customdata:.3g}<extra></extra>",
            visible=r == len(epochs) - 1, showlegend=False,
        ))  # fmt: skip
        per_epoch.append(members)
    names = ["input x", *[f"hidden {i}" for i in range(1, len(widths) - 1)], "output (logit)"]
    fig = go.Figure(traces)
    fig.update_layout(base_layout(
        showlegend=False, height=460,
        xaxis={"title": {"text": "layer"}, "tickvals": list(range(len(widths))), "ticktext": names,
               "zeroline": False, "showgrid": False},
        yaxis={"title": {"text": "neuron"}, "showticklabels": False, "zeroline": False, "showgrid": False},
    ))  # fmt: skip
    n = len(traces)
    loss = a["loss_train"]
    options = [
        {
            "label": f"epoch {e} (training loss {loss[e]:.3f})",
            "visible": [j in members for j in range(n)],
        }
        for e, members in zip(epochs, per_epoch, strict=True)
    ]
    select = {"type": "select", "label": "Backward pass at", "default": len(epochs) - 1, "options": options}
    return fig, [select]
