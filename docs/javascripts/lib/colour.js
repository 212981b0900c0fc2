/* Colours as [r, g, b] numbers, for the canvas code that mixes them pixel by pixel. */

// "#rgb", "#rrggbb" (with or without alpha), "rgb(r, g, b)" or "rgba(r, g, b, a)" as [r, g, b];
// null for anything else.
export function rgb(text) {
  const s = String(text).trim().toLowerCase();
  let m = s.match(/^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/);
  if (m) {
    const h = m[1].length <= 4 ? [...m[1].slice(0, 3)].map((c) => c + c).join("") : m[1].slice(0, 6);
    return [0, 2, 4].map((k) => parseInt(h.slice(k, k + 2), 16));
  }
  m = s.match(/^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)\s*(?:[,/]\s*[\d.]+%?\s*)?\)$/);
  return m ? [+m[1], +m[2], +m[3]] : null;
}

// "#rrggbb" of [r, g, b] (rounded, each 0 … 255).
export function hex(colour) {
  return "#" + colour.map((x) => Math.round(x).toString(16).padStart(2, "0")).join("");
}

// a + (b - a) · t, per channel.
export function mix(a, b, t) {
  return [0, 1, 2].map((c) => a[c] + (b[c] - a[c]) * t);
}

// `size` entries of 3 channels through `stops` ([r, g, b] each) at even intervals.
export function ramp(stops, size = 256) {
  const out = new Uint8ClampedArray(size * 3);
  const last = stops.length - 1;
  for (let k = 0; k < size; k++) {
    const t = (k / (size - 1)) * last;
    const s = Math.min(Math.floor(t), last - 1);
    const f = t - s;
    for (let c = 0; c < 3; c++) out[k * 3 + c] = stops[s][c] + (stops[s + 1][c] - stops[s][c]) * f;
  }
  return out;
}

let probe = null;

// Any CSS colour (a name, hsl(), …) as [r, g, b], through the canvas's own parser; `fallback`
// where the text is not a colour.
export function parseColour(css, fallback) {
  const direct = rgb(css || fallback);
  if (direct) return direct;
  if (!probe) probe = document.createElement("canvas").getContext("2d");
  probe.fillStyle = fallback;
  probe.fillStyle = css || fallback;
  return rgb(probe.fillStyle) || [0, 0, 0];
}
