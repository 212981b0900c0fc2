/* The loss and accuracy curves over the epochs, with a marker at the epoch shown; for a
   minibatch run, behind them, the band of its batches' losses in each epoch. */

import { dot, textAt } from "../lib/canvas.js";
import { formatTick, niceTicks } from "../lib/ticks.js";

const CURVES = [
  { name: "loss_train", label: "train loss", colour: "loss", dash: [] },
  { name: "loss_test", label: "test loss", colour: "loss", dash: [5, 3] },
  { name: "acc_train", label: "train accuracy", colour: "acc", dash: [] },
  { name: "acc_test", label: "test accuracy", colour: "acc", dash: [5, 3] },
];

const BAND = { name: "batch_range", label: "batch losses, lowest to highest", colour: "loss", band: true };
const BAND_ALPHA = 0.25;

const isAccuracy = (name) => name.startsWith("acc");

// Legend entries with positions; they wrap onto more rows on narrow screens.
function curveLegend(ctx, combo, width, pal) {
  ctx.font = `11px ${pal.font}`;
  const items = [];
  let x = 48;
  let row = 0;
  for (const c of [...CURVES, ...(combo.batchRange ? [BAND] : [])]) {
    if (!c.band && combo.curveIndex[c.name] === undefined) continue;
    const w = 29 + ctx.measureText(c.label).width;
    if (x + w > width - 8 && x > 48) { x = 48; row++; }
    items.push({ curve: c, x, y: 12 + row * 16 });
    x += w + 16;
  }
  return { items, rows: row + 1 };
}

// The plot's frame and scales: loss on the left axis (from 0), accuracy on the right (0 … 1).
export function curveFrame(ctx, combo, size, pal) {
  const legend = curveLegend(ctx, combo, size.w, pal);
  const m = { left: 48, right: 52, top: 12 + legend.rows * 16, bottom: 36 };
  const T = combo.curveLength;
  let lossMax = 0;
  for (const c of ["loss_train", "loss_test"]) {
    const k = combo.curveIndex[c];
    if (k === undefined) continue;
    for (let t = 0; t < T; t++) {
      const v = combo.curves[k * T + t];
      if (v > lossMax && Number.isFinite(v)) lossMax = v;
    }
  }
  const lossTicks = niceTicks(0, lossMax || 1, 4);
  const last = lossTicks.ticks[lossTicks.ticks.length - 1];
  const top = last < lossMax ? lossMax : last;
  const f = { x0: m.left, y0: m.top, w: Math.max(10, size.w - m.left - m.right), h: Math.max(10, size.h - m.top - m.bottom) };
  f.legend = legend;
  f.tMax = Math.max(1, T - 1);
  f.lossTop = top || 1;
  f.lossTicks = lossTicks;
  f.X = (t) => f.x0 + (t / f.tMax) * f.w;
  f.Y = (name, v) => f.y0 + f.h - (isAccuracy(name) ? v : v / f.lossTop) * f.h;
  return f;
}

// A curve's value at t, held to the plot (accuracy at most 1, loss at most the top).
function curveAt(combo, f, c, k, t) {
  return Math.min(combo.curves[k * combo.curveLength + t], isAccuracy(c.name) ? 1 : f.lossTop);
}

// Axes, the curves and their legend: the same for every epoch.
export function drawCurveLayer(ctx, combo, f, pal) {
  const T = combo.curveLength;
  ctx.font = `11px ${pal.font}`;
  ctx.lineWidth = 1;
  ctx.strokeStyle = pal.grid;
  ctx.fillStyle = pal.fg;
  ctx.beginPath();
  for (const t of f.lossTicks.ticks) {
    const y = f.Y("loss", t);
    ctx.moveTo(f.x0, y); ctx.lineTo(f.x0 + f.w, y);
    textAt(ctx, formatTick(t, f.lossTicks.step), f.x0 - 6, y, "right", "middle");
  }
  ctx.stroke();
  for (const a of [0, 0.25, 0.5, 0.75, 1]) {
    textAt(ctx, a.toFixed(2), f.x0 + f.w + 6, f.Y("acc", a), "left", "middle");
  }
  const xt = niceTicks(0, f.tMax, Math.max(3, Math.floor(f.w / 80)));
  ctx.strokeStyle = pal.muted;
  ctx.beginPath();
  for (const t of xt.ticks) {
    ctx.moveTo(f.X(t), f.y0 + f.h); ctx.lineTo(f.X(t), f.y0 + f.h + 4);
    textAt(ctx, formatTick(t, xt.step), f.X(t), f.y0 + f.h + 6, "center", "top");
  }
  ctx.stroke();
  ctx.strokeRect(f.x0 + 0.5, f.y0 + 0.5, f.w - 1, f.h - 1);
  textAt(ctx, "epoch", f.x0 + f.w / 2, f.y0 + f.h + 20, "center", "top");
  ctx.save();
  ctx.translate(12, f.y0 + f.h / 2);
  ctx.rotate(-Math.PI / 2);
  textAt(ctx, "loss", 0, 0, "center", "middle");
  ctx.restore();
  ctx.save();
  ctx.translate(f.x0 + f.w + 44, f.y0 + f.h / 2);
  ctx.rotate(Math.PI / 2);
  textAt(ctx, "accuracy", 0, 0, "center", "middle");
  ctx.restore();
  if (combo.batchRange) drawBatchBand(ctx, combo, f, pal);
  // The lines, then a legend with line samples across the top margin.
  ctx.lineJoin = "round";
  for (const c of CURVES) {
    const k = combo.curveIndex[c.name];
    if (k === undefined) continue;
    ctx.setLineDash(c.dash);
    ctx.strokeStyle = pal[c.colour];
    ctx.lineWidth = 1.6;
    ctx.beginPath();
    for (let t = 0; t < T; t++) {
      const y = f.Y(c.name, curveAt(combo, f, c, k, t));
      if (t) ctx.lineTo(f.X(t), y); else ctx.moveTo(f.X(t), y);
    }
    ctx.stroke();
    ctx.setLineDash([]);
  }
  for (const { curve: c, x, y } of f.legend.items) {
    if (c.band) {
      ctx.save();
      ctx.globalAlpha = BAND_ALPHA;
      ctx.fillStyle = pal[c.colour];
      ctx.fillRect(x, y - 4, 24, 8);
      ctx.restore();
      textAt(ctx, c.label, x + 29, y, "left", "middle");
      continue;
    }
    ctx.setLineDash(c.dash);
    ctx.strokeStyle = pal[c.colour];
    ctx.beginPath();
    ctx.moveTo(x, y); ctx.lineTo(x + 24, y);
    ctx.stroke();
    ctx.setLineDash([]);
    textAt(ctx, c.label, x + 29, y, "left", "middle");
  }
}

// The band from the lowest to the highest batch loss of each epoch's steps, drawn at the middle
// of the epoch (the steps from epoch t to t + 1), held to the plot.
function drawBatchBand(ctx, combo, f, pal) {
  const range = combo.batchRange;
  const n = range.length / 2;
  const y = (v) => f.Y("loss", Math.min(v, f.lossTop));
  ctx.save();
  ctx.globalAlpha = BAND_ALPHA;
  ctx.fillStyle = pal.loss;
  ctx.beginPath();
  for (let t = 0; t < n; t++) {
    if (t) ctx.lineTo(f.X(t + 0.5), y(range[n + t])); else ctx.moveTo(f.X(t + 0.5), y(range[n + t]));
  }
  for (let t = n - 1; t >= 0; t--) ctx.lineTo(f.X(t + 0.5), y(range[t]));
  ctx.closePath();
  ctx.fill();
  ctx.restore();
}

// The marker of an epoch: a vertical line, and a dot on each curve.
export function drawCurveMarker(ctx, combo, f, epoch, pal) {
  const t = Math.min(epoch, combo.curveLength - 1);
  const x = f.X(t);
  ctx.lineWidth = 2;
  ctx.strokeStyle = pal.marker;
  ctx.beginPath();
  ctx.moveTo(x, f.y0); ctx.lineTo(x, f.y0 + f.h);
  ctx.stroke();
  for (const c of CURVES) {
    const k = combo.curveIndex[c.name];
    if (k === undefined) continue;
    dot(ctx, x, f.Y(c.name, curveAt(combo, f, c, k, t)), 3, pal[c.colour], pal.bg, 1);
  }
}
