// What the playground makes of its data: sliders, their stops, the optimizers' hyperparameters.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  DataError, hyperparameters, nearestNoiseStop, nearestStop, readModel, sliderStops,
} from "../../docs/javascripts/playground/model.js";
import { playgroundData } from "./playground-data.mjs";

const model = readModel(playgroundData());
const slider = (key) => model.sliders.find((s) => s.key === key);

test("data of another format, or without its parts, is refused", () => {
  const broken = [
    (d) => { d.format = 3; }, // before the schedules and the noise
    (d) => { d.format = 2; },
    (d) => { delete d.format; },
    (d) => { d.surfaces = []; },
    (d) => { d.surfaces[0].grid = { n: 32, values: "" }; }, // the first format's grids
    (d) => { d.optimizers = {}; },
    (d) => { delete d.optimizers[2].hyperparameters; },
    (d) => { delete d.schedules; },
    (d) => { d.schedules = []; },
    (d) => { delete d.schedules[1].parameters; },
    (d) => { delete d.lengths; },
    (d) => { d.lengths = [100, 2.5]; },
    (d) => { delete d.noise; },
    (d) => { d.noise = { range: [0, 10] }; },
    (d) => { d.noise = { range: [10, 1] }; },
  ];
  for (const breakIt of broken) {
    const data = playgroundData();
    breakIt(data);
    assert.throws(() => readModel(data), DataError, breakIt.toString());
  }
  assert.throws(() => readModel(null), DataError);
});

test("the schedules are the data's, with their labels and the values of their parameters", () => {
  assert.deepEqual(model.schedules.map((s) => [s.name, s.label]),
    [["constant", "Constant"], ["step", "Step decay"], ["warmup_cosine", "Warmup, then cosine"]]);
  assert.deepEqual(model.schedules.map((s) => s.values), [{}, { gamma: 0.5, period: 0.25 }, { warmup: 0.1, start: 0.01, floor: 0 }]);
  assert.deepEqual(model.lengths, [100, 200, 1000, 10000]);
});

test("the noise slider starts at 0 (none), then round values across the data's range", () => {
  const { stops, range } = model.noise;
  assert.deepEqual(range, [0.01, 100]);
  assert.deepEqual(stops.slice(0, 4), [0, 0.01, 0.012, 0.015]);
  assert.equal(stops[stops.length - 1], 100);
  assert.ok(stops.every((v, i) => i === 0 || v > stops[i - 1]));
  assert.equal(nearestNoiseStop(model.noise, 0), 0);
  assert.equal(stops[nearestNoiseStop(model.noise, 0.01)], 0.01);
  assert.equal(stops[nearestNoiseStop(model.noise, 2)], 2);
  assert.equal(stops[nearestNoiseStop(model.noise, 2.1)], 2);
  assert.equal(stops[nearestNoiseStop(model.noise, 100)], 100);
});

test("one slider per hyperparameter with a range, in the optimizers' own order", () => {
  assert.deepEqual(model.sliders.map((s) => s.key), ["lr", "momentum", "beta1", "beta2", "eps"]);
});

test("each slider says what it is and which optimizers it drives", () => {
  const table = [
    ["lr", "Learning rate", "η", ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"], "all seven"],
    ["momentum", "Momentum", "β", ["momentum", "nesterov"], "Momentum, Nesterov"],
    ["beta1", "First-moment decay", "β₁", ["adam", "adamw"], "Adam, AdamW"],
    ["beta2", "Second-moment decay", "β₂", ["adam", "adamw"], "Adam, AdamW"],
    ["eps", "Epsilon", "ε", ["adagrad", "rmsprop", "adam", "adamw"], "AdaGrad, RMSprop, Adam, AdamW"],
  ];
  for (const [key, label, symbol, drives, text] of table) {
    const s = slider(key);
    assert.deepEqual([s.label, s.symbol, s.drives, s.drivesText], [label, symbol, drives, text], key);
  }
});

test("a slider starts at the data's initial value, else at the default most of its optimizers share", () => {
  const starts = Object.fromEntries(model.sliders.map((s) => [s.key, s.start]));
  assert.deepEqual(starts, { lr: 0.01, momentum: 0.9, beta1: 0.9, beta2: 0.999, eps: 1e-8 });
  const data = playgroundData();
  delete data.initial;
  assert.throws(() => readModel(data), /no starting value for the slider lr/);
});

test("slider stops are round numbers from one end of the range to the other", () => {
  const table = [
    [[1e-4, 10], "log", 51, [1e-4, 1.2e-4, 0.001, 0.0025, 0.01, 0.06, 1, 8, 10]],
    [[1e-10, 1e-2], "log", 25, [1e-10, 2e-10, 5e-10, 1e-9, 1e-8, 5e-3, 1e-2]],
    [[0, 0.99], "linear", 100, [0, 0.01, 0.5, 0.9, 0.98, 0.99]],
    [[0.5, 0.9999], "log1m", 38, [0.5, 0.6, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9995, 0.9999]],
    [[-1, 1], "linear", 101, [-1, -0.5, 0, 0.02, 1]],
  ];
  for (const [range, scale, count, included] of table) {
    const stops = sliderStops(range, scale);
    assert.equal(stops.length, count, `${range} ${scale}`);
    assert.deepEqual([stops[0], stops.at(-1)], range);
    for (let k = 1; k < stops.length; k++) assert.ok(stops[k] > stops[k - 1], `${range}: ${stops[k - 1]}, ${stops[k]}`);
    for (const v of included) assert.ok(stops.includes(v), `${range} ${scale}: no stop at ${v}`);
    for (const v of stops) assert.equal(v, Number(v.toPrecision(6)), `${v} is not round`);
  }
});

test("a value finds its nearest stop on the slider's own scale", () => {
  const table = [["lr", 0.0105, 0.01], ["lr", 0.0125, 0.012], ["eps", 3e-9, 2e-9], ["eps", 4e-9, 5e-9],
    ["beta2", 0.99949, 0.9995], ["momentum", 0.904, 0.9], ["lr", 99, 10]];
  for (const [key, value, stop] of table) {
    const s = slider(key);
    assert.equal(s.stops[nearestStop(s, value)], stop, `${key} ${value}`);
  }
});

test("an optimizer gets every hyperparameter: the sliders' where they drive it, else its default", () => {
  const config = { lr: 0.05, momentum: 0.5, beta1: 0.8, beta2: 0.99, eps: 1e-6 };
  const of = (name) => hyperparameters(model, model.optimizers.find((o) => o.name === name), config);
  assert.deepEqual(of("sgd"), { lr: 0.05 });
  assert.deepEqual(of("momentum"), { lr: 0.05, momentum: 0.5, dampening: 0 });
  assert.deepEqual(of("adagrad"), { lr: 0.05, lr_decay: 0, initial_accumulator_value: 0, eps: 1e-6 });
  assert.deepEqual(of("rmsprop"), { lr: 0.05, alpha: 0.99, eps: 1e-6 });
  assert.deepEqual(of("adamw"), { lr: 0.05, beta1: 0.8, beta2: 0.99, eps: 1e-6, weight_decay: 0.01 });
});

test("an optimizer added to the data appears with its own slider and in the others' texts", () => {
  const data = playgroundData();
  data.optimizers.push({ name: "lion", label: "Lion", colour: "#000000", marker: "star", hyperparameters: {
    lr: data.optimizers[0].hyperparameters.lr,
    beta1: data.optimizers[5].hyperparameters.beta1,
    weight_decay: { default: 0, symbol: "λ", label: "Weight decay", range: [0, 0.1], scale: "linear" },
  } });
  const grown = readModel(data);
  assert.deepEqual(grown.sliders.map((s) => s.key), ["lr", "momentum", "beta1", "beta2", "eps", "weight_decay"]);
  assert.equal(grown.sliders[0].drivesText, "all eight");
  assert.deepEqual(grown.sliders.find((s) => s.key === "weight_decay").drives, ["adamw", "lion"]);
  assert.equal(grown.sliders.find((s) => s.key === "weight_decay").start, 0.01); // 0.01 (AdamW) and 0 (Lion): the first
});

test("a hyperparameter with neither a slider nor a default cannot be given", () => {
  const data = playgroundData();
  data.optimizers[1].hyperparameters.dampening.default = null;
  const m = readModel(data);
  assert.throws(() => hyperparameters(m, m.optimizers[1], { lr: 0.1, momentum: 0.9 }), /Momentum has no value for its hyperparameter dampening/);
});
