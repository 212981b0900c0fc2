/* The decision boundary: the model's probability of class 1 over the input plane as a colour
   field, its p = 0.5 line, and the data points. */

import { drawGridImage, paintGrid, textAt } from "../lib/canvas.js";
import { mix, parseColour } from "../lib/colour.js";
import { isolines, traceSegments } from "../lib/contours.js";
import { formatTick, niceTicks } from "../lib/ticks.js";

// The square plot inside the canvas: {left, top, w, h} (w = h).
export function boundaryFrame(size) {
  const m = { left: 40, right: 12, top: 10, bottom: 38 };
  const side = Math.max(10, Math.min(size.w - m.left - m.right, size.h - m.top - m.bottom));
  return { left: m.left + (size.w - m.left - m.right - side) / 2, top: m.top, w: side, h: side };
}

// 256 colours, index round(255 · p): the red tint (class 0) through the background (unsure) to
// the blue tint (class 1).
export function probabilityColours(pal) {
  const bg = parseColour(pal.bg, "#fff");
  const t0 = parseColour(pal.tint0, "#f3a6a0");
  const t1 = parseColour(pal.tint1, "#9cc3ee");
  const table = new Uint8ClampedArray(256 * 3);
  for (let k = 0; k < 256; k++) {
    const p = k / 255;
    const w = Math.pow(Math.abs(p - 0.5) * 2, 0.75); // confidence, eased so 0.7 already shows
    table.set(mix(bg, p < 0.5 ? t0 : t1, w), k * 3);
  }
  return table;
}

// Axes, ticks, labels and the data points: the same for every epoch.
export function drawBoundaryOverlay(ctx, combo, frame, pal) {
  const [lo, hi] = combo.extent;
  const side = frame.w;
  const toX = (v) => frame.left + ((v - lo) / (hi - lo)) * side;
  const toY = (v) => frame.top + side - ((v - lo) / (hi - lo)) * side;
  ctx.save();
  ctx.beginPath();
  ctx.rect(frame.left, frame.top, side, side);
  ctx.clip();
  const r = side > 300 ? 3.6 : 3;
  const groups = [[true, 0], [true, 1], [false, 0], [false, 1]];
  for (const [train, cls] of groups) {
    ctx.beginPath();
    for (let k = 0; k < combo.labels.length; k++) {
      if ((k < combo.nTrain) !== train || combo.labels[k] !== cls) continue;
      const x = toX(combo.points[2 * k]);
      const y = toY(combo.points[2 * k + 1]);
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
    const colour = cls ? pal.class1 : pal.class0;
    if (train) {
      ctx.fillStyle = colour;
      ctx.fill();
      ctx.lineWidth = 0.8;
      ctx.strokeStyle = pal.bg;
      ctx.stroke();
    } else { // rings: a background casing keeps them visible on their own class's tint
      ctx.lineWidth = 3.2;
      ctx.strokeStyle = pal.bg;
      ctx.stroke();
      ctx.lineWidth = 1.6;
      ctx.strokeStyle = colour;
      ctx.stroke();
    }
  }
  ctx.restore();
  ctx.lineWidth = 1;
  ctx.strokeStyle = pal.muted;
  ctx.strokeRect(frame.left + 0.5, frame.top + 0.5, side - 1, side - 1);
  ctx.fillStyle = pal.fg;
  ctx.font = `11px ${pal.font}`;
  const { ticks, step } = niceTicks(lo, hi, 4);
  ctx.beginPath();
  for (const t of ticks) {
    ctx.moveTo(toX(t), frame.top + side); ctx.lineTo(toX(t), frame.top + side + 4);
    ctx.moveTo(frame.left - 4, toY(t)); ctx.lineTo(frame.left, toY(t));
    textAt(ctx, formatTick(t, step), toX(t), frame.top + side + 6, "center", "top");
    textAt(ctx, formatTick(t, step), frame.left - 6, toY(t), "right", "middle");
  }
  ctx.stroke();
  ctx.font = `italic 12px ${pal.font}`;
  textAt(ctx, "x₁", frame.left + side / 2, frame.top + side + 22, "center", "top");
  ctx.save();
  ctx.translate(frame.left - 30, frame.top + side / 2);
  ctx.rotate(-Math.PI / 2);
  textAt(ctx, "x₂", 0, 0, "center", "middle");
  ctx.restore();
}

// The probability field of epoch e: one pixel per grid point, scaled with bilinear smoothing.
export function drawField(ctx, combo, e, frame, colours) {
  if (!combo.probImage) {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = combo.bGrid;
    const context = canvas.getContext("2d");
    combo.probImage = { canvas, ctx: context, data: context.createImageData(combo.bGrid, combo.bGrid) };
  }
  const img = combo.probImage;
  paintGrid(img.data, combo.prob, combo.probAt(e), colours);
  img.ctx.putImageData(img.data, 0, 0);
  drawGridImage(ctx, img.canvas, frame);
}

// The p = 0.5 line of epoch e.
export function drawContour(ctx, combo, e, frame, pal) {
  const N = combo.bGrid;
  const cell = frame.w / (N - 1);
  ctx.beginPath();
  traceSegments(ctx, isolines(combo.prob, N, N, 127.5, combo.probAt(e)),
    (i) => frame.left + i * cell, (j) => frame.top + frame.w - j * cell);
  ctx.lineWidth = 1.6;
  ctx.lineCap = "round";
  ctx.strokeStyle = pal.fg;
  ctx.stroke();
}
