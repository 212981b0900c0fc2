// The playground's settings and the page's address: one table of properties.
import assert from "node:assert/strict";
import { test } from "node:test";

import { readModel } from "../../docs/javascripts/playground/model.js";
import { mergeQuery } from "../../docs/javascripts/lib/address.js";
import { apply, defaults, fromQuery, properties, snapshot, toPairs, toQuery } from "../../docs/javascripts/playground/state.js";
import { playgroundData } from "./playground-data.mjs";

const model = readModel(playgroundData());
const ALL = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"];

test("the settings before anything is asked", () => {
  assert.deepEqual(defaults(model), {
    surface: "bowl", start: [-2.5, 2], opt: ALL, lr: 0.01, momentum: 0.9, beta1: 0.9, beta2: 0.999, eps: 1e-8,
    schedule: "constant", steps: 10000, sigma: 0, seed: 0,
  });
  assert.deepEqual(properties(model).map((p) => p.key),
    ["surface", "start", "opt", "lr", "momentum", "beta1", "beta2", "eps", "schedule", "steps", "sigma", "seed"]);
});

test("settings written to an address and read back are the same", () => {
  const rest = { schedule: "constant", steps: 10000, sigma: 0, seed: 0 };
  const configs = [
    defaults(model),
    { surface: "rosenbrock", start: [-1.5, 2.5], opt: ["sgd", "adam"], lr: 0.001, momentum: 0, beta1: 0.8, beta2: 0.9999,
      eps: 1e-10, ...rest },
    { surface: "bowl", start: [0.1234, -3], opt: [], lr: 10, momentum: 0.99, beta1: 0, beta2: 0.5, eps: 0.01, ...rest },
    { ...defaults(model), schedule: "warmup_cosine", steps: 200, sigma: 2.5, seed: 4294967295 },
    { ...defaults(model), schedule: "step", steps: 100, sigma: 0.01, seed: 7 },
    { ...defaults(model), schedule: "constant", steps: 1000, sigma: 100, seed: 0 },
  ];
  for (const config of configs) {
    const query = toQuery(model, config);
    const { config: back, errors } = fromQuery(model, defaults(model), query);
    assert.deepEqual(errors, [], query);
    assert.deepEqual(back, config, query);
  }
  assert.equal(toQuery(model, configs[1]),
    "surface=rosenbrock&start=-1.5,2.5&opt=sgd,adam&lr=0.001&momentum=0&beta1=0.8&beta2=0.9999&eps=1e-10" +
    "&schedule=constant&steps=10000&sigma=0&seed=0");
  assert.ok(toQuery(model, configs[3]).endsWith("&schedule=warmup_cosine&steps=200&sigma=2.5&seed=4294967295"));
});

test("a shared address of a noisy, scheduled race is read whatever the order of its keys", () => {
  const { config, errors } = fromQuery(model, defaults(model), "?seed=12&sigma=0.5&steps=1000&schedule=step&surface=rosenbrock");
  assert.deepEqual(errors, []);
  assert.deepEqual([config.surface, config.schedule, config.steps, config.sigma, config.seed],
    ["rosenbrock", "step", 1000, 0.5, 12]);
  for (const key of ["opt", "lr", "momentum", "beta1", "beta2", "eps"]) {
    assert.deepEqual(config[key], defaults(model)[key], key); // the rest stays at its defaults
  }
});

test("a bad value is refused with a reason, and the setting keeps its default", () => {
  const table = [
    ["surface=nowhere", "surface", "surface=nowhere (no such surface; there are bowl, rosenbrock)"],
    ["lr=-3", "lr", "lr=-3 (outside 0.0001 … 10)"],
    ["lr=abc", "lr", "lr=abc (not a number)"],
    ["lr=", "lr", "lr= (not a number)"],
    ["beta2=1", "beta2", "beta2=1 (outside 0.5 … 0.9999)"],
    ["momentum=Infinity", "momentum", "momentum=Infinity (not a number)"],
    ["opt=sgd,adamx", "opt", "opt=sgd,adamx (unknown: adamx; known: sgd, momentum, nesterov, adagrad, rmsprop, adam, adamw)"],
    ["start=1", "start", "start=1 (two numbers: x,y)"],
    ["start=1,2,3", "start", "start=1,2,3 (two numbers: x,y)"],
    ["start=9,0", "start", "start=9,0 (outside the plotted area of Bowl: x from -3 to 3, y from -3 to 3)"],
    ["schedule=cosine", "schedule", "schedule=cosine (no such schedule; there are constant, step, warmup_cosine)"],
    ["schedule=", "schedule", "schedule= (no such schedule; there are constant, step, warmup_cosine)"],
    ["steps=300", "steps", "steps=300 (the race's length: one of 100, 200, 1000, 10000)"],
    ["steps=", "steps", "steps= (the race's length: one of 100, 200, 1000, 10000)"],
    ["sigma=-1", "sigma", "sigma=-1 (0 for no noise, or 0.01 … 100)"],
    ["sigma=0.001", "sigma", "sigma=0.001 (0 for no noise, or 0.01 … 100)"],
    ["sigma=101", "sigma", "sigma=101 (0 for no noise, or 0.01 … 100)"],
    ["sigma=x", "sigma", "sigma=x (not a number)"],
    ["seed=-1", "seed", "seed=-1 (a whole number from 0 to 4294967295)"],
    ["seed=1.5", "seed", "seed=1.5 (a whole number from 0 to 4294967295)"],
    ["seed=1e3", "seed", "seed=1e3 (a whole number from 0 to 4294967295)"],
    ["seed=4294967296", "seed", "seed=4294967296 (a whole number from 0 to 4294967295)"],
    ["seed=", "seed", "seed= (a whole number from 0 to 4294967295)"],
  ];
  for (const [query, key, error] of table) {
    const { config, errors } = fromQuery(model, defaults(model), query);
    assert.deepEqual(errors, [error], query);
    assert.deepEqual(config[key], defaults(model)[key], query);
  }
});

test("a new surface brings its own start, unless the address gives one inside it", () => {
  assert.deepEqual(fromQuery(model, defaults(model), "surface=rosenbrock").config.start, [-1.5, 2.5]);
  assert.deepEqual(fromQuery(model, defaults(model), "start=1,2.5&surface=rosenbrock").config.start, [1, 2.5]);
  // (-2.5, 2) is in the bowl's domain but not in Rosenbrock's: refused there.
  const { config, errors } = fromQuery(model, defaults(model), "surface=rosenbrock&start=-2.5,2");
  assert.deepEqual(config.start, [-1.5, 2.5]);
  assert.equal(errors.length, 1);
});

test("the optimizers come in the data's order, whatever the address's", () => {
  assert.deepEqual(fromQuery(model, defaults(model), "opt=adamw,sgd,,momentum").config.opt, ["sgd", "momentum", "adamw"]);
});

test("values given as values, not texts, go through the same table", () => {
  const { config, errors } = apply(model, defaults(model), { start: [1, -1], opt: ["adam"], lr: 0.5 });
  assert.deepEqual(errors, []);
  assert.deepEqual([config.start, config.opt, config.lr], [[1, -1], ["adam"], 0.5]);
  assert.equal(apply(model, defaults(model), { lr: 11 }).errors.length, 1);
  const noisy = apply(model, defaults(model), { schedule: "step", steps: 200, sigma: 3, seed: 99 });
  assert.deepEqual(noisy.errors, []);
  assert.deepEqual([noisy.config.schedule, noisy.config.steps, noisy.config.sigma, noisy.config.seed], ["step", 200, 3, 99]);
  for (const bad of [{ steps: 250 }, { seed: -3 }, { seed: 2.5 }, { sigma: 1000 }, { schedule: "one_cycle" }]) {
    assert.equal(apply(model, defaults(model), bad).errors.length, 1, JSON.stringify(bad));
  }
});

test("the address keeps its other keys; reading it leaves them alone", () => {
  const query = mergeQuery("?h=saddle&lr=5", toPairs(model, defaults(model)));
  const params = new URLSearchParams(query);
  assert.equal(params.get("h"), "saddle");
  assert.equal(params.get("lr"), "0.01");
  assert.equal(params.get("opt"), ALL.join(","));
  assert.ok(query.includes(`opt=${ALL.join(",")}`), "commas are left as they are");
  assert.deepEqual([...params.keys()].slice(0, 2), ["h", "lr"]); // the keys it had keep their place
  assert.deepEqual(fromQuery(model, defaults(model), "h=saddle&q=x").errors, []);
});

test("a snapshot is a copy", () => {
  const config = defaults(model);
  const shot = snapshot(model, config);
  shot.start[0] = 99;
  shot.opt.pop();
  assert.deepEqual(config, defaults(model));
});
