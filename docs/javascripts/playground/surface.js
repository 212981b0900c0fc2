/* A surface as the playground draws it: its grid sampled by the engine, a colour scale, and the
   plot's background layer (the colour image, contour lines, minima, frame and axes). */

import { drawGridImage, paintGrid, textAt } from "../lib/canvas.js";
import { ramp, parseColour } from "../lib/colour.js";
import { isolines, traceSegments } from "../lib/contours.js";
import { formatTick, niceTicks } from "../lib/ticks.js";
import * as engine from "./engine.js";

const LOG_SPREAD = 200; // a loss spanning more than this over the domain is coloured by log10
const CONTOUR_LEVELS = 14;

// Everything about a surface that does not depend on the view: the engine's surface, its grid,
// the grid's shade (0 lowest … 1 highest, log-scaled when the loss spans decades) and levels.
export function prepareSurface(spec) {
  const surface = engine.surface(spec);
  const n = spec.grid;
  const values = engine.sample(surface, n);
  let lo = Infinity;
  let hi = -Infinity;
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (v < lo) lo = v;
    if (v > hi) hi = v; // NaN compares false and is skipped
  }
  if (!(hi > lo)) hi = lo + 1;
  const log = hi - lo > LOG_SPREAD;
  const top = log ? Math.log10(1 + hi - lo) : hi - lo;
  const shade = new Float32Array(values.length);
  const levels = new Uint8Array(values.length); // the shade as a colour table's index
  for (let k = 0; k < values.length; k++) {
    const d = values[k] - lo;
    const t = (log ? Math.log10(1 + Math.max(0, d)) : d) / top;
    shade[k] = t >= 0 ? (t <= 1 ? t : 1) : (t < 0 ? 0 : 1); // NaN: the top colour
    levels[k] = (shade[k] * 255 + 0.5) | 0;
  }
  return { spec, surface, n, values, shade, levels, lo, hi, log, domain: spec.domain,
    minima: Array.isArray(spec.minima) ? spec.minima : [], image: null, imageKey: null };
}

// The plotted domain inside the canvas, one scale for both axes.
export function plotFrame(size, domain) {
  const m = { left: 44, right: 10, top: 10, bottom: 38 };
  const [[x0, x1], [y0, y1]] = domain;
  const availW = Math.max(10, size.w - m.left - m.right);
  const availH = Math.max(10, size.h - m.top - m.bottom);
  const scale = Math.min(availW / (x1 - x0), availH / (y1 - y0));
  const w = scale * (x1 - x0);
  const h = scale * (y1 - y0);
  const left = m.left + (availW - w) / 2;
  const top = m.top + (availH - h) / 2;
  return { left, top, w, h, right: left + w, bottom: top + h, scale, x0, x1, y0, y1 };
}

// The grid's colour image (one pixel per grid point), made again when the palette changes.
function surfaceImage(prep, pal) {
  if (prep.imageKey === pal.key) return prep.image;
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = prep.n;
  const ctx = canvas.getContext("2d");
  const img = ctx.createImageData(prep.n, prep.n);
  const table = ramp([pal.low, pal.mid, pal.high].map((c) => parseColour(c, "#888")));
  paintGrid(img, prep.levels, 0, table);
  ctx.putImageData(img, 0, 0);
  prep.image = canvas;
  prep.imageKey = pal.key;
  return canvas;
}

function drawStar(ctx, x, y, r) {
  ctx.moveTo(x, y - r);
  for (let k = 1; k < 10; k++) {
    const a = -Math.PI / 2 + (k * Math.PI) / 5;
    const rr = k % 2 ? r * 0.45 : r;
    ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
  }
  ctx.closePath();
}

export function drawSurfaceLayer(ctx, prep, f, size, pal) {
  ctx.clearRect(0, 0, size.w, size.h);
  drawGridImage(ctx, surfaceImage(prep, pal), f);
  ctx.save();
  ctx.beginPath();
  ctx.rect(f.left, f.top, f.w, f.h);
  ctx.clip();
  // Contour lines of the colour scale.
  const n = prep.n;
  const cx = f.w / (n - 1);
  const cy = f.h / (n - 1);
  ctx.beginPath();
  for (let L = 1; L <= CONTOUR_LEVELS; L++) {
    traceSegments(ctx, isolines(prep.shade, n, n, L / (CONTOUR_LEVELS + 1)),
      (i) => f.left + i * cx, (j) => f.bottom - j * cy);
  }
  ctx.lineWidth = 0.7;
  ctx.strokeStyle = pal.line;
  ctx.stroke();
  // Minima: green stars (the course's colour for a minimum), the lowest (listed first) larger.
  ctx.beginPath();
  prep.minima.forEach((m, k) => {
    const x = f.left + (m[0] - f.x0) * f.scale;
    const y = f.bottom - (m[1] - f.y0) * f.scale;
    drawStar(ctx, x, y, k === 0 ? 8 : 5.5);
  });
  ctx.fillStyle = pal.minimum;
  ctx.fill();
  ctx.lineWidth = 1.2;
  ctx.strokeStyle = pal.casing;
  ctx.stroke();
  ctx.restore();
  // Frame, ticks and axis names.
  ctx.lineWidth = 1;
  ctx.strokeStyle = pal.muted;
  ctx.strokeRect(f.left + 0.5, f.top + 0.5, f.w - 1, f.h - 1);
  ctx.fillStyle = pal.fg;
  ctx.font = `11px ${pal.font}`;
  const count = Math.max(3, Math.min(6, Math.floor(f.w / 70)));
  const xt = niceTicks(f.x0, f.x1, count);
  const yt = niceTicks(f.y0, f.y1, count);
  ctx.beginPath();
  for (const t of xt.ticks) {
    const x = f.left + (t - f.x0) * f.scale;
    ctx.moveTo(x, f.bottom); ctx.lineTo(x, f.bottom + 4);
    textAt(ctx, formatTick(t, xt.step), x, f.bottom + 6, "center", "top");
  }
  for (const t of yt.ticks) {
    const y = f.bottom - (t - f.y0) * f.scale;
    ctx.moveTo(f.left - 4, y); ctx.lineTo(f.left, y);
    textAt(ctx, formatTick(t, yt.step), f.left - 6, y, "right", "middle");
  }
  ctx.stroke();
  ctx.font = `italic 12px ${pal.font}`;
  textAt(ctx, "w₁", f.left + f.w / 2, f.bottom + 22, "center", "top");
  ctx.save();
  ctx.translate(f.left - 32, f.top + f.h / 2);
  ctx.rotate(-Math.PI / 2);
  textAt(ctx, "w₂", 0, 0, "center", "middle");
  ctx.restore();
}
