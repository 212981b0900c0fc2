/* The race: every chosen optimizer's run from the same start, stepped together, each with its
   rate set by the chosen schedule (spanning the race's steps) and the same seeded noise added to
   its gradients. Pure (the engine and the model; no DOM): Node's tests import it. */

import * as engine from "./engine.js";
import { hyperparameters, scheduleOf } from "./model.js";
import { rates } from "./schedules.js";

export class Race {
  // surface: the engine's surface; config: the settings (state.js).
  constructor(model, surface, config) {
    this.step = 0; // steps taken by the race (each moves every runner still going)
    this.maxSteps = config.steps; // where the race ends, and what the schedule spans
    const schedule = scheduleOf(model, config.schedule);
    const noise = config.sigma > 0 ? { sigma: config.sigma, seed: config.seed } : null;
    // The rate of every step for the learning-rate slider's value (what the page shows).
    this.rates = "lr" in config ? rates(schedule.name, config.lr, this.maxSteps, schedule.values) : null;
    this.entries = model.optimizers
      .filter((o) => config.opt.includes(o.name))
      .map((o) => {
        const entry = { name: o.name, optimizer: o, run: null, error: null, steps: 0, drawn: 0 };
        if (o.unavailable) {
          entry.error = o.unavailable;
          return entry;
        }
        try {
          const hp = hyperparameters(model, o, config);
          const rule = engine.optimizer(o.name, hp);
          const own = "lr" in hp ? rates(schedule.name, hp.lr, this.maxSteps, schedule.values) : null;
          entry.run = new engine.Run(surface, rule, config.start.slice(), model.escapeWidths, { rates: own, noise });
        } catch (err) {
          entry.error = err && err.message ? err.message : String(err);
        }
        return entry;
      });
    this.finished = !this.entries.some(running);
  }

  // The learning rate the schedule sets for the next step (the last step's once the race ends).
  rate() {
    return this.rates ? this.rates[Math.min(this.step, this.maxSteps - 1)] : NaN;
  }

  // n steps of every runner still going; counted steps go into `tally` ({steps, perOptimizer})
  // when given (a race redone to where it was is not counted).
  advance(n, tally) {
    for (let k = 0; k < n && this.step < this.maxSteps; k++) {
      let any = false;
      for (const entry of this.entries) {
        if (!running(entry)) continue;
        any = true;
        if (entry.run.step()) {
          entry.steps++;
          if (tally) tally.perOptimizer[entry.name] = (tally.perOptimizer[entry.name] || 0) + 1;
        }
      }
      if (!any) break;
      this.step++;
      if (tally) tally.steps++;
    }
    this.finished = this.step >= this.maxSteps || !this.entries.some(running);
  }

  // Why the race stopped, once it has.
  finishedText() {
    if (this.step >= this.maxSteps) return `The race ends at step ${this.maxSteps}.`;
    if (!this.entries.length) return "No optimizer is selected.";
    return `Every path has stopped, at step ${this.step}.`;
  }
}

function running(entry) {
  return entry.run !== null && entry.run.divergedStep < 0;
}
