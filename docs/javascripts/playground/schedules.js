/*
 * Learning-rate schedules as torch.optim.lr_scheduler computes them: each rate from the one
 * before, in the order descent/optim/schedules.py writes torch's recurrences, so the page's rates
 * are torch's (exactly but for Math.cos, which may differ from the C library's in the last bit).
 * `rates(name, lr, steps, hp)` gives the rate of every step; `hp` holds every parameter the
 * schedule reads (their defaults come with the data, not from this file).
 */

const warmupSteps = (steps, hp) => Math.min(steps - 1, Math.max(1, pyRound(hp.warmup * steps)));
const period = (steps, hp) => Math.max(1, pyRound(hp.period * steps));
const gamma = (steps, hp) => hp.final ** (1 / (steps - 1));

// Python's round(): halves go to the even neighbour.
function pyRound(x) {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

// CosineAnnealingLR's epochs 1 .. epochs from `rate` at epoch 0.
function cosineAfter(rate, base, etaMin, tMax, epochs) {
  const out = [];
  for (let e = 1; e <= epochs; e++) {
    if (mod(e - 1 - tMax, 2 * tMax) === 0) {
      rate = rate + ((base - etaMin) * (1 - Math.cos(Math.PI / tMax))) / 2;
    } else {
      rate =
        ((1 + Math.cos((Math.PI * e) / tMax)) / (1 + Math.cos((Math.PI * (e - 1)) / tMax))) * (rate - etaMin) +
        etaMin;
    }
    out.push(rate);
  }
  return out;
}

const mod = (a, b) => ((a % b) + b) % b; // Python's %, for a negative a

const SCHEDULES = {
  constant: (lr, steps) => new Array(steps).fill(lr * 1.0),
  step(lr, steps, hp) {
    const every = period(steps, hp);
    const out = [lr];
    for (let t = 1; t < steps; t++) out.push(t % every === 0 ? out[t - 1] * hp.gamma : out[t - 1]);
    return out;
  },
  exponential(lr, steps, hp) {
    const g = gamma(steps, hp);
    const out = [lr];
    for (let t = 1; t < steps; t++) out.push(out[t - 1] * g);
    return out;
  },
  cosine: (lr, steps, hp) => [lr, ...cosineAfter(lr, lr, hp.floor * lr, steps, steps - 1)],
  warmup_cosine(lr, steps, hp) {
    const w = warmupSteps(steps, hp);
    const s = hp.start;
    const etaMin = hp.floor * lr;
    const out = [lr * s];
    for (let t = 1; t < w; t++) out.push(out[t - 1] * (1.0 + (1.0 - s) / (w * s + (t - 1) * (1.0 - s))));
    const first = etaMin + ((lr - etaMin) * (1 + Math.cos((Math.PI * 0) / (steps - w)))) / 2;
    return [...out, first, ...cosineAfter(first, lr, etaMin, steps - w, steps - w - 1)];
  },
  one_cycle(lr, steps, hp) {
    const initial = lr / hp.div_factor;
    const phases = [
      [hp.pct_start * steps - 1, initial, lr],
      [steps - 1, lr, initial / hp.final_div_factor],
    ];
    const out = [];
    for (let t = 0; t < steps; t++) {
      let start = 0.0;
      for (let i = 0; i < phases.length; i++) {
        const [end, high, low] = phases[i];
        if (t <= end || i === phases.length - 1) {
          const pct = (t - start) / (end - start);
          out.push(low + ((high - low) / 2.0) * (Math.cos(Math.PI * pct) + 1));
          break;
        }
        start = end;
      }
    }
    return out;
  },
};

export const NAMES = Object.keys(SCHEDULES);

export function rates(name, lr, steps, hp = {}) {
  const schedule = SCHEDULES[name];
  if (!schedule) throw new Error(`unknown schedule ${name}`);
  return schedule(lr, steps, hp);
}
