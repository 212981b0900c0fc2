/* One visualizer on a page: the view (state.js), the three plots and the controls.

   Everything that does not depend on the epoch is prepared once: decoded arrays and loss scales
   per combination (data.js), the projected surface and its painter's order per camera
   (surface3d.js), and the 3-D box, the boundary plot's axes and points, and the curves, drawn
   into offscreen layers. An epoch change then costs 961 vertex heights, ~900 quad fills, one
   50×50 image scaled, a marching-squares p = 0.5 line, three layer copies and a marker; it runs
   synchronously in the slider's `input` handler, and the address is written a moment later. */

import { addressWriter } from "../lib/address.js";
import { blit, dot, fitCanvas, makeLayer, onResize } from "../lib/canvas.js";
import { deferred, el, Lifetime } from "../lib/dom.js";
import { base64Bytes, fetchOnce, LoadError, provide } from "../lib/load.js";
import { onSchemeChange, readPalette } from "../lib/palette.js";
import { boundaryFrame, drawBoundaryOverlay, drawContour, drawField, probabilityColours } from "./boundary.js";
import { buildDom } from "./controls.js";
import { curveFrame, drawCurveLayer, drawCurveMarker } from "./curves.js";
import { checkIndex, curveValue, decodeCombination, networkNote } from "./data.js";
import { nearestIndex } from "../lib/ticks.js";
import { choose, combinationFile, hasCombination, initialState, modelById, pickModel } from "./state.js";
import { DEFAULT_CAMERA, drawPath, drawSurface, drawSurfaceBackdrop, heightAt, PITCH_RANGE, surfaceGeometry } from "./surface3d.js";

const PLAY_INTERVAL_MS = 1000 / 6; // about 6 recorded epochs per second
const PALETTE = ["bg", "fg", "grid", "muted", "class0", "class1", "tint0", "tint1",
  "current", "current-edge", "minimum", "path", "path-edge", "loss", "acc", "marker"];
const PLOTS = ["surface", "boundary", "curve"];

const firstViews = new Map(); // absolute URL of a combination -> its decoded first view
let uid = 0;

const loadIndex = (url) => fetchOnce(url, (response) => response.json().then(checkIndex));
const loadCombination = (url) =>
  fetchOnce(url, (response) => response.arrayBuffer().then((buf) => decodeCombination(buf, url)));

// The page may carry the index and the default combination's first view inline (data
// attributes): the first view then needs no request, and is drawn before the theme's scripts
// run. The index takes the place of its request; the first view is kept apart, under the URL
// of the whole file it stands for.
export function adoptInline(root) {
  const indexUrl = new URL(root.dataset.index, document.baseURI).href;
  if (root.dataset.indexJson) provide(indexUrl, () => checkIndex(JSON.parse(root.dataset.indexJson)));
  if (root.dataset.first && root.dataset.firstFile) {
    const url = new URL(root.dataset.firstFile, indexUrl).href;
    if (!firstViews.has(url)) firstViews.set(url, decodeCombination(base64Bytes(root.dataset.first).buffer, url));
  }
  delete root.dataset.first; // text the page no longer needs
}

// Once the page's first contentful paint has reached the screen (as the browser reports it: a
// frame's callbacks can run well before the frame is shown), looked for at each frame; where
// paint timing is missing, or after an instant navigation, after the next frame.
function afterFirstPaint(fn) {
  const observable = window.PerformanceObserver && (PerformanceObserver.supportedEntryTypes || []).includes("paint");
  const painted = () => !observable || performance.getEntriesByName("first-contentful-paint").length > 0;
  const check = () => (painted() ? setTimeout(fn, 0) : requestAnimationFrame(check));
  requestAnimationFrame(check);
}

const fmt = (x, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "–");
const pct = (x) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : "–");

// Starts the visualizer in `root`; search: the page's query string for the first visualizer of a
// page (it reads and writes the address), null for others. For tests and the benchmark:
// root.descentVisualizer = {ready, firstRender, latencies, latencyLog, state()}.
export function createVisualizer(root, search) {
  const life = new Lifetime();
  const ready = deferred();
  const api = { ready: ready.promise, firstRender: null, latencies: [], latencyLog: [], state: () => null };
  root.descentVisualizer = api;
  const indexUrl = new URL(root.dataset.index, document.baseURI).href;

  const fail = (err) => {
    const message = err instanceof LoadError ? err.message : `The visualizer failed: ${err && err.message}`;
    root.setAttribute("aria-busy", "false");
    const status = root.querySelector(".descent-visualizer__status");
    if (status && api.firstRender !== null) {
      status.textContent = message; // keep the plots of the last good combination
    } else {
      root.replaceChildren(el("p", { class: "descent-widget__error descent-visualizer__error", role: "alert", text: message }));
    }
    ready.reject(err);
  };

  loadIndex(indexUrl).then((index) => {
    if (root.isConnected) new Visualizer(root, index, indexUrl, search, api, ready, fail, life);
  }).catch(fail);
  return () => life.end();
}

class Visualizer {
  constructor(root, index, indexUrl, search, api, ready, fail, life) {
    Object.assign(this, { root, index, indexUrl, search, api, ready, fail, life });
    this.dom = buildDom(root, index, `${root.id || "descent-visualizer"}-${++uid}`);
    const init = initialState(index, search);
    this.state = { model: init.model, dataset: init.dataset, training: init.training,
      wantEpoch: init.epoch, wantZoom: init.zoom, e: 0, z: 0, playing: false, camera: { ...DEFAULT_CAMERA } };
    this.combo = null;
    this.pal = this.palette();
    this.geo = null;
    this.sizes = {};
    this.layers = {};
    this.timer = null;
    this.writeAddress = addressWriter(life);
    this.pendingFrame = 0;
    this.requestToken = 0;
    api.state = () => this.describeState();

    this.listen();
    life.add(() => {
      this.setPlaying(false);
      if (this.pendingFrame) cancelAnimationFrame(this.pendingFrame);
      this.requestToken++;
    });
    this.syncChoices();
    this.measure(); // lay out while the combination is still downloading
    const view = firstViews.get(this.currentUrl());
    if (view && (this.state.wantEpoch === null || this.state.wantEpoch === view.epochs[view.epochs.length - 1])) {
      this.showFirstView(view);
    } else {
      this.loadCurrent(null);
    }
  }

  palette() {
    const pal = readPalette(this.root, "visualizer", PALETTE);
    pal.probability = probabilityColours(pal);
    return pal;
  }

  describeState() {
    const { state, combo } = this;
    return {
      model: state.model, dataset: state.dataset, training: state.training,
      epoch: combo ? combo.epochs[state.e] : state.wantEpoch,
      zoom: combo ? combo.radii[state.z] : state.wantZoom,
      playing: state.playing,
      loading: this.root.getAttribute("aria-busy") === "true", // the plots still show the previous pick
      complete: combo !== null && !combo.partial, // every epoch is here, not just the first view
      // The path as last drawn: its positions (every step's, or the recorded epochs') and how
      // many of them lie outside the plotted square.
      path: this.drawn ? { ...this.drawn } : null,
    };
  }

  /* -- sizes and cached layers -- */

  measure() {
    // Every box read before any canvas is resized: one layout, not one per canvas.
    const boxes = PLOTS.map((name) => this.dom[name].getBoundingClientRect());
    PLOTS.forEach((name, k) => { this.sizes[name] = fitCanvas(this.dom[name], boxes[k]); });
    this.geo = null;
    this.layers = {};
  }

  /* -- drawing -- */

  // A plot's canvas, cleared, with its layer (made by `make` when missing) copied on.
  canvasWith(name, make) {
    const size = this.sizes[name];
    if (!this.layers[name]) {
      const layer = makeLayer(size);
      make(layer);
      this.layers[name] = layer;
    }
    const canvas = this.dom[name];
    const ctx = canvas.getContext("2d");
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    return ctx;
  }

  drawSurfacePlot() {
    const { combo, state, pal } = this;
    if (!this.geo || this.geo.G !== combo.G || this.geo.camera !== state.camera) {
      this.geo = surfaceGeometry(combo.G, state.camera, this.sizes.surface);
      this.layers.surface = null;
    }
    const geo = this.geo;
    const ctx = this.canvasWith("surface", (layer) =>
      drawSurfaceBackdrop(layer.ctx, geo, pal, combo.radii[state.z], combo.zRanges[state.z]));
    blit(ctx, this.layers.surface, this.sizes.surface);
    drawSurface(ctx, geo, combo.loss, combo.lossAt(state.e, state.z), combo.zRanges[state.z]);
    const drawn = drawPath(ctx, geo, combo, state.e, combo.radii[state.z], pal);
    // Green: the lowest grid point; yellow: the weights themselves (the centre).
    let best = 0;
    for (let v = 1; v < combo.cells; v++) if (geo.zn[v] < geo.zn[best]) best = v;
    const G = combo.G;
    const bx = -1 + (2 * (best % G)) / (G - 1);
    const by = -1 + (2 * Math.floor(best / G)) / (G - 1);
    dot(ctx, ...geo.project(bx, by, geo.zn[best]), 4, pal.minimum, pal["path-edge"], 1.2);
    dot(ctx, ...geo.project(0, 0, heightAt(geo, 0, 0)), 5.5, pal.current, pal["current-edge"], 1.5);
    return drawn;
  }

  drawBoundaryPlot() {
    const { combo, state, pal } = this;
    const size = this.sizes.boundary;
    const frame = boundaryFrame(size);
    const ctx = this.canvasWith("boundary", (layer) => drawBoundaryOverlay(layer.ctx, combo, frame, pal));
    ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
    drawField(ctx, combo, state.e, frame, pal.probability);
    drawContour(ctx, combo, state.e, frame, pal);
    blit(ctx, this.layers.boundary, size);
  }

  drawCurvePlot() {
    const { combo, state, pal } = this;
    const size = this.sizes.curve;
    const ctx = this.canvasWith("curve", (layer) => {
      layer.frame = curveFrame(layer.ctx, combo, size, pal);
      drawCurveLayer(layer.ctx, combo, layer.frame, pal);
    });
    blit(ctx, this.layers.curve, size);
    drawCurveMarker(ctx, combo, this.layers.curve.frame, combo.epochs[state.e], pal);
  }

  describe(drawn) {
    const { combo, state, dom } = this;
    const epoch = combo.epochs[state.e];
    const r = combo.radii[state.z];
    const n = combo.epochs.length;
    dom.epochOut.textContent = String(epoch);
    dom.slider.setAttribute("aria-valuetext", `epoch ${epoch}`);
    const centre = combo.loss[combo.lossAt(state.e, state.z) + ((combo.cells - 1) >> 1)];
    const [lt, ls, at, as] = ["loss_train", "loss_test", "acc_train", "acc_test"].map((c) => curveValue(combo, c, epoch));
    dom.readout.textContent = `Epoch ${epoch}: train loss ${fmt(lt)}, test loss ${fmt(ls)}; ` +
      `train accuracy ${pct(at)}, test accuracy ${pct(as)}.`;
    if (state.e === 0) {
      dom.pathNote.textContent = `Epoch ${epoch}: the training path has not started yet.`;
    } else {
      const held = Math.round(100 * (1 - combo.pathError[state.e * n]));
      const { outside, positions } = drawn;
      const what = combo.steps ? "positions, one per step," : "recorded positions";
      const off = outside ? ` ${outside} of the ${positions} ${what} lie outside this square.` : "";
      dom.pathNote.textContent = `The training path, projected on this plane: the plane holds ${held}% ` +
        `of the distance from epoch ${combo.epochs[0]} to here; the rest is off the plane.${off}`;
    }
    dom.surface.setAttribute("aria-label", `Loss surface around the weights at epoch ${epoch}, zoom ${r}: ` +
      `loss ${fmt(Number(centre))} at the current weights. Drag or use the arrow keys to rotate.`);
    dom.boundary.setAttribute("aria-label", `Decision boundary at epoch ${epoch}: the model's ` +
      `probability of class 1 over the input plane, with ${combo.nTrain} training and ` +
      `${combo.labels.length - combo.nTrain} test points.`);
    const band = combo.batchRange ? ` Behind the loss, a band from the lowest to the highest loss of ` +
      `the ${combo.stepsPerEpoch} batches of each epoch.` : "";
    dom.curve.setAttribute("aria-label", `Loss and accuracy over ${combo.curveLength} epochs, ` +
      `marker at epoch ${epoch}: train loss ${fmt(lt)}, test accuracy ${pct(as)}.${band}`);
  }

  draw() {
    this.drawn = this.drawSurfacePlot();
    this.drawBoundaryPlot();
    this.drawCurvePlot();
    this.describe(this.drawn);
  }

  // A redraw caused by an input or change event: its latency is recorded for the benchmark.
  drawFor(event) {
    this.draw();
    if (event) {
      const ms = performance.now() - event.timeStamp;
      this.api.latencies.push(ms);
      this.api.latencyLog.push({ type: event.type, target: event.target.type || event.target.tagName, ms });
    }
    this.scheduleUrl();
  }

  scheduleFrame() {
    if (this.pendingFrame || !this.combo) return;
    this.pendingFrame = requestAnimationFrame(() => {
      this.pendingFrame = 0;
      this.draw();
    });
  }

  /* -- state changes -- */

  scheduleUrl() {
    this.writeAddress(() => {
      if (!this.root.isConnected || this.search === null) return null;
      const { model, dataset, training, epoch, zoom } = this.describeState();
      return Object.entries({ model, dataset, training, epoch, zoom });
    });
  }

  setPlaying(on) {
    this.state.playing = on;
    // The label says what a press does; no aria-pressed, which would contradict a changing label.
    this.dom.play.textContent = on ? "Pause" : "Play";
    this.dom.play.classList.toggle("descent-visualizer__play--on", on);
    if (this.timer) clearInterval(this.timer);
    this.timer = on ? setInterval(() => this.step(), PLAY_INTERVAL_MS) : null;
  }

  step() {
    const { combo, state } = this;
    if (!combo || state.e >= combo.epochs.length - 1) {
      this.setPlaying(false);
      return;
    }
    state.e++;
    this.dom.slider.value = String(state.e);
    this.draw();
    this.scheduleUrl();
    if (state.e >= combo.epochs.length - 1) this.setPlaying(false);
  }

  defaultZoom() {
    return this.combo ? Math.floor((this.combo.radii.length - 1) / 2) : 0;
  }

  // Install a combination, keeping the reader's epoch and zoom if it can.
  useCombination(next) {
    const { state, dom } = this;
    const prev = this.combo;
    const prevEpoch = prev ? prev.epochs[state.e] : state.wantEpoch;
    const prevZoom = prev ? prev.radii[state.z] : state.wantZoom;
    const sameRadii = prev !== null && prev.radii.join() === next.radii.join();
    this.combo = next;
    dom.download.href = next.url;
    const last = next.epochs.length - 1;
    if (prevEpoch !== null && next.epochs.includes(prevEpoch)) state.e = next.epochs.indexOf(prevEpoch);
    else if (prev !== null) state.e = nearestIndex(next.epochs, prevEpoch); // switched model or data
    else state.e = last; // no epoch in the address, or one that was not recorded
    const zi = prevZoom === null ? -1 : next.radii.findIndex((r) => Math.abs(r - prevZoom) < 1e-9);
    state.z = zi >= 0 ? zi : this.defaultZoom();
    state.wantEpoch = state.wantZoom = null;
    dom.slider.max = String(last);
    dom.slider.value = String(state.e);
    dom.slider.disabled = dom.play.disabled = next.partial; // until every epoch is here
    if (!sameRadii) {
      dom.zoom.replaceChildren(...next.radii.map((r, k) => el("option", { value: String(k), text: String(r) })));
    }
    dom.zoom.value = String(state.z);
    this.layers = {};
    dom.modelNote.textContent = networkNote(next.header);
    dom.dataNote.textContent = `${next.nTrain} training points (filled), ` +
      `${next.labels.length - next.nTrain} test points (rings).`;
  }

  // Each choice checked as the view is, and disabled where picking it alone leads to a
  // combination that was not built.
  syncChoices() {
    const { index, state, dom } = this;
    const model = modelById(index, state.model);
    const built = (m) => hasCombination(index, state.dataset, m.id, state.training);
    dom.layers.inputs.forEach((input, value) => {
      input.checked = Number(value) === model.layers;
      input.disabled = !index.models.some((m) => m.layers === Number(value) && built(m));
    });
    dom.widths.inputs.forEach((input, value) => {
      input.checked = Number(value) === model.width;
      input.disabled = !index.models.some((m) => m.layers === model.layers && m.width === Number(value) && built(m));
    });
    dom.trainings.inputs.forEach((input, value) => {
      input.checked = value === state.training;
      input.disabled = !hasCombination(index, state.dataset, state.model, value);
    });
    dom.datasets.inputs.forEach((input, value) => {
      input.checked = value === state.dataset;
      input.disabled = !hasCombination(index, value, state.model, state.training);
    });
  }

  currentUrl() {
    return new URL(combinationFile(this.index, this.state), this.indexUrl).href;
  }

  // The page's first view, drawn at once. The whole file is fetched once the page is painted
  // and takes its place without a redraw: at the first view's epoch, with the same scales, its
  // picture is the same. Only then do the slider and Play work; a newer pick takes over.
  showFirstView(view) {
    const token = this.requestToken;
    this.useCombination(view);
    this.drawFor(null);
    this.root.setAttribute("aria-busy", "false");
    this.api.firstRender = performance.now();
    this.ready.resolve(this.api);
    const current = () => token === this.requestToken && this.combo === view && this.root.isConnected;
    afterFirstPaint(() => {
      if (!current()) return;
      loadCombination(view.url).then((whole) => {
        if (!current()) return;
        this.combo = whole;
        this.dom.slider.disabled = this.dom.play.disabled = false;
      }).catch((err) => { if (current()) this.fail(err); });
    });
  }

  // Load (or take from the cache) the current (dataset, model, training) and draw it.
  loadCurrent(event) {
    const token = ++this.requestToken;
    this.root.setAttribute("aria-busy", "true");
    return loadCombination(this.currentUrl()).then((next) => {
      if (token !== this.requestToken || !this.root.isConnected) return;
      this.root.setAttribute("aria-busy", "false");
      this.dom.status.textContent = "";
      this.useCombination(next);
      this.drawFor(event);
      if (this.api.firstRender === null) {
        this.api.firstRender = performance.now();
        this.ready.resolve(this.api);
      }
    }).catch((err) => { if (token === this.requestToken) this.fail(err); });
  }

  // Rotation: dragging with any pointer (touch too), or the arrow keys on the focused canvas.
  rotate(dYaw, dPitch) {
    const { camera } = this.state;
    const pitch = Math.min(PITCH_RANGE[1], Math.max(PITCH_RANGE[0], camera.pitch + dPitch));
    this.state.camera = { yaw: camera.yaw + dYaw, pitch };
    this.scheduleFrame();
  }

  listen() {
    const { dom, state, index, life } = this;
    life.on(dom.slider, "input", (event) => {
      if (!this.combo) return;
      state.e = Number(dom.slider.value);
      this.drawFor(event); // synchronously: the next frame shows the new epoch
    });
    life.on(dom.zoom, "change", (event) => {
      if (!this.combo) return;
      state.z = Number(dom.zoom.value);
      this.layers.surface = null;
      this.drawFor(event);
    });
    life.on(dom.play, "click", () => {
      if (!this.combo) return;
      if (state.playing) {
        this.setPlaying(false);
        return;
      }
      if (state.e >= this.combo.epochs.length - 1) {
        state.e = 0;
        dom.slider.value = "0";
        this.draw();
        this.scheduleUrl();
      }
      this.setPlaying(true);
    });
    life.on(dom.reset, "click", () => {
      if (!this.combo) return;
      this.setPlaying(false);
      state.camera = { ...DEFAULT_CAMERA };
      state.z = this.defaultZoom();
      state.e = this.combo.epochs.length - 1;
      dom.zoom.value = String(state.z);
      dom.slider.value = String(state.e);
      this.layers.surface = null;
      this.draw();
      this.scheduleUrl();
    });
    const pick = (event, change) => {
      Object.assign(state, choose(index, state, change));
      this.syncChoices();
      this.loadCurrent(event);
    };
    const onModel = (event) => {
      const checked = (group) => Number([...group.inputs.values()].find((i) => i.checked).value);
      pick(event, { model: pickModel(index, state.dataset, checked(dom.layers), checked(dom.widths), state.training).id });
    };
    dom.layers.inputs.forEach((input) => life.on(input, "change", onModel));
    dom.widths.inputs.forEach((input) => life.on(input, "change", onModel));
    dom.trainings.inputs.forEach((input) => life.on(input, "change", (event) => pick(event, { training: input.value })));
    dom.datasets.inputs.forEach((input) => life.on(input, "change", (event) => pick(event, { dataset: input.value })));

    let drag = null;
    life.on(dom.surface, "pointerdown", (event) => {
      if (event.button !== 0) return;
      drag = { id: event.pointerId, x: event.clientX, y: event.clientY };
      dom.surface.setPointerCapture(event.pointerId);
      dom.surface.classList.add("is-dragging");
    });
    life.on(dom.surface, "pointermove", (event) => {
      if (!drag || event.pointerId !== drag.id) return;
      this.rotate((event.clientX - drag.x) * 0.01, (event.clientY - drag.y) * 0.01);
      drag.x = event.clientX;
      drag.y = event.clientY;
    });
    const endDrag = (event) => {
      if (!drag || event.pointerId !== drag.id) return;
      drag = null;
      dom.surface.classList.remove("is-dragging");
    };
    life.on(dom.surface, "pointerup", endDrag);
    life.on(dom.surface, "pointercancel", endDrag);
    life.on(dom.surface, "keydown", (event) => {
      const keys = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, 0.06], ArrowDown: [0, -0.06] };
      const d = keys[event.key];
      if (!d || event.altKey || event.ctrlKey || event.metaKey) return;
      event.preventDefault(); // do not scroll the page
      this.rotate(d[0], d[1]);
    });

    // Resizes (layout, a phone turned) and palette changes redraw on the next frame.
    const plotOf = (canvas) => PLOTS.find((name) => dom[name] === canvas);
    onResize(life, PLOTS.map((name) => dom[name]), (canvas) => this.sizes[plotOf(canvas)], () => {
      this.measure();
      this.scheduleFrame();
    });
    onSchemeChange(life, () => {
      this.pal = this.palette();
      this.layers = {};
      this.scheduleFrame();
    });
  }
}
