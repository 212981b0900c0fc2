/* The playground's settings and their text form, the page's address:
     ?surface=rosenbrock&start=-1.5,2.5&opt=sgd,adam&lr=0.001&momentum=0.9&beta1=0.9…
      …&schedule=cosine&steps=500&sigma=2&seed=7
   One table of properties says, for each key, how a text (or a value given to set()) becomes a
   value, or why it cannot, and how a value is written. The hyperparameters' keys are those of
   the data's sliders; the schedules and race lengths are the data's; sigma is the gradient
   noise's standard deviation (0: none) and seed its seed. Pure: Node's tests import it. */

import { mergeQuery } from "../lib/address.js";

export const MAX_SEED = 4294967295; // the noise's seed is a 32-bit word (noise.js)

// A number from a text or a number: NaN for an empty text.
const numberOf = (raw) => {
  const text = typeof raw === "string" ? raw.trim() : raw;
  return typeof text === "number" ? text : text === "" ? NaN : Number(text);
};

// The table for a model (model.js): [{key, parse(raw, config) -> {value} | {error}, write}].
// Parsed in this order: start is checked against the surface already chosen.
export function properties(model) {
  const names = model.optimizers.map((o) => o.name);
  return [
    {
      key: "surface",
      parse(raw) {
        const name = String(raw);
        return model.surfaces.some((s) => s.name === name) ? { value: name }
          : { error: `surface=${name} (no such surface; there are ${model.surfaces.map((s) => s.name).join(", ")})` };
      },
      write: String,
    },
    {
      key: "start",
      parse(raw, config) {
        const parts = Array.isArray(raw) ? raw : String(raw).split(",");
        const xy = parts.map((p) => (typeof p === "number" ? p : String(p).trim() === "" ? NaN : Number(p)));
        if (xy.length !== 2 || !xy.every(Number.isFinite)) return { error: `start=${raw} (two numbers: x,y)` };
        const surface = surfaceOf(model, config.surface);
        const [[x0, x1], [y0, y1]] = surface.domain;
        if (xy[0] < x0 || xy[0] > x1 || xy[1] < y0 || xy[1] > y1) {
          return { error: `start=${xy.join(",")} (outside the plotted area of ${surface.title}: ` +
            `x from ${x0} to ${x1}, y from ${y0} to ${y1})` };
        }
        return { value: xy };
      },
      write: (xy) => xy.map(String).join(","),
    },
    {
      key: "opt",
      parse(raw) {
        const asked = Array.isArray(raw) ? raw.map(String) : String(raw).split(",").map((s) => s.trim()).filter(Boolean);
        const unknown = asked.filter((name) => !names.includes(name));
        if (unknown.length) return { error: `opt=${raw} (unknown: ${unknown.join(", ")}; known: ${names.join(", ")})` };
        return { value: names.filter((name) => asked.includes(name)) }; // in the data's order
      },
      write: (list) => list.join(","),
    },
    ...model.sliders.map((slider) => ({
      key: slider.key,
      parse(raw) {
        const v = numberOf(raw);
        const [lo, hi] = slider.range;
        if (!Number.isFinite(v)) return { error: `${slider.key}=${raw} (not a number)` };
        if (v < lo || v > hi) return { error: `${slider.key}=${raw} (outside ${lo} … ${hi})` };
        return { value: v };
      },
      write: String,
    })),
    {
      key: "schedule",
      parse(raw) {
        const name = String(raw);
        return model.schedules.some((s) => s.name === name) ? { value: name }
          : { error: `schedule=${name} (no such schedule; there are ${model.schedules.map((s) => s.name).join(", ")})` };
      },
      write: String,
    },
    {
      key: "steps",
      parse(raw) {
        const n = numberOf(raw);
        return model.lengths.includes(n) ? { value: n }
          : { error: `steps=${raw} (the race's length: one of ${model.lengths.join(", ")})` };
      },
      write: String,
    },
    {
      key: "sigma",
      parse(raw) {
        const v = numberOf(raw);
        const [lo, hi] = model.noise.range;
        if (!Number.isFinite(v)) return { error: `sigma=${raw} (not a number)` };
        if (v !== 0 && (v < lo || v > hi)) return { error: `sigma=${raw} (0 for no noise, or ${lo} … ${hi})` };
        return { value: v };
      },
      write: String,
    },
    {
      key: "seed",
      parse(raw) {
        const text = typeof raw === "string" ? raw.trim() : raw;
        const n = typeof text === "number" ? text : /^[0-9]+$/.test(text) ? Number(text) : NaN;
        return Number.isInteger(n) && n >= 0 && n <= MAX_SEED ? { value: n }
          : { error: `seed=${raw} (a whole number from 0 to ${MAX_SEED})` };
      },
      write: String,
    },
  ];
}

export function surfaceOf(model, name) {
  return model.surfaces.find((s) => s.name === name);
}

// The settings before anything is asked: the first surface from its own start, every optimizer
// the page can run,
// each slider at its start, the first schedule over the longest race, no noise.
export function defaults(model) {
  const first = model.surfaces[0];
  const runnable = model.optimizers.filter((o) => !o.unavailable);
  const config = { surface: first.name, start: first.start.slice(0, 2), opt: runnable.map((o) => o.name) };
  for (const slider of model.sliders) config[slider.key] = slider.start;
  config.schedule = model.schedules[0].name;
  config.steps = model.lengths[model.lengths.length - 1];
  config.sigma = 0;
  config.seed = 0;
  return config;
}

// A copy of the settings with values applied in the table's order ({key: raw}); a new surface
// brings its own start unless a start is given too. Returns {config, errors}: a value that does
// not parse leaves the setting as it was, and says why.
export function apply(model, config, given) {
  const next = { ...config, start: config.start.slice(), opt: config.opt.slice() };
  const errors = [];
  for (const property of properties(model)) {
    if (!(property.key in given)) continue;
    const result = property.parse(given[property.key], next);
    if ("error" in result) {
      errors.push(result.error);
    } else if (property.key === "surface") {
      if (result.value !== next.surface) next.start = surfaceOf(model, result.value).start.slice(0, 2);
      next.surface = result.value;
    } else {
      next[property.key] = result.value;
    }
  }
  return { config: next, errors };
}

// The settings a query string asks for, over `config`. Keys the playground does not know (the
// search's ?h=, say) are left alone.
export function fromQuery(model, config, query) {
  const params = new URLSearchParams(query || "");
  const given = {};
  for (const { key } of properties(model)) if (params.has(key)) given[key] = params.get(key);
  return apply(model, config, given);
}

// The settings as [key, text] pairs, in the table's order.
export function toPairs(model, config) {
  return properties(model).map(({ key, write }) => [key, write(config[key])]);
}

// The query string of the settings.
export function toQuery(model, config) {
  return mergeQuery("", toPairs(model, config));
}

// The settings as the page's API gives them: the table's keys, copies of the lists.
export function snapshot(model, config) {
  const out = {};
  for (const { key } of properties(model)) out[key] = Array.isArray(config[key]) ? config[key].slice() : config[key];
  return out;
}
