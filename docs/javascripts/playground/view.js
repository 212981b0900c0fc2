/* The playground's plot: the surface layer, the paths drawn a frame at a time, and the markers.

   Paths are drawn incrementally into a scene layer (the surface layer plus every segment so
   far): a frame draws only the segments of the steps it took, then copies the rectangles that
   changed from that layer to the screen (the new segments' boxes, the markers of the last frame)
   and draws the markers over them. The scene is drawn again whole only when the surface, the
   size, the palette or the set of paths changes. */

import { fitCanvas, makeLayer } from "../lib/canvas.js";
import { shapePath } from "./shapes.js";
import { drawSurfaceLayer, plotFrame } from "./surface.js";

const MAX_RECTS = 128;

// Rectangles (CSS pixels: x, y, w, h) to repaint, at most MAX_RECTS.
class Rects {
  constructor() {
    this.list = new Float64Array(4 * MAX_RECTS);
    this.count = 0;
  }

  add(x, y, w, h) {
    if (this.count >= MAX_RECTS) return;
    const o = 4 * this.count++;
    this.list[o] = x; this.list[o + 1] = y; this.list[o + 2] = w; this.list[o + 3] = h;
  }

  around(x, y, r) {
    this.add(x - r, y - r, 2 * r, 2 * r);
  }
}

export class PlotView {
  constructor(canvas) {
    this.canvas = canvas;
    this.prep = null; // the surface, prepared (surface.js)
    this.pal = null;
    this.size = null;
    this.frame = null; // plotFrame
    this.surfaceLayer = null;
    this.sceneLayer = null; // surface + paths so far
    this.needsScene = true;
    this.fullPaint = true;
    this.dirty = new Rects(); // to repaint this frame
    this.marks = new Rects(); // this frame's markers: repainted next frame
    this.seg = new Float64Array(4); // a clipped segment
    this.clipT = new Float64Array(2);
    this.bbox = new Float64Array(4); // min x, min y, max x, max y of what tracePath drew
  }

  setSurface(prep) {
    this.prep = prep;
    this.surfaceLayer = null;
  }

  setPalette(pal) {
    this.pal = pal;
    this.surfaceLayer = null;
  }

  measure() {
    this.size = fitCanvas(this.canvas, this.canvas.getBoundingClientRect());
    this.surfaceLayer = this.sceneLayer = null;
    this.needsScene = true;
  }

  // The paths change (another race): the scene layer is drawn again from the surface.
  restart() {
    this.needsScene = true;
  }

  toX(x) { return this.frame.left + (x - this.frame.x0) * this.frame.scale; }
  toY(y) { return this.frame.bottom - (y - this.frame.y0) * this.frame.scale; }

  // The point of the domain under a point of the screen.
  domainAt(clientX, clientY) {
    const rect = this.canvas.getBoundingClientRect();
    const f = this.frame;
    return [f.x0 + (clientX - rect.left - f.left) / f.scale, f.y0 + (f.bottom - (clientY - rect.top)) / f.scale];
  }

  ensureLayers(race) {
    const size = this.size;
    if (!this.surfaceLayer) {
      this.frame = plotFrame(size, this.prep.domain);
      this.surfaceLayer = makeLayer(size);
      drawSurfaceLayer(this.surfaceLayer.ctx, this.prep, this.frame, size, this.pal);
      this.needsScene = true;
    }
    if (!this.sceneLayer) this.sceneLayer = makeLayer(size);
    if (this.needsScene) {
      const ctx = this.sceneLayer.ctx;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, this.sceneLayer.canvas.width, this.sceneLayer.canvas.height);
      ctx.drawImage(this.surfaceLayer.canvas, 0, 0);
      ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
      for (const entry of race.entries) entry.drawn = 0;
      this.needsScene = false;
      this.fullPaint = true;
    }
  }

  // Copies rectangles of the scene layer onto the screen (device pixels, whole ones).
  repaint(ctx, rects) {
    const dpr = this.size.dpr;
    const W = this.canvas.width;
    const H = this.canvas.height;
    const list = rects.list;
    for (let k = 0; k < rects.count; k++) {
      const o = 4 * k;
      const x0 = Math.max(0, Math.floor(list[o] * dpr));
      const y0 = Math.max(0, Math.floor(list[o + 1] * dpr));
      const x1 = Math.min(W, Math.ceil((list[o] + list[o + 2]) * dpr));
      const y1 = Math.min(H, Math.ceil((list[o + 1] + list[o + 3]) * dpr));
      if (x1 <= x0 || y1 <= y0) continue;
      ctx.clearRect(x0, y0, x1 - x0, y1 - y0);
      ctx.drawImage(this.sceneLayer.canvas, x0, y0, x1 - x0, y1 - y0, x0, y0, x1 - x0, y1 - y0);
    }
  }

  // One edge of Liang–Barsky clipping: narrows this.clipT; false when nothing is left.
  clipEdge(p, q) {
    const t = this.clipT;
    if (p === 0) return q >= 0;
    const r = q / p;
    if (p < 0) {
      if (r > t[1]) return false;
      if (r > t[0]) t[0] = r;
    } else {
      if (r < t[0]) return false;
      if (r < t[1]) t[1] = r;
    }
    return true;
  }

  // A segment clipped to a box a little larger than the canvas, into this.seg: only what can be
  // seen is drawn, and no coordinate is huge. False when nothing is left.
  clipSegment(ax, ay, bx, by) {
    const m = 20;
    const dx = bx - ax;
    const dy = by - ay;
    const t = this.clipT;
    t[0] = 0;
    t[1] = 1;
    if (!this.clipEdge(-dx, ax + m) || !this.clipEdge(dx, this.size.w + m - ax) ||
        !this.clipEdge(-dy, ay + m) || !this.clipEdge(dy, this.size.h + m - ay)) return false;
    const seg = this.seg;
    seg[0] = ax + t[0] * dx; seg[1] = ay + t[0] * dy; seg[2] = ax + t[1] * dx; seg[3] = ay + t[1] * dy;
    return true;
  }

  tracePath(ctx, params, from, to) {
    const seg = this.seg;
    const bbox = this.bbox;
    for (let k = from + 1; k <= to; k++) {
      const a = params[k - 1];
      const b = params[k];
      if (!this.clipSegment(this.toX(a[0]), this.toY(a[1]), this.toX(b[0]), this.toY(b[1]))) continue;
      ctx.moveTo(seg[0], seg[1]);
      ctx.lineTo(seg[2], seg[3]);
      for (let c = 0; c < 4; c += 2) {
        if (seg[c] < bbox[0]) bbox[0] = seg[c];
        if (seg[c] > bbox[2]) bbox[2] = seg[c];
        if (seg[c + 1] < bbox[1]) bbox[1] = seg[c + 1];
        if (seg[c + 1] > bbox[3]) bbox[3] = seg[c + 1];
      }
    }
  }

  traceDots(ctx, params, from, to, r) {
    const { w, h } = this.size;
    for (let k = from; k <= to; k++) {
      const x = this.toX(params[k][0]);
      const y = this.toY(params[k][1]);
      if (x < -10 || y < -10 || x > w + 10 || y > h + 10) continue;
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
    }
  }

  // The new segments of every path since the last frame, into the scene layer, with a dot at
  // every step. No casing: drawn a frame at a time, one path's casing would cut gaps into the
  // paths drawn before it.
  drawNewSegments(race) {
    const ctx = this.sceneLayer.ctx;
    const f = this.frame;
    const bbox = this.bbox;
    ctx.save();
    ctx.beginPath();
    ctx.rect(f.left, f.top, f.w, f.h);
    ctx.clip();
    ctx.lineCap = "round";
    ctx.lineJoin = "round";
    for (const entry of race.entries) {
      if (!entry.run) continue;
      const params = entry.run.params;
      const last = params.length - 1;
      if (entry.drawn > last) continue;
      bbox[0] = bbox[1] = Infinity;
      bbox[2] = bbox[3] = -Infinity;
      ctx.beginPath();
      this.tracePath(ctx, params, Math.max(0, entry.drawn - 1), last);
      ctx.lineWidth = 1.8;
      ctx.strokeStyle = entry.optimizer.colour;
      ctx.stroke();
      ctx.beginPath();
      this.traceDots(ctx, params, Math.max(entry.drawn, 1), last, 2);
      ctx.fillStyle = entry.optimizer.colour;
      ctx.fill();
      entry.drawn = last + 1;
      if (bbox[2] >= bbox[0]) { // the dots lie on the segments' ends: 4 px covers them
        this.dirty.add(bbox[0] - 4, bbox[1] - 4, bbox[2] - bbox[0] + 8, bbox[3] - bbox[1] + 8);
      }
    }
    ctx.restore();
  }

  // A filled shape with the themed casing around it.
  cased(ctx, fill, width) {
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.lineWidth = width;
    ctx.strokeStyle = this.pal.casing;
    ctx.stroke();
  }

  // Where a path first crossed the edge of the plot, and the way it went: step k (counted from
  // 0, as the engine and descent/trajectory.py count) went from params[k], inside, to
  // params[k + 1], outside.
  exitArrow(ctx, entry) {
    const k = entry.run.leftDomainStep;
    const params = entry.run.params;
    if (k < 0 || k + 1 >= params.length) return;
    const f = this.frame;
    const ax = this.toX(params[k][0]);
    const ay = this.toY(params[k][1]);
    const dx = this.toX(params[k + 1][0]) - ax;
    const dy = this.toY(params[k + 1][1]) - ay;
    let t = 1;
    if (dx > 0) t = Math.min(t, (f.right - ax) / dx);
    if (dx < 0) t = Math.min(t, (f.left - ax) / dx);
    if (dy > 0) t = Math.min(t, (f.bottom - ay) / dy);
    if (dy < 0) t = Math.min(t, (f.top - ay) / dy);
    t = Math.max(0, t);
    const x = ax + t * dx;
    const y = ay + t * dy;
    this.marks.around(x, y, 18);
    const len = Math.hypot(dx, dy) || 1;
    const ux = dx / len;
    const uy = dy / len;
    // An arrowhead just inside the edge, pointing out.
    const tipX = x - ux * 1;
    const tipY = y - uy * 1;
    const baseX = tipX - ux * 13;
    const baseY = tipY - uy * 13;
    ctx.beginPath();
    ctx.moveTo(tipX, tipY);
    ctx.lineTo(baseX - uy * 7, baseY + ux * 7);
    ctx.lineTo(baseX + uy * 7, baseY - ux * 7);
    ctx.closePath();
    this.cased(ctx, entry.optimizer.colour, 1.5);
  }

  // Where a run's last point is on the screen, if it is inside the plot (null if not).
  head(entry) {
    const params = entry.run.params;
    const p = params[params.length - 1];
    const x = this.toX(p[0]);
    const y = this.toY(p[1]);
    const f = this.frame;
    return x < f.left || x > f.right || y < f.top || y > f.bottom ? null : [x, y];
  }

  // A burst at the last point of a run that diverged.
  divergedMark(ctx, entry) {
    const at = this.head(entry);
    if (!at) return;
    const [x, y] = at;
    this.marks.around(x, y, 15);
    ctx.beginPath();
    for (let k = 0; k < 8; k++) {
      const a = (k * Math.PI) / 4;
      ctx.moveTo(x + 4 * Math.cos(a), y + 4 * Math.sin(a));
      ctx.lineTo(x + 11 * Math.cos(a), y + 11 * Math.sin(a));
    }
    ctx.lineCap = "round";
    this.halo(ctx, entry.optimizer.colour, 4, 2);
  }

  // The current path stroked in a colour over a wider stroke of the casing.
  halo(ctx, colour, outer, inner) {
    ctx.lineWidth = outer;
    ctx.strokeStyle = this.pal.casing;
    ctx.stroke();
    ctx.lineWidth = inner;
    ctx.strokeStyle = colour;
    ctx.stroke();
  }

  // A frame: new segments into the scene layer; then, on the screen, the last frame's markers
  // and the new segments' boxes copied from the scene layer (or all of it, after a rebuild), and
  // the markers drawn over it: the start, each runner's head (or its exit and burst), and the
  // keyboard's cross.
  render(race, start, cursor) {
    if (!this.prep || !this.size) return;
    this.ensureLayers(race);
    // The last frame's markers are this frame's first dirty rectangles.
    const previous = this.dirty;
    this.dirty = this.marks;
    this.marks = previous;
    this.marks.count = 0;
    this.drawNewSegments(race);
    const ctx = this.canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    if (this.fullPaint) {
      ctx.clearRect(0, 0, this.canvas.width, this.canvas.height);
      ctx.drawImage(this.sceneLayer.canvas, 0, 0);
      this.fullPaint = false;
    } else {
      this.repaint(ctx, this.dirty);
    }
    ctx.setTransform(this.size.dpr, 0, 0, this.size.dpr, 0, 0);
    // The start: an open grey circle (the course's start marker).
    const sx = this.toX(start[0]);
    const sy = this.toY(start[1]);
    this.marks.around(sx, sy, 12);
    ctx.beginPath();
    ctx.arc(sx, sy, 7, 0, 2 * Math.PI);
    this.halo(ctx, this.pal.start, 4.5, 2.2);
    for (const entry of race.entries) {
      if (!entry.run) continue;
      if (entry.run.leftDomainStep >= 0) this.exitArrow(ctx, entry);
      if (entry.run.divergedStep >= 0) {
        this.divergedMark(ctx, entry);
        continue;
      }
      const at = this.head(entry);
      if (!at) continue;
      const [x, y] = at;
      this.marks.around(x, y, 11);
      ctx.beginPath();
      shapePath(ctx, entry.optimizer.marker, x, y, 6);
      this.cased(ctx, entry.optimizer.colour, 1.5);
    }
    if (cursor.shown) {
      const x = this.toX(cursor.x);
      const y = this.toY(cursor.y);
      this.marks.around(x, y, 18);
      ctx.beginPath();
      ctx.moveTo(x - 14, y); ctx.lineTo(x - 4, y);
      ctx.moveTo(x + 4, y); ctx.lineTo(x + 14, y);
      ctx.moveTo(x, y - 14); ctx.lineTo(x, y - 4);
      ctx.moveTo(x, y + 4); ctx.lineTo(x, y + 14);
      ctx.lineCap = "butt";
      this.halo(ctx, this.pal.cursor, 4.5, 2);
    }
  }
}
