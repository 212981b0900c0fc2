/* Marker shapes, by the names the course's figures give them (Plotly's marker symbols), for a
   runner's head on the canvas and its legend icon. */

// Unit shapes (radius about 1) as polygons; null: a circle. A symbol not listed is a circle.
const poly = (n, r, turn) => Array.from({ length: n }, (_, k) => {
  const a = turn + (2 * Math.PI * k) / n;
  return [r * Math.cos(a), r * Math.sin(a)];
});
const w = 0.38;
// A star of n points: every other vertex on the inner radius.
const star = (n, r, inner) => poly(2 * n, 1, -Math.PI / 2).map(([x, y], k) => {
  const s = k % 2 ? inner : r;
  return [x * s, y * s];
});
const turned = (points, a) =>
  points.map(([x, y]) => [x * Math.cos(a) - y * Math.sin(a), x * Math.sin(a) + y * Math.cos(a)]);
const CROSS = [[-w, -1.1], [w, -1.1], [w, -w], [1.1, -w], [1.1, w], [w, w], [w, 1.1], [-w, 1.1],
  [-w, w], [-1.1, w], [-1.1, -w], [-w, -w]];
// The course's optimizers' shapes, and more for the next ones (a new optimizer picks an unused one).
const SHAPES = {
  "circle": null,
  "square": [[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]],
  "triangle-up": poly(3, 1.2, -Math.PI / 2),
  "diamond": poly(4, 1.2, -Math.PI / 2),
  "triangle-down": poly(3, 1.2, Math.PI / 2),
  "pentagon": poly(5, 1.1, -Math.PI / 2),
  "cross": CROSS,
  "x": turned(CROSS, Math.PI / 4),
  "hexagon": poly(6, 1.05, 0),
  "triangle-left": poly(3, 1.2, Math.PI),
  "triangle-right": poly(3, 1.2, 0),
  "star": star(5, 1.25, 0.55),
  "diamond-tall": [[0, -1.3], [0.7, 0], [0, 1.3], [-0.7, 0]],
  "octagon": poly(8, 1.05, Math.PI / 8),
};

// The symbols drawn as themselves (tests hold the registry's markers to this list).
export const MARKERS = Object.keys(SHAPES);
export const pointsOf = (marker) => SHAPES[marker] || null;

// Adds the shape, centred at (x, y) with radius r, to the context's current path.
export function shapePath(ctx, marker, x, y, r) {
  const points = pointsOf(marker);
  if (!points) {
    ctx.moveTo(x + r, y);
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    return;
  }
  ctx.moveTo(x + points[0][0] * r, y + points[0][1] * r);
  for (let k = 1; k < points.length; k++) ctx.lineTo(x + points[k][0] * r, y + points[k][1] * r);
  ctx.closePath();
}

// The shape as a small SVG icon in the given colour (decorative: a label names the optimizer).
export function shapeSvg(marker, colour) {
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("viewBox", "-1.6 -1.6 3.2 3.2");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.setAttribute("class", "descent-playground__shape");
  const points = pointsOf(marker);
  const node = document.createElementNS(NS, points ? "polygon" : "circle");
  if (points) node.setAttribute("points", points.map((p) => p.map((v) => v.toFixed(3)).join(",")).join(" "));
  else node.setAttribute("r", "1");
  node.setAttribute("fill", colour);
  svg.append(node);
  return svg;
}
