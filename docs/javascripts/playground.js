/*
 * Optimizer playground: seven torch.optim optimizers race on a test surface, live, in the
 * browser. Canvas 2D, no libraries.
 *
 * Markup (emitted by the MkDocs hook; a page may hold several, each independent):
 *   <div class="descent-playground" data-playground="…/playground.json" data-config="QUERY"
 *        data-engine="…/javascripts/playground-engine.js"></div>
 * data-config (optional) is a starting configuration in the URL's format (below). A mount
 * without it reads the page's query string at start and keeps it up to date as the reader
 * changes anything (only the first such mount of a page); a mount with it is embedded: it starts
 * from its configuration, never touches the URL, and links to the playground page with its
 * state. data-url="sync" makes a mount with a data-config read and write the URL too;
 * data-page overrides the address of the playground page (default: playground/ beside the
 * folder of the engine script, i.e. at the site's root).
 *
 * URL state: ?surface=rosenbrock&start=-1.5,2.5&opt=sgd,adam&lr=0.001&momentum=0.9&beta1=0.9
 *   &beta2=0.999&eps=1e-8. Every key is optional; a value that is not valid (unknown surface or
 *   optimizer, not a number, outside its slider's range, a start outside the plotted domain) is
 *   ignored with a notice, and its default used.
 *
 * Data: playground.json {surfaces: [{name, title, family, params, domain, start, grid (points
 * per side to draw), minima, …}], optimizers: [{name, title, hyperparameters: {key: {default}}}],
 * escape_widths}: a few kilobytes, for the surfaces' values come from their formulas. The
 * numbers come from window.DescentEngine (the engine script, loaded once per page by this one):
 * surfaces, their sampled grids, optimizers and runs, checked against descent/surfaces.py and
 * torch.optim by the course's tests. This script never changes a trajectory: a point outside
 * the plot is drawn as having left it (an arrow where it crossed the edge), a run that diverged
 * stops with a mark at its last point.
 *
 * Performance design (target: at least 60 steps per second for all seven at once on a phone):
 * - Per surface, once: the grid sampled, a colour image of it (log-scaled when the loss spans
 *   decades) with contour lines, the axes and the minima, drawn into an offscreen layer.
 * - Paths are drawn incrementally into a second layer (the first, plus every segment so far):
 *   a frame draws only the segments of the steps it took, then copies that layer to the screen
 *   and adds the markers (heads, start, exits, divergences, the keyboard cursor). The layer is
 *   redrawn whole only when the surface, the size, the palette or the set of paths changes.
 * - requestAnimationFrame advances speed × elapsed time steps per frame (at most a quarter
 *   second's worth); the state numbers in the page are rewritten at most 8 times a second while
 *   playing, into text nodes of fixed-width cells, and the URL at most 4 times a second.
 *
 * For tests and the benchmark, each mount has element.descentPlayground:
 *   ready (Promise, resolves once drawn), config() -> {surface, start, opt, lr, momentum, beta1,
 *   beta2, eps}, set(partial) (same keys; throws on an invalid value; the race restarts at step
 *   0, paused), run(n) (n steps now; returns runs()), runs() -> [{name, title, params, loss,
 *   divergedStep, leftDomainStep, state, steps}] for the enabled optimizers, state() -> {step,
 *   playing, speed, finished}, play(), pause(), reset(), setSpeed(stepsPerSecond),
 *   resetStats(), stats() -> {elapsedMs, steps, stepsPerSecond, perOptimizer, frames,
 *   frameIntervals, frameWork} measured with the page's own clock since resetStats().
 */
(function () {
  "use strict";

  // The page's content loads this script, and instant navigation runs it again for every new
  // page: the first run stays in charge and is asked to look at the new page.
  if (window.descentPlaygroundSetup) {
    window.descentPlaygroundSetup();
    return;
  }

  const ORDER = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"];
  // What each optimizer is drawn with besides its colour (the legend shows the same shape).
  const SHAPES = { sgd: "circle", momentum: "square", nesterov: "triangle", adagrad: "diamond",
    rmsprop: "down", adam: "pentagon", adamw: "plus" };
  // Which slider drives which optimizer (the page's text says the same).
  const USES = { lr: ORDER, momentum: ["momentum", "nesterov"], beta1: ["adam", "adamw"],
    beta2: ["adam", "adamw"], eps: ["adagrad", "rmsprop", "adam", "adamw"] };
  const MAX_STEPS = 10000;
  const TEXT_INTERVAL_MS = 125; // state numbers while playing
  const MAX_DPR = 2; // backing store: at most 2 device pixels per CSS pixel (a 3x phone: 2.25x fewer pixels to draw)
  const CATCH_UP_MS = 12; // per frame, redoing paths after a change
  const URL_DELAY_MS = 250; // coalesce history.replaceState calls (browsers throttle them)
  const STAT_FRAMES = 8192; // ring buffer of frame timings
  const LOG_SPREAD = 200; // a loss spanning more than this over the domain is coloured by log10
  const CONTOUR_LEVELS = 14;
  const PALETTE_VARS = ["bg", "fg", "muted", "low", "mid", "high", "line", "minimum", "start",
    "cursor", "casing", ...ORDER];

  // Slider stops: nice values, so the URL and the labels read well.
  const decades = (lo, hi, mantissas) => {
    const out = [];
    for (let e = lo; e <= hi; e++) {
      for (const m of mantissas) {
        const v = Number((m * 10 ** e).toPrecision(3));
        if (v >= 10 ** lo - 1e-30 && v <= 10 ** hi * 1.0000001) out.push(v);
      }
    }
    return out;
  };
  const linear = (lo, hi, step) => {
    const out = [];
    for (let k = 0; lo + k * step <= hi + 1e-9; k++) out.push(Number((lo + k * step).toFixed(6)));
    return out;
  };
  const SLIDERS = [
    { key: "lr", label: "Learning rate", values: decades(-4, 1, [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8]),
      def: 0.01, note: "all seven" },
    { key: "momentum", label: "Momentum β", values: linear(0, 0.99, 0.01), def: 0.9,
      note: "Momentum, Nesterov" },
    { key: "beta1", label: "β₁", values: linear(0, 0.99, 0.01), def: 0.9, note: "Adam, AdamW" },
    { key: "beta2", label: "β₂", values: [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 0.995,
      0.998, 0.999, 0.9995, 0.9999], def: 0.999, note: "Adam, AdamW" },
    { key: "eps", label: "ε", values: decades(-10, -2, [1, 2, 5]), def: 1e-8,
      note: "AdaGrad, RMSprop, Adam, AdamW" },
  ];
  const SPEEDS = [1, 2, 5, 10, 20, 30, 60, 120, 250, 500, 1000];
  const DEFAULT_SPEED = 60;
  const HP_KEYS = SLIDERS.map((s) => s.key);

  // The slider position nearest a value (values from the URL need not be stops), compared on
  // the slider's own scale: log for lr and ε, log(1 − β₂) for β₂, linear for the others.
  function nearestStop(slider, v) {
    const scale = { lr: Math.log, eps: Math.log, beta2: (x) => Math.log(1 - x + 1e-12) }[slider.key] || ((x) => x);
    let best = 0;
    for (let k = 1; k < slider.values.length; k++) {
      if (Math.abs(scale(slider.values[k]) - scale(v)) < Math.abs(scale(slider.values[best]) - scale(v))) best = k;
    }
    return best;
  }
  const CONFIG_KEYS = ["surface", "start", "opt", ...HP_KEYS];

  const noop = () => {};
  const requests = new Map(); // absolute URL -> Promise of the parsed playground.json
  const instances = new Map(); // root element -> teardown function
  let enginePromise = null;
  let uid = 0;

  /* ---------- loading ---------- */

  class LoadError extends Error {}

  function loadData(url) {
    if (!requests.has(url)) {
      const promise = fetch(url)
        .catch((err) => { throw new LoadError(`Could not load ${url}: ${err.message}`); })
        .then((response) => {
          if (!response.ok) throw new LoadError(`Could not load ${url}: ${response.status} ${response.statusText}`.trim());
          return response.json();
        })
        .then(checkData);
      promise.catch(() => requests.delete(url)); // a failure may be retried later
      requests.set(url, promise);
    }
    return requests.get(url);
  }

  function checkData(data) {
    if (!data || !Array.isArray(data.surfaces) || !data.surfaces.length || !Array.isArray(data.optimizers)
        || !data.surfaces.every((s) => Number.isInteger(s.grid) && s.grid >= 2)) {
      throw new LoadError("The playground's data has an unknown format.");
    }
    data.prepared = new Map(); // surface name -> sampled grid and colour scale (prepareSurface)
    data.available = ORDER.filter((name) => data.optimizers.some((o) => o.name === name));
    return data;
  }

  // The engine script, once per page load (instant navigation keeps it).
  function loadEngine(src) {
    if (window.DescentEngine) return Promise.resolve(window.DescentEngine);
    if (!enginePromise) {
      enginePromise = new Promise((resolve, reject) => {
        const script = document.createElement("script");
        script.src = src;
        script.async = true;
        script.dataset.descentPlaygroundEngine = "";
        script.onload = () => (window.DescentEngine ? resolve(window.DescentEngine)
          : reject(new LoadError(`${src} did not define the playground's engine.`)));
        script.onerror = () => reject(new LoadError(`Could not load ${src}.`));
        document.head.append(script);
      });
      enginePromise.catch(() => { enginePromise = null; });
    }
    return enginePromise;
  }

  // Everything about a surface that does not depend on the view: its grid, colour scale, levels.
  function prepareSurface(data, spec, engine) {
    if (data.prepared.has(spec.name)) return data.prepared.get(spec.name);
    const surface = engine.surface(spec);
    const n = spec.grid;
    const values = engine.sample(surface, n);
    let lo = Infinity;
    let hi = -Infinity;
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (v < lo) lo = v;
      if (v > hi) hi = v; // NaN compares false and is skipped
    }
    if (!(hi > lo)) hi = lo + 1;
    const log = hi - lo > LOG_SPREAD;
    const top = log ? Math.log10(1 + hi - lo) : hi - lo;
    const shade = new Float32Array(values.length); // 0 (lowest) … 1 (highest)
    for (let k = 0; k < values.length; k++) {
      const d = values[k] - lo;
      const t = (log ? Math.log10(1 + Math.max(0, d)) : d) / top;
      shade[k] = t >= 0 ? (t <= 1 ? t : 1) : (t < 0 ? 0 : 1); // NaN: the top colour
    }
    const prepared = { spec, n, values, shade, lo, hi, log, surface,
      domain: spec.domain, minima: Array.isArray(spec.minima) ? spec.minima : [] };
    data.prepared.set(spec.name, prepared);
    return prepared;
  }

  /* ---------- configuration ---------- */

  function sliderOf(key) {
    return SLIDERS.find((s) => s.key === key);
  }

  function numberText(v) {
    return String(v).replace("-", "−");
  }

  // One field of a configuration, from the URL (a string) or from set() (a string or a value):
  // {value} or {error}.
  function parseField(key, raw, data, surfaceName) {
    if (key === "surface") {
      const name = String(raw);
      return data.surfaces.some((s) => s.name === name) ? { value: name }
        : { error: `surface=${name} (no such surface; there are ${data.surfaces.map((s) => s.name).join(", ")})` };
    }
    if (key === "start") {
      const parts = Array.isArray(raw) ? raw : String(raw).split(",");
      const xy = parts.map((p) => (typeof p === "number" ? p : (String(p).trim() === "" ? NaN : Number(p))));
      if (xy.length !== 2 || !xy.every(Number.isFinite)) return { error: `start=${raw} (two numbers: x,y)` };
      const spec = data.surfaces.find((s) => s.name === surfaceName);
      const [[x0, x1], [y0, y1]] = spec.domain;
      if (xy[0] < x0 || xy[0] > x1 || xy[1] < y0 || xy[1] > y1) {
        return { error: `start=${xy.join(",")} (outside the plotted area of ${spec.title}: ` +
          `x from ${x0} to ${x1}, y from ${y0} to ${y1})` };
      }
      return { value: xy };
    }
    if (key === "opt") {
      const names = Array.isArray(raw) ? raw.map(String)
        : String(raw).split(",").map((s) => s.trim()).filter(Boolean);
      const unknown = names.filter((name) => !data.available.includes(name));
      if (unknown.length) {
        return { error: `opt=${raw} (unknown: ${unknown.join(", ")}; known: ${data.available.join(", ")})` };
      }
      return { value: data.available.filter((name) => names.includes(name)) };
    }
    const slider = sliderOf(key);
    if (!slider) return { error: `${key} (not a setting of the playground)` };
    const text = typeof raw === "string" ? raw.trim() : raw;
    const v = typeof text === "number" ? text : (text === "" ? NaN : Number(text));
    const lo = slider.values[0];
    const hi = slider.values[slider.values.length - 1];
    if (!Number.isFinite(v)) return { error: `${key}=${raw} (not a number)` };
    if (v < lo || v > hi) return { error: `${key}=${raw} (outside ${lo} … ${hi})` };
    return { value: v };
  }

  function defaultConfig(data) {
    const first = data.surfaces[0];
    const config = { surface: first.name, start: first.start.slice(0, 2), opt: data.available.slice() };
    for (const s of SLIDERS) config[s.key] = s.def;
    return config;
  }

  // A query string over a base configuration: {config, errors}. Keys the playground does not
  // know (the search's ?h=, say) are left alone.
  function applyQuery(base, query, data) {
    const params = new URLSearchParams(query || "");
    const config = { ...base, start: base.start.slice(), opt: base.opt.slice() };
    const errors = [];
    if (params.has("surface")) {
      const r = parseField("surface", params.get("surface"), data);
      if (r.error) errors.push(r.error);
      else if (r.value !== config.surface) {
        config.surface = r.value;
        config.start = data.surfaces.find((s) => s.name === r.value).start.slice(0, 2);
      }
    }
    for (const key of ["start", "opt", ...HP_KEYS]) {
      if (!params.has(key)) continue;
      const r = parseField(key, params.get(key), data, config.surface);
      if (r.error) errors.push(r.error);
      else config[key] = r.value;
    }
    return { config, errors };
  }

  function configQuery(config) {
    const params = new URLSearchParams();
    params.set("surface", config.surface);
    params.set("start", config.start.map((v) => String(v)).join(","));
    params.set("opt", config.opt.join(","));
    for (const key of HP_KEYS) params.set(key, String(config[key]));
    return params.toString().replace(/%2C/g, ",");
  }

  function writeUrl(config) {
    const url = new URL(window.location.href);
    const ours = new URLSearchParams(configQuery(config));
    for (const key of CONFIG_KEYS) url.searchParams.delete(key);
    for (const [key, value] of ours) url.searchParams.set(key, value);
    const search = url.searchParams.toString().replace(/%2C/g, ",");
    history.replaceState(history.state, "", url.pathname + (search ? `?${search}` : "") + url.hash);
  }

  // Hyperparameters for the engine: every key the optimizer has, defaults from the data, the
  // sliders' values where a slider drives it.
  function hyperparameters(spec, config) {
    const hp = {};
    for (const [key, meta] of Object.entries(spec.hyperparameters || {})) {
      if (HP_KEYS.includes(key) && USES[key].includes(spec.name)) hp[key] = config[key];
      else if (meta && meta.default !== null && meta.default !== undefined) hp[key] = meta.default;
    }
    hp.lr = config.lr;
    return hp;
  }

  /* ---------- formatting ---------- */

  // Compact numbers for the state table: 4 significant digits, exponent for very small or big.
  function fmt(v) {
    if (!Number.isFinite(v)) return v > 0 ? "∞" : v < 0 ? "−∞" : "–";
    if (v === 0) return "0";
    const a = Math.abs(v);
    const s = a >= 1e5 || a < 1e-3 ? v.toExponential(2) : String(Number(v.toPrecision(4)));
    return s.replace("-", "−").replace("e−", "e−").replace("e+", "e");
  }

  function fmtPair(p) {
    return `(${fmt(p[0])}, ${fmt(p[1])})`;
  }

  function fmtValue(v) {
    return numberText(v);
  }

  function niceTicks(lo, hi, count) {
    const span = hi - lo;
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

  function formatTick(value, step) {
    if (value === 0) return "0";
    const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    return value.toFixed(Math.min(decimals, 4)).replace("-", "−");
  }

  /* ---------- colours and shapes ---------- */

  let colourProbe = null;

  function parseColour(css, fallback) {
    if (!colourProbe) colourProbe = document.createElement("canvas").getContext("2d");
    colourProbe.fillStyle = fallback;
    colourProbe.fillStyle = css || fallback;
    const s = colourProbe.fillStyle;
    if (s[0] === "#") return [1, 3, 5].map((k) => parseInt(s.slice(k, k + 2), 16));
    const m = s.match(/[\d.]+/g) || [0, 0, 0];
    return [+m[0], +m[1], +m[2]];
  }

  function readPalette(root) {
    const style = getComputedStyle(root);
    const pal = {};
    for (const name of PALETTE_VARS) {
      pal[name] = style.getPropertyValue(`--descent-playground-${name}`).trim() || "#888";
    }
    pal.font = style.fontFamily || "sans-serif";
    // 256 RGB entries from the low colour through the middle one to the high one.
    const stops = [pal.low, pal.mid, pal.high].map((c) => parseColour(c, "#888"));
    pal.ramp = new Uint8ClampedArray(256 * 3);
    for (let k = 0; k < 256; k++) {
      const t = (k / 255) * 2;
      const a = t < 1 ? stops[0] : stops[1];
      const b = t < 1 ? stops[1] : stops[2];
      const f = t < 1 ? t : t - 1;
      for (let c = 0; c < 3; c++) pal.ramp[k * 3 + c] = a[c] + (b[c] - a[c]) * f;
    }
    pal.key = PALETTE_VARS.map((name) => pal[name]).join();
    return pal;
  }

  // Unit shapes (radius about 1), as polygons; "circle" is an arc.
  const SHAPE_POINTS = (function () {
    const poly = (n, r, turn) => Array.from({ length: n }, (_, k) => {
      const a = turn + (2 * Math.PI * k) / n;
      return [r * Math.cos(a), r * Math.sin(a)];
    });
    const w = 0.38;
    return {
      circle: null,
      square: [[-0.85, -0.85], [0.85, -0.85], [0.85, 0.85], [-0.85, 0.85]],
      triangle: poly(3, 1.2, -Math.PI / 2),
      diamond: poly(4, 1.2, -Math.PI / 2),
      down: poly(3, 1.2, Math.PI / 2),
      pentagon: poly(5, 1.1, -Math.PI / 2),
      plus: [[-w, -1.1], [w, -1.1], [w, -w], [1.1, -w], [1.1, w], [w, w], [w, 1.1], [-w, 1.1],
        [-w, w], [-1.1, w], [-1.1, -w], [-w, -w]],
    };
  })();

  function shapePath(ctx, shape, x, y, r) {
    const points = SHAPE_POINTS[shape];
    if (!points) {
      ctx.moveTo(x + r, y);
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      return;
    }
    ctx.moveTo(x + points[0][0] * r, y + points[0][1] * r);
    for (let k = 1; k < points.length; k++) ctx.lineTo(x + points[k][0] * r, y + points[k][1] * r);
    ctx.closePath();
  }

  // The same shape as an SVG icon for the legend (decorative: the label names the optimizer).
  function shapeSvg(name) {
    const NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "-1.6 -1.6 3.2 3.2");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", `descent-playground__shape descent-playground__shape--${name}`);
    const points = SHAPE_POINTS[SHAPES[name]];
    const node = document.createElementNS(NS, points ? "polygon" : "circle");
    if (points) node.setAttribute("points", points.map((p) => p.map((v) => v.toFixed(3)).join(",")).join(" "));
    else { node.setAttribute("r", "1"); }
    svg.append(node);
    return svg;
  }

  /* ---------- canvas helpers ---------- */

  function fitCanvas(canvas, box) {
    const dpr = Math.min(MAX_DPR, window.devicePixelRatio || 1);
    const w = Math.max(1, Math.round(box.width));
    const h = Math.max(1, Math.round(box.height));
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    return { w, h, dpr };
  }

  function makeLayer(size) {
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(size.w * size.dpr);
    canvas.height = Math.round(size.h * size.dpr);
    const ctx = canvas.getContext("2d");
    ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
    return { canvas, ctx };
  }

  function textAt(ctx, text, x, y, align, baseline) {
    ctx.textAlign = align;
    ctx.textBaseline = baseline;
    ctx.fillText(text, x, y);
  }

  // The plotted domain inside the canvas, one scale for both axes.
  function plotFrame(size, domain) {
    const m = { left: 44, right: 10, top: 10, bottom: 38 };
    const [[x0, x1], [y0, y1]] = domain;
    const availW = Math.max(10, size.w - m.left - m.right);
    const availH = Math.max(10, size.h - m.top - m.bottom);
    const scale = Math.min(availW / (x1 - x0), availH / (y1 - y0));
    const w = scale * (x1 - x0);
    const h = scale * (y1 - y0);
    const left = m.left + (availW - w) / 2;
    const top = m.top + (availH - h) / 2;
    return { left, top, w, h, right: left + w, bottom: top + h, scale, x0, x1, y0, y1 };
  }

  /* ---------- the surface layer ---------- */

  function surfaceImage(prep, pal) {
    if (prep.imageKey === pal.key) return prep.image;
    const n = prep.n;
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = n;
    const ctx = canvas.getContext("2d");
    const img = ctx.createImageData(n, n);
    const px = img.data;
    for (let j = 0; j < n; j++) {
      const row = (n - 1 - j) * n; // y grows upwards, image rows downwards
      for (let i = 0; i < n; i++) {
        const k = ((prep.shade[j * n + i] * 255 + 0.5) | 0) * 3;
        const o = (row + i) * 4;
        px[o] = pal.ramp[k]; px[o + 1] = pal.ramp[k + 1]; px[o + 2] = pal.ramp[k + 2]; px[o + 3] = 255;
      }
    }
    ctx.putImageData(img, 0, 0);
    prep.image = canvas;
    prep.imageKey = pal.key;
    return canvas;
  }

  // Contour lines of the colour scale, by marching squares over the grid.
  function drawContours(ctx, prep, f, pal) {
    const n = prep.n;
    const S = prep.shade;
    const cell = f.w / (n - 1);
    const cellY = f.h / (n - 1);
    const X = (i) => f.left + i * cell;
    const Y = (j) => f.bottom - j * cellY;
    ctx.beginPath();
    for (let L = 1; L <= CONTOUR_LEVELS; L++) {
      const level = L / (CONTOUR_LEVELS + 1);
      for (let j = 0; j < n - 1; j++) {
        for (let i = 0; i < n - 1; i++) {
          const a = S[j * n + i];
          const b = S[j * n + i + 1];
          const c = S[(j + 1) * n + i + 1];
          const d = S[(j + 1) * n + i];
          const code = (a > level ? 1 : 0) | (b > level ? 2 : 0) | (c > level ? 4 : 0) | (d > level ? 8 : 0);
          if (code === 0 || code === 15) continue;
          // Crossing points on the four edges: bottom (a-b), right (b-c), top (d-c), left (a-d).
          const e = [];
          if ((code & 1) !== ((code >> 1) & 1)) e.push([X(i + (level - a) / (b - a)), Y(j)]);
          if (((code >> 1) & 1) !== ((code >> 2) & 1)) e.push([X(i + 1), Y(j + (level - b) / (c - b))]);
          if (((code >> 3) & 1) !== ((code >> 2) & 1)) e.push([X(i + (level - d) / (c - d)), Y(j + 1)]);
          if ((code & 1) !== ((code >> 3) & 1)) e.push([X(i), Y(j + (level - a) / (d - a))]);
          for (let k = 0; k + 1 < e.length; k += 2) {
            ctx.moveTo(e[k][0], e[k][1]);
            ctx.lineTo(e[k + 1][0], e[k + 1][1]);
          }
        }
      }
    }
    ctx.lineWidth = 0.7;
    ctx.strokeStyle = pal.line;
    ctx.stroke();
  }

  function drawStar(ctx, x, y, r) {
    ctx.moveTo(x, y - r);
    for (let k = 1; k < 10; k++) {
      const a = -Math.PI / 2 + (k * Math.PI) / 5;
      const rr = k % 2 ? r * 0.45 : r;
      ctx.lineTo(x + rr * Math.cos(a), y + rr * Math.sin(a));
    }
    ctx.closePath();
  }

  function drawSurfaceLayer(ctx, prep, f, size, pal) {
    ctx.clearRect(0, 0, size.w, size.h);
    // Grid point i sits at the centre of image pixel i: the image overhangs by half a cell.
    const cx = f.w / (prep.n - 1);
    const cy = f.h / (prep.n - 1);
    ctx.save();
    ctx.beginPath();
    ctx.rect(f.left, f.top, f.w, f.h);
    ctx.clip();
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(surfaceImage(prep, pal), f.left - cx / 2, f.top - cy / 2, f.w + cx, f.h + cy);
    drawContours(ctx, prep, f, pal);
    // Minima: green stars (the course's colour for a minimum), the lowest (listed first) larger.
    ctx.beginPath();
    prep.minima.forEach((m, k) => {
      const x = f.left + (m[0] - f.x0) * f.scale;
      const y = f.bottom - (m[1] - f.y0) * f.scale;
      drawStar(ctx, x, y, k === 0 ? 8 : 5.5);
    });
    ctx.fillStyle = pal.minimum;
    ctx.fill();
    ctx.lineWidth = 1.2;
    ctx.strokeStyle = pal.casing;
    ctx.stroke();
    ctx.restore();
    // Frame, ticks and axis names.
    ctx.lineWidth = 1;
    ctx.strokeStyle = pal.muted;
    ctx.strokeRect(f.left + 0.5, f.top + 0.5, f.w - 1, f.h - 1);
    ctx.fillStyle = pal.fg;
    ctx.font = `11px ${pal.font}`;
    const count = Math.max(3, Math.min(6, Math.floor(f.w / 70)));
    const xt = niceTicks(f.x0, f.x1, count);
    const yt = niceTicks(f.y0, f.y1, count);
    ctx.beginPath();
    for (const t of xt.ticks) {
      const x = f.left + (t - f.x0) * f.scale;
      ctx.moveTo(x, f.bottom); ctx.lineTo(x, f.bottom + 4);
      textAt(ctx, formatTick(t, xt.step), x, f.bottom + 6, "center", "top");
    }
    for (const t of yt.ticks) {
      const y = f.bottom - (t - f.y0) * f.scale;
      ctx.moveTo(f.left - 4, y); ctx.lineTo(f.left, y);
      textAt(ctx, formatTick(t, yt.step), f.left - 6, y, "right", "middle");
    }
    ctx.stroke();
    ctx.font = `italic 12px ${pal.font}`;
    textAt(ctx, "w₁", f.left + f.w / 2, f.bottom + 22, "center", "top");
    ctx.save();
    ctx.translate(f.left - 32, f.top + f.h / 2);
    ctx.rotate(-Math.PI / 2);
    textAt(ctx, "w₂", 0, 0, "center", "middle");
    ctx.restore();
  }

  /* ---------- DOM ---------- */

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
    return node;
  }

  // A text node whose content is set only when it changes.
  function textSlot(initial) {
    const node = document.createTextNode(initial || "");
    return { node, set(text) { if (node.data !== text) node.data = text; } };
  }

  // The whole widget, built before its data arrives: it takes its final size at once, so the
  // page below it does not move when the data comes (the surfaces' and optimizers' names are
  // filled in by fillDom).
  function buildDom(root, prefix, embedded) {
    const surface = el("select", { id: `${prefix}-surface` });
    const play = el("button", { type: "button", class: "descent-playground__button descent-playground__play", text: "Play" });
    const step = el("button", { type: "button", class: "descent-playground__button", text: "Step" });
    const reset = el("button", { type: "button", class: "descent-playground__button", text: "Reset" });
    const speedOut = el("output", { for: `${prefix}-speed` });
    const speed = el("input", { type: "range", id: `${prefix}-speed`, min: "0", max: String(SPEEDS.length - 1), step: "1" });
    const stepCount = textSlot("Step 0");

    const help = el("p", { class: "descent-playground__help", id: `${prefix}-help`,
      text: "Click or tap the plot to start every optimizer from that point. From the keyboard: " +
        "focus the plot, move the cross with the arrow keys (Shift for bigger moves), and press " +
        "Enter or Space to start from it." });
    const canvas = el("canvas", { class: "descent-playground__canvas", tabindex: "0", role: "application",
      "aria-roledescription": "plot", "aria-label": "Contour plot", "aria-describedby": help.id });

    const runners = new Map();
    const list = el("ul", { class: "descent-playground__runners" });
    for (const name of ORDER) {
      const input = el("input", { type: "checkbox", id: `${prefix}-opt-${name}`, value: name });
      // Until the race starts, a blank line holds the place of the position and of the state.
      const title = textSlot(name);
      const loss = textSlot("\u00a0");
      const where = textSlot("\u00a0");
      const flag = textSlot("");
      const state = el("dl", { class: "descent-playground__state" },
        el("div", {}, el("dt", { text: "\u00a0" }), el("dd", { text: "\u00a0" })));
      const flagEl = el("p", { class: "descent-playground__flag", hidden: true }, flag.node);
      const item = el("li", { class: `descent-playground__runner descent-playground__runner--${name}` },
        el("label", { class: "descent-playground__name", for: input.id }, input, shapeSvg(name),
          title.node),
        el("span", { class: "descent-playground__loss" }, loss.node),
        el("span", { class: "descent-playground__where" }, where.node),
        state, flagEl);
      list.append(item);
      runners.set(name, { spec: null, input, item, title, loss, where, flag, flagEl, state, stateKeys: null,
        stateSlots: [] });
    }

    const sliders = new Map();
    const params = el("div", { class: "descent-playground__sliders" });
    for (const s of SLIDERS) {
      const out = el("output", { for: `${prefix}-${s.key}` });
      const input = el("input", { type: "range", id: `${prefix}-${s.key}`, min: "0",
        max: String(s.values.length - 1), step: "1", "aria-describedby": `${prefix}-${s.key}-note` });
      params.append(el("div", { class: "descent-playground__slider" },
        el("label", { for: input.id }, el("span", { text: s.label }), " ", out),
        input,
        el("span", { class: "descent-playground__uses", id: `${prefix}-${s.key}-note`, text: `drives ${s.note}` })));
      sliders.set(s.key, { input, out, spec: s });
    }

    const notice = el("p", { class: "descent-playground__notice", role: "status" });
    const live = el("p", { class: "descent-playground__live", role: "status" });
    const link = embedded ? el("a", { class: "descent-playground__open", text: "Open this in the playground" }) : null;

    const layout = el("div", { class: "descent-playground__layout" },
      el("div", { class: "descent-playground__bar" },
        el("label", { class: "descent-playground__field", for: surface.id }, "Surface ", surface),
        el("div", { class: "descent-playground__buttons" }, play, step, reset,
          el("span", { class: "descent-playground__count" }, stepCount.node)),
        el("div", { class: "descent-playground__speed" },
          el("label", { for: speed.id }, "Speed ", speedOut), speed)),
      el("figure", { class: "descent-playground__figure" }, canvas, el("figcaption", {}, help)),
      el("div", { class: "descent-playground__side" },
        el("fieldset", { class: "descent-playground__group" },
          el("legend", { text: "Optimizers (each with its state)" }), list)),
      el("fieldset", { class: "descent-playground__group descent-playground__params" },
        el("legend", { text: "Hyperparameters" }), params),
      link && el("p", { class: "descent-playground__link" }, link));
    layout.inert = true; // until the data is in (fillDom)
    root.replaceChildren(notice, layout, live);
    return { layout, surface, play, step, reset, speed, speedOut, stepCount, canvas, help, runners, sliders,
      notice, live, link };
  }

  // The data's surfaces in the select, its optimizers' names; an optimizer it lacks is left out.
  function fillDom(dom, data) {
    dom.surface.replaceChildren(...data.surfaces.map((s) => el("option", { value: s.name, text: s.title || s.name })));
    for (const [name, runner] of dom.runners) {
      runner.spec = data.optimizers.find((o) => o.name === name) || null;
      if (runner.spec) {
        runner.title.set(runner.spec.title || name);
      } else {
        runner.item.remove();
        dom.runners.delete(name);
      }
    }
    dom.layout.inert = false;
  }

  /* ---------- one playground ---------- */

  function createPlayground(root, bindUrl) {
    const teardown = [];
    let resolveReady;
    let rejectReady;
    const ready = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });
    ready.catch(noop);
    const api = { ready };
    root.descentPlayground = api;
    const dataUrl = new URL(root.dataset.playground, document.baseURI).href;
    const engineUrl = new URL(root.dataset.engine || "../javascripts/playground-engine.js", document.baseURI).href;
    const embedded = !bindUrl;
    const prefix = `${root.id || "descent-playground"}-${++uid}`;
    root.setAttribute("aria-busy", "true");
    const dom = buildDom(root, prefix, embedded);
    let alive = true;
    teardown.push(() => { alive = false; });

    const load = () => Promise.all([loadData(dataUrl), loadEngine(engineUrl)]).then(([data, engine]) => {
      if (!alive || !root.isConnected) return;
      start(data, engine);
    }).catch((err) => fail(err));
    // A playground embedded in a lesson (a figure) loads its data and engine only when the
    // reader comes near it: the lesson's first view does not wait for them.
    if (embedded) {
      const near = new IntersectionObserver((entries) => {
        if (!entries.some((entry) => entry.isIntersecting)) return;
        near.disconnect();
        load();
      }, { rootMargin: "300px 0px" });
      near.observe(root);
      teardown.push(() => near.disconnect());
    } else {
      load();
    }

    function fail(err) {
      const message = err instanceof LoadError ? err.message : `The playground failed: ${err && err.message}`;
      root.setAttribute("aria-busy", "false");
      root.replaceChildren(el("p", { class: "descent-playground__error", role: "alert", text: message }));
      rejectReady(err);
    }

    function start(data, engine) {
      fillDom(dom, data);
      let config = defaultConfig(data);
      const fromData = applyQuery(config, root.dataset.config || "", data);
      config = fromData.config;
      const notices = [];
      if (fromData.errors.length) {
        notices.push(`Ignored from this playground's settings: ${fromData.errors.join("; ")}.`);
      }
      let urlErrors = [];
      if (bindUrl) {
        const fromUrl = applyQuery(config, window.location.search, data);
        config = fromUrl.config;
        urlErrors = fromUrl.errors;
        if (urlErrors.length) {
          notices.push(`Ignored from the address, the default used instead: ${urlErrors.join("; ")}.`);
        }
      }
      dom.notice.textContent = notices.join(" ");

      let pal = readPalette(root);
      let prep = null; // the current surface, prepared
      let size = null;
      let frame = null; // plotFrame
      let surfaceLayer = null;
      let sceneLayer = null; // surface + paths so far
      let speed = DEFAULT_SPEED;
      let playing = false;
      let finished = false;
      let stepCount = 0;
      let rafId = 0;
      let lastTime = 0;
      let budget = 0;
      let lastText = 0;
      let urlTimer = null;
      let needsScene = true;
      let target = 0; // a step the race is catching up with (after a change of hyperparameter)
      const cursor = { x: 0, y: 0, shown: false };
      const runs = []; // enabled optimizers, in ORDER: {name, spec, run, error, drawn, colour, shape}
      const stats = {
        start: performance.now(), steps: 0, perOptimizer: Object.fromEntries(ORDER.map((n) => [n, 0])),
        frames: 0, prev: 0,
        intervals: new Float64Array(STAT_FRAMES), work: new Float64Array(STAT_FRAMES),
      };

      /* -- the race -- */

      function makeRun(name) {
        const spec = data.optimizers.find((o) => o.name === name);
        const entry = { name, spec, run: null, error: null, drawn: 0, shape: SHAPES[name], steps: 0 };
        try {
          if (name === "nesterov" && !(config.momentum > 0)) {
            throw new Error("Nesterov needs a momentum above 0 (torch.optim.SGD refuses it)");
          }
          const optimizer = engine.optimizer(name, hyperparameters(spec, config));
          entry.run = new engine.Run(prep.surface, optimizer, config.start.slice(), data.escape_widths);
        } catch (err) {
          entry.error = err && err.message ? err.message : String(err);
        }
        return entry;
      }

      // Every enabled optimizer from the start, then `upTo` steps (the race's current step when
      // a hyperparameter changes, so the paths change in place).
      function rebuildRuns(upTo) {
        runs.length = 0;
        for (const name of ORDER) if (config.opt.includes(name)) runs.push(makeRun(name));
        stepCount = 0;
        finished = false;
        advance(upTo || 0, true);
        needsScene = true;
      }

      function active(entry) {
        return entry.run && entry.run.divergedStep < 0;
      }

      // n steps of every enabled optimizer that is still running.
      function advance(n, quiet) {
        for (let k = 0; k < n; k++) {
          if (stepCount >= MAX_STEPS) break;
          let any = false;
          for (let r = 0; r < runs.length; r++) {
            const entry = runs[r];
            if (!active(entry)) continue;
            any = true;
            if (entry.run.step()) {
              entry.steps++;
              if (!quiet) stats.perOptimizer[entry.name]++;
            }
          }
          if (!any) break;
          stepCount++;
          if (!quiet) stats.steps++;
        }
        finished = stepCount >= MAX_STEPS || !runs.some(active);
      }

      function finishedText() {
        if (stepCount >= MAX_STEPS) return `The race ends at step ${MAX_STEPS}.`;
        if (!runs.length) return "No optimizer is selected.";
        return `Every path has stopped, at step ${stepCount}.`;
      }

      /* -- drawing -- */

      function toX(x) { return frame.left + (x - frame.x0) * frame.scale; }
      function toY(y) { return frame.bottom - (y - frame.y0) * frame.scale; }

      function measure() {
        size = fitCanvas(dom.canvas, dom.canvas.getBoundingClientRect());
        surfaceLayer = sceneLayer = null;
        needsScene = true;
      }

      function ensureLayers() {
        if (!surfaceLayer) {
          frame = plotFrame(size, prep.domain);
          surfaceLayer = makeLayer(size);
          drawSurfaceLayer(surfaceLayer.ctx, prep, frame, size, pal);
          needsScene = true;
        }
        if (!sceneLayer) sceneLayer = makeLayer(size);
        if (needsScene) {
          const ctx = sceneLayer.ctx;
          ctx.setTransform(1, 0, 0, 1, 0, 0);
          ctx.clearRect(0, 0, sceneLayer.canvas.width, sceneLayer.canvas.height);
          ctx.drawImage(surfaceLayer.canvas, 0, 0);
          ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
          for (const entry of runs) entry.drawn = 0;
          needsScene = false;
          fullPaint = true;
        }
      }

      // Dirty rectangles (CSS pixels: x, y, w, h): where this frame's new segments went, and
      // where the markers of the last frame and of this one are. Only those are repainted.
      const MAX_RECTS = 128;
      let fullPaint = true;
      let dirty = new Float64Array(4 * MAX_RECTS);
      let dirtyCount = 0;
      let marks = new Float64Array(4 * MAX_RECTS); // this frame's markers
      let marksCount = 0;
      function addRect(list, count, x, y, w, h) {
        if (count >= MAX_RECTS) return count;
        const o = 4 * count;
        list[o] = x; list[o + 1] = y; list[o + 2] = w; list[o + 3] = h;
        return count + 1;
      }
      function markAt(x, y, r) {
        marksCount = addRect(marks, marksCount, x - r, y - r, 2 * r, 2 * r);
      }
      // Copies rectangles of the scene layer onto the screen (device pixels, whole ones).
      function repaint(ctx, list, count) {
        const dpr = size.dpr;
        const W = dom.canvas.width;
        const H = dom.canvas.height;
        for (let k = 0; k < count; k++) {
          const o = 4 * k;
          const x0 = Math.max(0, Math.floor(list[o] * dpr));
          const y0 = Math.max(0, Math.floor(list[o + 1] * dpr));
          const x1 = Math.min(W, Math.ceil((list[o] + list[o + 2]) * dpr));
          const y1 = Math.min(H, Math.ceil((list[o + 1] + list[o + 3]) * dpr));
          if (x1 <= x0 || y1 <= y0) continue;
          ctx.clearRect(x0, y0, x1 - x0, y1 - y0);
          ctx.drawImage(sceneLayer.canvas, x0, y0, x1 - x0, y1 - y0, x0, y0, x1 - x0, y1 - y0);
        }
      }

      // A segment clipped (Liang–Barsky) to a box a little larger than the canvas: only what
      // can be seen is drawn, and no coordinate is huge. Returns false when nothing is left.
      const seg = new Float64Array(4);
      const clipT = new Float64Array(2);
      function clipEdge(p, q) {
        if (p === 0) return q >= 0;
        const t = q / p;
        if (p < 0) {
          if (t > clipT[1]) return false;
          if (t > clipT[0]) clipT[0] = t;
        } else {
          if (t < clipT[0]) return false;
          if (t < clipT[1]) clipT[1] = t;
        }
        return true;
      }
      function clipSegment(ax, ay, bx, by) {
        const m = 20;
        const xmin = -m;
        const ymin = -m;
        const xmax = size.w + m;
        const ymax = size.h + m;
        const dx = bx - ax;
        const dy = by - ay;
        clipT[0] = 0;
        clipT[1] = 1;
        if (!clipEdge(-dx, ax - xmin) || !clipEdge(dx, xmax - ax) ||
            !clipEdge(-dy, ay - ymin) || !clipEdge(dy, ymax - ay)) return false;
        const t0 = clipT[0];
        const t1 = clipT[1];
        seg[0] = ax + t0 * dx; seg[1] = ay + t0 * dy; seg[2] = ax + t1 * dx; seg[3] = ay + t1 * dy;
        return true;
      }

      // The bounding box of what tracePath drew (CSS pixels): bbox[0..3] = min x, min y, max x, max y.
      const bbox = new Float64Array(4);
      function tracePath(ctx, params, from, to) {
        for (let k = from + 1; k <= to; k++) {
          const a = params[k - 1];
          const b = params[k];
          if (!clipSegment(toX(a[0]), toY(a[1]), toX(b[0]), toY(b[1]))) continue;
          ctx.moveTo(seg[0], seg[1]);
          ctx.lineTo(seg[2], seg[3]);
          for (let c = 0; c < 4; c += 2) {
            if (seg[c] < bbox[0]) bbox[0] = seg[c];
            if (seg[c] > bbox[2]) bbox[2] = seg[c];
            if (seg[c + 1] < bbox[1]) bbox[1] = seg[c + 1];
            if (seg[c + 1] > bbox[3]) bbox[3] = seg[c + 1];
          }
        }
      }

      // The new segments of every path since the last frame, into the scene layer, with a dot at
      // every step. No casing: drawn a frame at a time, one path's casing would cut gaps into
      // the paths drawn before it.
      function traceDots(ctx, params, from, to, r) {
        for (let k = from; k <= to; k++) {
          const x = toX(params[k][0]);
          const y = toY(params[k][1]);
          if (x < -10 || y < -10 || x > size.w + 10 || y > size.h + 10) continue;
          ctx.moveTo(x + r, y);
          ctx.arc(x, y, r, 0, 2 * Math.PI);
        }
      }

      function drawNewSegments() {
        const ctx = sceneLayer.ctx;
        ctx.save();
        ctx.beginPath();
        ctx.rect(frame.left, frame.top, frame.w, frame.h);
        ctx.clip();
        ctx.lineCap = "round";
        ctx.lineJoin = "round";
        for (const entry of runs) {
          if (!entry.run) continue;
          const params = entry.run.params;
          const last = params.length - 1;
          if (entry.drawn > last) continue;
          const from = Math.max(0, entry.drawn - 1);
          const dotsFrom = Math.max(entry.drawn, 1);
          bbox[0] = bbox[1] = Infinity;
          bbox[2] = bbox[3] = -Infinity;
          ctx.beginPath();
          tracePath(ctx, params, from, last);
          ctx.lineWidth = 1.8;
          ctx.strokeStyle = pal[entry.name];
          ctx.stroke();
          ctx.beginPath();
          traceDots(ctx, params, dotsFrom, last, 2);
          ctx.fillStyle = pal[entry.name];
          ctx.fill();
          entry.drawn = last + 1;
          if (bbox[2] >= bbox[0]) { // the dots lie on the segments' ends: 4 px covers them
            dirtyCount = addRect(dirty, dirtyCount, bbox[0] - 4, bbox[1] - 4, bbox[2] - bbox[0] + 8, bbox[3] - bbox[1] + 8);
          }
        }
        ctx.restore();
      }

      function marker(ctx, shape, x, y, r, fill) {
        ctx.beginPath();
        shapePath(ctx, shape, x, y, r);
        ctx.fillStyle = fill;
        ctx.fill();
        ctx.lineWidth = 1.5;
        ctx.strokeStyle = pal.casing;
        ctx.stroke();
      }

      // Where a path first crossed the edge of the plot, and the way it went: step k (counted
      // from 0, as the engine and descent/trajectory.py count) went from params[k], inside, to
      // params[k + 1], outside.
      function exitArrow(ctx, entry) {
        const k = entry.run.leftDomainStep;
        const params = entry.run.params;
        if (k < 0 || k + 1 >= params.length) return;
        const ax = toX(params[k][0]);
        const ay = toY(params[k][1]);
        const bx = toX(params[k + 1][0]);
        const by = toY(params[k + 1][1]);
        const dx = bx - ax;
        const dy = by - ay;
        let t = 1;
        if (dx > 0) t = Math.min(t, (frame.right - ax) / dx);
        if (dx < 0) t = Math.min(t, (frame.left - ax) / dx);
        if (dy > 0) t = Math.min(t, (frame.bottom - ay) / dy);
        if (dy < 0) t = Math.min(t, (frame.top - ay) / dy);
        t = Math.max(0, t);
        const x = ax + t * dx;
        const y = ay + t * dy;
        markAt(x, y, 18);
        const len = Math.hypot(dx, dy) || 1;
        const ux = dx / len;
        const uy = dy / len;
        // An arrowhead just inside the edge, pointing out.
        const tipX = x - ux * 1;
        const tipY = y - uy * 1;
        const baseX = tipX - ux * 13;
        const baseY = tipY - uy * 13;
        ctx.beginPath();
        ctx.moveTo(tipX, tipY);
        ctx.lineTo(baseX - uy * 7, baseY + ux * 7);
        ctx.lineTo(baseX + uy * 7, baseY - ux * 7);
        ctx.closePath();
        ctx.fillStyle = pal[entry.name];
        ctx.fill();
        ctx.lineWidth = 1.5;
        ctx.strokeStyle = pal.casing;
        ctx.stroke();
      }

      // A burst at the last point of a run that diverged.
      function divergedMark(ctx, entry) {
        const params = entry.run.params;
        const p = params[params.length - 1];
        const x = toX(p[0]);
        const y = toY(p[1]);
        if (x < frame.left || x > frame.right || y < frame.top || y > frame.bottom) return;
        markAt(x, y, 15);
        ctx.beginPath();
        for (let k = 0; k < 8; k++) {
          const a = (k * Math.PI) / 4;
          ctx.moveTo(x + 4 * Math.cos(a), y + 4 * Math.sin(a));
          ctx.lineTo(x + 11 * Math.cos(a), y + 11 * Math.sin(a));
        }
        ctx.lineCap = "round";
        ctx.lineWidth = 4;
        ctx.strokeStyle = pal.casing;
        ctx.stroke();
        ctx.lineWidth = 2;
        ctx.strokeStyle = pal[entry.name];
        ctx.stroke();
      }

      // A frame: new segments into the scene layer; then, on the screen, the last frame's
      // markers and the new segments' boxes copied from the scene layer (or all of it, after a
      // rebuild), and the markers drawn over it.
      function render() {
        if (!prep || !size) return;
        ensureLayers();
        // The last frame's markers are this frame's first dirty rectangles.
        const previous = dirty;
        dirty = marks;
        marks = previous;
        dirtyCount = marksCount;
        marksCount = 0;
        drawNewSegments();
        const ctx = dom.canvas.getContext("2d");
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        if (fullPaint) {
          ctx.clearRect(0, 0, dom.canvas.width, dom.canvas.height);
          ctx.drawImage(sceneLayer.canvas, 0, 0);
          fullPaint = false;
        } else {
          repaint(ctx, dirty, dirtyCount);
        }
        ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
        // The start: an open grey circle (the course's start marker).
        const sx = toX(config.start[0]);
        const sy = toY(config.start[1]);
        markAt(sx, sy, 12);
        ctx.beginPath();
        ctx.arc(sx, sy, 7, 0, 2 * Math.PI);
        ctx.lineWidth = 4.5;
        ctx.strokeStyle = pal.casing;
        ctx.stroke();
        ctx.lineWidth = 2.2;
        ctx.strokeStyle = pal.start;
        ctx.stroke();
        for (const entry of runs) {
          if (!entry.run) continue;
          if (entry.run.leftDomainStep >= 0) exitArrow(ctx, entry);
          if (entry.run.divergedStep >= 0) { divergedMark(ctx, entry); continue; }
          const params = entry.run.params;
          const p = params[params.length - 1];
          const x = toX(p[0]);
          const y = toY(p[1]);
          if (x < frame.left || x > frame.right || y < frame.top || y > frame.bottom) continue;
          markAt(x, y, 11);
          marker(ctx, entry.shape, x, y, 6, pal[entry.name]);
        }
        if (cursor.shown) {
          const x = toX(cursor.x);
          const y = toY(cursor.y);
          markAt(x, y, 18);
          ctx.beginPath();
          ctx.moveTo(x - 14, y); ctx.lineTo(x - 4, y);
          ctx.moveTo(x + 4, y); ctx.lineTo(x + 14, y);
          ctx.moveTo(x, y - 14); ctx.lineTo(x, y - 4);
          ctx.moveTo(x, y + 4); ctx.lineTo(x, y + 14);
          ctx.lineCap = "butt";
          ctx.lineWidth = 4.5;
          ctx.strokeStyle = pal.casing;
          ctx.stroke();
          ctx.lineWidth = 2;
          ctx.strokeStyle = pal.cursor;
          ctx.stroke();
        }
      }

      /* -- text -- */

      function stateText(value) {
        if (Array.isArray(value) || ArrayBuffer.isView(value)) return fmtPair(value);
        if (typeof value === "number") return Number.isInteger(value) ? String(value) : fmt(value);
        return value === null || value === undefined ? "–" : String(value);
      }

      function updateStateList(runner, state) {
        const keys = state ? Object.keys(state).filter((k) => state[k] !== null && state[k] !== undefined) : [];
        const joined = keys.join();
        if (joined !== runner.stateKeys) {
          runner.stateKeys = joined;
          runner.stateSlots = keys.map((key) => ({ key, slot: textSlot("") }));
          runner.state.replaceChildren(...runner.stateSlots.map(({ key, slot }) =>
            el("div", {}, el("dt", { text: key }), el("dd", {}, slot.node))));
          if (!keys.length) {
            const why = runner.spec.name === "sgd" ? "plain gradient steps" : "until the first step";
            runner.state.replaceChildren(el("div", {}, el("dt", { text: "no state" }), el("dd", { text: `(${why})` })));
          }
        }
        for (const { key, slot } of runner.stateSlots) slot.set(stateText(state[key]));
      }

      function updateText() {
        dom.stepCount.set(`Step ${stepCount}`);
        for (const [name, runner] of dom.runners) {
          const entry = runs.find((r) => r.name === name);
          runner.item.classList.toggle("is-off", !entry);
          if (!entry) {
            runner.loss.set("");
            runner.where.set("");
            runner.flag.set("");
            runner.flagEl.hidden = true;
            updateStateList(runner, null);
            continue;
          }
          if (entry.error) {
            runner.loss.set("");
            runner.where.set("");
            runner.flag.set(`not run: ${entry.error}`);
            runner.flagEl.hidden = false;
            updateStateList(runner, null);
            continue;
          }
          const run = entry.run;
          const last = run.params.length - 1;
          runner.loss.set(`loss ${fmt(run.loss[last])}`);
          runner.where.set(`w ${fmtPair(run.params[last])}`);
          updateStateList(runner, run.optimizer && run.optimizer.state);
          const notes = [];
          if (run.leftDomainStep >= 0) notes.push(`left the plotted area at step ${run.leftDomainStep}`);
          if (run.divergedStep >= 0) notes.push(`diverged at step ${run.divergedStep}`);
          runner.flag.set(notes.join("; "));
          runner.flagEl.hidden = !notes.length;
        }
        if (!playing) describeCanvas(); // a focused element's name changing 8 times a second is noise
        lastText = performance.now();
      }

      function describeCanvas() {
        const s = prep.spec;
        const where = `start at (${fmt(config.start[0])}, ${fmt(config.start[1])})`;
        const shown = runs.length ? `${runs.length} optimizer${runs.length > 1 ? "s" : ""}` : "no optimizer";
        dom.canvas.setAttribute("aria-label", `Contour plot of ${s.title || s.name}, ${where}, ` +
          `${shown} at step ${stepCount}. Arrow keys move the start cross; Enter starts from it.`);
      }

      /* -- state changes -- */

      function scheduleUrl() {
        if (!bindUrl) {
          if (dom.link) dom.link.href = `${pageUrl()}?${configQuery(config)}`;
          return;
        }
        if (urlTimer) clearTimeout(urlTimer);
        urlTimer = setTimeout(() => {
          urlTimer = null;
          if (root.isConnected) writeUrl(config);
        }, URL_DELAY_MS);
      }

      function pageUrl() {
        if (root.dataset.page) return new URL(root.dataset.page, document.baseURI).href;
        return new URL("../playground/", engineUrl).href;
      }

      function scheduleFrame() {
        if (!rafId) rafId = requestAnimationFrame(tick);
      }

      function catchUp(deadline) {
        while (stepCount < target && !finished && performance.now() < deadline) {
          advance(Math.min(16, target - stepCount), true);
        }
        if (finished || stepCount >= target) target = 0;
      }

      function tick(now) {
        rafId = 0;
        if (!root.isConnected) return;
        const t0 = performance.now();
        if (target) {
          catchUp(t0 + CATCH_UP_MS);
          lastTime = 0; // the race's clock starts again once caught up
        } else if (playing) {
          const dt = lastTime ? Math.min(now - lastTime, 250) : 1000 / 60;
          lastTime = now;
          budget += (speed * dt) / 1000;
          const n = Math.floor(budget);
          budget -= n;
          if (n > 0) advance(n, false);
          if (finished) {
            setPlaying(false);
            dom.live.textContent = finishedText();
          }
        }
        render();
        if (!playing || t0 - lastText >= TEXT_INTERVAL_MS) updateText();
        if (target) rafId = requestAnimationFrame(tick);
        else if (playing) {
          rafId = requestAnimationFrame(tick);
          const slot = stats.frames % STAT_FRAMES;
          stats.intervals[slot] = stats.prev ? now - stats.prev : 0;
          stats.work[slot] = performance.now() - t0;
          stats.prev = now;
          stats.frames++;
        }
      }

      function setPlaying(on) {
        if (on && finished) rebuildRuns(0);
        playing = on;
        dom.play.textContent = on ? "Pause" : "Play";
        dom.play.classList.toggle("descent-playground__play--on", on);
        lastTime = 0;
        budget = 0;
        stats.prev = 0;
        if (on) scheduleFrame();
        else { updateText(); scheduleFrame(); }
      }

      function syncControls() {
        dom.surface.value = config.surface;
        for (const [name, runner] of dom.runners) runner.input.checked = config.opt.includes(name);
        for (const [key, s] of dom.sliders) {
          const v = config[key];
          s.input.value = String(nearestStop(s.spec, v));
          s.out.textContent = fmtValue(v);
          s.input.setAttribute("aria-valuetext", String(v));
        }
        const si = SPEEDS.indexOf(speed);
        dom.speed.value = String(si >= 0 ? si : SPEEDS.indexOf(DEFAULT_SPEED));
        dom.speedOut.textContent = `${speed} steps/s`;
        dom.speed.setAttribute("aria-valuetext", `${speed} steps per second`);
      }

      function useSurface(name) {
        const spec = data.surfaces.find((s) => s.name === name);
        prep = prepareSurface(data, spec, engine);
        surfaceLayer = null;
        cursor.shown = false;
      }

      // Start (or restart) the race from config.start. keepStep: every path is redone up to
      // the step the race was at, a few milliseconds of steps per frame (see tick), so that a
      // slider's change shows in place without holding up the page.
      function restart(keepStep) {
        const goal = keepStep ? Math.max(stepCount, target) : 0;
        rebuildRuns(0);
        target = goal;
        cursor.x = config.start[0];
        cursor.y = config.start[1];
        updateText();
        scheduleFrame();
        scheduleUrl();
      }

      /* -- the API -- */

      api.config = () => ({ surface: config.surface, start: config.start.slice(), opt: config.opt.slice(),
        lr: config.lr, momentum: config.momentum, beta1: config.beta1, beta2: config.beta2, eps: config.eps });
      api.query = () => configQuery(config);
      api.set = (partial) => {
        const next = { ...config, start: config.start.slice(), opt: config.opt.slice() };
        const given = { ...partial };
        if ("optimizers" in given && !("opt" in given)) given.opt = given.optimizers;
        delete given.optimizers;
        if ("surface" in given) {
          const r = parseField("surface", given.surface, data);
          if (r.error) throw new Error(`Invalid ${r.error}`);
          if (r.value !== next.surface) {
            next.surface = r.value;
            next.start = data.surfaces.find((s) => s.name === r.value).start.slice(0, 2);
          }
        }
        for (const [key, value] of Object.entries(given)) {
          if (key === "surface") continue;
          if (key === "speed") continue;
          const r = parseField(key, value, data, next.surface);
          if (r.error) throw new Error(`Invalid ${r.error}`);
          next[key] = r.value;
        }
        if ("speed" in given) api.setSpeed(given.speed);
        const surfaceChanged = next.surface !== config.surface;
        config = next;
        if (surfaceChanged) useSurface(config.surface);
        if (playing) setPlaying(false);
        syncControls();
        restart(false);
        return api.config();
      };
      api.run = (n) => {
        catchUp(Infinity);
        advance(Math.max(0, Math.floor(Number(n) || 0)), false);
        render();
        updateText();
        return api.runs();
      };
      api.runs = () => runs.map((entry) => ({
        name: entry.name,
        title: entry.spec.title,
        error: entry.error,
        params: entry.run ? entry.run.params : [],
        loss: entry.run ? entry.run.loss : [],
        divergedStep: entry.run ? entry.run.divergedStep : -1,
        leftDomainStep: entry.run ? entry.run.leftDomainStep : -1,
        state: entry.run && entry.run.optimizer ? entry.run.optimizer.state : {},
        steps: entry.steps,
      }));
      api.state = () => ({ step: stepCount, playing, speed, finished, maxSteps: MAX_STEPS });
      api.play = () => setPlaying(true);
      api.pause = () => setPlaying(false);
      api.reset = () => { setPlaying(false); restart(false); };
      api.setSpeed = (value) => {
        const v = Number(value);
        if (!(v > 0) || !Number.isFinite(v)) throw new Error(`Invalid speed ${value}`);
        speed = v;
        syncControls();
      };
      api.resetStats = () => {
        stats.start = performance.now();
        stats.steps = 0;
        for (const name of ORDER) stats.perOptimizer[name] = 0;
        stats.frames = 0;
        stats.prev = 0;
      };
      api.stats = () => {
        const elapsedMs = performance.now() - stats.start;
        const count = Math.min(stats.frames, STAT_FRAMES);
        const intervals = Array.from(stats.intervals.subarray(0, count)).filter((v) => v > 0);
        return {
          elapsedMs,
          steps: stats.steps,
          stepsPerSecond: (stats.steps * 1000) / elapsedMs,
          perOptimizer: Object.fromEntries(ORDER.map((n) => [n, (stats.perOptimizer[n] * 1000) / elapsedMs])),
          frames: stats.frames,
          frameIntervals: intervals,
          frameWork: Array.from(stats.work.subarray(0, count)),
        };
      };

      /* -- events -- */

      const on = (target, type, fn, opts) => {
        target.addEventListener(type, fn, opts);
        teardown.push(() => target.removeEventListener(type, fn, opts));
      };

      on(dom.surface, "change", () => {
        config.surface = dom.surface.value;
        config.start = data.surfaces.find((s) => s.name === config.surface).start.slice(0, 2);
        useSurface(config.surface);
        restart(false);
        dom.live.textContent = `${prep.spec.title}: the race starts again from its default start.`;
      });
      on(dom.play, "click", () => setPlaying(!playing));
      on(dom.step, "click", () => {
        if (playing) setPlaying(false);
        if (finished) { dom.live.textContent = "The race is over: Reset or pick a new start."; return; }
        advance(1, false);
        render();
        updateText();
      });
      on(dom.reset, "click", () => {
        setPlaying(false);
        restart(false);
        dom.live.textContent = "Back to step 0.";
      });
      on(dom.speed, "input", () => {
        speed = SPEEDS[Number(dom.speed.value)] || DEFAULT_SPEED;
        syncControls();
      });
      for (const [name, runner] of dom.runners) {
        on(runner.input, "change", () => {
          config.opt = ORDER.filter((n) => (n === name ? runner.input.checked : config.opt.includes(n)));
          restart(true); // the newly enabled one catches up with the race
        });
      }
      for (const [key, s] of dom.sliders) {
        on(s.input, "input", () => {
          config[key] = s.spec.values[Number(s.input.value)];
          syncControls();
          restart(true); // every path, redone to the current step with the new value
        });
      }

      // A click or tap on the plot: start there and play.
      function domainAt(clientX, clientY) {
        const rect = dom.canvas.getBoundingClientRect();
        const x = frame.x0 + (clientX - rect.left - frame.left) / frame.scale;
        const y = frame.y0 + (frame.bottom - (clientY - rect.top)) / frame.scale;
        return [x, y];
      }
      function startAt(x, y) {
        config.start = [Number(x.toPrecision(4)), Number(y.toPrecision(4))];
        restart(false);
        setPlaying(true);
        dom.live.textContent = `Started from (${fmt(config.start[0])}, ${fmt(config.start[1])}).`;
      }
      on(dom.canvas, "click", (event) => {
        if (!frame) return;
        const [x, y] = domainAt(event.clientX, event.clientY);
        if (x < frame.x0 || x > frame.x1 || y < frame.y0 || y > frame.y1) return; // the margins
        cursor.shown = false;
        startAt(x, y);
      });
      on(dom.canvas, "keydown", (event) => {
        if (!frame || event.altKey || event.ctrlKey || event.metaKey) return;
        const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
        const d = moves[event.key];
        if (d) {
          event.preventDefault(); // do not scroll the page
          if (!cursor.shown) { cursor.x = config.start[0]; cursor.y = config.start[1]; cursor.shown = true; }
          const stepX = ((frame.x1 - frame.x0) / 100) * (event.shiftKey ? 10 : 1);
          const stepY = ((frame.y1 - frame.y0) / 100) * (event.shiftKey ? 10 : 1);
          cursor.x = Math.min(frame.x1, Math.max(frame.x0, cursor.x + d[0] * stepX));
          cursor.y = Math.min(frame.y1, Math.max(frame.y0, cursor.y + d[1] * stepY));
          const loss = prep.surface.value([cursor.x, cursor.y]);
          dom.live.textContent = `Cross at (${fmt(cursor.x)}, ${fmt(cursor.y)}), loss ${fmt(loss)}. ` +
            "Enter starts from it.";
          scheduleFrame();
        } else if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          const x = cursor.shown ? cursor.x : config.start[0];
          const y = cursor.shown ? cursor.y : config.start[1];
          cursor.shown = false;
          startAt(x, y);
        } else if (event.key === "Escape" && cursor.shown) {
          cursor.shown = false;
          scheduleFrame();
        }
      });
      on(dom.canvas, "focus", () => {
        if (dom.canvas.matches(":focus-visible")) {
          cursor.x = config.start[0];
          cursor.y = config.start[1];
          cursor.shown = true;
          scheduleFrame();
        }
      });
      on(dom.canvas, "blur", () => { cursor.shown = false; scheduleFrame(); });

      const resizeObserver = new ResizeObserver((entries) => {
        const changed = entries.some(({ contentRect }) => !size ||
          Math.round(contentRect.width) !== size.w || Math.round(contentRect.height) !== size.h);
        if (!changed) return;
        measure();
        scheduleFrame();
      });
      resizeObserver.observe(dom.canvas);
      const themeObserver = new MutationObserver(() => {
        pal = readPalette(root);
        surfaceLayer = null;
        scheduleFrame();
      });
      themeObserver.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

      teardown.push(() => {
        playing = false;
        if (rafId) cancelAnimationFrame(rafId);
        if (urlTimer) clearTimeout(urlTimer);
        resizeObserver.disconnect();
        themeObserver.disconnect();
      });

      useSurface(config.surface);
      syncControls();
      measure();
      rebuildRuns(0);
      cursor.x = config.start[0];
      cursor.y = config.start[1];
      render();
      updateText();
      if (bindUrl && urlErrors.length) scheduleUrl(); // the address now says what is shown
      if (!bindUrl) scheduleUrl();
      root.setAttribute("aria-busy", "false");
      resolveReady(api);
    }

    return () => { for (const fn of teardown.splice(0)) fn(); };
  }

  /* ---------- page lifecycle ---------- */

  function setupPage() {
    for (const [root, teardown] of instances) {
      if (!root.isConnected) {
        teardown();
        instances.delete(root);
      }
    }
    let urlTaken = [...instances.keys()].some((root) => root.isConnected && root.dataset.descentPlaygroundUrl);
    document.querySelectorAll(".descent-playground[data-playground]").forEach((root) => {
      if (instances.has(root)) return;
      const wants = root.dataset.url === "sync" || !root.dataset.config;
      const bindUrl = wants && !urlTaken;
      if (bindUrl) {
        urlTaken = true;
        root.dataset.descentPlaygroundUrl = "";
      }
      instances.set(root, createPlayground(root, bindUrl));
    });
  }

  function followNavigation() {
    if (window.document$ && window.document$.subscribe) window.document$.subscribe(setupPage);
  }

  window.descentPlaygroundSetup = setupPage;
  setupPage();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", followNavigation, { once: true });
  } else {
    followNavigation();
  }
})();
