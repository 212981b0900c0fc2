/* The visualizer's data, decoded (built by the project's Python pipeline):

   - index.json: {format: 3, title, models: [{id, label, layers, width}], datasets: [{id, label}],
     trainings: [{id, label, optimizer, hyperparameters, batch (null: full batch), schedule}],
     default: {dataset, model, training},
     combinations: {"<dataset>/<model id>/<training id>": "<file>.bin"}}.
     Combination files resolve relative to the index URL.
   - <file>.bin: uint32 LE n; n bytes of JSON header (space padded); then the arrays, each at
     header.arrays[name].offset bytes after byte 4 + n, little-endian, C order:
       loss[e][z][j][i]  float16  training loss at a = r_z(−1 + 2i/(G−1)), b = r_z(−1 + 2j/(G−1))
                                  around the weights of recorded epoch epochs[e] (G = header.grid)
       prob[e][j][i]     uint8    round(255 · P(class 1)) on the boundary grid over the extent
       curves[c][t]      float32  c in curve_names, t = every training epoch 0..epochs[-1]
       points[k], labels[k]       samples; the first n_train are training points
       path[e][k]        float32  (a, b) of epoch k's weights projected on epoch e's plane
       path_error[e][k]  float32  share of |θ_k − θ_e| that the plane misses
       batch_range[2][t] float16  lowest and highest loss of the minibatches of the steps from
                                  epoch t to t + 1 (header.steps_per_epoch); minibatch runs only
       steps[s]          float32  (a, b) of the weights after step s (0: the initial weights)
                                  relative to the initial weights; minibatch runs only
       steps_origin[e]   float32  (a, b) of epoch e's weights in that frame: on epoch e's plane,
                                  step s is at steps[s] − steps_origin[e] (stepOnPlane)
     A first view (the page's inline copy) holds the loss planes and boundary of one epoch,
     header.first_view.epoch, and under header.first_view.z_ranges the whole file's loss scales.

   Pure (no DOM): Node's tests import it. */

import { LoadError } from "../lib/load.js";

export function checkIndex(index) {
  if (!index || index.format !== 3 || !Array.isArray(index.models) || !Array.isArray(index.datasets) ||
      !Array.isArray(index.trainings) || !index.combinations) {
    throw new LoadError("The visualizer index has an unknown format.");
  }
  return index;
}

const HALF_EXP = Array.from({ length: 32 }, (_, e) => 2 ** (e - 15));

// IEEE half-precision numbers (as uint16) to float32.
export function decodeHalfs(u16) {
  const out = new Float32Array(u16.length);
  for (let n = 0; n < u16.length; n++) {
    const h = u16[n];
    const e = (h >> 10) & 31;
    const f = h & 1023;
    const v = e === 0 ? f * 5.960464477539063e-8 : e === 31 ? (f ? NaN : Infinity) : (1 + f / 1024) * HALF_EXP[e];
    out[n] = h & 0x8000 ? -v : v;
  }
  return out;
}

const TYPED = { float32: Float32Array, float16: Uint16Array, uint8: Uint8Array,
  uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array };

function readArray(buffer, base, spec) {
  const Type = TYPED[spec.dtype];
  if (!Type) throw new LoadError(`Unsupported dtype ${spec.dtype}`);
  const count = spec.shape.reduce((a, b) => a * b, 1);
  const start = base + spec.offset;
  // Typed arrays need aligned offsets; copy the bytes when the file does not align them.
  const arr = start % Type.BYTES_PER_ELEMENT === 0 ? new Type(buffer, start, count)
    : new Type(buffer.slice(start, start + count * Type.BYTES_PER_ELEMENT));
  return spec.dtype === "float16" ? decodeHalfs(arr) : arr;
}

// A combination file (an ArrayBuffer) as the visualizer uses it (prepareCombination).
export function decodeCombination(buffer, url) {
  const n = new DataView(buffer).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, n)));
  const arrays = {};
  for (const [name, spec] of Object.entries(header.arrays)) arrays[name] = readArray(buffer, 4 + n, spec);
  return prepareCombination(header, arrays, url);
}

// Everything about a combination that does not depend on the epoch or the view: its arrays,
// where each epoch's planes start, and each zoom's loss scale (over every epoch).
export function prepareCombination(header, arrays, url) {
  const G = header.grid;
  const radii = header.radii;
  const epochs = header.epochs;
  const cells = G * G;
  const first = header.first_view;
  const from = first ? first.epoch : 0; // the first epoch whose planes and boundary are here
  const bGrid = header.boundary.grid;
  const zRanges = first ? first.z_ranges : radii.map((_, z) => {
    let lo = Infinity;
    let hi = -Infinity;
    for (let e = 0; e < epochs.length; e++) {
      const off = (e * radii.length + z) * cells;
      for (let v = off; v < off + cells; v++) {
        const x = arrays.loss[v];
        if (x < lo) lo = x;
        if (x > hi) hi = x; // NaN compares false and is skipped
      }
    }
    if (!(hi > lo)) hi = lo + 1;
    return [lo, hi];
  });
  return {
    url, header, G, radii, epochs, zRanges, cells, partial: Boolean(first),
    loss: arrays.loss, prob: arrays.prob, curves: arrays.curves,
    lossAt: (e, z) => ((e - from) * radii.length + z) * cells, // where epoch e's plane z starts
    probAt: (e) => (e - from) * bGrid * bGrid,
    curveLength: header.arrays.curves.shape[1],
    curveIndex: Object.fromEntries(header.curve_names.map((name, c) => [name, c])),
    points: arrays.points, labels: arrays.labels, nTrain: header.n_train,
    path: arrays.path, pathError: arrays.path_error,
    batchRange: arrays.batch_range || null, stepsPerEpoch: header.steps_per_epoch || 1,
    steps: arrays.steps || null, stepsOrigin: arrays.steps_origin || null,
    bGrid, extent: header.boundary.extent,
    probImage: null, // ImageData + canvas, made on the first draw
  };
}

// How many positions the path has up to recorded epoch e: every step's when the file has them
// (the initial weights and epochs[e] × steps per epoch steps), else the recorded epochs'.
export function pathLength(combo, e) {
  return combo.steps ? combo.epochs[e] * combo.stepsPerEpoch + 1 : e + 1;
}

// The path's position k on epoch e's plane, divided by the radius, into out[0], out[1]: step k
// when the file has every step, else recorded epoch k.
export function pathPoint(combo, e, k, radius, out) {
  if (combo.steps) {
    out[0] = (combo.steps[2 * k] - combo.stepsOrigin[2 * e]) / radius;
    out[1] = (combo.steps[2 * k + 1] - combo.stepsOrigin[2 * e + 1]) / radius;
  } else {
    const n = combo.epochs.length;
    out[0] = combo.path[(e * n + k) * 2] / radius;
    out[1] = combo.path[(e * n + k) * 2 + 1] / radius;
  }
  return out;
}

// A curve's value at an epoch (its last value past its end; NaN for a curve it lacks).
export function curveValue(combo, name, epoch) {
  const k = combo.curveIndex[name];
  return k === undefined ? NaN : combo.curves[k * combo.curveLength + Math.min(epoch, combo.curveLength - 1)];
}

// The network and how it was trained, from its file's header: "2 × 8 tanh units; lr 0.03; one
// step per epoch." or "…; lr 0.03, momentum 0.9; 15 steps per epoch." (the training's label,
// beside it, names the optimizer and the batch).
export function networkNote(header) {
  const hp = header.hyperparameters || {};
  const rate = ["lr", "momentum"].filter((k) => hp[k] !== undefined).map((k) => `${k} ${hp[k]}`).join(", ");
  const n = header.steps_per_epoch || 1;
  const steps = n === 1 ? "one step per epoch" : `${n} steps per epoch`;
  const units = `${(header.hidden || []).join(" × ") || "no hidden"} ${header.activation || ""} units`;
  return [units, rate, steps].filter(Boolean).join("; ") + ".";
}
