// Colours as numbers, and a widget's palette from its stylesheet's variables.
import assert from "node:assert/strict";
import { test } from "node:test";

import { hex, mix, ramp, rgb } from "../../docs/javascripts/lib/colour.js";
import { paletteFrom } from "../../docs/javascripts/lib/palette.js";

test("CSS colour texts as [r, g, b]", () => {
  const table = [
    ["#fff", [255, 255, 255]], ["#1e2129", [30, 33, 41]], ["#E0489E", [224, 72, 158]],
    ["#11223344", [17, 34, 51]], ["#abcd", [170, 187, 204]], ["rgb(1, 2, 3)", [1, 2, 3]],
    ["rgba(29, 58, 95, 0.32)", [29, 58, 95]], ["rgb(10 20 30 / 50%)", [10, 20, 30]], [" #000000 ", [0, 0, 0]],
    ["hsl(0, 0%, 0%)", null], ["red", null], ["#12", null], ["", null],
  ];
  for (const [text, expected] of table) assert.deepEqual(rgb(text), expected, text);
});

test("hex writes what rgb reads, rounded", () => {
  for (const text of ["#000000", "#878f99", "#ffffff", "#4a86e8"]) assert.equal(hex(rgb(text)), text);
  assert.equal(hex([0.4, 127.5, 254.6]), "#0080ff");
});

test("mix goes from one colour to the other", () => {
  assert.deepEqual(mix([0, 100, 200], [100, 100, 0], 0), [0, 100, 200]);
  assert.deepEqual(mix([0, 100, 200], [100, 100, 0], 1), [100, 100, 0]);
  assert.deepEqual(mix([0, 100, 200], [100, 100, 0], 0.25), [25, 100, 150]);
});

test("a ramp starts and ends at its end stops and passes through the middle one", () => {
  const stops = [[0, 0, 0], [200, 100, 0], [200, 200, 200]];
  const table = ramp(stops, 257);
  const entry = (k) => Array.from(table.slice(3 * k, 3 * k + 3));
  assert.equal(table.length, 257 * 3);
  assert.deepEqual(entry(0), [0, 0, 0]);
  assert.deepEqual(entry(128), [200, 100, 0]);
  assert.deepEqual(entry(256), [200, 200, 200]);
  for (let k = 1; k < 257; k++) {
    for (let c = 0; c < 3; c++) assert.ok(entry(k)[c] >= entry(k - 1)[c], `channel ${c} falls at ${k}`);
  }
});

// A computed style with these custom properties.
const style = (vars, fontFamily = "Roboto") => ({ fontFamily, getPropertyValue: (name) => vars[name] ?? "" });

test("a palette reads the widget's own variable, else the shared one, else grey", () => {
  const pal = paletteFrom(style({
    "--descent-playground-low": " #3f6f9f ", "--descent-widget-low": "#000000",
    "--descent-widget-fg": "#333a44",
  }), "playground", ["low", "fg", "casing"]);
  assert.equal(pal.low, "#3f6f9f");
  assert.equal(pal.fg, "#333a44");
  assert.equal(pal.casing, "#888");
  assert.equal(pal.font, "Roboto");
  assert.equal(paletteFrom(style({}, ""), "x", []).font, "sans-serif");
});

test("a palette's key changes when one of its colours does", () => {
  const names = ["fg", "bg"];
  const a = paletteFrom(style({ "--descent-widget-fg": "#111", "--descent-widget-bg": "#fff" }), "v", names);
  const b = paletteFrom(style({ "--descent-widget-fg": "#111", "--descent-widget-bg": "#000" }), "v", names);
  const c = paletteFrom(style({ "--descent-widget-fg": "#111", "--descent-widget-bg": "#fff" }), "v", names);
  assert.notEqual(a.key, b.key);
  assert.equal(a.key, c.key);
});
