/* One playground on a page: its settings (state.js), the race (race.js), the plot (view.js) and
   the controls (controls.js), tied together by the reader's actions and an animation loop.

   requestAnimationFrame advances speed × elapsed time steps per frame (at most a quarter
   second's worth); the numbers in the page are rewritten at most 8 times a second while playing,
   the address at most 4 times a second. A change of hyperparameter redoes every path to the
   step the race was at, a few milliseconds of steps per frame, so that it shows in place without
   holding up the page. */

import { addressWriter } from "../lib/address.js";
import { onResize } from "../lib/canvas.js";
import { deferred, el, Lifetime } from "../lib/dom.js";
import { fetchOnce, LoadError } from "../lib/load.js";
import { onSchemeChange, readPalette } from "../lib/palette.js";
import { Controls, DEFAULT_SPEED, SPEEDS } from "./controls.js";
import * as engine from "./engine.js";
import { fmt } from "./format.js";
import { DataError, readModel } from "./model.js";
import { Race } from "./race.js";
import * as schedules from "./schedules.js";
import { apply, defaults, fromQuery, snapshot, surfaceOf, toPairs, toQuery } from "./state.js";
import { prepareSurface } from "./surface.js";
import { PlotView } from "./view.js";

const TEXT_INTERVAL_MS = 125; // the numbers in the page, while playing
const CATCH_UP_MS = 12; // per frame, redoing paths after a change
const STAT_FRAMES = 8192; // ring buffer of frame timings
const PALETTE = ["bg", "fg", "muted", "low", "mid", "high", "line", "minimum", "start", "cursor", "casing"];

const models = new Map(); // data URL -> model, read from the page's copy
const prepared = new WeakMap(); // model -> Map(surface name -> prepared surface)
let uid = 0;

const loadModel = (url) => fetchOnce(url, (response) => response.json().then(readModel));

function preparedSurface(model, name) {
  if (!prepared.has(model)) prepared.set(model, new Map());
  const cache = prepared.get(model);
  if (!cache.has(name)) cache.set(name, prepareSurface(surfaceOf(model, name)));
  return cache.get(name);
}

// Starts the playground in `root` (markup: descent/site/assets.py). bindUrl: it reads and writes
// the page's address; otherwise it is embedded (a lesson's figure): it starts from its own
// data-config, loads when the reader comes near it, and links to the playground page.
export function createPlayground(root, { bindUrl, scriptUrl }) {
  const life = new Lifetime();
  const ready = deferred();
  const api = { ready: ready.promise, engine, schedules };
  root.descentPlayground = api;
  const dataUrl = new URL(root.dataset.playground, document.baseURI).href;
  const controls = new Controls(root, `${root.id || "descent-playground"}-${++uid}`, !bindUrl);
  root.setAttribute("aria-busy", "true");

  const fail = (err) => {
    const known = err instanceof LoadError || err instanceof DataError;
    root.setAttribute("aria-busy", "false");
    root.replaceChildren(el("p", { class: "descent-widget__error descent-playground__error", role: "alert",
      text: known ? err.message : `The playground failed: ${err && err.message}` }));
    ready.reject(err);
  };

  // The rows, sliders, and the optimizers the first race leaves out folded, so that nothing
  // moves when it starts (an embedded playground starts only when the reader comes near it).
  const fill = (m) => {
    controls.fill(m);
    let config = fromQuery(m, defaults(m), root.dataset.config || "").config;
    if (bindUrl) config = fromQuery(m, config, window.location.search).config;
    controls.fold(config.opt);
  };

  // The data may come with the page (data-playground-json): the whole widget is then built at
  // once, at its final size. Otherwise its rows and sliders come with the file.
  let model = null;
  if (root.dataset.playgroundJson) {
    try {
      if (!models.has(dataUrl)) models.set(dataUrl, readModel(JSON.parse(root.dataset.playgroundJson)));
      model = models.get(dataUrl);
      fill(model);
    } catch (err) {
      fail(err);
      return () => life.end();
    }
    delete root.dataset.playgroundJson; // text the page no longer needs
  }

  const load = () => (model ? new Promise((resolve) => setTimeout(resolve, 0, model)) : loadModel(dataUrl))
    .then((loaded) => {
      if (!life.alive || !root.isConnected) return;
      if (!model) fill(loaded);
      model = loaded;
      const playground = new Playground(root, model, controls, life, bindUrl, pageUrl(root, scriptUrl));
      Object.assign(api, playground.api());
      root.setAttribute("aria-busy", "false");
      ready.resolve(api);
    })
    .catch(fail);
  if (bindUrl) {
    load();
  } else {
    // Embedded in a lesson: its work waits until the reader comes near it, so that the
    // lesson's first view does not wait for it.
    const near = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      near.disconnect();
      load();
    }, { rootMargin: "300px 0px" });
    near.observe(root);
    life.add(() => near.disconnect());
  }
  return () => life.end();
}

// The playground page an embedded one links to: data-page, else playground/ at the site's root
// (beside the folder of this script).
function pageUrl(root, scriptUrl) {
  if (root.dataset.page) return new URL(root.dataset.page, document.baseURI).href;
  return new URL("../playground/", scriptUrl || new URL("javascripts/", document.baseURI)).href;
}

class Playground {
  constructor(root, model, controls, life, bindUrl, page) {
    this.root = root;
    this.model = model;
    this.controls = controls;
    this.life = life;
    this.bindUrl = bindUrl;
    this.page = page;
    this.view = new PlotView(controls.canvas);
    this.view.setPalette(readPalette(root, "playground", PALETTE));
    this.speed = DEFAULT_SPEED;
    this.playing = false;
    this.rafId = 0;
    this.lastTime = 0; // of the last frame that advanced the race
    this.budget = 0; // steps owed to the race, fractions included
    this.lastText = 0;
    this.writeAddress = addressWriter(life);
    this.target = 0; // a step the race is catching up with (after a change of hyperparameter)
    this.cursor = { x: 0, y: 0, shown: false };
    this.tally = { steps: 0, perOptimizer: {} };
    this.frames = { count: 0, prev: 0, start: performance.now(),
      intervals: new Float64Array(STAT_FRAMES), work: new Float64Array(STAT_FRAMES) };

    const notices = [];
    let config = defaults(model);
    const fromPage = fromQuery(model, config, root.dataset.config || "");
    config = fromPage.config;
    if (fromPage.errors.length) notices.push(`Ignored from this playground's settings: ${fromPage.errors.join("; ")}.`);
    let urlErrors = [];
    if (bindUrl) {
      const fromUrl = fromQuery(model, config, window.location.search);
      config = fromUrl.config;
      urlErrors = fromUrl.errors;
      if (urlErrors.length) notices.push(`Ignored from the address, the default used instead: ${urlErrors.join("; ")}.`);
    }
    controls.notice.textContent = notices.join(" ");
    this.config = config;

    this.listen();
    life.add(() => {
      this.playing = false;
      if (this.rafId) cancelAnimationFrame(this.rafId);
    });
    this.useSurface();
    controls.sync(config, this.speed);
    this.view.measure();
    this.newRace();
    this.cursor.x = config.start[0];
    this.cursor.y = config.start[1];
    this.render();
    this.showText();
    if (!bindUrl || urlErrors.length) this.scheduleUrl(); // the address now says what is shown
  }

  /* -- the race -- */

  // A new race from config.start at step 0.
  newRace() {
    this.race = new Race(this.model, this.prep.surface, this.config);
    this.view.restart();
  }

  // Start (or restart) the race. keepStep: every path is redone up to the step the race was at,
  // a few milliseconds of steps per frame (see tick).
  restart(keepStep) {
    const goal = keepStep ? Math.min(Math.max(this.race.step, this.target), this.config.steps) : 0;
    this.newRace();
    this.target = goal;
    this.cursor.x = this.config.start[0];
    this.cursor.y = this.config.start[1];
    this.showText();
    this.scheduleFrame();
    this.scheduleUrl();
  }

  catchUp(deadline) {
    const race = this.race;
    while (race.step < this.target && !race.finished && performance.now() < deadline) {
      race.advance(Math.min(16, this.target - race.step));
    }
    if (race.finished || race.step >= this.target) this.target = 0;
  }

  useSurface() {
    this.prep = preparedSurface(this.model, this.config.surface);
    this.view.setSurface(this.prep);
    this.cursor.shown = false;
  }

  setPlaying(on) {
    if (on && this.race.finished) this.newRace();
    this.playing = on;
    this.controls.setPlaying(on);
    this.lastTime = 0;
    this.budget = 0;
    this.frames.prev = 0;
    if (!on) this.showText();
    this.scheduleFrame();
  }

  /* -- frames -- */

  scheduleFrame() {
    if (!this.rafId) this.rafId = requestAnimationFrame((now) => this.tick(now));
  }

  tick(now) {
    this.rafId = 0;
    if (!this.root.isConnected) return;
    const t0 = performance.now();
    if (this.target) {
      this.catchUp(t0 + CATCH_UP_MS);
      this.lastTime = 0; // the race's clock starts again once caught up
    } else if (this.playing) {
      const dt = this.lastTime ? Math.min(now - this.lastTime, 250) : 1000 / 60;
      this.lastTime = now;
      this.budget += (this.speed * dt) / 1000;
      const n = Math.floor(this.budget);
      this.budget -= n;
      if (n > 0) this.race.advance(n, this.tally);
      if (this.race.finished) {
        this.setPlaying(false);
        this.controls.live.textContent = this.race.finishedText();
      }
    }
    this.render();
    if (!this.playing || t0 - this.lastText >= TEXT_INTERVAL_MS) this.showText();
    if (this.target) {
      this.scheduleFrame();
    } else if (this.playing) {
      this.scheduleFrame();
      const f = this.frames;
      const slot = f.count % STAT_FRAMES;
      f.intervals[slot] = f.prev ? now - f.prev : 0;
      f.work[slot] = performance.now() - t0;
      f.prev = now;
      f.count++;
    }
  }

  render() {
    this.view.render(this.race, this.config.start, this.cursor);
  }

  showText() {
    this.controls.showRace(this.race);
    if (!this.playing) this.describeCanvas(); // a focused element's name changing 8 times a second is noise
    this.lastText = performance.now();
  }

  describeCanvas() {
    const s = this.prep.spec;
    const { start } = this.config;
    const n = this.race.entries.length;
    const shown = n ? `${n} optimizer${n > 1 ? "s" : ""}` : "no optimizer";
    const { sigma, seed } = this.config;
    const noise = sigma > 0 ? `, gradient noise σ ${fmt(sigma)} (seed ${seed})` : "";
    this.controls.canvas.setAttribute("aria-label", `Contour plot of ${s.title || s.name}, start at ` +
      `(${fmt(start[0])}, ${fmt(start[1])}), ${shown} at step ${this.race.step} of ${this.race.maxSteps}${noise}. ` +
      "Arrow keys move the start cross; Enter starts from it.");
  }

  /* -- the address -- */

  scheduleUrl() {
    if (!this.bindUrl) {
      if (this.controls.link) this.controls.link.href = `${this.page}?${toQuery(this.model, this.config)}`;
      return;
    }
    this.writeAddress(() => (this.root.isConnected ? toPairs(this.model, this.config) : null));
  }

  /* -- the reader's actions -- */

  startAt(x, y) {
    this.config.start = [Number(x.toPrecision(4)), Number(y.toPrecision(4))];
    this.restart(false);
    this.setPlaying(true);
    this.controls.live.textContent = `Started from (${fmt(this.config.start[0])}, ${fmt(this.config.start[1])}).`;
  }

  listen() {
    const { controls: c, life, view, cursor } = this;
    life.on(c.surface, "change", () => {
      this.config = apply(this.model, this.config, { surface: c.surface.value }).config;
      this.useSurface();
      this.restart(false);
      c.live.textContent = `${this.prep.spec.title}: the race starts again from its default start.`;
    });
    life.on(c.play, "click", () => this.setPlaying(!this.playing));
    life.on(c.step, "click", () => {
      if (this.playing) this.setPlaying(false);
      if (this.race.finished) {
        c.live.textContent = "The race is over: Reset or pick a new start.";
        return;
      }
      this.race.advance(1, this.tally);
      this.render();
      this.showText();
    });
    life.on(c.reset, "click", () => {
      this.setPlaying(false);
      this.restart(false);
      c.live.textContent = "Back to step 0.";
    });
    life.on(c.speed, "input", () => {
      this.speed = SPEEDS[Number(c.speed.value)] || DEFAULT_SPEED;
      c.sync(this.config, this.speed);
    });
    for (const [name, runner] of c.runners) {
      life.on(runner.input, "change", () => {
        const opt = this.model.optimizers.map((o) => o.name)
          .filter((n) => (n === name ? runner.input.checked : this.config.opt.includes(n)));
        this.config = { ...this.config, opt };
        this.restart(true); // the newly enabled one catches up with the race
      });
    }
    for (const [key, { input, slider }] of c.sliders) {
      life.on(input, "input", () => {
        this.config = { ...this.config, [key]: slider.stops[Number(input.value)] };
        c.sync(this.config, this.speed);
        this.restart(true); // every path, redone to the current step with the new value
      });
    }
    // The schedule, the race's length and the noise: every path redone to the current step (or
    // to the race's new end, if sooner).
    const change = (given, said) => {
      const { config, errors } = apply(this.model, this.config, given);
      this.config = config;
      c.sync(this.config, this.speed);
      if (errors.length) {
        c.live.textContent = `Not changed: ${errors[0]}.`;
        return;
      }
      this.restart(true);
      if (said) c.live.textContent = said;
    };
    life.on(c.schedule, "change", () => change({ schedule: c.schedule.value }));
    life.on(c.length, "change", () => change({ steps: c.length.value }));
    life.on(c.sigma, "input", () => change({ sigma: this.model.noise.stops[Number(c.sigma.value)] }));
    life.on(c.seed, "change", () => change({ seed: c.seed.value }));
    life.on(c.newSeed, "click", () => {
      let seed = this.config.seed;
      while (seed === this.config.seed) seed = Math.floor(Math.random() * 1000000); // short, for the address
      change({ seed }, `New noise seed: ${seed}.`);
    });

    // A click or tap on the plot: start there and play.
    life.on(c.canvas, "click", (event) => {
      const f = view.frame;
      if (!f) return;
      const [x, y] = view.domainAt(event.clientX, event.clientY);
      if (x < f.x0 || x > f.x1 || y < f.y0 || y > f.y1) return; // the margins
      cursor.shown = false;
      this.startAt(x, y);
    });
    // The keyboard: a cross to move from the start, Enter or Space to start from it.
    life.on(c.canvas, "keydown", (event) => {
      const f = view.frame;
      if (!f || event.altKey || event.ctrlKey || event.metaKey) return;
      const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      const d = moves[event.key];
      if (d) {
        event.preventDefault(); // do not scroll the page
        if (!cursor.shown) this.showCursor();
        const stepX = ((f.x1 - f.x0) / 100) * (event.shiftKey ? 10 : 1);
        const stepY = ((f.y1 - f.y0) / 100) * (event.shiftKey ? 10 : 1);
        cursor.x = Math.min(f.x1, Math.max(f.x0, cursor.x + d[0] * stepX));
        cursor.y = Math.min(f.y1, Math.max(f.y0, cursor.y + d[1] * stepY));
        const loss = this.prep.surface.value([cursor.x, cursor.y]);
        c.live.textContent = `Cross at (${fmt(cursor.x)}, ${fmt(cursor.y)}), loss ${fmt(loss)}. Enter starts from it.`;
        this.scheduleFrame();
      } else if (event.key === "Enter" || event.key === " ") {
        event.preventDefault();
        const [x, y] = cursor.shown ? [cursor.x, cursor.y] : this.config.start;
        cursor.shown = false;
        this.startAt(x, y);
      } else if (event.key === "Escape" && cursor.shown) {
        cursor.shown = false;
        this.scheduleFrame();
      }
    });
    life.on(c.canvas, "focus", () => {
      if (c.canvas.matches(":focus-visible")) {
        this.showCursor();
        this.scheduleFrame();
      }
    });
    life.on(c.canvas, "blur", () => {
      cursor.shown = false;
      this.scheduleFrame();
    });

    onResize(life, [c.canvas], () => view.size, () => {
      view.measure();
      this.scheduleFrame();
    });
    onSchemeChange(life, () => {
      view.setPalette(readPalette(this.root, "playground", PALETTE));
      this.scheduleFrame();
    });
  }

  showCursor() {
    this.cursor.x = this.config.start[0];
    this.cursor.y = this.config.start[1];
    this.cursor.shown = true;
  }

  /* -- for tests and the benchmark -- */

  api() {
    const model = this.model;
    return {
      config: () => snapshot(model, this.config),
      query: () => toQuery(model, this.config),
      // Settings by key (as in the address; "optimizers" for opt); throws on an invalid value.
      // The race restarts at step 0, paused.
      set: (partial) => {
        const given = { ...partial };
        if ("optimizers" in given && !("opt" in given)) given.opt = given.optimizers;
        const { config, errors } = apply(model, this.config, given);
        if (errors.length) throw new Error(`Invalid ${errors[0]}`);
        const unknown = Object.keys(given).filter((k) => !(k in config) && k !== "speed" && k !== "optimizers");
        if (unknown.length) throw new Error(`Invalid ${unknown[0]} (not a setting of the playground)`);
        if ("speed" in given) this.setSpeed(given.speed);
        const surfaceChanged = config.surface !== this.config.surface;
        this.config = config;
        if (surfaceChanged) this.useSurface();
        if (this.playing) this.setPlaying(false);
        this.controls.sync(this.config, this.speed);
        this.restart(false);
        return snapshot(model, this.config);
      },
      run: (n) => {
        this.catchUp(Infinity);
        this.race.advance(Math.max(0, Math.floor(Number(n) || 0)), this.tally);
        this.render();
        this.showText();
        return this.runs();
      },
      runs: () => this.runs(),
      state: () => ({ step: this.race.step, playing: this.playing, speed: this.speed, finished: this.race.finished,
        maxSteps: this.race.maxSteps, rate: this.race.rate() }),
      play: () => this.setPlaying(true),
      pause: () => this.setPlaying(false),
      reset: () => {
        this.setPlaying(false);
        this.restart(false);
      },
      setSpeed: (value) => this.setSpeed(value),
      resetStats: () => {
        this.tally = { steps: 0, perOptimizer: {} };
        this.frames.count = 0;
        this.frames.prev = 0;
        this.frames.start = performance.now();
      },
      stats: () => {
        const f = this.frames;
        const elapsedMs = performance.now() - f.start;
        const count = Math.min(f.count, STAT_FRAMES);
        return {
          elapsedMs,
          steps: this.tally.steps,
          stepsPerSecond: (this.tally.steps * 1000) / elapsedMs,
          perOptimizer: Object.fromEntries(model.optimizers.map(({ name }) =>
            [name, ((this.tally.perOptimizer[name] || 0) * 1000) / elapsedMs])),
          frames: f.count,
          frameIntervals: Array.from(f.intervals.subarray(0, count)).filter((v) => v > 0),
          frameWork: Array.from(f.work.subarray(0, count)),
        };
      },
    };
  }

  setSpeed(value) {
    const v = Number(value);
    if (!(v > 0) || !Number.isFinite(v)) throw new Error(`Invalid speed ${value}`);
    this.speed = v;
    this.controls.sync(this.config, this.speed);
  }

  // The enabled optimizers' runs: {name, label, error, params, loss, divergedStep,
  // leftDomainStep, state, steps}.
  runs() {
    return this.race.entries.map((entry) => ({
      name: entry.name,
      label: entry.optimizer.label,
      error: entry.error,
      params: entry.run ? entry.run.params : [],
      loss: entry.run ? entry.run.loss : [],
      divergedStep: entry.run ? entry.run.divergedStep : -1,
      leftDomainStep: entry.run ? entry.run.leftDomainStep : -1,
      state: entry.run ? entry.run.optimizer.state : {},
      steps: entry.steps,
    }));
  }
}
