/*
 * Loss landscape and decision boundary visualizer: Canvas 2D, no libraries.
 *
 * Markup (emitted by the MkDocs hook):
 *   <div class="descent-visualizer" id="…" data-index="…/explorer/index.json">
 *     <p class="descent-visualizer__loading">Loading the visualizer…</p>
 *   </div>
 * This script replaces the content with: a model panel (hidden layers × width radios), the
 * 3-D loss surface and the decision boundary side by side, a dataset panel, the controls
 * (epoch slider, Play/Pause, Reset, Zoom), the current numbers and the loss/accuracy curves.
 *
 * Data (built by the project's Python pipeline):
 * - index.json: {format: 1, title, models: [{id, label, layers, width}], datasets: [{id,
 *   label}], default: {dataset, model}, combinations: {"<dataset>/<model id>": "<file>.bin"}}.
 *   Combination files resolve relative to the index URL.
 * - <file>.bin: uint32 LE n; n bytes of JSON header (space padded); then the arrays, each at
 *   header.arrays[name].offset bytes after byte 4 + n, little-endian, C order:
 *     loss[e][z][j][i]  float16  training loss at a = r_z(−1 + 2i/(G−1)), b = r_z(−1 + 2j/(G−1))
 *                                around the weights of recorded epoch epochs[e] (G = header.grid)
 *     prob[e][j][i]     uint8    round(255 · P(class 1)) on the boundary grid over the extent
 *     curves[c][t]      float32  c in curve_names, t = every training epoch 0..epochs[-1]
 *     points[k], labels[k]       samples; the first n_train are training points
 *     path[e][k]        float32  (a, b) of epoch k's weights projected on epoch e's plane
 *     path_error[e][k]  float32  share of |θ_k − θ_e| that the plane misses
 *
 * Performance design (targets: first draw ≤ 300 ms, epoch change ≤ 16.7 ms at p95):
 * - The page carries the index and the default combination's first view inline (data-index-json,
 *   data-first: base64 of a .bin with the last epoch's planes and boundary only, and under
 *   header.first_view that epoch and the whole file's loss scales), and loads this script right
 *   after the visualizer, before the theme's deferred scripts: the first view is drawn without a
 *   request, in this script's microtasks. The whole file follows once the page is painted (the
 *   slider and Play wait for it); 21 kB in the page instead of 186 kB let a phone paint sooner.
 *   Other combinations are fetched when picked and cached (Map of promises), never twice.
 * - Everything that does not depend on the epoch is prepared once: decoded float arrays and
 *   z-ranges per combination; projected (x, y) of the surface vertices and the back-to-front
 *   quad order per camera (an orthographic view of a height field from above has a painter's
 *   order that depends only on the yaw, so no sort per epoch); fill colours as a precomputed
 *   table of strings (viridis × shading levels); the 3-D box and axes, the boundary plot's
 *   axes and data points, and the curve plot's lines are drawn once into offscreen layers.
 * - An epoch change then costs: 961 vertex heights, ~900 quad fills, one 50×50 putImageData
 *   scaled by drawImage, a marching-squares p = 0.5 line, three layer blits and a marker.
 *   It runs synchronously in the slider's `input` handler; the URL update is debounced.
 * - Timings for tests: root.descentVisualizer = {ready, firstRender, latencies, state()}.
 */
(function () {
  "use strict";

  // The page's content loads this script, and instant navigation runs the scripts of new
  // content again: the first run stays in charge and is asked to look at the new page.
  if (window.descentVisualizerSetup) {
    window.descentVisualizerSetup();
    return;
  }

  const PLAY_INTERVAL_MS = 1000 / 6; // about 6 recorded epochs per second
  const URL_DELAY_MS = 250; // coalesce history.replaceState calls (browsers throttle them)
  const DEFAULT_CAMERA = { yaw: 0.62, pitch: 0.62 }; // radians: from the front-left, above
  const PITCH_RANGE = [0.12, 1.45];
  const BOX_HEIGHT = 1.1; // height of the z box relative to the half-width of the (a, b) square
  const HEIGHT_LEVELS = 64; // colour table: viridis levels × shading levels
  const SHADE_LEVELS = 12;
  const AMBIENT = 0.5;
  // Viridis at 11 evenly spaced stops (matplotlib), interpolated into the table.
  const VIRIDIS = ["#440154", "#482475", "#414487", "#355f8d", "#2a788e", "#21918c",
    "#22a884", "#44bf70", "#7ad151", "#bddf26", "#fde725"];
  const PALETTE_VARS = ["bg", "fg", "grid", "muted", "class0", "class1", "tint0", "tint1",
    "current", "current-edge", "minimum", "path", "path-edge", "loss", "acc", "marker"];

  const noop = () => {};
  const requests = new Map(); // absolute URL -> Promise (index JSON or decoded combination)
  const firstViews = new Map(); // absolute URL of a combination -> its decoded first view
  const instances = new Map(); // root element -> teardown function
  let uid = 0;

  /* ---------- loading ---------- */

  class LoadError extends Error {}

  function fetchOnce(url, decode) {
    if (!requests.has(url)) {
      const promise = fetch(url)
        .catch((err) => { throw new LoadError(`Could not load ${url}: ${err.message}`); })
        .then((response) => {
          if (!response.ok) {
            throw new LoadError(`Could not load ${url}: ${response.status} ${response.statusText}`.trim());
          }
          return decode(response);
        });
      promise.catch(() => requests.delete(url)); // a failure may be retried later
      requests.set(url, promise);
    }
    return requests.get(url);
  }

  // The page may carry the index and the default combination's first view inline (the MkDocs
  // hook puts them in data attributes): the first view then needs no request, and draws before
  // the theme's scripts run. The index enters the cache of fetched files; the first view is kept
  // apart, under the URL of the whole file it stands for.
  function adoptInline(root) {
    const indexUrl = new URL(root.dataset.index, document.baseURI).href;
    if (root.dataset.indexJson && !requests.has(indexUrl)) {
      requests.set(indexUrl, Promise.resolve(checkIndex(JSON.parse(root.dataset.indexJson))));
    }
    if (root.dataset.first && root.dataset.firstFile) {
      const url = new URL(root.dataset.firstFile, indexUrl).href;
      if (!firstViews.has(url)) firstViews.set(url, decodeCombination(base64Bytes(root.dataset.first).buffer, url));
    }
    delete root.dataset.first; // text the page no longer needs
  }

  // Once the page's first contentful paint has reached the screen (as the browser reports it:
  // a frame's callbacks can run well before the frame is shown), looked for at each frame;
  // where paint timing is missing, or after an instant navigation, after the next frame.
  function afterFirstPaint(fn) {
    const observable = window.PerformanceObserver && (PerformanceObserver.supportedEntryTypes || []).includes("paint");
    const painted = () => !observable || performance.getEntriesByName("first-contentful-paint").length > 0;
    const check = () => (painted() ? setTimeout(fn, 0) : requestAnimationFrame(check));
    requestAnimationFrame(check);
  }

  function base64Bytes(text) {
    const chars = atob(text);
    const bytes = new Uint8Array(chars.length);
    for (let i = 0; i < chars.length; i++) bytes[i] = chars.charCodeAt(i); // a plain loop: 10x Uint8Array.from
    return bytes;
  }

  const loadIndex = (url) => fetchOnce(url, (response) => response.json().then(checkIndex));
  const loadCombination = (url) =>
    fetchOnce(url, (response) => response.arrayBuffer().then((buf) => decodeCombination(buf, url)));

  function checkIndex(index) {
    if (!index || index.format !== 1 || !Array.isArray(index.models) ||
        !Array.isArray(index.datasets) || !index.combinations) {
      throw new LoadError("The visualizer index has an unknown format.");
    }
    return index;
  }

  /* ---------- decoding ---------- */

  const HALF_EXP = Array.from({ length: 32 }, (_, e) => 2 ** (e - 15));

  function decodeHalfs(u16) {
    const out = new Float32Array(u16.length);
    for (let n = 0; n < u16.length; n++) {
      const h = u16[n];
      const e = (h >> 10) & 31;
      const f = h & 1023;
      const v = e === 0 ? f * 5.960464477539063e-8 : e === 31 ? (f ? NaN : Infinity)
        : (1 + f / 1024) * HALF_EXP[e];
      out[n] = h & 0x8000 ? -v : v;
    }
    return out;
  }

  const TYPED = { float32: Float32Array, float16: Uint16Array, uint8: Uint8Array,
    uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array };

  function readArray(buffer, base, spec) {
    const Type = TYPED[spec.dtype];
    if (!Type) throw new LoadError(`Unsupported dtype ${spec.dtype}`);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const start = base + spec.offset;
    // Typed arrays need aligned offsets; copy the bytes when the file does not align them.
    const arr = start % Type.BYTES_PER_ELEMENT === 0 ? new Type(buffer, start, count)
      : new Type(buffer.slice(start, start + count * Type.BYTES_PER_ELEMENT));
    return spec.dtype === "float16" ? decodeHalfs(arr) : arr;
  }

  function decodeCombination(buffer, url) {
    const n = new DataView(buffer).getUint32(0, true);
    const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, n)));
    const arrays = {};
    for (const [name, spec] of Object.entries(header.arrays)) {
      arrays[name] = readArray(buffer, 4 + n, spec);
    }
    return prepareCombination(header, arrays, url);
  }

  // Everything about a combination that does not depend on the epoch or the view. A first view
  // (the page's inline copy) holds the loss planes and boundary of one epoch, header.first_view.
  // epoch, and the loss scales of the whole file; the rest of it is whole.
  function prepareCombination(header, arrays, url) {
    const G = header.grid;
    const radii = header.radii;
    const epochs = header.epochs;
    const cells = G * G;
    const first = header.first_view;
    const from = first ? first.epoch : 0; // the first epoch whose planes and boundary are here
    const bGrid = header.boundary.grid;
    const zRanges = first ? first.z_ranges : radii.map((_, z) => {
      let lo = Infinity;
      let hi = -Infinity;
      for (let e = 0; e < epochs.length; e++) {
        const off = (e * radii.length + z) * cells;
        for (let v = off; v < off + cells; v++) {
          const x = arrays.loss[v];
          if (x < lo) lo = x;
          if (x > hi) hi = x; // NaN compares false and is skipped
        }
      }
      if (!(hi > lo)) hi = lo + 1;
      return [lo, hi];
    });
    const curveShape = header.arrays.curves.shape;
    const curveIndex = Object.fromEntries(header.curve_names.map((name, c) => [name, c]));
    return {
      url, header, G, radii, epochs, zRanges, cells, partial: Boolean(first),
      loss: arrays.loss, prob: arrays.prob, curves: arrays.curves,
      lossAt: (e, z) => ((e - from) * radii.length + z) * cells, // where epoch e's plane z starts
      probAt: (e) => (e - from) * bGrid * bGrid,
      curveLength: curveShape[1], curveIndex,
      points: arrays.points, labels: arrays.labels, nTrain: header.n_train,
      path: arrays.path, pathError: arrays.path_error,
      bGrid, extent: header.boundary.extent,
      probImage: null, // ImageData + canvas, created on first draw
    };
  }

  /* ---------- state and URL ---------- */

  function modelById(index, id) {
    return index.models.find((m) => m.id === id) || null;
  }

  function hasCombination(index, dataset, modelId) {
    return Object.prototype.hasOwnProperty.call(index.combinations, `${dataset}/${modelId}`);
  }

  // The starting state: the URL's values where valid, else the index's defaults.
  function initialState(index, search) {
    const params = new URLSearchParams(search || "");
    const def = index.default || {};
    let model = def.model || (index.models[0] && index.models[0].id);
    let dataset = def.dataset || (index.datasets[0] && index.datasets[0].id);
    const askedModel = params.get("model");
    const askedData = params.get("dataset");
    if (askedModel && modelById(index, askedModel)) model = askedModel;
    if (askedData && index.datasets.some((d) => d.id === askedData)) dataset = askedData;
    if (!hasCombination(index, dataset, model)) {
      // The URL asked for a pair that was not built: fall back to the default pair.
      model = def.model;
      dataset = def.dataset;
      if (!hasCombination(index, dataset, model)) [dataset, model] = Object.keys(index.combinations)[0].split("/");
    }
    const epoch = Number(params.get("epoch"));
    const zoom = Number(params.get("zoom"));
    return {
      model, dataset,
      epoch: params.has("epoch") && Number.isFinite(epoch) ? epoch : null, // real epoch number
      zoom: params.has("zoom") && zoom > 0 ? zoom : null,
    };
  }

  function writeUrl(values) {
    const url = new URL(window.location.href);
    for (const [key, value] of Object.entries(values)) url.searchParams.set(key, String(value));
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  }

  /* ---------- colours ---------- */

  let colourProbe = null;

  // Any CSS colour (hex, rgb, hsl) -> [r, g, b], via the canvas's own colour parser.
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
      pal[name] = style.getPropertyValue(`--descent-visualizer-${name}`).trim() || "#888";
    }
    pal.font = style.fontFamily || "sans-serif";
    pal.probLut = buildProbLut(pal);
    return pal;
  }

  // 256 RGBA entries: red tint (class 0) → background (unsure) → blue tint (class 1).
  function buildProbLut(pal) {
    const bg = parseColour(pal.bg, "#fff");
    const t0 = parseColour(pal.tint0, "#f3a6a0");
    const t1 = parseColour(pal.tint1, "#9cc3ee");
    const lut = new Uint8ClampedArray(256 * 4);
    for (let k = 0; k < 256; k++) {
      const p = k / 255;
      const tint = p < 0.5 ? t0 : t1;
      const w = Math.pow(Math.abs(p - 0.5) * 2, 0.75); // confidence, eased so 0.7 already shows
      for (let c = 0; c < 3; c++) lut[k * 4 + c] = bg[c] + (tint[c] - bg[c]) * w;
      lut[k * 4 + 3] = 255;
    }
    return lut;
  }

  // Fill and edge colours for every (height level, shading level); theme-independent.
  const SURFACE_COLOURS = (function buildSurfaceColours() {
    const stops = VIRIDIS.map((hex) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16)));
    const fill = [];
    const edge = [];
    const hex = (r, g, b) => "#" + [r, g, b].map((x) => Math.round(x).toString(16).padStart(2, "0")).join("");
    for (let h = 0; h < HEIGHT_LEVELS; h++) {
      const t = (h / (HEIGHT_LEVELS - 1)) * (stops.length - 1);
      const k = Math.min(Math.floor(t), stops.length - 2);
      const f = t - k;
      const rgb = [0, 1, 2].map((c) => stops[k][c] + (stops[k + 1][c] - stops[k][c]) * f);
      for (let s = 0; s < SHADE_LEVELS; s++) {
        const shade = AMBIENT + ((1 - AMBIENT) * s) / (SHADE_LEVELS - 1);
        fill.push(hex(...rgb.map((x) => x * shade)));
        edge.push(hex(...rgb.map((x) => x * shade * 0.72)));
      }
    }
    return { fill, edge };
  })();

  /* ---------- canvas helpers ---------- */

  // Size the backing store to the CSS box × devicePixelRatio; returns the CSS size.
  function fitCanvas(canvas, box) {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(1, Math.round(box.width));
    const h = Math.max(1, Math.round(box.height));
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    return { w, h, dpr };
  }

  function makeLayer(size) {
    const layer = document.createElement("canvas");
    layer.width = Math.round(size.w * size.dpr);
    layer.height = Math.round(size.h * size.dpr);
    const ctx = layer.getContext("2d");
    ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
    return { canvas: layer, ctx };
  }

  function blit(ctx, layer, size) {
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(layer.canvas, 0, 0);
    ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
  }

  function niceTicks(lo, hi, count) {
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

  function formatTick(value, step) {
    if (value === 0) return "0";
    const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
    return value.toFixed(Math.min(decimals, 4)).replace("-", "−");
  }

  const fmt = (x, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "–");
  const pct = (x) => (Number.isFinite(x) ? `${(100 * x).toFixed(1)}%` : "–");

  /* ---------- 3-D loss surface ---------- */

  // Orthographic camera: yaw about the vertical axis, then pitch down towards the viewer.
  // Screen x = x'; screen up = y'·sin(pitch) + z·cos(pitch); depth = y'·cos(pitch) − z·sin(pitch).
  function surfaceGeometry(G, camera, size) {
    const cy = Math.cos(camera.yaw);
    const sy = Math.sin(camera.yaw);
    const cp = Math.cos(camera.pitch);
    const sp = Math.sin(camera.pitch);
    const margin = { x: 46, top: 16, bottom: 34 };
    const half = Math.SQRT2; // the rotated square reaches at most √2 from the centre
    const scale = Math.min((size.w - 2 * margin.x) / (2 * half),
      (size.h - margin.top - margin.bottom) / (2 * (half * sp + (BOX_HEIGHT / 2) * cp)));
    const centre = { x: size.w / 2, y: margin.top + (size.h - margin.top - margin.bottom) / 2 };
    const project = (x, y, zn) => {
      const xr = x * cy - y * sy;
      const yr = x * sy + y * cy;
      return [centre.x + scale * xr, centre.y - scale * (yr * sp + (zn - 0.5) * BOX_HEIGHT * cp)];
    };
    const sx = new Float32Array(G * G);
    const syBase = new Float32Array(G * G); // screen y at zn = 0; zn lifts by zLift·zn
    for (let j = 0; j < G; j++) {
      for (let i = 0; i < G; i++) {
        const [px, py] = project(-1 + (2 * i) / (G - 1), -1 + (2 * j) / (G - 1), 0);
        sx[j * G + i] = px;
        syBase[j * G + i] = py;
      }
    }
    // Painter's order: quads by horizontal depth of their centre, farthest first.
    const Q = G - 1;
    const depth = new Float32Array(Q * Q);
    for (let j = 0; j < Q; j++) {
      for (let i = 0; i < Q; i++) {
        const x = -1 + (2 * (i + 0.5)) / Q;
        const y = -1 + (2 * (j + 0.5)) / Q;
        depth[j * Q + i] = x * sy + y * cy;
      }
    }
    const order = Uint16Array.from(depth.keys()).sort((p, q) => depth[q] - depth[p]);
    // Light from the viewer's upper left, expressed in world coordinates.
    const right = [cy, -sy, 0];
    const up = [sy * sp, cy * sp, cp];
    const toViewer = [-sy * cp, -cy * cp, sp];
    const light = [0, 1, 2].map((c) => -0.45 * right[c] + 0.55 * up[c] + 0.7 * toViewer[c]);
    const norm = Math.hypot(...light);
    return {
      G, sx, syBase, order, project, scale, centre, camera,
      zLift: scale * BOX_HEIGHT * cp,
      light: light.map((c) => c / norm),
      far: { x: sy >= 0 ? 1 : -1, y: cy >= 0 ? 1 : -1 }, // the back walls
      sy: new Float32Array(G * G), // scratch: screen y per vertex for the current epoch
      zn: new Float32Array(G * G), // scratch: normalized height per vertex
    };
  }

  function textAt(ctx, text, x, y, align, baseline) {
    ctx.textAlign = align;
    ctx.textBaseline = baseline;
    ctx.fillText(text, x, y);
  }

  // The epoch-independent part: back walls with loss gridlines, floor, ticks and axis labels.
  function drawSurfaceBackdrop(ctx, geo, pal, radius, zRange) {
    const P = geo.project;
    const { x: xf, y: yf } = geo.far;
    const { ticks, step } = niceTicks(zRange[0], zRange[1], 4);
    const toZn = (v) => (v - zRange[0]) / (zRange[1] - zRange[0]);
    ctx.lineWidth = 1;
    ctx.strokeStyle = pal.grid;
    ctx.fillStyle = pal.grid;
    // Back walls, faint, with a line per loss tick.
    const walls = [
      [[xf, -1], [xf, 1]],
      [[-1, yf], [1, yf]],
    ];
    for (const [[x0, y0], [x1, y1]] of walls) {
      ctx.globalAlpha = 0.25;
      ctx.beginPath();
      ctx.moveTo(...P(x0, y0, 0)); ctx.lineTo(...P(x1, y1, 0));
      ctx.lineTo(...P(x1, y1, 1)); ctx.lineTo(...P(x0, y0, 1));
      ctx.closePath();
      ctx.fill();
      ctx.globalAlpha = 1;
      ctx.stroke();
      ctx.beginPath();
      for (const t of ticks) {
        ctx.moveTo(...P(x0, y0, toZn(t)));
        ctx.lineTo(...P(x1, y1, toZn(t)));
      }
      ctx.stroke();
    }
    // Floor outline and the a = 0, b = 0 lines.
    ctx.beginPath();
    ctx.moveTo(...P(-1, -1, 0)); ctx.lineTo(...P(1, -1, 0));
    ctx.lineTo(...P(1, 1, 0)); ctx.lineTo(...P(-1, 1, 0)); ctx.closePath();
    ctx.moveTo(...P(0, -1, 0)); ctx.lineTo(...P(0, 1, 0));
    ctx.moveTo(...P(-1, 0, 0)); ctx.lineTo(...P(1, 0, 0));
    ctx.strokeStyle = pal.muted;
    ctx.globalAlpha = 0.6;
    ctx.stroke();
    ctx.globalAlpha = 1;

    ctx.fillStyle = pal.fg;
    ctx.font = `11px ${pal.font}`;
    const c = geo.centre;
    const away = (px, py, dist) => { // push a label away from the box centre on screen
      const dx = px - c.x;
      const dy = py - c.y;
      const n = Math.hypot(dx, dy) || 1;
      return [px + (dx / n) * dist, py + (dy / n) * dist];
    };
    // Loss ticks on the outer vertical edge of the back wall that runs along a.
    const [ex, ey] = [-xf, yf];
    const [bx] = P(ex, ey, 0);
    const side = bx < c.x ? -1 : 1;
    ctx.strokeStyle = pal.muted;
    ctx.beginPath();
    ctx.moveTo(...P(ex, ey, 0)); ctx.lineTo(...P(ex, ey, 1));
    ctx.stroke();
    for (const t of ticks) {
      const [px, py] = P(ex, ey, toZn(t));
      textAt(ctx, formatTick(t, step), px + side * 5, py, side < 0 ? "right" : "left", "middle");
    }
    const [tx, ty] = P(ex, ey, 1);
    textAt(ctx, "loss", tx, ty - 6, "center", "bottom");
    // a and b: ticks (−r, 0, r) and a label along the front edge of the floor.
    const r = radius;
    const axis = (label, point) => {
      for (const s of [-1, 0, 1]) {
        const [px, py] = away(...point(s), 10);
        textAt(ctx, formatTick(s * r, r / 2), px, py, "center", "middle");
      }
      const [mx, my] = away(...point(0.5), 26); // between the ticks, so they do not collide
      textAt(ctx, label, mx, my, "center", "middle");
    };
    axis("a (direction 1)", (s) => P(s, -yf, 0));
    axis("b (direction 2)", (s) => P(-xf, s, 0));
  }

  // The epoch-dependent part: the surface quads, back to front.
  function drawSurface(ctx, geo, loss, offset, zRange) {
    const { G, sx, syBase, sy, zn, order, zLift, light } = geo;
    const lo = zRange[0];
    const inv = 1 / (zRange[1] - zRange[0]);
    for (let v = 0; v < G * G; v++) {
      let z = (loss[offset + v] - lo) * inv;
      z = z < 0 ? 0 : z <= 1 ? z : 1; // NaN (diverged) draws at the top
      zn[v] = z;
      sy[v] = syBase[v] - zLift * z;
    }
    const Q = G - 1;
    const slope = (BOX_HEIGHT * Q) / 4; // (Δzn summed over two edges)/2 ÷ grid step (2/Q)
    const [lx, ly, lz] = light;
    const fills = SURFACE_COLOURS.fill;
    const edges = SURFACE_COLOURS.edge;
    ctx.lineWidth = 0.6;
    ctx.lineJoin = "bevel";
    for (let n = 0; n < order.length; n++) {
      const q = order[n];
      const j = (q / Q) | 0;
      const v = q + j; // j·G + i with i = q − j·Q
      const z00 = zn[v];
      const z10 = zn[v + 1];
      const z01 = zn[v + G];
      const z11 = zn[v + G + 1];
      const gx = (z10 - z00 + z11 - z01) * slope;
      const gy = (z01 - z00 + z11 - z10) * slope;
      let d = (lz - gx * lx - gy * ly) / Math.sqrt(gx * gx + gy * gy + 1);
      d = d < 0 ? 0 : d;
      const level = ((z00 + z10 + z01 + z11) * 0.25 * (HEIGHT_LEVELS - 1) + 0.5) | 0;
      const colour = level * SHADE_LEVELS + ((d * (SHADE_LEVELS - 1) + 0.5) | 0);
      ctx.beginPath();
      ctx.moveTo(sx[v], sy[v]);
      ctx.lineTo(sx[v + 1], sy[v + 1]);
      ctx.lineTo(sx[v + G + 1], sy[v + G + 1]);
      ctx.lineTo(sx[v + G], sy[v + G]);
      ctx.closePath();
      ctx.fillStyle = fills[colour];
      ctx.fill();
      ctx.strokeStyle = edges[colour]; // also hides the anti-aliasing seams between quads
      ctx.stroke();
    }
  }

  // Normalized height at (x, y) ∈ [−1, 1]² from the current surface (bilinear).
  function heightAt(geo, x, y) {
    const { G, zn } = geo;
    const fi = ((x + 1) / 2) * (G - 1);
    const fj = ((y + 1) / 2) * (G - 1);
    const i = Math.min(Math.floor(fi), G - 2);
    const j = Math.min(Math.floor(fj), G - 2);
    const tx = fi - i;
    const ty = fj - j;
    const v = j * G + i;
    return (zn[v] * (1 - tx) + zn[v + 1] * tx) * (1 - ty) + (zn[v + G] * (1 - tx) + zn[v + G + 1] * tx) * ty;
  }

  function dot(ctx, x, y, r, fill, stroke, width) {
    ctx.beginPath();
    ctx.arc(x, y, r, 0, 2 * Math.PI);
    ctx.fillStyle = fill;
    ctx.fill();
    ctx.lineWidth = width;
    ctx.strokeStyle = stroke;
    ctx.stroke();
  }

  // The training path up to epoch e on the current plane; returns how many points were outside.
  function drawPath(ctx, geo, combo, e, radius, pal) {
    const n = combo.epochs.length;
    const pts = [];
    let outside = 0;
    for (let k = 0; k <= e; k++) {
      const a = combo.path[(e * n + k) * 2] / radius;
      const b = combo.path[(e * n + k) * 2 + 1] / radius;
      if (Math.abs(a) > 1 || Math.abs(b) > 1 || !Number.isFinite(a + b)) {
        outside++;
        pts.push(null);
      } else {
        pts.push(geo.project(a, b, heightAt(geo, a, b)));
      }
    }
    const line = () => {
      ctx.beginPath();
      let pen = false;
      for (const p of pts) {
        if (!p) { pen = false; continue; }
        if (pen) ctx.lineTo(p[0], p[1]); else ctx.moveTo(p[0], p[1]);
        pen = true;
      }
      ctx.stroke();
    };
    ctx.lineJoin = "round";
    ctx.lineWidth = 3.5;
    ctx.strokeStyle = pal["path-edge"];
    line();
    ctx.lineWidth = 1.6;
    ctx.strokeStyle = pal.path;
    line();
    for (const p of pts) if (p) dot(ctx, p[0], p[1], 2.2, pal.path, pal["path-edge"], 1);
    return outside;
  }

  /* ---------- decision boundary ---------- */

  function boundaryFrame(size) {
    const m = { left: 40, right: 12, top: 10, bottom: 38 };
    const side = Math.max(10, Math.min(size.w - m.left - m.right, size.h - m.top - m.bottom));
    const x0 = m.left + (size.w - m.left - m.right - side) / 2;
    return { x0, y0: m.top, side };
  }

  // Axes, ticks, labels and the data points: the same for every epoch.
  function drawBoundaryOverlay(ctx, combo, frame, pal) {
    const [lo, hi] = combo.extent;
    const toX = (v) => frame.x0 + ((v - lo) / (hi - lo)) * frame.side;
    const toY = (v) => frame.y0 + frame.side - ((v - lo) / (hi - lo)) * frame.side;
    ctx.save();
    ctx.beginPath();
    ctx.rect(frame.x0, frame.y0, frame.side, frame.side);
    ctx.clip();
    const r = frame.side > 300 ? 3.6 : 3;
    const groups = [[true, 0], [true, 1], [false, 0], [false, 1]];
    for (const [train, cls] of groups) {
      ctx.beginPath();
      for (let k = 0; k < combo.labels.length; k++) {
        if ((k < combo.nTrain) !== train || combo.labels[k] !== cls) continue;
        const x = toX(combo.points[2 * k]);
        const y = toY(combo.points[2 * k + 1]);
        ctx.moveTo(x + r, y);
        ctx.arc(x, y, r, 0, 2 * Math.PI);
      }
      const colour = cls ? pal.class1 : pal.class0;
      if (train) {
        ctx.fillStyle = colour;
        ctx.fill();
        ctx.lineWidth = 0.8;
        ctx.strokeStyle = pal.bg;
        ctx.stroke();
      } else { // rings: a background casing keeps them visible on their own class's tint
        ctx.lineWidth = 3.2;
        ctx.strokeStyle = pal.bg;
        ctx.stroke();
        ctx.lineWidth = 1.6;
        ctx.strokeStyle = colour;
        ctx.stroke();
      }
    }
    ctx.restore();
    ctx.lineWidth = 1;
    ctx.strokeStyle = pal.muted;
    ctx.strokeRect(frame.x0 + 0.5, frame.y0 + 0.5, frame.side - 1, frame.side - 1);
    ctx.fillStyle = pal.fg;
    ctx.font = `11px ${pal.font}`;
    const { ticks, step } = niceTicks(lo, hi, 4);
    ctx.beginPath();
    for (const t of ticks) {
      ctx.moveTo(toX(t), frame.y0 + frame.side); ctx.lineTo(toX(t), frame.y0 + frame.side + 4);
      ctx.moveTo(frame.x0 - 4, toY(t)); ctx.lineTo(frame.x0, toY(t));
      textAt(ctx, formatTick(t, step), toX(t), frame.y0 + frame.side + 6, "center", "top");
      textAt(ctx, formatTick(t, step), frame.x0 - 6, toY(t), "right", "middle");
    }
    ctx.stroke();
    ctx.font = `italic 12px ${pal.font}`;
    textAt(ctx, "x₁", frame.x0 + frame.side / 2, frame.y0 + frame.side + 22, "center", "top");
    ctx.save();
    ctx.translate(frame.x0 - 30, frame.y0 + frame.side / 2);
    ctx.rotate(-Math.PI / 2);
    textAt(ctx, "x₂", 0, 0, "center", "middle");
    ctx.restore();
  }

  function probImage(combo) {
    if (!combo.probImage) {
      const canvas = document.createElement("canvas");
      canvas.width = canvas.height = combo.bGrid;
      const ctx = canvas.getContext("2d");
      combo.probImage = { canvas, ctx, data: ctx.createImageData(combo.bGrid, combo.bGrid), lut: null };
    }
    return combo.probImage;
  }

  // The probability field: one pixel per grid point, scaled with bilinear smoothing.
  function drawField(ctx, combo, e, frame, lut) {
    const N = combo.bGrid;
    const img = probImage(combo);
    const px = img.data.data;
    const off = combo.probAt(e);
    for (let j = 0; j < N; j++) {
      const row = (N - 1 - j) * N; // x₂ grows upwards, image rows downwards
      for (let i = 0; i < N; i++) {
        const k = combo.prob[off + j * N + i] * 4;
        const o = (row + i) * 4;
        px[o] = lut[k]; px[o + 1] = lut[k + 1]; px[o + 2] = lut[k + 2]; px[o + 3] = 255;
      }
    }
    img.ctx.putImageData(img.data, 0, 0);
    // Grid point i sits at the centre of pixel i: the image overhangs the frame by half a cell.
    const cell = frame.side / (N - 1);
    ctx.save();
    ctx.beginPath();
    ctx.rect(frame.x0, frame.y0, frame.side, frame.side);
    ctx.clip();
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(img.canvas, frame.x0 - cell / 2, frame.y0 - cell / 2, frame.side + cell, frame.side + cell);
    ctx.restore();
  }

  // The p = 0.5 line by marching squares over the probability grid.
  function drawContour(ctx, combo, e, frame, pal) {
    const N = combo.bGrid;
    const off = combo.probAt(e);
    const P = combo.prob;
    const level = 127.5;
    const cell = frame.side / (N - 1);
    const X = (i) => frame.x0 + i * cell;
    const Y = (j) => frame.y0 + frame.side - j * cell;
    ctx.beginPath();
    for (let j = 0; j < N - 1; j++) {
      for (let i = 0; i < N - 1; i++) {
        const a = P[off + j * N + i]; // corners: a (i, j), b (i+1, j), c (i+1, j+1), d (i, j+1)
        const b = P[off + j * N + i + 1];
        const c = P[off + (j + 1) * N + i + 1];
        const d = P[off + (j + 1) * N + i];
        const cut = [];
        if ((a > level) !== (b > level)) cut.push(X(i + (level - a) / (b - a)), Y(j));
        if ((b > level) !== (c > level)) cut.push(X(i + 1), Y(j + (level - b) / (c - b)));
        if ((d > level) !== (c > level)) cut.push(X(i + (level - d) / (c - d)), Y(j + 1));
        if ((a > level) !== (d > level)) cut.push(X(i), Y(j + (level - a) / (d - a)));
        for (let s = 0; s + 3 < cut.length; s += 4) { // 2 or 4 crossings: 1 or 2 segments
          ctx.moveTo(cut[s], cut[s + 1]);
          ctx.lineTo(cut[s + 2], cut[s + 3]);
        }
      }
    }
    ctx.lineWidth = 1.6;
    ctx.lineCap = "round";
    ctx.strokeStyle = pal.fg;
    ctx.stroke();
  }

  /* ---------- loss and accuracy curves ---------- */

  const CURVES = [
    { name: "loss_train", label: "train loss", colour: "loss", dash: [] },
    { name: "loss_test", label: "test loss", colour: "loss", dash: [5, 3] },
    { name: "acc_train", label: "train accuracy", colour: "acc", dash: [] },
    { name: "acc_test", label: "test accuracy", colour: "acc", dash: [5, 3] },
  ];

  // Legend entries with positions; wraps onto more rows on narrow screens.
  function curveLegend(ctx, combo, width, pal) {
    ctx.font = `11px ${pal.font}`;
    const items = [];
    let x = 48;
    let row = 0;
    for (const c of CURVES) {
      if (combo.curveIndex[c.name] === undefined) continue;
      const w = 29 + ctx.measureText(c.label).width;
      if (x + w > width - 8 && x > 48) { x = 48; row++; }
      items.push({ curve: c, x, y: 12 + row * 16 });
      x += w + 16;
    }
    return { items, rows: row + 1 };
  }

  function curveFrame(combo, size, legend) {
    const m = { left: 48, right: 52, top: 12 + legend.rows * 16, bottom: 36 };
    const T = combo.curveLength;
    let lossMax = 0;
    for (const c of ["loss_train", "loss_test"]) {
      const k = combo.curveIndex[c];
      if (k === undefined) continue;
      for (let t = 0; t < T; t++) {
        const v = combo.curves[k * T + t];
        if (v > lossMax && Number.isFinite(v)) lossMax = v;
      }
    }
    const lossTicks = niceTicks(0, lossMax || 1, 4);
    const top = lossTicks.ticks[lossTicks.ticks.length - 1] < lossMax
      ? lossMax : lossTicks.ticks[lossTicks.ticks.length - 1];
    const f = { x0: m.left, y0: m.top, w: Math.max(10, size.w - m.left - m.right), h: Math.max(10, size.h - m.top - m.bottom) };
    f.legend = legend;
    f.tMax = Math.max(1, T - 1);
    f.lossTop = top || 1;
    f.lossTicks = lossTicks;
    f.X = (t) => f.x0 + (t / f.tMax) * f.w;
    f.Y = (name, v) => f.y0 + f.h - (name.startsWith("acc") ? v : v / f.lossTop) * f.h;
    return f;
  }

  function drawCurveLayer(ctx, combo, f, pal) {
    const T = combo.curveLength;
    ctx.font = `11px ${pal.font}`;
    ctx.lineWidth = 1;
    ctx.strokeStyle = pal.grid;
    ctx.fillStyle = pal.fg;
    ctx.beginPath();
    for (const t of f.lossTicks.ticks) {
      const y = f.Y("loss", t);
      ctx.moveTo(f.x0, y); ctx.lineTo(f.x0 + f.w, y);
      textAt(ctx, formatTick(t, f.lossTicks.step), f.x0 - 6, y, "right", "middle");
    }
    ctx.stroke();
    for (const a of [0, 0.25, 0.5, 0.75, 1]) {
      textAt(ctx, a.toFixed(2), f.x0 + f.w + 6, f.Y("acc", a), "left", "middle");
    }
    const xt = niceTicks(0, f.tMax, Math.max(3, Math.floor(f.w / 80)));
    ctx.strokeStyle = pal.muted;
    ctx.beginPath();
    for (const t of xt.ticks) {
      ctx.moveTo(f.X(t), f.y0 + f.h); ctx.lineTo(f.X(t), f.y0 + f.h + 4);
      textAt(ctx, formatTick(t, xt.step), f.X(t), f.y0 + f.h + 6, "center", "top");
    }
    ctx.stroke();
    ctx.strokeRect(f.x0 + 0.5, f.y0 + 0.5, f.w - 1, f.h - 1);
    textAt(ctx, "epoch", f.x0 + f.w / 2, f.y0 + f.h + 20, "center", "top");
    ctx.save();
    ctx.translate(12, f.y0 + f.h / 2);
    ctx.rotate(-Math.PI / 2);
    textAt(ctx, "loss", 0, 0, "center", "middle");
    ctx.restore();
    ctx.save();
    ctx.translate(f.x0 + f.w + 44, f.y0 + f.h / 2);
    ctx.rotate(Math.PI / 2);
    textAt(ctx, "accuracy", 0, 0, "center", "middle");
    ctx.restore();
    // The lines, then a legend with line samples across the top margin.
    ctx.lineJoin = "round";
    for (const c of CURVES) {
      const k = combo.curveIndex[c.name];
      if (k === undefined) continue;
      ctx.setLineDash(c.dash);
      ctx.strokeStyle = pal[c.colour];
      ctx.lineWidth = 1.6;
      ctx.beginPath();
      for (let t = 0; t < T; t++) {
        const y = f.Y(c.name, Math.min(combo.curves[k * T + t], c.name.startsWith("acc") ? 1 : f.lossTop));
        if (t) ctx.lineTo(f.X(t), y); else ctx.moveTo(f.X(t), y);
      }
      ctx.stroke();
      ctx.setLineDash([]);
    }
    for (const { curve: c, x, y } of f.legend.items) {
      ctx.setLineDash(c.dash);
      ctx.strokeStyle = pal[c.colour];
      ctx.beginPath();
      ctx.moveTo(x, y); ctx.lineTo(x + 24, y);
      ctx.stroke();
      ctx.setLineDash([]);
      textAt(ctx, c.label, x + 29, y, "left", "middle");
    }
  }

  function drawCurveMarker(ctx, combo, f, epoch, pal) {
    const T = combo.curveLength;
    const t = Math.min(epoch, T - 1);
    const x = f.X(t);
    ctx.lineWidth = 2;
    ctx.strokeStyle = pal.marker;
    ctx.beginPath();
    ctx.moveTo(x, f.y0); ctx.lineTo(x, f.y0 + f.h);
    ctx.stroke();
    for (const c of CURVES) {
      const k = combo.curveIndex[c.name];
      if (k === undefined) continue;
      const v = Math.min(combo.curves[k * T + t], c.name.startsWith("acc") ? 1 : f.lossTop);
      dot(ctx, x, f.Y(c.name, v), 3, pal[c.colour], pal.bg, 1);
    }
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
    for (const child of children) if (child) node.append(child);
    return node;
  }

  function radioGroup(legend, name, options, cls) {
    const fieldset = el("fieldset", { class: `descent-visualizer__group ${cls || ""}` },
      el("legend", { text: legend }));
    const inputs = new Map();
    for (const opt of options) {
      const input = el("input", { type: "radio", name, value: String(opt.value), id: `${name}-${opt.value}` });
      inputs.set(String(opt.value), input);
      fieldset.append(el("label", { class: "descent-visualizer__choice", for: input.id }, input,
        el("span", { text: opt.label })));
    }
    return { fieldset, inputs };
  }

  function buildDom(root, index, prefix) {
    const layersValues = [...new Set(index.models.map((m) => m.layers))].sort((a, b) => a - b);
    const widthValues = [...new Set(index.models.map((m) => m.width))].sort((a, b) => a - b);
    const layers = radioGroup("Hidden layers", `${prefix}-layers`, layersValues.map((v) => ({ value: v, label: String(v) })));
    const widths = radioGroup("Width (units per layer)", `${prefix}-width`, widthValues.map((v) => ({ value: v, label: String(v) })));
    const datasets = radioGroup("Dataset", `${prefix}-dataset`, index.datasets.map((d) => ({ value: d.id, label: d.label || d.id })));
    const modelNote = el("p", { class: "descent-visualizer__note" });
    const dataNote = el("p", { class: "descent-visualizer__note" });

    const surface = el("canvas", { class: "descent-visualizer__canvas descent-visualizer__canvas--surface",
      role: "img", tabindex: "0", "aria-label": "Loss surface" });
    const surfaceNote = el("p", { class: "descent-visualizer__caption",
      text: "Height and colour: training loss, on one scale for all epochs at this zoom. " +
        "Yellow: the weights at this epoch; green: the lowest grid point; white line: the " +
        "training path so far. Drag or use the arrow keys to rotate." });
    const pathNote = el("p", { class: "descent-visualizer__caption descent-visualizer__path" });
    const boundary = el("canvas", { class: "descent-visualizer__canvas descent-visualizer__canvas--boundary",
      role: "img", "aria-label": "Decision boundary" });
    const boundaryNote = el("p", { class: "descent-visualizer__caption",
      text: "Background: the model's probability of class 1 (blue) or class 0 (red), paler where " +
        "unsure; the line is p = 0.5. Points by true class: filled = training, rings = test." });
    const curve = el("canvas", { class: "descent-visualizer__canvas descent-visualizer__canvas--curve",
      role: "img", "aria-label": "Loss and accuracy over the epochs" });

    const epochOut = el("output", { for: `${prefix}-epoch` });
    const slider = el("input", { type: "range", id: `${prefix}-epoch`, min: "0", max: "0", step: "1", value: "0" });
    const play = el("button", { type: "button", class: "descent-visualizer__button descent-visualizer__play", text: "Play" });
    const reset = el("button", { type: "button", class: "descent-visualizer__button", text: "Reset" });
    const zoom = el("select", { id: `${prefix}-zoom` });
    const readout = el("p", { class: "descent-visualizer__readout" });
    // The data of the current view: the combination file itself (its JSON header names every
    // array, and the recipe and key that made it).
    const download = el("a", { class: "descent-visualizer__download", download: "", text: "data of this view (.bin)" });

    const controls = el("div", { class: "descent-visualizer__controls" },
      el("div", { class: "descent-visualizer__epoch" },
        el("label", { for: slider.id }, "Epoch ", epochOut), slider),
      el("div", { class: "descent-visualizer__buttons" }, play, reset,
        el("label", { for: zoom.id, class: "descent-visualizer__zoom" }, "Zoom ", zoom)));

    const layout = el("div", { class: "descent-visualizer__layout" },
      el("div", { class: "descent-visualizer__panel descent-visualizer__panel--model" },
        el("h2", { class: "descent-visualizer__heading", text: "Network" }), layers.fieldset, widths.fieldset, modelNote),
      el("div", { class: "descent-visualizer__plots" },
        el("figure", { class: "descent-visualizer__figure" }, surface,
          el("figcaption", {}, pathNote, surfaceNote)),
        el("figure", { class: "descent-visualizer__figure" }, boundary,
          el("figcaption", {}, boundaryNote))),
      el("div", { class: "descent-visualizer__panel descent-visualizer__panel--data" },
        el("h2", { class: "descent-visualizer__heading", text: "Data" }), datasets.fieldset, dataNote),
      el("div", { class: "descent-visualizer__bottom" }, controls, readout,
        el("p", { class: "descent-downloads" }, "Download: ", download),
        el("figure", { class: "descent-visualizer__figure descent-visualizer__figure--curve" }, curve)));
    const status = el("p", { class: "descent-visualizer__status", role: "status" });
    root.replaceChildren(layout, status);
    return { layers, widths, datasets, modelNote, dataNote, surface, pathNote, boundary, curve,
      epochOut, slider, play, reset, zoom, readout, download, status };
  }

  /* ---------- one visualizer ---------- */

  function createVisualizer(root, search) {
    const teardown = [];
    let resolveReady;
    let rejectReady;
    const ready = new Promise((res, rej) => { resolveReady = res; rejectReady = rej; });
    ready.catch(noop); // a failed load is shown in the page; tests may still await it
    const api = { ready, firstRender: null, latencies: [], latencyLog: [], state: () => null };
    root.descentVisualizer = api;
    const indexUrl = new URL(root.dataset.index, document.baseURI).href;

    loadIndex(indexUrl).then((index) => {
      if (!root.isConnected) return;
      start(index);
    }).catch((err) => fail(err));

    function fail(err) {
      const message = err instanceof LoadError ? err.message : `The visualizer failed: ${err && err.message}`;
      root.setAttribute("aria-busy", "false");
      const status = root.querySelector(".descent-visualizer__status");
      if (status && api.firstRender !== null) {
        status.textContent = message; // keep the plots of the last good combination
      } else {
        root.replaceChildren(el("p", { class: "descent-visualizer__error", role: "alert", text: message }));
      }
      rejectReady(err);
    }

    function start(index) {
      const prefix = `${root.id || "descent-visualizer"}-${++uid}`;
      const dom = buildDom(root, index, prefix);
      const init = initialState(index, search);
      const state = {
        model: init.model, dataset: init.dataset, wantEpoch: init.epoch, wantZoom: init.zoom,
        e: 0, z: 0, playing: false, camera: { ...DEFAULT_CAMERA },
      };
      let combo = null;
      let pal = readPalette(root);
      let geo = null;
      const sizes = {};
      const layers = {};
      let timer = null;
      let urlTimer = null;
      let pendingFrame = 0;
      let requestToken = 0;

      api.state = () => ({
        model: state.model, dataset: state.dataset,
        epoch: combo ? combo.epochs[state.e] : state.wantEpoch,
        zoom: combo ? combo.radii[state.z] : state.wantZoom,
        playing: state.playing,
        loading: root.getAttribute("aria-busy") === "true", // the plots still show the previous pick
        complete: combo !== null && !combo.partial, // every epoch is here, not just the first view
      });

      /* -- sizes and cached layers -- */

      function measure() {
        // Every box read before any canvas is resized: one layout, not one per canvas.
        const names = ["surface", "boundary", "curve"];
        const boxes = names.map((name) => dom[name].getBoundingClientRect());
        names.forEach((name, k) => { sizes[name] = fitCanvas(dom[name], boxes[k]); });
        geo = null;
        layers.surface = layers.boundary = layers.curve = null;
      }

      function surfaceLayers() {
        if (!geo || geo.G !== combo.G || geo.camera !== state.camera) {
          geo = surfaceGeometry(combo.G, state.camera, sizes.surface);
          layers.surface = null;
        }
        if (!layers.surface) {
          const layer = makeLayer(sizes.surface);
          drawSurfaceBackdrop(layer.ctx, geo, pal, combo.radii[state.z], combo.zRanges[state.z]);
          layers.surface = layer;
        }
      }

      /* -- drawing -- */

      function drawSurfacePlot() {
        surfaceLayers();
        const size = sizes.surface;
        const ctx = dom.surface.getContext("2d");
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, dom.surface.width, dom.surface.height);
        blit(ctx, layers.surface, size);
        drawSurface(ctx, geo, combo.loss, combo.lossAt(state.e, state.z), combo.zRanges[state.z]);
        const outside = drawPath(ctx, geo, combo, state.e, combo.radii[state.z], pal);
        // Green: the lowest grid point; yellow: the weights themselves (the centre).
        let best = 0;
        for (let v = 1; v < combo.cells; v++) if (geo.zn[v] < geo.zn[best]) best = v;
        const G = combo.G;
        const bx = -1 + (2 * (best % G)) / (G - 1);
        const by = -1 + (2 * Math.floor(best / G)) / (G - 1);
        dot(ctx, ...geo.project(bx, by, geo.zn[best]), 4, pal.minimum, pal["path-edge"], 1.2);
        dot(ctx, ...geo.project(0, 0, heightAt(geo, 0, 0)), 5.5, pal.current, pal["current-edge"], 1.5);
        return outside;
      }

      function drawBoundaryPlot() {
        const size = sizes.boundary;
        const frame = boundaryFrame(size);
        if (!layers.boundary) {
          layers.boundary = makeLayer(size);
          drawBoundaryOverlay(layers.boundary.ctx, combo, frame, pal);
        }
        const ctx = dom.boundary.getContext("2d");
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, dom.boundary.width, dom.boundary.height);
        ctx.setTransform(size.dpr, 0, 0, size.dpr, 0, 0);
        drawField(ctx, combo, state.e, frame, pal.probLut);
        drawContour(ctx, combo, state.e, frame, pal);
        blit(ctx, layers.boundary, size);
      }

      function drawCurvePlot() {
        const size = sizes.curve;
        if (!layers.curve) {
          layers.curve = makeLayer(size);
          const legend = curveLegend(layers.curve.ctx, combo, size.w, pal);
          layers.curve.frame = curveFrame(combo, size, legend);
          drawCurveLayer(layers.curve.ctx, combo, layers.curve.frame, pal);
        }
        const ctx = dom.curve.getContext("2d");
        ctx.setTransform(1, 0, 0, 1, 0, 0);
        ctx.clearRect(0, 0, dom.curve.width, dom.curve.height);
        blit(ctx, layers.curve, size);
        drawCurveMarker(ctx, combo, layers.curve.frame, combo.epochs[state.e], pal);
      }

      function curveValue(name, epoch) {
        const k = combo.curveIndex[name];
        return k === undefined ? NaN : combo.curves[k * combo.curveLength + Math.min(epoch, combo.curveLength - 1)];
      }

      function describe(outside) {
        const epoch = combo.epochs[state.e];
        const r = combo.radii[state.z];
        const n = combo.epochs.length;
        dom.epochOut.textContent = String(epoch);
        dom.slider.setAttribute("aria-valuetext", `epoch ${epoch}`);
        const centre = combo.loss[combo.lossAt(state.e, state.z) + ((combo.cells - 1) >> 1)];
        const lt = curveValue("loss_train", epoch);
        const ls = curveValue("loss_test", epoch);
        const at = curveValue("acc_train", epoch);
        const as = curveValue("acc_test", epoch);
        dom.readout.textContent = `Epoch ${epoch}: train loss ${fmt(lt)}, test loss ${fmt(ls)}; ` +
          `train accuracy ${pct(at)}, test accuracy ${pct(as)}.`;
        if (state.e === 0) {
          dom.pathNote.textContent = `Epoch ${epoch}: the training path has not started yet.`;
        } else {
          const held = Math.round(100 * (1 - combo.pathError[state.e * n]));
          const off = outside ? ` ${outside} of the ${state.e + 1} recorded positions lie outside this square.` : "";
          dom.pathNote.textContent = `The training path, projected on this plane: the plane holds ${held}% ` +
            `of the distance from epoch ${combo.epochs[0]} to here; the rest is off the plane.${off}`;
        }
        dom.surface.setAttribute("aria-label", `Loss surface around the weights at epoch ${epoch}, zoom ${r}: ` +
          `loss ${fmt(Number(centre))} at the current weights. Drag or use the arrow keys to rotate.`);
        dom.boundary.setAttribute("aria-label", `Decision boundary at epoch ${epoch}: the model's ` +
          `probability of class 1 over the input plane, with ${combo.nTrain} training and ` +
          `${combo.labels.length - combo.nTrain} test points.`);
        dom.curve.setAttribute("aria-label", `Loss and accuracy over ${combo.curveLength} epochs, ` +
          `marker at epoch ${epoch}: train loss ${fmt(lt)}, test accuracy ${pct(as)}.`);
      }

      function draw() {
        const outside = drawSurfacePlot();
        drawBoundaryPlot();
        drawCurvePlot();
        describe(outside);
      }

      // A redraw caused by an input/change event: record its latency for the benchmark.
      function drawFor(event) {
        draw();
        if (event) {
          const ms = performance.now() - event.timeStamp;
          api.latencies.push(ms);
          api.latencyLog.push({ type: event.type, target: event.target.type || event.target.tagName, ms });
        }
        scheduleUrl();
      }

      function scheduleFrame() {
        if (pendingFrame || !combo) return;
        pendingFrame = requestAnimationFrame(() => { pendingFrame = 0; draw(); });
      }

      /* -- state changes -- */

      function scheduleUrl() {
        if (urlTimer) clearTimeout(urlTimer);
        urlTimer = setTimeout(() => {
          urlTimer = null;
          if (!root.isConnected || search === null) return;
          const { model, dataset, epoch, zoom } = api.state();
          writeUrl({ model, dataset, epoch, zoom });
        }, URL_DELAY_MS);
      }

      function setPlaying(on) {
        state.playing = on;
        // The label says what a press does; no aria-pressed, which would contradict a changing label.
        dom.play.textContent = on ? "Pause" : "Play";
        dom.play.classList.toggle("descent-visualizer__play--on", on);
        if (timer) clearInterval(timer);
        timer = null;
        if (on) timer = setInterval(step, PLAY_INTERVAL_MS);
      }

      function step() {
        if (!combo || state.e >= combo.epochs.length - 1) { setPlaying(false); return; }
        state.e++;
        dom.slider.value = String(state.e);
        draw();
        scheduleUrl();
        if (state.e >= combo.epochs.length - 1) setPlaying(false);
      }

      function nearestIndex(list, value) {
        let best = 0;
        for (let k = 1; k < list.length; k++) if (Math.abs(list[k] - value) < Math.abs(list[best] - value)) best = k;
        return best;
      }

      // Install a freshly loaded combination, keeping the reader's epoch and zoom if possible.
      function useCombination(next) {
        const prevEpoch = combo ? combo.epochs[state.e] : state.wantEpoch;
        const prevZoom = combo ? combo.radii[state.z] : state.wantZoom;
        const hadCombo = combo !== null;
        const sameRadii = hadCombo && combo.radii.join() === next.radii.join();
        combo = next;
        dom.download.href = combo.url;
        const last = combo.epochs.length - 1;
        if (prevEpoch !== null && combo.epochs.includes(prevEpoch)) state.e = combo.epochs.indexOf(prevEpoch);
        else if (hadCombo) state.e = nearestIndex(combo.epochs, prevEpoch); // switched model/data
        else state.e = last; // no epoch in the URL, or one that was not recorded
        const zi = prevZoom === null ? -1 : combo.radii.findIndex((r) => Math.abs(r - prevZoom) < 1e-9);
        state.z = zi >= 0 ? zi : defaultZoom();
        state.wantEpoch = state.wantZoom = null;
        dom.slider.max = String(last);
        dom.slider.value = String(state.e);
        dom.slider.disabled = dom.play.disabled = combo.partial; // until every epoch is here
        if (!sameRadii) {
          dom.zoom.replaceChildren(...combo.radii.map((r, k) => el("option", { value: String(k), text: String(r) })));
        }
        dom.zoom.value = String(state.z);
        layers.surface = layers.boundary = layers.curve = null;
        const h = combo.header;
        const lr = h.hyperparameters && h.hyperparameters.lr;
        dom.modelNote.textContent = `${(h.hidden || []).join(" × ") || "no"} hidden units, ${h.activation || ""}` +
          `${h.optimizer ? `, ${h.optimizer}` : ""}${lr ? ` (lr ${lr})` : ""}.`;
        dom.dataNote.textContent = `${combo.nTrain} training points (filled), ` +
          `${combo.labels.length - combo.nTrain} test points (rings).`;
      }

      function defaultZoom() {
        return combo ? Math.floor((combo.radii.length - 1) / 2) : 0;
      }

      function syncChoices(index) {
        const model = modelById(index, state.model);
        dom.layers.inputs.forEach((input, value) => {
          input.checked = Number(value) === model.layers;
          input.disabled = !index.models.some((m) => m.layers === Number(value) && hasCombination(index, state.dataset, m.id));
        });
        dom.widths.inputs.forEach((input, value) => {
          input.checked = Number(value) === model.width;
          input.disabled = !index.models.some((m) => m.layers === model.layers && m.width === Number(value) &&
            hasCombination(index, state.dataset, m.id));
        });
        dom.datasets.inputs.forEach((input, value) => {
          input.checked = value === state.dataset;
          input.disabled = !hasCombination(index, value, state.model);
        });
      }

      const currentUrl = () => new URL(index.combinations[`${state.dataset}/${state.model}`], indexUrl).href;

      // The page's first view, drawn at once. The whole file is fetched once the page is painted
      // and takes its place without a redraw: at the first view's epoch, with the same scales, its
      // picture is the same. Only then do the slider and Play work; a newer pick takes over.
      function showFirstView(view) {
        const token = requestToken;
        useCombination(view);
        drawFor(null);
        root.setAttribute("aria-busy", "false");
        api.firstRender = performance.now();
        resolveReady(api);
        const current = () => token === requestToken && combo === view && root.isConnected;
        afterFirstPaint(() => {
          if (!current()) return;
          loadCombination(view.url).then((whole) => {
            if (!current()) return;
            combo = whole;
            dom.slider.disabled = dom.play.disabled = false;
          }).catch((err) => { if (current()) fail(err); });
        });
      }

      // Load (or take from the cache) the current (dataset, model) and draw it.
      function loadCurrent(event) {
        const token = ++requestToken;
        const url = currentUrl();
        root.setAttribute("aria-busy", "true");
        return loadCombination(url).then((next) => {
          if (token !== requestToken || !root.isConnected) return;
          root.setAttribute("aria-busy", "false");
          dom.status.textContent = "";
          useCombination(next);
          drawFor(event);
          if (api.firstRender === null) {
            api.firstRender = performance.now();
            resolveReady(api);
          }
        }).catch((err) => { if (token === requestToken) fail(err); });
      }

      // A (layers, width) pick: the model with those values, or the closest width that exists.
      function pickModel(layersValue, widthValue) {
        const usable = index.models.filter((m) => hasCombination(index, state.dataset, m.id));
        const sameLayers = usable.filter((m) => m.layers === layersValue);
        const pool = sameLayers.length ? sameLayers : usable;
        return pool.reduce((best, m) => (Math.abs(m.width - widthValue) < Math.abs(best.width - widthValue) ? m : best));
      }

      /* -- events -- */

      const on = (target, type, fn, opts) => {
        target.addEventListener(type, fn, opts);
        teardown.push(() => target.removeEventListener(type, fn, opts));
      };

      on(dom.slider, "input", (event) => {
        if (!combo) return;
        state.e = Number(dom.slider.value);
        drawFor(event); // synchronously: the next frame shows the new epoch
      });
      on(dom.zoom, "change", (event) => {
        if (!combo) return;
        state.z = Number(dom.zoom.value);
        layers.surface = null;
        drawFor(event);
      });
      on(dom.play, "click", () => {
        if (!combo) return;
        if (state.playing) { setPlaying(false); return; }
        if (state.e >= combo.epochs.length - 1) {
          state.e = 0;
          dom.slider.value = "0";
          draw();
          scheduleUrl();
        }
        setPlaying(true);
      });
      on(dom.reset, "click", () => {
        if (!combo) return;
        setPlaying(false);
        state.camera = { ...DEFAULT_CAMERA };
        state.z = defaultZoom();
        state.e = combo.epochs.length - 1;
        dom.zoom.value = String(state.z);
        dom.slider.value = String(state.e);
        layers.surface = null;
        draw();
        scheduleUrl();
      });
      const onModel = (event) => {
        const layersValue = Number([...dom.layers.inputs.values()].find((i) => i.checked).value);
        const widthValue = Number([...dom.widths.inputs.values()].find((i) => i.checked).value);
        state.model = pickModel(layersValue, widthValue).id;
        syncChoices(index);
        loadCurrent(event);
      };
      dom.layers.inputs.forEach((input) => on(input, "change", onModel));
      dom.widths.inputs.forEach((input) => on(input, "change", onModel));
      dom.datasets.inputs.forEach((input) => on(input, "change", (event) => {
        state.dataset = input.value;
        if (!hasCombination(index, state.dataset, state.model)) state.model = pickModel(modelById(index, state.model).layers, modelById(index, state.model).width).id;
        syncChoices(index);
        loadCurrent(event);
      }));

      // Rotation: drag with any pointer (touch too), or arrow keys on the focused canvas.
      function rotate(dYaw, dPitch) {
        const pitch = Math.min(PITCH_RANGE[1], Math.max(PITCH_RANGE[0], state.camera.pitch + dPitch));
        state.camera = { yaw: state.camera.yaw + dYaw, pitch };
        scheduleFrame();
      }
      let drag = null;
      on(dom.surface, "pointerdown", (event) => {
        if (event.button !== 0) return;
        drag = { id: event.pointerId, x: event.clientX, y: event.clientY };
        dom.surface.setPointerCapture(event.pointerId);
        dom.surface.classList.add("is-dragging");
      });
      on(dom.surface, "pointermove", (event) => {
        if (!drag || event.pointerId !== drag.id) return;
        rotate((event.clientX - drag.x) * 0.01, (event.clientY - drag.y) * 0.01);
        drag.x = event.clientX;
        drag.y = event.clientY;
      });
      const endDrag = (event) => {
        if (!drag || event.pointerId !== drag.id) return;
        drag = null;
        dom.surface.classList.remove("is-dragging");
      };
      on(dom.surface, "pointerup", endDrag);
      on(dom.surface, "pointercancel", endDrag);
      on(dom.surface, "keydown", (event) => {
        const keys = { ArrowLeft: [-0.1, 0], ArrowRight: [0.1, 0], ArrowUp: [0, 0.06], ArrowDown: [0, -0.06] };
        const d = keys[event.key];
        if (!d || event.altKey || event.ctrlKey || event.metaKey) return;
        event.preventDefault(); // do not scroll the page
        rotate(d[0], d[1]);
      });

      // Resizes (layout, phone rotation) and palette changes redraw on the next frame.
      const resizeObserver = new ResizeObserver((entries) => {
        const name = (canvas) => (canvas === dom.surface ? "surface" : canvas === dom.boundary ? "boundary" : "curve");
        const changed = entries.some(({ target, contentRect }) => {
          const size = sizes[name(target)];
          return !size || Math.round(contentRect.width) !== size.w || Math.round(contentRect.height) !== size.h;
        });
        if (!changed) return; // the observer's first report, at the size already measured
        measure();
        scheduleFrame();
      });
      for (const canvas of [dom.surface, dom.boundary, dom.curve]) resizeObserver.observe(canvas);
      const themeObserver = new MutationObserver(() => {
        pal = readPalette(root);
        layers.surface = layers.boundary = layers.curve = null;
        scheduleFrame();
      });
      themeObserver.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

      teardown.push(() => {
        setPlaying(false);
        if (urlTimer) clearTimeout(urlTimer);
        if (pendingFrame) cancelAnimationFrame(pendingFrame);
        resizeObserver.disconnect();
        themeObserver.disconnect();
        requestToken++;
      });

      syncChoices(index);
      measure(); // lay out while the combination is still downloading
      const view = firstViews.get(currentUrl());
      if (view && (state.wantEpoch === null || state.wantEpoch === view.epochs[view.epochs.length - 1])) {
        showFirstView(view);
      } else {
        loadCurrent(null);
      }
    }

    return () => { for (const fn of teardown.splice(0)) fn(); };
  }

  /* ---------- page lifecycle ---------- */

  // Called for every page (instant navigation swaps the content without reloading scripts).
  function setupPage() {
    for (const [root, teardown] of instances) {
      if (!root.isConnected) {
        teardown();
        instances.delete(root);
      }
    }
    document.querySelectorAll(".descent-visualizer[data-index]").forEach((root, n) => {
      if (instances.has(root)) return;
      adoptInline(root);
      // Only the first visualizer of a page reads and writes the URL's query string.
      instances.set(root, createVisualizer(root, n === 0 ? window.location.search : null));
    });
  }

  // Later pages of an instant navigation arrive through mkdocs-material's document$ (which
  // replays the current page on subscription: setupPage skips visualizers it already has).
  function followNavigation() {
    if (window.document$ && window.document$.subscribe) window.document$.subscribe(setupPage);
  }

  window.descentVisualizerSetup = setupPage;
  // This script comes right after the page's visualizer (from the content), so the visualizer is
  // in the document: start it now. With the data inline, the first view is drawn in this
  // script's microtasks, before the parser goes on to the theme's (deferred) scripts.
  setupPage();
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", followNavigation, { once: true });
  } else {
    followNavigation();
  }
})();
