/*
 * Seeded Gaussian noise, bit for bit as descent/noise.py computes it: `gaussian(seed, step,
 * index)` is a pure function of three integers, so a noisy run replays torch.optim's exactly.
 * Integer operations and +, -, *, / and Math.sqrt only (IEEE 754 rounds them alike everywhere);
 * the logarithm is a series, since two math libraries' logs may differ in the last bit. Keep
 * every operation in the order the Python module has it.
 */

const LN2 = 0.6931471805599453;
const SQRT2 = 1.4142135623730951;
const SERIES = 12;

// lowbias32: a 32-bit integer hash.
export function hash32(x) {
  x >>>= 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

function word(seed, step, index, counter) {
  return hash32(hash32(hash32(hash32(seed) ^ (step >>> 0)) ^ (index >>> 0)) ^ (counter >>> 0));
}

// A double in (0, 1) with 53 random bits.
export function uniform(seed, step, index, counter) {
  const a = word(seed, step, index, 2 * counter);
  const b = word(seed, step, index, 2 * counter + 1);
  return ((a >>> 5) * 67108864 + (b >>> 6) + 0.5) / 9007199254740992;
}

// ln x for a positive finite double: x = m * 2^e, m in [sqrt(2)/2, sqrt(2)], ln m by the artanh series.
export function log(x) {
  let m = x;
  let e = 0;
  while (m < 1) {
    m *= 2;
    e -= 1;
  }
  while (m >= 2) {
    m /= 2;
    e += 1;
  }
  if (m > SQRT2) {
    m /= 2;
    e += 1;
  }
  const t = (m - 1) / (m + 1);
  const t2 = t * t;
  let s = 1 / (2 * SERIES + 1);
  for (let k = SERIES - 1; k >= 0; k--) s = 1 / (2 * k + 1) + t2 * s;
  return 2 * t * s + e * LN2;
}

// A standard normal deviate for (seed, step, index): Marsaglia's polar method.
export function gaussian(seed, step, index) {
  for (let counter = 0; ; counter++) {
    const x = 2 * uniform(seed, step, index, 2 * counter) - 1;
    const y = 2 * uniform(seed, step, index, 2 * counter + 1) - 1;
    const s = x * x + y * y;
    if (s > 0 && s < 1) return x * Math.sqrt((-2 * log(s)) / s);
  }
}
