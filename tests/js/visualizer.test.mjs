// The visualizer's data files, decoded, and its view in the page's address.
import assert from "node:assert/strict";
import { test } from "node:test";

import { checkIndex, curveValue, decodeCombination, decodeHalfs } from "../../docs/javascripts/visualizer/data.js";
import { nearestIndex } from "../../docs/javascripts/lib/ticks.js";
import { initialState, pickModel } from "../../docs/javascripts/visualizer/state.js";

test("half-precision numbers", () => {
  const table = [[0x3c00, 1], [0xc000, -2], [0x3555, 0.333251953125], [0x7bff, 65504], [0x0001, 2 ** -24],
    [0x0000, 0], [0x7c00, Infinity], [0xfc00, -Infinity]];
  const out = decodeHalfs(Uint16Array.from(table.map(([h]) => h)));
  table.forEach(([h, v], k) => assert.equal(out[k], v, h.toString(16)));
  assert.ok(Number.isNaN(decodeHalfs(Uint16Array.of(0x7e00))[0]));
});

// A combination file as the build writes it: uint32 n, n bytes of JSON header, the arrays.
function combinationFile({ G = 3, radii = [0.5, 1], epochs = [0, 5], first = null } = {}) {
  const E = first ? 1 : epochs.length;
  const loss = Uint16Array.from({ length: E * radii.length * G * G }, (_, k) => 0x3c00 + k); // 1, 1.000977, …
  const arrays = { loss, prob: new Uint8Array(E * 4), curves: Float32Array.of(1, 0.5, 0.25, 0.4, 0.6, 0.9),
    points: Float32Array.of(0, 0, 1, 1), labels: Uint8Array.of(0, 1), path: new Float32Array(E * epochs.length * 2),
    path_error: new Float32Array(E * epochs.length) };
  const dtypes = { loss: "float16", prob: "uint8", curves: "float32", points: "float32", labels: "uint8", path: "float32", path_error: "float32" };
  const shapes = { loss: [E, radii.length, G, G], prob: [E, 2, 2], curves: [2, 3], points: [2, 2], labels: [2], path: [E, epochs.length, 2], path_error: [E, epochs.length] };
  let offset = 0;
  const specs = {};
  for (const [name, arr] of Object.entries(arrays)) {
    specs[name] = { dtype: dtypes[name], shape: shapes[name], offset };
    offset += arr.byteLength;
  }
  const header = { grid: G, radii, epochs, arrays: specs, boundary: { grid: 2, extent: [-1, 1] },
    curve_names: ["loss_train", "acc_test"], n_train: 1, ...(first ? { first_view: first } : {}) };
  const text = new TextEncoder().encode(JSON.stringify(header).padEnd(200 + JSON.stringify(header).length % 4, " "));
  const bytes = new Uint8Array(4 + text.length + offset);
  new DataView(bytes.buffer).setUint32(0, text.length, true);
  bytes.set(text, 4);
  let at = 4 + text.length;
  for (const arr of Object.values(arrays)) {
    bytes.set(new Uint8Array(arr.buffer), at);
    at += arr.byteLength;
  }
  return bytes.buffer;
}

test("a combination file: its planes, their loss scales and its curves", () => {
  const combo = decodeCombination(combinationFile(), "x.bin");
  assert.equal(combo.cells, 9);
  assert.equal(combo.lossAt(1, 0), 18); // epoch 1, zoom 0: after the two planes of epoch 0
  assert.equal(combo.loss[combo.lossAt(0, 1)], 1 + 9 / 1024);
  // Each zoom's scale covers its planes over every epoch: zoom 0 is planes 0 and 2.
  assert.deepEqual(combo.zRanges[0], [1, 1 + (18 + 8) / 1024]);
  assert.equal(curveValue(combo, "acc_test", 1), 0.6000000238418579);
  assert.equal(curveValue(combo, "loss_train", 99), 0.25); // past the end: the last value
  assert.ok(Number.isNaN(curveValue(combo, "loss_test", 0)));
  assert.equal(combo.partial, false);
});

test("a first view holds one epoch and the whole file's scales", () => {
  const combo = decodeCombination(combinationFile({ first: { epoch: 1, z_ranges: [[0, 2], [0, 3]] } }), "x.bin");
  assert.equal(combo.partial, true);
  assert.equal(combo.lossAt(1, 1), 9); // its only epoch starts the array
  assert.deepEqual(combo.zRanges, [[0, 2], [0, 3]]);
});

test("an index of another format is refused", () => {
  const good = { format: 1, models: [], datasets: [], combinations: {} };
  assert.equal(checkIndex(good), good);
  for (const bad of [null, { ...good, format: 2 }, { ...good, models: {} }, { format: 1, models: [], datasets: [] }]) {
    assert.throws(() => checkIndex(bad), /unknown format/);
  }
});

const INDEX = {
  format: 1,
  models: [{ id: "1x4", layers: 1, width: 4 }, { id: "1x16", layers: 1, width: 16 }, { id: "2x16", layers: 2, width: 16 }],
  datasets: [{ id: "moons" }, { id: "spiral" }],
  default: { dataset: "moons", model: "1x16" },
  combinations: { "moons/1x4": "a.bin", "moons/1x16": "b.bin", "moons/2x16": "c.bin", "spiral/2x16": "d.bin" },
};

test("the view the address asks for, where it was built", () => {
  const table = [
    ["", { model: "1x16", dataset: "moons", epoch: null, zoom: null }],
    ["?model=2x16&dataset=spiral&epoch=40&zoom=1", { model: "2x16", dataset: "spiral", epoch: 40, zoom: 1 }],
    ["?model=1x4&dataset=spiral", { model: "1x16", dataset: "moons", epoch: null, zoom: null }], // not built
    ["?model=9x9&dataset=mnist&epoch=-3&zoom=banana", { model: "1x16", dataset: "moons", epoch: -3, zoom: null }],
    ["?zoom=-1&epoch=x", { model: "1x16", dataset: "moons", epoch: null, zoom: null }],
  ];
  for (const [search, view] of table) assert.deepEqual(initialState(INDEX, search), view, search);
});

test("a pick of layers and width finds the nearest model built for the dataset", () => {
  assert.equal(pickModel(INDEX, "moons", 1, 8).id, "1x4");
  assert.equal(pickModel(INDEX, "moons", 1, 12).id, "1x16");
  assert.equal(pickModel(INDEX, "spiral", 1, 4).id, "2x16"); // the only one on spiral
  assert.equal(nearestIndex([0, 5, 10, 20], 13), 2);
});
