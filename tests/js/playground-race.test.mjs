// The race: the chosen optimizers from one start, stepped together.
import assert from "node:assert/strict";
import { test } from "node:test";

import { run, surface } from "../../docs/javascripts/playground/engine.js";
import { hyperparameters, readModel } from "../../docs/javascripts/playground/model.js";
import { MAX_STEPS, Race } from "../../docs/javascripts/playground/race.js";
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
  calm.advance(MAX_STEPS + 5);
  assert.ok(calm.finished);
  assert.equal(calm.step, MAX_STEPS);
  assert.equal(calm.finishedText(), `The race ends at step ${MAX_STEPS}.`);
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
