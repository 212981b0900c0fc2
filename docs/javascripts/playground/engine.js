/*
 * The playground's numerical core: the course's test surfaces and the optimizers that step a
 * point (all but Muon, which steps matrices), in float64, step for step as the build runs them.
 *
 * - Surfaces: each family's formula is written here once, in the same order of operations as
 *   descent/surfaces.py; its constants and domain come from the build's playground.json (the
 *   engine's own numbers), never from this file.
 * - Optimizers: each update is its production backend's, operation by operation: torch.optim's
 *   single-tensor algorithm, or for Lion and Schedule-Free AdamW (torch has neither) Optax's.
 *   PyTorch computes `x.add_(y, alpha=a)`, `addcmul_` and `lerp_` with one rounding (a fused
 *   multiply-add); JavaScript has no fused multiply-add, so `fma` below computes it exactly
 *   with integers and rounds once. What still differs is torch's square root (not always the
 *   nearest double) and the math library's sin, cos, exp and pow, by at most a unit in the last
 *   place: the course's tests hold every trajectory to PyTorch's within 1e-9.
 * - A run stops and is marked at the first step whose point is not finite or lies more than
 *   `escapeWidths` domain widths away, as descent/trajectory.py does.
 *
 * Update rules only: which optimizers the page offers, and their hyperparameters' defaults,
 * come with the data (playground.json); a rule is given every hyperparameter it reads. Pure (no
 * DOM): the page bundles it, and Node imports it as it is.
 */

import { gaussian } from "./noise.js";

/* ---------- a fused multiply-add, rounded once ---------- */

const view = new DataView(new ArrayBuffer(8));

// x = mantissa * 2^exponent, exactly (x finite, not zero).
function decompose(x) {
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  return [hi >>> 31 ? -mantissa : mantissa, exponent];
}

function bitLength(n) {
  return n.toString(2).length;
}

// n * 2^e as the nearest double, ties to even (n an integer).
function toDouble(n, e) {
  if (n === 0n) return 0;
  const negative = n < 0n;
  let m = negative ? -n : n;
  const shift = bitLength(m) - 53;
  if (shift > 0) {
    const rest = m & ((1n << BigInt(shift)) - 1n);
    const half = 1n << BigInt(shift - 1);
    m >>= BigInt(shift);
    if (rest > half || (rest === half && (m & 1n) === 1n)) m += 1n;
    e += shift;
  }
  // Two factors of two, so that neither over- nor underflows on its own.
  const e1 = Math.trunc(e / 2);
  const value = Number(m) * Math.pow(2, e1) * Math.pow(2, e - e1);
  return negative ? -value : value;
}

export function fma(a, b, c) {
  if (!Number.isFinite(c) && Number.isFinite(a) && Number.isFinite(b)) return c; // a finite product changes no infinity
  if (a === 0 || b === 0 || c === 0 || !Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(c)) {
    return a * b + c; // exact product or sum, or non-finite: one rounding already
  }
  const [ma, ea] = decompose(a);
  const [mb, eb] = decompose(b);
  const [mc, ec] = decompose(c);
  const mp = ma * mb;
  const ep = ea + eb;
  const e = Math.min(ep, ec);
  const sum = (mp << BigInt(ep - e)) + (mc << BigInt(ec - e));
  return sum === 0n ? 0 : toDouble(sum, e);
}

/* ---------- surfaces ---------- */

// family -> (params) -> [value(u, v), grad(u, v)], as in descent/surfaces.py.
export const FAMILIES = {
  quadratic: ({ a, b }) => [
    (u, v) => a * (u * u) + b * (v * v),
    (u, v) => [2 * a * u, 2 * b * v],
  ],
  saddle: () => [(u, v) => u * u - v * v, (u, v) => [2 * u, -2 * v]],
  rosenbrock: ({ a, b }) => [
    (u, v) => (a - u) * (a - u) + b * ((v - u * u) * (v - u * u)),
    (u, v) => [-2 * (a - u) - 4 * b * u * (v - u * u), 2 * b * (v - u * u)],
  ],
  rastrigin: ({ amplitude }) => {
    const twoPi = 2 * Math.PI;
    const term = (w) => w * w - amplitude * Math.cos(twoPi * w);
    return [
      (u, v) => amplitude * 2 + (term(u) + term(v)),
      (u, v) => [2 * u + amplitude * twoPi * Math.sin(twoPi * u), 2 * v + amplitude * twoPi * Math.sin(twoPi * v)],
    ];
  },
  wavy_bowl: ({ f, k }) => [
    (u, v) => Math.sin(f * u) * Math.cos(f * v) + k * (u * u + v * v) + Math.cos(u + v),
    (u, v) => {
      const s = Math.sin(u + v);
      return [
        f * Math.cos(f * u) * Math.cos(f * v) + 2 * k * u - s,
        -f * Math.sin(f * u) * Math.sin(f * v) + 2 * k * v - s,
      ];
    },
  ],
  plateau: ({ width }) => {
    const scale = width ** 2;
    const bump = (u, v) => Math.exp(-(u * u + v * v) / (2 * scale));
    return [(u, v) => 1 - bump(u, v), (u, v) => [(u / scale) * bump(u, v), (v / scale) * bump(u, v)]];
  },
  ravine: ({ h }) => {
    const grad = (u, v) => [u * h[0][0] + v * h[1][0], u * h[0][1] + v * h[1][1]];
    return [
      (u, v) => {
        const [gu, gv] = grad(u, v);
        return 0.5 * (u * gu + v * gv);
      },
      grad,
    ];
  },
};

export function surface(spec) {
  const family = FAMILIES[spec.family];
  if (!family) throw new Error(`unknown surface family ${JSON.stringify(spec.family)}`);
  const [value, grad] = family(spec.params || {});
  const [[x0, x1], [y0, y1]] = spec.domain;
  return {
    name: spec.name,
    title: spec.title,
    domain: spec.domain,
    value: ([u, v]) => value(u, v),
    grad: ([u, v]) => grad(u, v),
    contains: ([u, v]) => u >= x0 && u <= x1 && v >= y0 && v <= y1,
  };
}

// A surface's values on an n x n grid over its domain (value j * n + i at column i = x index,
// row j = y index from the bottom), at the points of numpy.linspace: the grid that
// Surface.sample in descent/surfaces.py computes, made here so that the page need not carry it.
export function sample(s, n) {
  const [[x0, x1], [y0, y1]] = s.domain;
  const at = (lo, hi, k) => (k === n - 1 ? hi : k * ((hi - lo) / (n - 1)) + lo);
  const values = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const y = at(y0, y1, j);
    for (let i = 0; i < n; i++) values[j * n + i] = s.value([at(x0, x1, i), y]);
  }
  return values;
}

/* ---------- optimizers (torch.optim, single-tensor, per coordinate) ---------- */

// torch's lerp: start + weight * (end - start), from whichever end is nearer.
function lerp(start, end, weight) {
  return weight < 0.5 ? fma(weight, end - start, start) : fma(-(end - start), 1 - weight, end);
}

const map = (xs, f) => xs.map((x, i) => f(x, i));

// The hyperparameters a rule reads, each a finite number (the caller passes them all: their
// defaults are the data's).
function read(name, hp, keys) {
  for (const key of keys) {
    if (typeof hp[key] !== "number" || !Number.isFinite(hp[key])) {
      throw new Error(`${name} needs a number for its hyperparameter ${key}, got ${JSON.stringify(hp[key])}`);
    }
  }
  return hp;
}

function heavyBall(name, hp, state, nesterov) {
  const { lr: base, momentum: mu } = read(name, hp, ["lr", "momentum"]);
  // Nesterov's correction looks ahead along the velocity: torch.optim.SGD refuses it with none.
  if (nesterov && !(mu > 0)) throw new Error("Nesterov needs a momentum above 0 (torch.optim.SGD refuses it)");
  const dampening = nesterov ? 0 : read(name, hp, ["dampening"]).dampening;
  state.momentum_buffer = null; // torch makes it from the first gradient
  return (p, g, lr = base) => {
    state.momentum_buffer = state.momentum_buffer
      ? map(state.momentum_buffer, (b, i) => fma(g[i], 1 - dampening, b * mu))
      : g.slice();
    const buf = state.momentum_buffer;
    const direction = nesterov ? map(g, (gi, i) => fma(buf[i], mu, gi)) : buf;
    return map(p, (x, i) => fma(direction[i], -lr, x));
  };
}

function adam(name, hp, state, decoupled) {
  const { lr: base, beta1, beta2, eps } = read(name, hp, ["lr", "beta1", "beta2", "eps"]);
  const decay = decoupled ? read(name, hp, ["weight_decay"]).weight_decay : 0;
  state.step = 0;
  state.exp_avg = null;
  state.exp_avg_sq = null;
  return (p, g, lr = base) => {
    // AdamW shrinks the weights first, apart from the gradient (Loshchilov & Hutter, 2019).
    if (decoupled) p = map(p, (x) => x * (1 - lr * decay));
    state.step += 1;
    const m = state.exp_avg || p.map(() => 0);
    const v = state.exp_avg_sq || p.map(() => 0);
    state.exp_avg = map(m, (mi, i) => lerp(mi, g[i], 1 - beta1));
    state.exp_avg_sq = map(v, (vi, i) => fma((1 - beta2) * g[i], g[i], vi * beta2));
    const bias1 = 1 - beta1 ** state.step;
    const bias2Sqrt = Math.sqrt(1 - beta2 ** state.step);
    const stepSize = lr / bias1;
    return map(p, (x, i) => {
      const denom = Math.sqrt(state.exp_avg_sq[i]) / bias2Sqrt + eps;
      return x + (-stepSize * state.exp_avg[i]) / denom;
    });
  };
}

// name -> (hyperparameters, state) -> step(params, grads, lr) -> new params, where lr (by
// default the hyperparameter) is the rate a schedule set for this step, read at each step as
// torch reads its group's. A rule keeps its buffers in `state` under torch.optim's names, which
// the page shows; a buffer made in the first step is null until then, and a rule without
// buffers leaves `state` empty.
export const RULES = {
  sgd: (hp) => {
    const { lr: base } = read("sgd", hp, ["lr"]);
    return (p, g, lr = base) => map(p, (x, i) => fma(g[i], -lr, x));
  },

  momentum: (hp, state) => heavyBall("momentum", hp, state, false),

  nesterov: (hp, state) => heavyBall("nesterov", hp, state, true),

  adagrad: (hp, state) => {
    const { lr: base, lr_decay, initial_accumulator_value, eps } =
      read("adagrad", hp, ["lr", "lr_decay", "initial_accumulator_value", "eps"]);
    state.step = 0;
    state.sum = null;
    return (p, g, lr = base) => {
      state.step += 1;
      const clr = lr / (1 + (state.step - 1) * lr_decay);
      const sum = state.sum || p.map(() => initial_accumulator_value);
      state.sum = map(sum, (s, i) => fma(g[i], g[i], s));
      return map(p, (x, i) => x + (-clr * g[i]) / (Math.sqrt(state.sum[i]) + eps));
    };
  },

  rmsprop: (hp, state) => {
    const { lr: base, alpha, eps } = read("rmsprop", hp, ["lr", "alpha", "eps"]);
    state.step = 0;
    state.square_avg = null;
    return (p, g, lr = base) => {
      state.step += 1;
      const avg = state.square_avg || p.map(() => 0);
      state.square_avg = map(avg, (s, i) => fma((1 - alpha) * g[i], g[i], s * alpha));
      return map(p, (x, i) => x + (-lr * g[i]) / (Math.sqrt(state.square_avg[i]) + eps));
    };
  },

  adam: (hp, state) => adam("adam", hp, state, false),

  adamw: (hp, state) => adam("adamw", hp, state, true),

  nadam: (hp, state) => {
    const { lr: base, beta1, beta2, eps, weight_decay: decay, momentum_decay: psi } =
      read("nadam", hp, ["lr", "beta1", "beta2", "eps", "weight_decay", "momentum_decay"]);
    state.step = 0;
    state.mu_product = 1;
    state.exp_avg = null;
    state.exp_avg_sq = null;
    return (p, g, lr = base) => {
      state.step += 1;
      const t = state.step;
      const bias2 = 1 - beta2 ** t;
      if (decay !== 0) g = map(g, (gi, i) => fma(p[i], decay, gi)); // L2: grad.add(param, alpha=λ)
      // Dozat's momentum schedule; torch keeps the running product in float32.
      const mu = beta1 * (1.0 - 0.5 * 0.96 ** (t * psi));
      const muNext = beta1 * (1.0 - 0.5 * 0.96 ** ((t + 1) * psi));
      state.mu_product = Math.fround(state.mu_product * Math.fround(mu));
      const m = state.exp_avg || p.map(() => 0);
      const v = state.exp_avg_sq || p.map(() => 0);
      state.exp_avg = map(m, (mi, i) => lerp(mi, g[i], 1 - beta1));
      state.exp_avg_sq = map(v, (vi, i) => fma((1 - beta2) * g[i], g[i], vi * beta2));
      const productNext = state.mu_product * muNext;
      const gradStep = (-lr * (1.0 - mu)) / (1.0 - state.mu_product);
      const momentumStep = (-lr * muNext) / (1.0 - productNext);
      return map(p, (x, i) => {
        const denom = Math.sqrt(state.exp_avg_sq[i] / bias2) + eps;
        const after = x + (gradStep * g[i]) / denom;
        return after + (momentumStep * state.exp_avg[i]) / denom;
      });
    };
  },

  radam: (hp, state) => {
    const { lr: base, beta1, beta2, eps, weight_decay: decay } =
      read("radam", hp, ["lr", "beta1", "beta2", "eps", "weight_decay"]);
    state.step = 0;
    state.exp_avg = null;
    state.exp_avg_sq = null;
    return (p, g, lr = base) => {
      state.step += 1;
      const t = state.step;
      if (decay !== 0) g = map(g, (gi, i) => fma(p[i], decay, gi));
      const m = state.exp_avg || p.map(() => 0);
      const v = state.exp_avg_sq || p.map(() => 0);
      state.exp_avg = map(m, (mi, i) => lerp(mi, g[i], 1 - beta1));
      state.exp_avg_sq = map(v, (vi, i) => fma((1 - beta2) * g[i], g[i], vi * beta2));
      const bias1 = 1 - beta1 ** t;
      const bias2 = 1 - beta2 ** t;
      // The adaptive rate's variance is finite once rho_t > 4; torch rectifies from rho_t > 5.
      const rhoInf = 2 / (1 - beta2) - 1;
      const rhoT = rhoInf - (2 * t * beta2 ** t) / bias2;
      if (!(rhoT > 5.0)) return map(p, (x, i) => x - (state.exp_avg[i] / bias1) * lr);
      const rect = (((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) ** 0.5;
      return map(p, (x, i) => {
        const adaptive = bias2 ** 0.5 / (Math.sqrt(state.exp_avg_sq[i]) + eps);
        return x - (state.exp_avg[i] / bias1) * lr * adaptive * rect;
      });
    };
  },

  adafactor: (hp, state) => {
    const { lr: base, beta2_decay: c, eps2, d, weight_decay: decay } =
      read("adafactor", hp, ["lr", "beta2_decay", "eps2", "d", "weight_decay"]);
    const eps1 = 2 ** -52; // torch's default: the float64 epsilon
    state.step = 0;
    state.variance = null; // a point is a vector: one variance per coordinate
    return (p, g, lr = base) => {
      state.step += 1;
      const t = state.step;
      const oneMinusBeta2 = t ** c;
      // A relative step: lr (capped at 1/sqrt(t)) times the point's RMS, at least eps2.
      const rho = Math.min(lr, 1 / t ** 0.5);
      const alpha = Math.max(eps2, norm(p) / p.length ** 0.5) * rho;
      const decayed = decay !== 0 ? map(p, (x) => x * (1 - lr * decay)) : p;
      const variance = state.variance || p.map(() => 0);
      state.variance = map(variance, (s, i) => lerp(s, g[i] * g[i], oneMinusBeta2));
      const update = map(state.variance, (s, i) => (1 / Math.sqrt(Math.max(s, eps1 * eps1))) * g[i]);
      const denom = Math.max(1.0, norm(update) / (update.length ** 0.5 * d));
      return map(decayed, (x, i) => fma(update[i], -alpha / denom, x));
    };
  },

  // Lion and Schedule-Free AdamW: Optax's updates (torch has neither), each operation rounded on
  // its own as Optax computes it, then added to the point (optax.apply_updates). XLA divides a
  // vector by a scalar as a product with the scalar's reciprocal: so do these.
  lion: (hp, state) => {
    const { lr: base, b1, b2, weight_decay: decay } = read("lion", hp, ["lr", "b1", "b2", "weight_decay"]);
    state.step = 0;
    state.exp_avg = null;
    return (p, g, lr = base) => {
      state.step += 1;
      const m = state.exp_avg || p.map(() => 0);
      let u = map(g, (gi, i) => Math.sign((1.0 - b1) * gi + b1 * m[i]));
      state.exp_avg = map(g, (gi, i) => (1 - b2) * gi + b2 * m[i]);
      if (decay !== 0) u = map(u, (ui, i) => ui + decay * p[i]);
      return map(p, (x, i) => x + -lr * u[i]);
    };
  },

  schedule_free_adamw: (hp, state) => {
    const { lr: base, beta, beta2, eps, weight_decay: decay, weight_lr_power: power } =
      read("schedule_free_adamw", hp, ["lr", "beta", "beta2", "eps", "weight_decay", "weight_lr_power"]);
    state.step = 0;
    state.exp_avg_sq = null;
    state.z = null; // the point itself until the first step
    state.weight_sum = 0;
    state.step_count = 1;
    state.max_lr = 0;
    state.x = null;
    return (y, g, lr = base) => {
      // The base step: RMSprop with bias correction, weight decay at y, times -lr.
      state.step += 1;
      const v = state.exp_avg_sq || y.map(() => 0);
      state.exp_avg_sq = map(v, (vi, i) => (1 - beta2) * (g[i] * g[i]) + beta2 * vi);
      const bias2 = 1 / (1 - beta2 ** state.step);
      let u = map(g, (gi, i) => (1 / (Math.sqrt(state.exp_avg_sq[i] * bias2) + eps)) * gi);
      if (decay !== 0) u = map(u, (ui, i) => ui + decay * y[i]);
      u = map(u, (ui) => -lr * ui);
      // z takes the base steps; x averages the z's, weighted by the largest rate so far to a
      // power; the gradient is taken at y, between them.
      state.max_lr = Math.max(state.max_lr, lr);
      const weight = state.max_lr ** power;
      const total = state.weight_sum + weight;
      const ck = Number.isNaN(weight) || Number.isNaN(total) ? NaN : weight / total || 0;
      const zOld = state.z || y.slice();
      const z = map(zOld, (zi, i) => zi + u[i]);
      const x = map(y, (yi, i) => (1.0 - ck) * ((yi - (1.0 - beta) * zOld[i]) * (1 / beta)) + ck * z[i]);
      const next = map(y, (yi, i) => yi + (beta * x[i] + (1.0 - beta) * z[i] - yi));
      state.z = z;
      state.weight_sum = total;
      state.step_count += 1;
      state.x = map(next, (ni, i) => (ni - (1.0 - beta) * z[i]) * (1 / beta)); // Optax's evaluation point
      return next;
    };
  },
};

// A vector's Euclidean norm as torch computes a point's: its squares summed by fused
// multiply-adds (for [x, y], sqrt(fma(y, y, x * x)), measured on 20 000 random points).
function norm(xs) {
  let sum = 0;
  for (const x of xs) sum = fma(x, x, sum);
  return Math.sqrt(sum);
}

// An optimizer with every hyperparameter its rule reads: {name, hp, state, step}.
export function optimizer(name, hyperparameters) {
  if (!Object.hasOwn(RULES, name)) throw new Error(`no update rule for the optimizer ${JSON.stringify(name)}`);
  const hp = { ...hyperparameters };
  const state = {};
  return { name, hp, state, step: RULES[name](hp, state) };
}

/* ---------- a run ---------- */

// A run; `rates` (one per step, from schedules.js) and `noise` ({sigma, seed}: sigma times
// noise.js's deviate for (seed, step, coordinate) added to each gradient) are optional.
export class Run {
  constructor(surface, optimizer, start, escapeWidths, { rates = null, noise = null } = {}) {
    this.surface = surface;
    this.optimizer = optimizer;
    this.rates = rates;
    this.noise = noise;
    this.params = [start.slice()];
    this.loss = [surface.value(start)];
    this.divergedStep = -1;
    this.leftDomainStep = -1;
    const [[x0, x1], [y0, y1]] = surface.domain;
    this.centre = [(x0 + x1) / 2, (y0 + y1) / 2];
    this.reach = [escapeWidths * (x1 - x0), escapeWidths * (y1 - y0)];
  }

  get steps() {
    return this.params.length - 1;
  }

  // One step; false once the run has diverged (the step that diverged is not recorded).
  step() {
    if (this.divergedStep >= 0) return false;
    const x = this.params[this.params.length - 1];
    const k = this.steps;
    let g = this.surface.grad(x);
    if (this.noise) g = map(g, (gi, i) => gi + this.noise.sigma * gaussian(this.noise.seed, k, i));
    const next = this.optimizer.step(x, g, this.rates ? this.rates[k] : undefined);
    const loss = this.surface.value(next);
    const far = next.some((w, i) => Math.abs(w - this.centre[i]) > this.reach[i]);
    if (!next.every(Number.isFinite) || !Number.isFinite(loss) || far) {
      this.divergedStep = this.steps;
      return false;
    }
    if (this.leftDomainStep < 0 && !this.surface.contains(next)) this.leftDomainStep = this.steps;
    this.params.push(next);
    this.loss.push(loss);
    return true;
  }
}

export function run(surfaceSpec, name, hyperparameters, start, steps, escapeWidths, options = {}) {
  const r = new Run(surface(surfaceSpec), optimizer(name, hyperparameters), start, escapeWidths, options);
  for (let i = 0; i < steps && r.step(); i++);
  return r;
}
