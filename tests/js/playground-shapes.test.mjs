// Marker shapes: each a simple polygon of about unit size around its centre, and every marker
// the published data names is one the page draws as itself.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";

import { MARKERS, pointsOf } from "../../docs/javascripts/playground/shapes.js";

const area = (points) =>
  points.reduce((sum, [x, y], k) => {
    const [u, v] = points[(k + 1) % points.length];
    return sum + (x * v - u * y) / 2;
  }, 0);

test("every shape is centred, about a unit in size, and encloses an area", () => {
  for (const marker of MARKERS) {
    const points = pointsOf(marker);
    if (points === null) continue; // the circle
    const radii = points.map(([x, y]) => Math.hypot(x, y));
    assert.ok(Math.max(...radii) > 0.8 && Math.max(...radii) < 1.6, marker);
    const centre = points.reduce(([a, b], [x, y]) => [a + x / points.length, b + y / points.length], [0, 0]);
    assert.ok(Math.hypot(...centre) < 0.35, `${marker} is off centre: ${centre}`);
    assert.ok(Math.abs(area(points)) > 0.5, `${marker} encloses no area`);
  }
});

test("shapes are distinct, and a name the page does not know is a circle", () => {
  const drawn = MARKERS.map((m) => JSON.stringify(pointsOf(m)));
  assert.equal(new Set(drawn).size, drawn.length);
  assert.equal(pointsOf("no-such-symbol"), null);
});

test("the markers of the registry (in the Python source) are all drawn as themselves", () => {
  const registry = readFileSync(new URL("../../descent/optim/registry.py", import.meta.url), "utf8");
  const markers = [...registry.matchAll(/marker="([^"]+)"/g)].map((m) => m[1]);
  assert.ok(markers.length >= 7);
  for (const marker of markers) assert.ok(MARKERS.includes(marker), marker);
});
