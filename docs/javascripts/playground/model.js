/* What the playground offers, read from its data (playground.json, format 4): the surfaces, the
   optimizers with their labels, colours, markers and hyperparameters, and the sliders those
   imply; the learning-rate schedules with their labels and parameters, the race lengths a
   schedule spans, and the range of the gradient noise. Nothing about a particular optimizer or
   schedule is written here: a new one in the course's registries appears with its data. Pure:
   Node's tests import it. */

import { nearestIndex, niceTicks } from "../lib/ticks.js";

export const FORMAT = 4;

// Data that is not what this page reads (another format, a missing part).
export class DataError extends Error {}

const isObject = (x) => x !== null && typeof x === "object" && !Array.isArray(x);

// The model of a playground.json, checked: {title, surfaces, optimizers, sliders, schedules,
// lengths, noise, escapeWidths}.
export function readModel(data) {
  const ok = isObject(data) && data.format === FORMAT &&
    Array.isArray(data.surfaces) && data.surfaces.length > 0 &&
    data.surfaces.every((s) => isObject(s) && Number.isInteger(s.grid) && s.grid >= 2) &&
    Array.isArray(data.optimizers) &&
    data.optimizers.every((o) => isObject(o) && typeof o.name === "string" && isObject(o.hyperparameters)) &&
    Array.isArray(data.schedules) && data.schedules.length > 0 &&
    data.schedules.every((s) => isObject(s) && typeof s.name === "string" && isObject(s.parameters)) &&
    Array.isArray(data.lengths) && data.lengths.length > 0 &&
    data.lengths.every((n) => Number.isInteger(n) && n >= 2) &&
    isObject(data.noise) && Array.isArray(data.noise.range) && data.noise.range.length === 2 &&
    data.noise.range[0] > 0 && data.noise.range[1] > data.noise.range[0];
  if (!ok) throw new DataError("The playground's data has an unknown format.");
  const optimizers = data.optimizers.map((o) => ({
    name: o.name,
    label: o.label || o.name,
    colour: o.colour,
    marker: o.marker,
    hyperparameters: o.hyperparameters,
    // Why the page cannot run it (Muon steps weight matrices, not points), or null.
    unavailable: typeof o.unavailable === "string" && o.unavailable ? o.unavailable : null,
  }));
  return {
    title: data.title,
    surfaces: data.surfaces,
    optimizers,
    sliders: sliders(optimizers.filter((o) => !o.unavailable), isObject(data.initial) ? data.initial : {}),
    schedules: data.schedules.map((s) => ({
      name: s.name,
      label: s.label || s.name,
      parameters: s.parameters,
      values: Object.fromEntries(Object.entries(s.parameters).map(([key, p]) => [key, p.default])),
    })),
    lengths: data.lengths.slice(),
    noise: { range: [Number(data.noise.range[0]), Number(data.noise.range[1])],
      stops: [0, ...sliderStops(data.noise.range, "log")] },
    escapeWidths: data.escape_widths,
  };
}

// One slider per hyperparameter that has a range in at least one optimizer the page runs. It
// drives every such optimizer that has that hyperparameter, and starts at initial[key], else at the default most
// of those optimizers share (AdaGrad's ε is 1e-10, the others' 1e-8: the slider starts at 1e-8).
function sliders(optimizers, initial) {
  return sliderKeys(optimizers).map((key) => {
    const users = optimizers.filter((o) => key in o.hyperparameters);
    const spec = users.map((o) => o.hyperparameters[key]).find((h) => Array.isArray(h.range));
    const range = [Number(spec.range[0]), Number(spec.range[1])];
    const start = key in initial ? Number(initial[key]) : commonest(users.map((o) => o.hyperparameters[key].default));
    if (!Number.isFinite(start)) {
      throw new DataError(`The playground's data gives no starting value for the slider ${key}.`);
    }
    return {
      key, label: spec.label || key, symbol: spec.symbol || "", range, scale: spec.scale || "linear",
      stops: sliderStops(range, spec.scale || "linear"), start,
      drives: users.map((o) => o.name),
      drivesText: users.length === optimizers.length && users.length > 1
        ? `all ${count(users.length)}` : users.map((o) => o.label).join(", "),
    };
  });
}

// The keys with a range, in an order that agrees with every optimizer's own order of its
// hyperparameters where it can (learning rate, momentum, β₁, β₂, ε), else in order of first use.
export function sliderKeys(optimizers) {
  const lists = optimizers.map((o) => Object.entries(o.hyperparameters)
    .filter(([, h]) => isObject(h) && Array.isArray(h.range)).map(([key]) => key));
  const keys = [...new Set(lists.flat())];
  const before = (a, b) => lists.some((list) => list.indexOf(a) >= 0 && list.indexOf(a) < list.indexOf(b));
  const out = [];
  while (out.length < keys.length) {
    const left = keys.filter((k) => !out.includes(k));
    // The first key no other remaining key must precede (in a cycle, the first key left).
    out.push(left.find((k) => !left.some((other) => other !== k && before(other, k))) || left[0]);
  }
  return out;
}

function commonest(values) {
  const numbers = values.filter((v) => typeof v === "number");
  let best = null;
  let most = 0;
  for (const v of numbers) {
    const n = numbers.filter((w) => w === v).length;
    if (n > most) { best = v; most = n; }
  }
  return best;
}

const WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
  "eleven", "twelve", "thirteen", "fourteen", "fifteen"];
const count = (n) => WORDS[n] || String(n);

// Slider stops: round values, so that the address and the labels read well.
// - "linear": about a hundred, a step of 1, 2 or 5 times a power of ten apart;
// - "log": in each decade the mantissas of the finest of three sets that keeps the stops to 60
//   at most (1e-4 … 10: 1, 1.2, 1.5, … 8; 1e-10 … 1e-2: 1, 2, 5);
// - "log1m" (β₂: log(1 − x)): the same for 1 − x.
// Each end of the range is a stop.
const MANTISSAS = [[1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8], [1, 2, 5], [1]];
const MAX_LOG_STOPS = 60;

export function sliderStops([lo, hi], scale) {
  if (scale === "log") return logStops(lo, hi);
  if (scale === "log1m") return logStops(1 - hi, 1 - lo).map((v) => round(1 - v)).reverse();
  const { ticks, step } = niceTicks(lo, hi, 100);
  const inside = ticks.map(round).filter((v) => v > lo + step / 2 && v < hi - step / 2);
  return [lo, ...inside, hi];
}

function logStops(lo, hi) {
  const e0 = Math.floor(Math.log10(lo) + 1e-9);
  const e1 = Math.ceil(Math.log10(hi) - 1e-9);
  for (const mantissas of MANTISSAS) {
    const inside = [];
    for (let e = e0; e <= e1; e++) {
      for (const m of mantissas) {
        const v = round(m * 10 ** e);
        if (v > lo * (1 + 1e-9) && v < hi * (1 - 1e-9)) inside.push(v);
      }
    }
    if (inside.length + 2 <= MAX_LOG_STOPS || mantissas.length === 1) return [lo, ...inside, hi];
  }
  return [lo, hi];
}

const round = (v) => Number(v.toPrecision(6));

// The stop nearest a value, on the slider's own scale (a value from the address need not be a
// stop).
export function nearestStop(slider, v) {
  const f = slider.scale === "log" ? Math.log
    : slider.scale === "log1m" ? (x) => Math.log(1 - x + 1e-12) : (x) => x;
  return nearestIndex(slider.stops.map(f), f(v));
}

// The noise slider's stop nearest σ: 0 (off) is its first stop, the range's log stops follow.
export function nearestNoiseStop(noise, sigma) {
  return sigma > 0 ? 1 + nearestStop({ scale: "log", stops: noise.stops.slice(1) }, sigma) : 0;
}

// A schedule of the model by name.
export function scheduleOf(model, name) {
  return model.schedules.find((s) => s.name === name);
}

// Every hyperparameter of an optimizer, for the engine: a slider's value where a slider drives
// it, else its default from the data. Throws where neither gives a number.
export function hyperparameters(model, optimizer, config) {
  const hp = {};
  for (const [key, meta] of Object.entries(optimizer.hyperparameters)) {
    const slider = model.sliders.find((s) => s.key === key);
    const value = slider ? config[key] : meta && meta.default;
    if (typeof value !== "number") {
      throw new Error(`${optimizer.label} has no value for its hyperparameter ${key}`);
    }
    hp[key] = value;
  }
  return hp;
}
