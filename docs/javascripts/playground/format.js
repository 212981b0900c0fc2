/* Numbers as the playground writes them. Pure. */

// With true minus signs.
export function numberText(v) {
  return String(v).replaceAll("-", "−");
}

// Compact: 4 significant digits, an exponent for very small or big; ∞ and – for the rest.
export function fmt(v) {
  if (!Number.isFinite(v)) return v > 0 ? "∞" : v < 0 ? "−∞" : "–";
  if (v === 0) return "0";
  const a = Math.abs(v);
  const s = a >= 1e5 || a < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(4)));
  return s.replaceAll("-", "−").replace("e+", "e");
}

export function fmtPair(p) {
  return `(${fmt(p[0])}, ${fmt(p[1])})`;
}

// An optimizer's state entry: a pair per coordinate, a count, a number.
export function stateText(value) {
  if (Array.isArray(value) || ArrayBuffer.isView(value)) return fmtPair(value);
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : fmt(value);
  return value === null || value === undefined ? "–" : String(value);
}
