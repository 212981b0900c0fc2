/* Numbers on a scale: axis ticks (round numbers that cover a range) and their labels, and the
   nearest of a list of values. */

// About `count` ticks from lo to hi, on a step of 1, 2 or 5 times a power of ten: {ticks, step}.
export function niceTicks(lo, hi, count) {
  const span = hi - lo;
  if (!(span > 0)) return { ticks: [lo], step: 1 };
  let step = Math.pow(10, Math.floor(Math.log10(span / count)));
  const err = span / count / step;
  if (err >= 7.5) step *= 10;
  else if (err >= 3.5) step *= 5;
  else if (err >= 1.5) step *= 2;
  const ticks = [];
  for (let t = Math.ceil(lo / step - 1e-9) * step; t <= hi + step * 1e-9; t += step) {
    ticks.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  }
  return { ticks, step };
}

// A tick's label: as many decimals as the step needs (at most 4), a true minus sign.
export function formatTick(value, step) {
  if (value === 0) return "0";
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(Math.min(decimals, 4)).replace("-", "−");
}

// The position in `list` of the value nearest to `value` (the first, on a tie).
export function nearestIndex(list, value) {
  let best = 0;
  for (let k = 1; k < list.length; k++) if (Math.abs(list[k] - value) < Math.abs(list[best] - value)) best = k;
  return best;
}
