// Axis ticks: round numbers that cover the range.
import assert from "node:assert/strict";
import { test } from "node:test";

import { formatTick, niceTicks } from "../../docs/javascripts/lib/ticks.js";

const RANGES = [
  [0, 1, 4], [-2, 2, 5], [-3, 3, 6], [0, 9999, 4], [0.001, 0.0042, 3], [-1.5, 2.5, 4],
  [0, 199, 4], [1e-6, 3e-6, 4], [12, 13, 5], [-100, -40, 3],
];

test("ticks are multiples of a step of 1, 2 or 5 times a power of ten, covering the range", () => {
  for (const [lo, hi, count] of RANGES) {
    const { ticks, step } = niceTicks(lo, hi, count);
    const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
    assert.ok([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-9), `${lo}..${hi}: step ${step}`);
    for (const t of ticks) {
      assert.ok(Math.abs(t / step - Math.round(t / step)) < 1e-6, `${lo}..${hi}: ${t} is not a multiple of ${step}`);
      assert.ok(t >= lo - step * 1e-6 && t <= hi + step * 1e-6, `${lo}..${hi}: ${t} is outside`);
    }
    assert.ok(ticks[0] - lo < step && hi - ticks.at(-1) < step, `${lo}..${hi}: ${ticks} leave a gap`);
    assert.ok(ticks.length >= count / 2.5 && ticks.length <= count * 2.5 + 1, `${lo}..${hi}: ${ticks.length} ticks`);
  }
});

test("an empty range has one tick", () => {
  assert.deepEqual(niceTicks(3, 3, 4).ticks, [3]);
});

test("a tick is written with the decimals its step needs and a true minus sign", () => {
  const table = [
    [0, 0.5, "0"], [0.5, 0.5, "0.5"], [-1, 1, "−1"], [0.25, 0.05, "0.25"], [2000, 1000, "2000"],
    [0.0001, 0.0001, "0.0001"], [-0.3, 0.1, "−0.3"], [1.5, 0.5, "1.5"], [40, 20, "40"],
  ];
  for (const [value, step, text] of table) assert.equal(formatTick(value, step), text, `${value} by ${step}`);
});
