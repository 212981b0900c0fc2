/* Canvas sizing and drawing helpers shared by the site's canvas widgets. */

// At most 2 device pixels per CSS pixel in a backing store: a 3x phone draws 2.25x fewer pixels,
// which the browser must rasterize again on every frame that changes.
export const MAX_DPR = 2;

// Sizes the canvas's backing store to its CSS box; returns the CSS size and the pixel ratio.
export function fitCanvas(canvas, box, dpr = Math.min(MAX_DPR, window.devicePixelRatio || 1)) {
  const w = Math.max(1, Math.round(box.width));
  const h = Math.max(1, Math.round(box.height));
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
  }
  return { w, h, dpr };
}

// An offscreen canvas of a size from fitCanvas, drawn on in CSS pixels.
export function makeLayer(size) {
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(size.w * size.dpr);
  canvas.height = Math.round(size.h * size.dpr);
  const ctx = canvas.getContext("2d");
  ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
  return { canvas, ctx };
}

// Copies a whole layer onto a context of the same size, pixel for pixel.
export function blit(ctx, layer, size) {
  ctx.setTransform(1, 0, 0, 1, 0, 0);
  ctx.drawImage(layer.canvas, 0, 0);
  ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
}

export function textAt(ctx, text, x, y, align, baseline) {
  ctx.textAlign = align;
  ctx.textBaseline = baseline;
  ctx.fillText(text, x, y);
}

export function dot(ctx, x, y, r, fill, stroke, width) {
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fillStyle = fill;
  ctx.fill();
  ctx.lineWidth = width;
  ctx.strokeStyle = stroke;
  ctx.stroke();
}

// Writes a grid of colour levels into an image of the same size: levels[offset + j * n + i]
// (0 … 255, row j = 0 at the bottom, the image's last row) through a table of 256 [r, g, b]
// entries (ramp in colour.js).
export function paintGrid(image, levels, offset, table) {
  const n = image.width;
  const rows = image.height;
  const px = image.data;
  for (let j = 0; j < rows; j++) {
    const row = (rows - 1 - j) * n; // y grows upwards, image rows downwards
    for (let i = 0; i < n; i++) {
      const k = levels[offset + j * n + i] * 3;
      const o = (row + i) * 4;
      px[o] = table[k]; px[o + 1] = table[k + 1]; px[o + 2] = table[k + 2]; px[o + 3] = 255;
    }
  }
}

// Draws the image of a grid over a frame ({left, top, w, h}) so that grid point i sits at the
// centre of image pixel i: the image overhangs the frame by half a cell, and the frame clips it.
export function drawGridImage(ctx, image, frame) {
  const cx = frame.w / (image.width - 1);
  const cy = frame.h / (image.height - 1);
  ctx.save();
  ctx.beginPath();
  ctx.rect(frame.left, frame.top, frame.w, frame.h);
  ctx.clip();
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(image, frame.left - cx / 2, frame.top - cy / 2, frame.w + cx, frame.h + cy);
  ctx.restore();
}

// Calls fn when any of the canvases changes size from the one `sizeOf(canvas)` last measured
// (not for the observer's first report, at the size already measured).
export function onResize(life, canvases, sizeOf, fn) {
  const observer = new ResizeObserver((entries) => {
    const changed = entries.some(({ target, contentRect }) => {
      const size = sizeOf(target);
      return !size || Math.round(contentRect.width) !== size.w || Math.round(contentRect.height) !== size.h;
    });
    if (changed) fn();
  });
  for (const canvas of canvases) observer.observe(canvas);
  life.add(() => observer.disconnect());
}
