/* The race: every chosen optimizer's run from the same start, stepped together. Pure (the
   engine and the model; no DOM): Node's tests import it. */

import * as engine from "./engine.js";
import { hyperparameters } from "./model.js";

export const MAX_STEPS = 10000;

export class Race {
  // surface: the engine's surface; config: the settings (state.js).
  constructor(model, surface, config) {
    this.step = 0; // steps taken by the race (each moves every runner still going)
    this.entries = model.optimizers
      .filter((o) => config.opt.includes(o.name))
      .map((o) => {
        const entry = { name: o.name, optimizer: o, run: null, error: null, steps: 0, drawn: 0 };
        try {
          const rule = engine.optimizer(o.name, hyperparameters(model, o, config));
          entry.run = new engine.Run(surface, rule, config.start.slice(), model.escapeWidths);
        } catch (err) {
          entry.error = err && err.message ? err.message : String(err);
        }
        return entry;
      });
    this.finished = !this.entries.some(running);
  }

  // n steps of every runner still going; counted steps go into `tally` ({steps, perOptimizer})
  // when given (a race redone to where it was is not counted).
  advance(n, tally) {
    for (let k = 0; k < n && this.step < MAX_STEPS; k++) {
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
    this.finished = this.step >= MAX_STEPS || !this.entries.some(running);
  }

  // Why the race stopped, once it has.
  finishedText() {
    if (this.step >= MAX_STEPS) return `The race ends at step ${MAX_STEPS}.`;
    if (!this.entries.length) return "No optimizer is selected.";
    return `Every path has stopped, at step ${this.step}.`;
  }
}

function running(entry) {
  return entry.run !== null && entry.run.divergedStep < 0;
}
