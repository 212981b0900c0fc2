/* Contour lines by marching squares. */

// The segments along which a grid's values cross `level`, in grid coordinates: x is the column
// i and y the row j, fractional where a line cuts a cell's edge (linear interpolation). The grid
// is values[offset + j * nx + i]; a NaN counts as below every level. Returns a flat array
// [x0, y0, x1, y1, …], appended to `out` if given.
export function isolines(values, nx, ny, level, offset = 0, out = []) {
  for (let j = 0; j < ny - 1; j++) {
    for (let i = 0; i < nx - 1; i++) {
      // Corners: a (i, j), b (i + 1, j), c (i + 1, j + 1), d (i, j + 1).
      const a = values[offset + j * nx + i];
      const b = values[offset + j * nx + i + 1];
      const c = values[offset + (j + 1) * nx + i + 1];
      const d = values[offset + (j + 1) * nx + i];
      const above = (a > level ? 1 : 0) | (b > level ? 2 : 0) | (c > level ? 4 : 0) | (d > level ? 8 : 0);
      if (above === 0 || above === 15) continue;
      // Crossings on the edges in turn: bottom (a-b), right (b-c), top (d-c), left (a-d). A
      // cell has two of them (one segment) or four (a saddle: two segments, paired in order).
      if ((a > level) !== (b > level)) out.push(i + (level - a) / (b - a), j);
      if ((b > level) !== (c > level)) out.push(i + 1, j + (level - b) / (c - b));
      if ((d > level) !== (c > level)) out.push(i + (level - d) / (c - d), j + 1);
      if ((a > level) !== (d > level)) out.push(i, j + (level - a) / (d - a));
    }
  }
  return out;
}

// Adds the segments to the context's current path, through a map from grid to canvas.
export function traceSegments(ctx, segments, toX, toY) {
  for (let k = 0; k + 3 < segments.length; k += 4) {
    ctx.moveTo(toX(segments[k]), toY(segments[k + 1]));
    ctx.lineTo(toX(segments[k + 2]), toY(segments[k + 3]));
  }
}
