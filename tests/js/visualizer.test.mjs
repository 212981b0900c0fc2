// The visualizer's data files, decoded, and its view in the page's address.
import assert from "node:assert/strict";
import { test } from "node:test";

import { checkIndex, curveValue, decodeCombination, decodeHalfs, networkNote, pathLength, pathPoint } from "../../docs/javascripts/visualizer/data.js";
import { nearestIndex } from "../../docs/javascripts/lib/ticks.js";
import { choose, combinationFile, initialState, pickModel, pickTraining } from "../../docs/javascripts/visualizer/state.js";

test("half-precision numbers", () => {
  const table = [[0x3c00, 1], [0xc000, -2], [0x3555, 0.333251953125], [0x7bff, 65504], [0x0001, 2 ** -24],
    [0x0000, 0], [0x7c00, Infinity], [0xfc00, -Infinity]];
  const out = decodeHalfs(Uint16Array.from(table.map(([h]) => h)));
  table.forEach(([h, v], k) => assert.equal(out[k], v, h.toString(16)));
  assert.ok(Number.isNaN(decodeHalfs(Uint16Array.of(0x7e00))[0]));
});

// A combination file as the build writes it: uint32 n, n bytes of JSON header, the arrays.
function packedFile({ G = 3, radii = [0.5, 1], epochs = [0, 5], first = null, batchRange = null, path = null,
  steps = null } = {}) {
  const E = first ? 1 : epochs.length;
  const loss = Uint16Array.from({ length: E * radii.length * G * G }, (_, k) => 0x3c00 + k); // 1, 1.000977, …
  const arrays = { loss, prob: new Uint8Array(E * 4), curves: Float32Array.of(1, 0.5, 0.25, 0.4, 0.6, 0.9),
    points: Float32Array.of(0, 0, 1, 1), labels: Uint8Array.of(0, 1),
    path: path || new Float32Array(E * epochs.length * 2),
    path_error: new Float32Array(E * epochs.length), ...(batchRange ? { batch_range: batchRange } : {}),
    ...(steps ? { steps: steps.steps, steps_origin: steps.origin } : {}) };
  const dtypes = { loss: "float16", prob: "uint8", curves: "float32", points: "float32", labels: "uint8",
    path: "float32", path_error: "float32", batch_range: "float16", steps: "float32", steps_origin: "float32" };
  const shapes = { loss: [E, radii.length, G, G], prob: [E, 2, 2], curves: [2, 3], points: [2, 2], labels: [2],
    path: [E, epochs.length, 2], path_error: [E, epochs.length], batch_range: [2, 2],
    steps: [steps ? steps.steps.length / 2 : 0, 2], steps_origin: [epochs.length, 2] };
  let offset = 0;
  const specs = {};
  for (const [name, arr] of Object.entries(arrays)) {
    specs[name] = { dtype: dtypes[name], shape: shapes[name], offset };
    offset += arr.byteLength;
  }
  const header = { grid: G, radii, epochs, arrays: specs, boundary: { grid: 2, extent: [-1, 1] },
    curve_names: ["loss_train", "acc_test"], n_train: 1, ...(first ? { first_view: first } : {}),
    ...(steps ? { steps_per_epoch: steps.perEpoch } : {}) };
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
  const combo = decodeCombination(packedFile(), "x.bin");
  assert.equal(combo.cells, 9);
  assert.equal(combo.lossAt(1, 0), 18); // epoch 1, zoom 0: after the two planes of epoch 0
  assert.equal(combo.loss[combo.lossAt(0, 1)], 1 + 9 / 1024);
  // Each zoom's scale covers its planes over every epoch: zoom 0 is planes 0 and 2.
  assert.deepEqual(combo.zRanges[0], [1, 1 + (18 + 8) / 1024]);
  assert.equal(curveValue(combo, "acc_test", 1), 0.6000000238418579);
  assert.equal(curveValue(combo, "loss_train", 99), 0.25); // past the end: the last value
  assert.ok(Number.isNaN(curveValue(combo, "loss_test", 0)));
  assert.equal(combo.partial, false);
  assert.equal(combo.batchRange, null); // a full-batch run has no batches to show
});

test("a minibatch run's file: the range of its batches' losses per epoch", () => {
  // Lowest 0.5 and 0.25, highest 2 and 1 (halfs), for the steps from epoch 0 to 1 and 1 to 2.
  const combo = decodeCombination(packedFile({ batchRange: Uint16Array.of(0x3800, 0x3400, 0x4000, 0x3c00) }), "x.bin");
  assert.deepEqual([...combo.batchRange], [0.5, 0.25, 2, 1]);
  // Adding an array did not move the others.
  assert.equal(curveValue(combo, "acc_test", 1), 0.6000000238418579);
});

test("the path: every step shifted to each epoch's plane, or the recorded epochs alone", () => {
  // Epochs 0 and 2, two steps per epoch: 5 positions relative to the initial weights. Epoch 2's
  // weights are step 4's; on plane e a position is its coordinates minus epoch e's.
  const steps = { perEpoch: 2, steps: Float32Array.of(0, 0, 0.5, 0.25, 1, -0.5, 0.75, 0.25, 2, 1),
    origin: Float32Array.of(0, 0, 2, 1) };
  const path = Float32Array.of(0, 0, 2, 1, -2, -1, 0, 0); // [plane e][epoch k][2], as the build writes it
  const combo = decodeCombination(packedFile({ epochs: [0, 2], path, steps }), "x.bin");
  assert.equal(combo.stepsPerEpoch, 2);
  assert.deepEqual([pathLength(combo, 0), pathLength(combo, 1)], [1, 5]);
  const out = [0, 0];
  assert.deepEqual(pathPoint(combo, 1, 1, 0.5, out), [(0.5 - 2) / 0.5, (0.25 - 1) / 0.5]);
  assert.deepEqual(pathPoint(combo, 0, 2, 1, out), [1, -0.5]);
  // At the recorded epochs' steps, every plane's shifted steps are the per-epoch path.
  for (const e of [0, 1]) {
    for (const [k, epoch] of [0, 2].entries()) {
      assert.deepEqual(pathPoint(combo, e, epoch * 2, 1, [0, 0]), [path[(e * 2 + k) * 2], path[(e * 2 + k) * 2 + 1]]);
    }
  }
  // A full-batch file: the recorded epochs, from the per-epoch path.
  const plain = decodeCombination(packedFile({ epochs: [0, 2], path }), "x.bin");
  assert.equal(plain.steps, null);
  assert.deepEqual([pathLength(plain, 0), pathLength(plain, 1)], [1, 2]);
  assert.deepEqual(pathPoint(plain, 1, 0, 2, out), [-1, -0.5]);
});

test("a first view holds one epoch and the whole file's scales", () => {
  const combo = decodeCombination(packedFile({ first: { epoch: 1, z_ranges: [[0, 2], [0, 3]] } }), "x.bin");
  assert.equal(combo.partial, true);
  assert.equal(combo.lossAt(1, 1), 9); // its only epoch starts the array
  assert.deepEqual(combo.zRanges, [[0, 2], [0, 3]]);
});

test("an index of another format is refused", () => {
  const good = { format: 3, models: [], datasets: [], trainings: [], combinations: {} };
  assert.equal(checkIndex(good), good);
  const older = { format: 1, models: [], datasets: [], combinations: {} }; // no trainings: "dataset/model" keys
  for (const bad of [null, older, { ...good, format: 1 }, { ...good, format: 2 }, { ...good, models: {} }, { ...good, trainings: undefined },
    { format: 3, models: [], datasets: [], trainings: [] }]) {
    assert.throws(() => checkIndex(bad), /unknown format/);
  }
});

const INDEX = {
  format: 3,
  models: [{ id: "1x4", layers: 1, width: 4 }, { id: "1x16", layers: 1, width: 16 }, { id: "2x16", layers: 2, width: 16 }],
  datasets: [{ id: "moons" }, { id: "spiral" }],
  trainings: [{ id: "adam" }, { id: "momentum-b16" }],
  default: { dataset: "moons", model: "1x16", training: "adam" },
  // Every model on moons with Adam; minibatches for two of them; spiral only 2x16, only with Adam.
  combinations: { "moons/1x4/adam": "a.bin", "moons/1x16/adam": "b.bin", "moons/2x16/adam": "c.bin",
    "spiral/2x16/adam": "d.bin", "moons/1x4/momentum-b16": "e.bin", "moons/2x16/momentum-b16": "f.bin" },
};

test("the view the address asks for, where it was built", () => {
  const view = (model, dataset, training, epoch = null, zoom = null) => ({ model, dataset, training, epoch, zoom });
  const table = [
    ["", view("1x16", "moons", "adam")],
    ["?model=2x16&dataset=spiral&epoch=40&zoom=1", view("2x16", "spiral", "adam", 40, 1)],
    ["?model=1x4&dataset=moons&training=momentum-b16&epoch=3", view("1x4", "moons", "momentum-b16", 3)],
    ["?training=momentum-b16", view("1x16", "moons", "adam")], // the default model was not built so
    ["?model=2x16&dataset=spiral&training=momentum-b16", view("1x16", "moons", "adam")], // nor this
    ["?model=2x16&training=lbfgs", view("2x16", "moons", "adam")], // an unknown training: the default one
    ["?model=1x4&dataset=spiral", view("1x16", "moons", "adam")], // not built
    ["?model=9x9&dataset=mnist&epoch=-3&zoom=banana", view("1x16", "moons", "adam", -3)],
    ["?zoom=-1&epoch=x", view("1x16", "moons", "adam")],
  ];
  for (const [search, want] of table) assert.deepEqual(initialState(INDEX, search), want, search);
  assert.equal(combinationFile(INDEX, initialState(INDEX, "?model=2x16&training=momentum-b16")), "f.bin");
});

test("a pick of layers and width finds the nearest model built for the dataset and training", () => {
  assert.equal(pickModel(INDEX, "moons", 1, 8, "adam").id, "1x4");
  assert.equal(pickModel(INDEX, "moons", 1, 12, "adam").id, "1x16");
  assert.equal(pickModel(INDEX, "moons", 1, 12, "momentum-b16").id, "1x4"); // 1x16 has no minibatch run
  assert.equal(pickModel(INDEX, "spiral", 1, 4, "adam").id, "2x16"); // the only one on spiral
  assert.equal(pickModel(INDEX, "spiral", 1, 4, "momentum-b16").id, "2x16"); // any training, then
  assert.equal(nearestIndex([0, 5, 10, 20], 13), 2);
});

test("a training is kept where it was built, else the first one that was", () => {
  assert.equal(pickTraining(INDEX, "moons", "1x4", "momentum-b16"), "momentum-b16");
  assert.equal(pickTraining(INDEX, "moons", "1x16", "momentum-b16"), "adam");
  assert.equal(pickTraining(INDEX, "spiral", "1x4", "adam"), null);
});

test("a pick keeps the other two choices where it can", () => {
  const at = (dataset, model, training) => ({ dataset, model, training });
  const table = [
    // [view, change, the view after]
    [at("moons", "1x4", "adam"), { training: "momentum-b16" }, at("moons", "1x4", "momentum-b16")],
    [at("moons", "1x16", "adam"), { training: "momentum-b16" }, at("moons", "1x4", "momentum-b16")], // nearest model so trained
    [at("moons", "2x16", "momentum-b16"), { dataset: "spiral" }, at("spiral", "2x16", "adam")], // the model kept
    [at("moons", "1x4", "momentum-b16"), { dataset: "spiral" }, at("spiral", "2x16", "adam")], // the only model there
    [at("spiral", "2x16", "adam"), { dataset: "moons" }, at("moons", "2x16", "adam")],
    [at("moons", "1x4", "momentum-b16"), { model: "1x16" }, at("moons", "1x16", "adam")], // no minibatch run of 1x16
    [at("moons", "1x4", "momentum-b16"), { model: "2x16" }, at("moons", "2x16", "momentum-b16")],
  ];
  for (const [view, change, want] of table) {
    const before = { ...view };
    assert.deepEqual(choose(INDEX, view, change), want, JSON.stringify([view, change]));
    assert.deepEqual(view, before); // the view given is not changed
  }
});

test("the network's note says how it was trained", () => {
  const header = { hidden: [8, 8], activation: "tanh", hyperparameters: { lr: 0.03, beta1: 0.9 } };
  assert.equal(networkNote({ ...header, batch: null, steps_per_epoch: 1 }), "8 × 8 tanh units; lr 0.03; one step per epoch.");
  assert.equal(networkNote({ ...header, hyperparameters: { lr: 0.03, momentum: 0.9, dampening: 0 }, batch: 16,
    steps_per_epoch: 15 }), "8 × 8 tanh units; lr 0.03, momentum 0.9; 15 steps per epoch.");
});
