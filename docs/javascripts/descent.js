/*
 * Descent figures: renders every <figure class="descent-figure"> on a page with plotly.js,
 * and gives each lesson video its poster (data-poster) when it comes near the screen.
 *
 * Markup (emitted by the site's build, descent/site/assets.py):
 *   <figure class="descent-figure" data-figure="…/figure.json" data-plotly="…/plotly-2d.min.js">
 * or, from a notebook's output (descent.notebook.show), the figure JSON inline (an attribute,
 * not a script: instant navigation re-runs the scripts of new content; the site's build moves it
 * to a file, data-figure, and a page without that build draws it from here):
 *   <figure class="descent-figure" data-figure-json="{…}" data-plotly="…">
 *     <div class="descent-figure__plot" role="group" aria-label="…"></div>
 *     <figcaption>…</figcaption>
 *   </figure>
 *
 * Why it is shaped like this:
 * - mkdocs-material's instant navigation swaps page content without reloading scripts, so all
 *   work starts from `document$.subscribe` and old figures are purged on every page change.
 * - plotly.js is big: it is injected only by pages that have a figure, as the bundle that page
 *   names (the smallest of the site's bundles that has all of its figures' trace types), and
 *   again only when a later page names another bundle.
 * - Browsers allow only a handful of WebGL contexts per page, so figures render when they come
 *   near the viewport, and WebGL (3-D) figures are purged again when they go far out of view.
 * - Until the reader first scrolls a page, only figures actually on screen draw: the first view
 *   does not wait for plotly.js and figures below it. From then on, figures draw a little
 *   before they come into view.
 * - Figures are drawn with transparent backgrounds and no template; colours come from the
 *   site's light/dark palette (CSS variables in descent.css) and follow the palette toggle.
 * - A figure JSON may carry "controls" (a trace-visibility select, a grid of selects, a step
 *   slider); the control state lives here, so a purged figure comes back exactly as the reader
 *   left it.
 */

import { everyPage } from "./lib/lifecycle.js";
import { base64Bytes } from "./lib/load.js";
import { onSchemeChange } from "./lib/palette.js";

const RENDER_MARGIN = "300px 0px"; // start fetching and drawing a little before it is seen
const KEEP_MARGIN = "1500px 0px"; // WebGL figures further away than this are purged
const WEBGL_TYPES = new Set([
  "surface", "scatter3d", "mesh3d", "cone", "streamtube", "isosurface", "volume",
  "scattergl", "splom", "parcoords",
]);
const GL3D_TYPES = new Set([
  "surface", "scatter3d", "mesh3d", "cone", "streamtube", "isosurface", "volume",
]);
const DTYPES = {
  f8: Float64Array, f4: Float32Array, i4: Int32Array, u4: Uint32Array, i2: Int16Array,
  u2: Uint16Array, i1: Int8Array, u1: Uint8Array, u1c: Uint8ClampedArray,
  float64: Float64Array, float32: Float32Array, int32: Int32Array, uint32: Uint32Array,
  int16: Int16Array, uint16: Uint16Array, int8: Int8Array, uint8: Uint8Array,
  uint8c: Uint8ClampedArray,
};
const CONFIG = { responsive: true, displaylogo: false };
// Where plotly.js is when a figure does not say: the site's fullest bundle, found from this
// script's address (a figure outside the site's build cannot know the page's depth).
const DEFAULT_PLOTLY = document.currentScript
  ? new URL("../assets/vendor/plotly/plotly-3d.min.js", document.currentScript.src).href
  : null;

const figures = new Map(); // <figure> element -> record, for the current page
// Each figure draws in a task of its own, after plotly.js's evaluation: the page stays
// responsive between them.
const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));
let plotlyLoad = null; // Promise of window.Plotly, shared across instant navigations
let plotlySrc = null; // the bundle it loads
let controlIds = 0;

/* ---------- loading ---------- */

function loadPlotly(src) {
  if (!src) return Promise.reject(new Error("no data-plotly address"));
  if (plotlySrc !== src) {
    // Another bundle than the page before named (instant navigation): its figures are gone.
    plotlySrc = src;
    plotlyLoad = null;
  }
  if (!plotlyLoad) {
    plotlyLoad = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => {
        if (window.Plotly) resolve(window.Plotly);
        else reject(new Error("plotly.js did not load"));
      };
      script.onerror = () => reject(new Error("could not load plotly.js"));
      document.head.appendChild(script);
    }).catch((err) => {
      plotlyLoad = null; // let a later page try again
      throw err;
    });
  }
  return plotlyLoad;
}

async function fetchFigure(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

/* Plotly's typed-array encoding {dtype, bdata, shape} to a flat typed array (the stepped
   x, y, z of a path are 1-D); plain lists pass through. */
function decodeArray(value) {
  if (!value || Array.isArray(value) || ArrayBuffer.isView(value)) return value;
  if (typeof value !== "object" || !("bdata" in value)) return value;
  const Type = DTYPES[value.dtype];
  if (!Type) throw new Error(`unknown dtype ${value.dtype}`);
  return new Type(base64Bytes(value.bdata).buffer);
}

/* ---------- palette ---------- */

function palette() {
  const dark = scheme() === "slate";
  const css = getComputedStyle(document.body);
  const pick = (name, light, slate) =>
    css.getPropertyValue(name).trim() || (dark ? slate : light);
  return {
    fg: pick("--descent-plot-fg", "#2e3440", "#e3e6ed"),
    grid: pick("--descent-plot-grid", "#e3e6ea", "#3a3f4b"),
    zero: pick("--descent-plot-zero", "#b7bcc4", "#6b7180"),
    muted: pick("--descent-plot-muted", "#9aa0a8", "#7d8494"),
  };
}

/* Names of the 2-D axes and 3-D scenes a figure uses, from its traces and layout. */
function subplots(data, layout) {
  const axes = new Set();
  const scenes = new Set();
  for (const key of Object.keys(layout)) {
    if (/^[xy]axis\d*$/.test(key)) axes.add(key);
    if (/^scene\d*$/.test(key)) scenes.add(key);
  }
  for (const trace of data) {
    if (GL3D_TYPES.has(trace.type)) {
      scenes.add(trace.scene || "scene");
    } else if ("x" in trace || "y" in trace || "z" in trace) {
      axes.add("xaxis" + (trace.xaxis || "x").slice(1));
      axes.add("yaxis" + (trace.yaxis || "y").slice(1));
    }
  }
  return { axes: [...axes], scenes: [...scenes] };
}

/* Layout attributes (Plotly.relayout's dotted form) for the current colour scheme. */
function themePatch(data, layout) {
  const c = palette();
  const patch = {
    "font.color": c.fg,
    "paper_bgcolor": "rgba(0,0,0,0)",
    "plot_bgcolor": "rgba(0,0,0,0)",
    "modebar.bgcolor": "rgba(0,0,0,0)",
    "modebar.color": c.muted,
    "modebar.activecolor": c.fg,
  };
  const { axes, scenes } = subplots(data, layout);
  for (const axis of axes) {
    patch[`${axis}.color`] = c.fg;
    patch[`${axis}.linecolor`] = c.zero;
    patch[`${axis}.gridcolor`] = c.grid;
    patch[`${axis}.zerolinecolor`] = c.zero;
  }
  for (const scene of scenes) {
    for (const axis of ["xaxis", "yaxis", "zaxis"]) {
      patch[`${scene}.${axis}.color`] = c.fg;
      patch[`${scene}.${axis}.linecolor`] = c.zero;
      patch[`${scene}.${axis}.gridcolor`] = c.grid;
      patch[`${scene}.${axis}.zerolinecolor`] = c.zero;
    }
  }
  return patch;
}

function setPath(obj, path, value) {
  const keys = path.split(".");
  const last = keys.pop();
  for (const key of keys) {
    if (!obj[key] || typeof obj[key] !== "object") obj[key] = {};
    obj = obj[key];
  }
  obj[last] = value;
}

function scheme() {
  return document.body.getAttribute("data-md-color-scheme");
}

function retheme() {
  for (const record of figures.values()) {
    if (!record.drawn) continue; // a figure drawn later gets the current palette then
    Plotly.relayout(record.plot, themePatch(record.plot.data, record.plot.layout));
  }
}

/* ---------- controls ---------- */

/* Trace data with the control state applied: visibility from the select, paths cut at
   the step. */
function traceData(record) {
  const data = structuredClone(record.spec.data);
  const { visible, step } = record.state;
  if (visible) visible.forEach((v, i) => data[i] && (data[i].visible = v));
  if (step !== null) {
    for (const [index, shown] of stepSlices(record, step)) Object.assign(data[index], shown);
  }
  return data;
}

/* For step k, the coordinates each stepped trace shows: "upto" traces 0..k, "at" only k. */
function stepSlices(record, k) {
  const slices = [];
  for (const [index, path] of record.paths) {
    const shown = {};
    for (const axis of ["x", "y", "z"]) {
      const full = path[axis];
      if (full) shown[axis] = path.upto ? full.slice(0, k + 1) : full.slice(k, k + 1);
    }
    slices.push([index, shown]);
  }
  return slices;
}

/* The same as one Plotly.restyle call: ({x: [xs of trace a, xs of trace b], …}, [a, b]). */
function restyleStep(record) {
  const slices = stepSlices(record, record.state.step);
  const update = {};
  for (const axis of ["x", "y", "z"]) {
    if (slices.some(([, shown]) => axis in shown)) {
      update[axis] = slices.map(([, shown]) => shown[axis] || []);
    }
  }
  return Plotly.restyle(record.plot, update, slices.map(([index]) => index));
}

function buildControls(record) {
  const controls = record.spec.controls || [];
  if (!controls.length) return;
  const bar = document.createElement("div");
  bar.className = "descent-figure__controls";
  for (const control of controls) {
    if (control.type === "select") bar.appendChild(selectControl(record, control));
    else if (control.type === "grid") gridControl(record, control).forEach((f) => bar.appendChild(f));
    else if (control.type === "step") bar.appendChild(stepControl(record, control));
  }
  record.el.insertBefore(bar, record.plot);
}

function controlField(labelText) {
  const id = `descent-control-${++controlIds}`;
  const field = document.createElement("div");
  field.className = "descent-figure__control";
  const label = document.createElement("label");
  label.htmlFor = id;
  label.textContent = labelText;
  field.appendChild(label);
  return { id, field };
}

function selectControl(record, control) {
  const { id, field } = controlField(control.label || "Show");
  const select = document.createElement("select");
  select.id = id;
  control.options.forEach((option, i) => select.add(new Option(option.label, String(i))));
  const initial = control.default || 0;
  select.value = String(initial);
  record.state.visible = control.options[initial].visible;
  select.addEventListener("change", () => {
    const visible = control.options[Number(select.value)].visible;
    record.state.visible = visible;
    if (record.drawn) Plotly.restyle(record.plot, { visible });
  });
  field.appendChild(select);
  return field;
}

/* Several selects (β, learning rate, …) whose combination picks one run: "combos" maps the
   chosen option indices ("i,j,k") to a run, "traces" lists each run's traces, "fixed" the traces
   always shown. A combination that was never run shows no path. */
function gridControl(record, control) {
  const chosen = control.dims.map((dim) => dim.default || 0);
  const visibleFor = () => {
    const run = control.combos[chosen.join(",")];
    const shown = new Set([...control.fixed, ...(run === undefined ? [] : control.traces[run])]);
    return record.spec.data.map((_, i) => shown.has(i));
  };
  record.state.visible = visibleFor();
  return control.dims.map((dim, d) => {
    const { id, field } = controlField(dim.label);
    const select = document.createElement("select");
    select.id = id;
    dim.options.forEach((label, i) => select.add(new Option(label, String(i))));
    select.value = String(chosen[d]);
    select.addEventListener("change", () => {
      chosen[d] = Number(select.value);
      const visible = visibleFor();
      record.state.visible = visible;
      if (record.drawn) Plotly.restyle(record.plot, { visible });
    });
    field.appendChild(select);
    return field;
  });
}

function stepControl(record, control) {
  const { id, field } = controlField(control.label || "Step");
  const max = control.max;
  const input = document.createElement("input");
  Object.assign(input, { type: "range", id, min: 0, max, step: 1 });
  const readout = document.createElement("output");
  readout.htmlFor = id;
  readout.setAttribute("aria-hidden", "true"); // the slider itself announces its value
  const show = (k) => {
    input.value = String(k);
    readout.textContent = `${k} / ${max}`;
    input.setAttribute("aria-valuetext", `${k} of ${max}`);
  };

  // Keep the full arrays of every stepped trace, decoded once; each change slices them. A
  // marker of the current step ("at") takes them from the path it follows, if it names one
  // (its own arrays then hold only its point at the default step).
  const traces = record.spec.data;
  const decoded = new Map();
  const coordinates = (index) => {
    if (!decoded.has(index)) {
      const trace = traces[index];
      decoded.set(index, trace && {
        x: decodeArray(trace.x), y: decodeArray(trace.y), z: decodeArray(trace.z),
      });
    }
    return decoded.get(index);
  };
  const follows = control.follows || [];
  for (const [mode, indices] of [["upto", control.upto || []], ["at", control.at || []]]) {
    indices.forEach((index, j) => {
      const source = mode === "at" && follows[j] !== undefined ? follows[j] : index;
      const xyz = traces[index] && coordinates(source);
      if (xyz) record.paths.set(index, { upto: mode === "upto", ...xyz });
    });
  }

  const initial = Math.min(control.default ?? max, max);
  record.state.step = initial;
  show(initial);
  let pending = false;
  input.addEventListener("input", () => {
    record.state.step = Number(input.value);
    show(record.state.step);
    if (pending) return;
    pending = true; // at most one redraw per frame while the reader scrubs
    requestAnimationFrame(() => {
      pending = false;
      if (record.drawn) restyleStep(record);
    });
  });
  field.append(input, readout);
  return field;
}

/* ---------- drawing ---------- */

function showError(record, message) {
  record.failed = true;
  const note = document.createElement("p");
  note.className = "descent-figure__error";
  note.textContent = `This figure could not be loaded (${message}).`;
  record.plot.replaceChildren(note);
}

async function draw(record) {
  if (record.drawn || record.drawing || record.failed) return;
  record.drawing = true;
  try {
    const [Plotly] = await Promise.all([loadPlotly(record.plotlyUrl), prepare(record)]);
    await nextTask();
    if (!record.el.isConnected || !record.near) return; // left the page or scrolled away
    const data = traceData(record);
    const layout = structuredClone(record.spec.layout || {});
    // The plot area's CSS size is the authority (responsive), except that a figure asking for
    // more height than the default (several plots and a table) gets it.
    if (layout.height > record.plot.clientHeight) record.plot.style.height = `${layout.height}px`;
    delete layout.width;
    delete layout.height;
    layout.autosize = true;
    const theme = themePatch(data, layout);
    for (const [path, value] of Object.entries(theme)) setPath(layout, path, value);
    for (const [scene, camera] of Object.entries(record.cameras)) {
      setPath(layout, `${scene}.camera`, camera); // the viewpoint it had before a purge
    }
    const drawnWith = { ...record.state, scheme: scheme() };
    await Plotly.newPlot(record.plot, data, layout, CONFIG);
    record.drawn = true;
    // The reader may have used a control or the palette toggle while plotly was drawing.
    if (record.state.visible !== drawnWith.visible) {
      Plotly.restyle(record.plot, { visible: record.state.visible });
    }
    if (record.state.step !== drawnWith.step) restyleStep(record);
    if (scheme() !== drawnWith.scheme) retheme();
  } catch (err) {
    console.warn("descent: figure failed", record.figureUrl, err);
    showError(record, err.message);
  } finally {
    record.drawing = false;
  }
}

/* Fetch the figure JSON once per page view and build its controls. */
function prepare(record) {
  if (!record.prepared) {
    const source = record.inline
      ? Promise.resolve().then(() => JSON.parse(record.inline))
      : fetchFigure(record.figureUrl);
    record.prepared = source.then((spec) => {
      record.spec = spec;
      record.usesWebGL = (spec.data || []).some((t) => WEBGL_TYPES.has(t.type));
      buildControls(record);
    });
  }
  return record.prepared;
}

function purge(record) {
  if (!record.drawn) return;
  // Keep the reader's 3-D viewpoint for when the figure comes back.
  for (const key of Object.keys(record.plot.layout || {})) {
    const camera = record.plot.layout[key] && record.plot.layout[key].camera;
    if (/^scene\d*$/.test(key) && camera) record.cameras[key] = structuredClone(camera);
  }
  Plotly.purge(record.plot);
  record.plot.replaceChildren();
  record.drawn = false;
}

let scrolled = false; // has the reader scrolled this page yet

function onScreen(entry) {
  const box = entry.boundingClientRect;
  return box.top < window.innerHeight && box.bottom > 0;
}

const nearObserver = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      const record = figures.get(entry.target);
      if (!record) continue;
      record.near = entry.isIntersecting;
      if (entry.isIntersecting && (scrolled || onScreen(entry))) draw(record);
    }
  },
  { rootMargin: RENDER_MARGIN },
);

function firstScroll() {
  scrolled = true;
  for (const record of figures.values()) if (record.near) draw(record);
}

const farObserver = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      const record = figures.get(entry.target);
      if (record && !entry.isIntersecting && record.usesWebGL) purge(record);
    }
  },
  { rootMargin: KEEP_MARGIN },
);

/* ---------- video posters ---------- */

const posterObserver = new IntersectionObserver(
  (entries) => {
    for (const entry of entries) {
      if (!entry.isIntersecting) continue;
      entry.target.poster = entry.target.dataset.poster;
      posterObserver.unobserve(entry.target);
    }
  },
  { rootMargin: RENDER_MARGIN },
);

/* ---------- page lifecycle ---------- */

function forget(record) {
  nearObserver.unobserve(record.el);
  farObserver.unobserve(record.el);
  if (window.Plotly && record.drawn) Plotly.purge(record.plot); // frees its WebGL context now
  figures.delete(record.el);
}

function setup() {
  // Instant navigation replaced the content: let go of the previous page's figures.
  for (const record of [...figures.values()]) if (!record.el.isConnected) forget(record);
  if (scrolled) {
    scrolled = false;
    window.addEventListener("scroll", firstScroll, { passive: true, once: true });
  }

  posterObserver.disconnect(); // the previous page's videos, if any were not reached
  for (const video of document.querySelectorAll("video[data-poster]")) {
    if (!video.poster) posterObserver.observe(video);
  }

  // A table wider than the page scrolls sideways inside the theme's wrapper: make the wrapper a
  // named, focusable region, so that the keyboard can scroll it too.
  for (const wrap of document.querySelectorAll(".md-typeset__scrollwrap")) {
    if (wrap.hasAttribute("tabindex") || wrap.scrollWidth <= wrap.clientWidth) continue;
    wrap.tabIndex = 0;
    wrap.setAttribute("role", "region");
    wrap.setAttribute("aria-label", "Table, scrolls sideways");
  }

  for (const el of document.querySelectorAll("figure.descent-figure")) {
    if (figures.has(el)) continue;
    const plot = el.querySelector(".descent-figure__plot");
    const inline = el.dataset.figureJson;
    if (!plot || (!inline && !el.dataset.figure)) continue;
    const base = document.baseURI;
    const record = {
      el, plot,
      inline,
      figureUrl: el.dataset.figure ? new URL(el.dataset.figure, base).href : null,
      plotlyUrl: el.dataset.plotly ? new URL(el.dataset.plotly, base).href : DEFAULT_PLOTLY,
      spec: null, prepared: null, paths: new Map(), cameras: {},
      state: { visible: null, step: null },
      near: false, drawn: false, drawing: false, failed: false, usesWebGL: false,
    };
    figures.set(el, record);
    nearObserver.observe(el);
    farObserver.observe(el);
  }
}

window.addEventListener("scroll", firstScroll, { passive: true, once: true });

// Re-theme drawn figures whenever the palette toggle flips the scheme on <body>.
onSchemeChange(null, retheme);

everyPage("descentFiguresSetup", setup);
