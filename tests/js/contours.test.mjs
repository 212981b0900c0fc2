// Marching squares: contour lines where they should be.
import assert from "node:assert/strict";
import { test } from "node:test";

import { isolines } from "../../docs/javascripts/lib/contours.js";

// f on an n × n grid over [-1, 1]² (x = column, y = row): values and the map back to the plane.
function grid(n, f) {
  const values = new Float64Array(n * n);
  const at = (k) => -1 + (2 * k) / (n - 1);
  for (let j = 0; j < n; j++) for (let i = 0; i < n; i++) values[j * n + i] = f(at(i), at(j));
  return { values, at };
}

const points = (segments) => Array.from({ length: segments.length / 2 }, (_, k) => [segments[2 * k], segments[2 * k + 1]]);

test("the contours of a cone are circles of the level's radius", () => {
  const n = 81;
  const { values, at } = grid(n, (x, y) => Math.hypot(x, y));
  for (const r of [0.2, 0.45, 0.7, 0.95]) {
    const segments = isolines(values, n, n, r);
    let length = 0;
    for (let k = 0; k < segments.length; k += 4) {
      length += Math.hypot(at(segments[k + 2]) - at(segments[k]), at(segments[k + 3]) - at(segments[k + 1]));
    }
    for (const [i, j] of points(segments)) {
      assert.ok(Math.abs(Math.hypot(at(i), at(j)) - r) < 1e-3, `radius ${r}: a point at ${Math.hypot(at(i), at(j))}`);
    }
    assert.ok(Math.abs(length - 2 * Math.PI * r) < 0.01 * r, `radius ${r}: length ${length}`);
  }
});

test("the contours of a plane are straight lines across the grid", () => {
  const n = 11;
  const { values } = grid(n, (x) => x);
  for (const level of [-0.55, 0.05, 0.93]) {
    const segments = isolines(values, n, n, level);
    assert.equal(segments.length / 4, n - 1, `level ${level}: one segment per row of cells`);
    const xs = points(segments).map(([i]) => -1 + (2 * i) / (n - 1));
    for (const x of xs) assert.ok(Math.abs(x - level) < 1e-12, `level ${level}: a point at x = ${x}`);
  }
});

test("a saddle cell gives two segments; levels outside the values give none", () => {
  // a (0,0) and c (1,1) above, b and d below: two crossings pairs.
  assert.equal(isolines([1, 0, 0, 1], 2, 2, 0.5).length, 8);
  assert.deepEqual(isolines([1, 2, 3, 4], 2, 2, 10), []);
  assert.deepEqual(isolines([1, 2, 3, 4], 2, 2, -10), []);
});

test("a grid can start at an offset in a longer array", () => {
  const plane = [0, 1, 0, 1]; // x, on a 2 × 2 grid
  assert.deepEqual(isolines([9, 9, 9, ...plane], 2, 2, 0.25, 3), isolines(plane, 2, 2, 0.25));
});
