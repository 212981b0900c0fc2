/* The loss surface in 3-D, drawn on a 2-D canvas: an orthographic view of a height field from
   above, whose quads are painted back to front. Seen from above, the painter's order depends
   only on the yaw, so it is sorted once per camera, not per epoch; fill colours come from a
   table of strings (viridis × shading levels) made once. */

import { dot, textAt } from "../lib/canvas.js";
import { hex, mix, rgb } from "../lib/colour.js";
import { formatTick, niceTicks } from "../lib/ticks.js";
import { pathLength, pathPoint } from "./data.js";

export const DEFAULT_CAMERA = { yaw: 0.62, pitch: 0.62 }; // radians: from the front-left, above
export const PITCH_RANGE = [0.12, 1.45];
const BOX_HEIGHT = 1.1; // height of the z box relative to the half-width of the (a, b) square
const HEIGHT_LEVELS = 64; // colour table: viridis levels × shading levels
const SHADE_LEVELS = 12;
const AMBIENT = 0.5;
// Viridis at 11 evenly spaced stops (matplotlib), interpolated into the table.
const VIRIDIS = ["#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c",
  "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725"];

let colours = null;

// Fill and edge colours for every (height level, shading level); the same in both schemes.
function surfaceColours() {
  if (colours) return colours;
  const stops = VIRIDIS.map(rgb);
  const fill = [];
  const edge = [];
  for (let h = 0; h < HEIGHT_LEVELS; h++) {
    const t = (h / (HEIGHT_LEVELS - 1)) * (stops.length - 1);
    const k = Math.min(Math.floor(t), stops.length - 2);
    const colour = mix(stops[k], stops[k + 1], t - k);
    for (let s = 0; s < SHADE_LEVELS; s++) {
      const shade = AMBIENT + ((1 - AMBIENT) * s) / (SHADE_LEVELS - 1);
      fill.push(hex(colour.map((x) => x * shade)));
      edge.push(hex(colour.map((x) => x * shade * 0.72)));
    }
  }
  colours = { fill, edge };
  return colours;
}

// Orthographic camera: yaw about the vertical axis, then pitch down towards the viewer.
// Screen x = x'; screen up = y'·sin(pitch) + z·cos(pitch); depth = y'·cos(pitch) − z·sin(pitch).
export function surfaceGeometry(G, camera, size) {
  const cy = Math.cos(camera.yaw);
  const sy = Math.sin(camera.yaw);
  const cp = Math.cos(camera.pitch);
  const sp = Math.sin(camera.pitch);
  const margin = { x: 46, top: 16, bottom: 34 };
  const half = Math.SQRT2; // the rotated square reaches at most √2 from the centre
  const scale = Math.min((size.w - 2 * margin.x) / (2 * half),
    (size.h - margin.top - margin.bottom) / (2 * (half * sp + (BOX_HEIGHT / 2) * cp)));
  const centre = { x: size.w / 2, y: margin.top + (size.h - margin.top - margin.bottom) / 2 };
  const project = (x, y, zn) => {
    const xr = x * cy - y * sy;
    const yr = x * sy + y * cy;
    return [centre.x + scale * xr, centre.y - scale * (yr * sp + (zn - 0.5) * BOX_HEIGHT * cp)];
  };
  const sx = new Float32Array(G * G);
  const syBase = new Float32Array(G * G); // screen y at zn = 0; zn lifts by zLift·zn
  for (let j = 0; j < G; j++) {
    for (let i = 0; i < G; i++) {
      const [px, py] = project(-1 + (2 * i) / (G - 1), -1 + (2 * j) / (G - 1), 0);
      sx[j * G + i] = px;
      syBase[j * G + i] = py;
    }
  }
  // Painter's order: quads by horizontal depth of their centre, farthest first.
  const Q = G - 1;
  const depth = new Float32Array(Q * Q);
  for (let j = 0; j < Q; j++) {
    for (let i = 0; i < Q; i++) {
      const x = -1 + (2 * (i + 0.5)) / Q;
      const y = -1 + (2 * (j + 0.5)) / Q;
      depth[j * Q + i] = x * sy + y * cy;
    }
  }
  const order = Uint16Array.from(depth.keys()).sort((p, q) => depth[q] - depth[p]);
  // Light from the viewer's upper left, expressed in world coordinates.
  const right = [cy, -sy, 0];
  const up = [sy * sp, cy * sp, cp];
  const toViewer = [-sy * cp, -cy * cp, sp];
  const light = [0, 1, 2].map((c) => -0.45 * right[c] + 0.55 * up[c] + 0.7 * toViewer[c]);
  const norm = Math.hypot(...light);
  return {
    G, sx, syBase, order, project, scale, centre, camera,
    zLift: scale * BOX_HEIGHT * cp,
    light: light.map((c) => c / norm),
    far: { x: sy >= 0 ? 1 : -1, y: cy >= 0 ? 1 : -1 }, // the back walls
    sy: new Float32Array(G * G), // scratch: screen y per vertex for the current epoch
    zn: new Float32Array(G * G), // scratch: normalized height per vertex
  };
}

// The epoch-independent part: back walls with loss gridlines, floor, ticks and axis labels.
export function drawSurfaceBackdrop(ctx, geo, pal, radius, zRange) {
  const P = geo.project;
  const { x: xf, y: yf } = geo.far;
  const { ticks, step } = niceTicks(zRange[0], zRange[1], 4);
  const toZn = (v) => (v - zRange[0]) / (zRange[1] - zRange[0]);
  ctx.lineWidth = 1;
  ctx.strokeStyle = pal.grid;
  ctx.fillStyle = pal.grid;
  // Back walls, faint, with a line per loss tick.
  const walls = [
    [[xf, -1], [xf, 1]],
    [[-1, yf], [1, yf]],
  ];
  for (const [[x0, y0], [x1, y1]] of walls) {
    ctx.globalAlpha = 0.25;
    ctx.beginPath();
    ctx.moveTo(...P(x0, y0, 0)); ctx.lineTo(...P(x1, y1, 0));
    ctx.lineTo(...P(x1, y1, 1)); ctx.lineTo(...P(x0, y0, 1));
    ctx.closePath();
    ctx.fill();
    ctx.globalAlpha = 1;
    ctx.stroke();
    ctx.beginPath();
    for (const t of ticks) {
      ctx.moveTo(...P(x0, y0, toZn(t)));
      ctx.lineTo(...P(x1, y1, toZn(t)));
    }
    ctx.stroke();
  }
  // Floor outline and the a = 0, b = 0 lines.
  ctx.beginPath();
  ctx.moveTo(...P(-1, -1, 0)); ctx.lineTo(...P(1, -1, 0));
  ctx.lineTo(...P(1, 1, 0)); ctx.lineTo(...P(-1, 1, 0)); ctx.closePath();
  ctx.moveTo(...P(0, -1, 0)); ctx.lineTo(...P(0, 1, 0));
  ctx.moveTo(...P(-1, 0, 0)); ctx.lineTo(...P(1, 0, 0));
  ctx.strokeStyle = pal.muted;
  ctx.globalAlpha = 0.6;
  ctx.stroke();
  ctx.globalAlpha = 1;

  ctx.fillStyle = pal.fg;
  ctx.font = `11px ${pal.font}`;
  const c = geo.centre;
  const away = (px, py, dist) => { // push a label away from the box centre on screen
    const dx = px - c.x;
    const dy = py - c.y;
    const n = Math.hypot(dx, dy) || 1;
    return [px + (dx / n) * dist, py + (dy / n) * dist];
  };
  // Loss ticks on the outer vertical edge of the back wall that runs along a.
  const [ex, ey] = [-xf, yf];
  const [bx] = P(ex, ey, 0);
  const side = bx < c.x ? -1 : 1;
  ctx.strokeStyle = pal.muted;
  ctx.beginPath();
  ctx.moveTo(...P(ex, ey, 0)); ctx.lineTo(...P(ex, ey, 1));
  ctx.stroke();
  for (const t of ticks) {
    const [px, py] = P(ex, ey, toZn(t));
    textAt(ctx, formatTick(t, step), px + side * 5, py, side < 0 ? "right" : "left", "middle");
  }
  const [tx, ty] = P(ex, ey, 1);
  textAt(ctx, "loss", tx, ty - 6, "center", "bottom");
  // a and b: ticks (−r, 0, r) and a label along the front edge of the floor.
  const r = radius;
  const axis = (label, point) => {
    for (const s of [-1, 0, 1]) {
      const [px, py] = away(...point(s), 10);
      textAt(ctx, formatTick(s * r, r / 2), px, py, "center", "middle");
    }
    const [mx, my] = away(...point(0.5), 26); // between the ticks, so they do not collide
    textAt(ctx, label, mx, my, "center", "middle");
  };
  axis("a (direction 1)", (s) => P(s, -yf, 0));
  axis("b (direction 2)", (s) => P(-xf, s, 0));
}

// The epoch-dependent part: the surface quads, back to front.
export function drawSurface(ctx, geo, loss, offset, zRange) {
  const { G, sx, syBase, sy, zn, order, zLift, light } = geo;
  const lo = zRange[0];
  const inv = 1 / (zRange[1] - zRange[0]);
  for (let v = 0; v < G * G; v++) {
    let z = (loss[offset + v] - lo) * inv;
    z = z < 0 ? 0 : z <= 1 ? z : 1; // NaN (diverged) draws at the top
    zn[v] = z;
    sy[v] = syBase[v] - zLift * z;
  }
  const Q = G - 1;
  const slope = (BOX_HEIGHT * Q) / 4; // (Δzn summed over two edges)/2 ÷ grid step (2/Q)
  const [lx, ly, lz] = light;
  const { fill: fills, edge: edges } = surfaceColours();
  ctx.lineWidth = 0.6;
  ctx.lineJoin = "bevel";
  for (let n = 0; n < order.length; n++) {
    const q = order[n];
    const j = (q / Q) | 0;
    const v = q + j; // j·G + i with i = q − j·Q
    const z00 = zn[v];
    const z10 = zn[v + 1];
    const z01 = zn[v + G];
    const z11 = zn[v + G + 1];
    const gx = (z10 - z00 + z11 - z01) * slope;
    const gy = (z01 - z00 + z11 - z10) * slope;
    let d = (lz - gx * lx - gy * ly) / Math.sqrt(gx * gx + gy * gy + 1);
    d = d < 0 ? 0 : d;
    const level = ((z00 + z10 + z01 + z11) * 0.25 * (HEIGHT_LEVELS - 1) + 0.5) | 0;
    const colour = level * SHADE_LEVELS + ((d * (SHADE_LEVELS - 1) + 0.5) | 0);
    ctx.beginPath();
    ctx.moveTo(sx[v], sy[v]);
    ctx.lineTo(sx[v + 1], sy[v + 1]);
    ctx.lineTo(sx[v + G + 1], sy[v + G + 1]);
    ctx.lineTo(sx[v + G], sy[v + G]);
    ctx.closePath();
    ctx.fillStyle = fills[colour];
    ctx.fill();
    ctx.strokeStyle = edges[colour]; // also hides the anti-aliasing seams between quads
    ctx.stroke();
  }
}

// Normalized height at (x, y) ∈ [−1, 1]² from the current surface (bilinear).
export function heightAt(geo, x, y) {
  const { G, zn } = geo;
  const fi = ((x + 1) / 2) * (G - 1);
  const fj = ((y + 1) / 2) * (G - 1);
  const i = Math.min(Math.floor(fi), G - 2);
  const j = Math.min(Math.floor(fj), G - 2);
  const tx = fi - i;
  const ty = fj - j;
  const v = j * G + i;
  return (zn[v] * (1 - tx) + zn[v + 1] * tx) * (1 - ty) + (zn[v + G] * (1 - tx) + zn[v + G + 1] * tx) * ty;
}

// The training path up to epoch e on the current plane: every step as a thin line when the file
// has them, else a line through the recorded epochs; the recorded epochs as dots on it either way.
// Returns how many positions the path has and how many of them were outside the square.
export function drawPath(ctx, geo, combo, e, radius, pal) {
  const count = pathLength(combo, e);
  const pts = [];
  const at = [0, 0];
  let outside = 0;
  const place = (a, b) => {
    if (Math.abs(a) > 1 || Math.abs(b) > 1 || !Number.isFinite(a + b)) return null;
    return geo.project(a, b, heightAt(geo, a, b));
  };
  for (let k = 0; k < count; k++) {
    pathPoint(combo, e, k, radius, at);
    const p = place(at[0], at[1]);
    if (!p) outside++;
    pts.push(p);
  }
  const line = () => {
    ctx.beginPath();
    let pen = false;
    for (const p of pts) {
      if (!p) { pen = false; continue; }
      if (pen) ctx.lineTo(p[0], p[1]); else ctx.moveTo(p[0], p[1]);
      pen = true;
    }
    ctx.stroke();
  };
  const thin = combo.steps !== null;
  ctx.lineJoin = "round";
  ctx.lineWidth = thin ? 2.2 : 3.5;
  ctx.strokeStyle = pal["path-edge"];
  line();
  ctx.lineWidth = thin ? 0.9 : 1.6;
  ctx.strokeStyle = pal.path;
  line();
  const n = combo.epochs.length;
  for (let k = 0; k <= e; k++) {
    const p = place(combo.path[(e * n + k) * 2] / radius, combo.path[(e * n + k) * 2 + 1] / radius);
    if (p) dot(ctx, p[0], p[1], 2.2, pal.path, pal["path-edge"], 1);
  }
  return { positions: count, outside };
}
