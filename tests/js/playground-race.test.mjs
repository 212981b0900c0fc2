// The race: the chosen optimizers from one start, stepped together.
import assert from "node:assert/strict";
import { test } from "node:test";

import { run, surface } from "../../docs/javascripts/playground/engine.js";
import { hyperparameters, readModel } from "../../docs/javascripts/playground/model.js";
import { Race } from "../../docs/javascripts/playground/race.js";
import { rates } from "../../docs/javascripts/playground/schedules.js";
import { apply, defaults } from "../../docs/javascripts/playground/state.js";
import { playgroundData } from "./playground-data.mjs";

const model = readModel(playgroundData());
const settings = (given) => apply(model, defaults(model), given).config;
const raceOn = (config) => new Race(model, surface(model.surfaces.find((s) => s.name === config.surface)), config);

test("each runner is the engine's run of its optimizer with the race's hyperparameters", () => {
  const config = settings({ surface: "rosenbrock", opt: "sgd,adam,momentum", lr: 0.001, momentum: 0.5 });
  const race = raceOn(config);
  race.advance(50);
  assert.deepEqual(race.entries.map((e) => e.name), ["sgd", "momentum", "adam"]);
  for (const entry of race.entries) {
    const hp = hyperparameters(model, entry.optimizer, config);
    const alone = run(model.surfaces[1], entry.name, hp, config.start, 50, model.escapeWidths);
    assert.deepEqual(entry.run.params, alone.params, entry.name);
  }
  assert.equal(race.step, 50);
});

test("Nesterov without momentum sits the race out, saying why", () => {
  const race = raceOn(settings({ opt: "sgd,nesterov", momentum: 0 }));
  const nesterov = race.entries.find((e) => e.name === "nesterov");
  assert.equal(nesterov.run, null);
  assert.match(nesterov.error, /Nesterov needs a momentum above 0/);
  race.advance(3);
  assert.equal(race.step, 3);
});

test("the race ends when every run has diverged, or at its last step", () => {
  const wild = raceOn(settings({ opt: "sgd", lr: 10 }));
  wild.advance(1000);
  assert.ok(wild.finished && wild.step < 1000, `step ${wild.step}`);
  assert.match(wild.finishedText(), new RegExp(`Every path has stopped, at step ${wild.step}`));
  const calm = raceOn(settings({ opt: "sgd", lr: 0.0001 }));
  calm.advance(10005);
  assert.ok(calm.finished);
  assert.equal(calm.step, 10000); // the data's longest race, the default
  assert.equal(calm.finishedText(), "The race ends at step 10000.");
  const short = raceOn(settings({ opt: "sgd", lr: 0.0001, steps: 200 }));
  short.advance(150);
  assert.ok(!short.finished);
  short.advance(150);
  assert.ok(short.finished);
  assert.equal(short.step, 200);
  assert.equal(short.entries[0].run.params.length, 201);
  assert.equal(short.finishedText(), "The race ends at step 200.");
  const none = raceOn(settings({ opt: "" }));
  assert.ok(none.finished);
  assert.equal(none.finishedText(), "No optimizer is selected.");
});

test("counted steps go to the tally; a race redone to where it was is not counted", () => {
  const race = raceOn(settings({ opt: "sgd,adam" }));
  race.advance(10);
  const tally = { steps: 0, perOptimizer: {} };
  race.advance(5, tally);
  assert.deepEqual(tally, { steps: 5, perOptimizer: { sgd: 5, adam: 5 } });
});

test("each runner takes the schedule's rates over the race's length and the seeded noise", () => {
  const config = settings({ surface: "rosenbrock", opt: "sgd,momentum,adam", lr: 0.001, schedule: "warmup_cosine",
    steps: 200, sigma: 0.5, seed: 3 });
  const race = raceOn(config);
  race.advance(500);
  assert.equal(race.step, 200);
  // The data's warmup_cosine, at its defaults (playground-data.mjs).
  const schedule = { warmup: 0.1, start: 0.01, floor: 0 };
  for (const entry of race.entries) {
    const hp = hyperparameters(model, entry.optimizer, config);
    const alone = run(model.surfaces[1], entry.name, hp, config.start, 200, model.escapeWidths,
      { rates: rates("warmup_cosine", 0.001, 200, schedule), noise: { sigma: 0.5, seed: 3 } });
    assert.equal(entry.run.params.length, 201, entry.name);
    assert.deepEqual(entry.run.params, alone.params, entry.name);
  }
  const plain = raceOn({ ...config, schedule: "constant", sigma: 0 });
  plain.advance(200);
  assert.notDeepEqual(plain.entries[0].run.params, race.entries[0].run.params);
});

test("the rate shown is the schedule's at the race's step", () => {
  const race = raceOn(settings({ opt: "sgd", lr: 0.1, schedule: "step", steps: 100 }));
  assert.equal(race.rate(), 0.1);
  race.advance(25); // a drop every 25 steps (period 0.25 of 100), by half
  assert.equal(race.rate(), 0.05);
  race.advance(100);
  assert.equal(race.rate(), 0.1 * 0.5 * 0.5 * 0.5); // the last step's, once the race is over
});

test("without noise the seed changes nothing; with it, each seed is its own race", () => {
  const at = (sigma, seed) => {
    const race = raceOn(settings({ opt: "sgd", sigma, seed, steps: 100 }));
    race.advance(100);
    return race.entries[0].run.params;
  };
  assert.deepEqual(at(0, 1), at(0, 2));
  assert.deepEqual(at(1, 5), at(1, 5));
  assert.notDeepEqual(at(1, 5), at(1, 6));
  assert.notDeepEqual(at(1, 5), at(0, 5));
});

test("an optimizer that cannot step a point is listed with its reason, left out of the race and of the sliders", () => {
  // As the data gives Muon (it steps weight matrices): its hyperparameters, a slider's key among them.
  const data = playgroundData();
  const reason = "Muon orthogonalizes a weight matrix's update; a point on a surface is a vector";
  data.optimizers.push({ name: "muon", label: "Muon", colour: "#47856c", marker: "triangle-right", unavailable: reason,
    hyperparameters: { lr: data.optimizers[0].hyperparameters.lr,
      momentum: { ...data.optimizers[1].hyperparameters.momentum, default: 0.95 } } });
  const withMuon = readModel(data);
  assert.equal(withMuon.optimizers.at(-1).unavailable, reason);
  assert.equal(withMuon.optimizers[0].unavailable, null);
  // It drives no slider: the learning rate still drives "all seven", momentum Momentum and Nesterov.
  const drives = Object.fromEntries(withMuon.sliders.map((s) => [s.key, [s.drives, s.drivesText]]));
  assert.deepEqual(drives.lr[1], "all seven");
  assert.deepEqual(drives.momentum, [["momentum", "nesterov"], "Momentum, Nesterov"]);
  // The first race leaves it out; named in the address, it is listed as not run, with the reason.
  const first = defaults(withMuon);
  assert.ok(!first.opt.includes("muon") && first.opt.length === 7);
  const config = apply(withMuon, first, { opt: ["sgd", "muon"] }).config;
  const race = new Race(withMuon, surface(withMuon.surfaces.find((s) => s.name === config.surface)), config);
  const muon = race.entries.find((e) => e.name === "muon");
  assert.deepEqual([muon.run, muon.error], [null, reason]);
  race.advance(3);
  assert.equal(race.entries.find((e) => e.name === "sgd").steps, 3);
});
