/* The playground's controls and text: the bar (surface, Play, Step, Reset, speed), the plot's
   figure, one row per optimizer (its checkbox, marker, loss, position, state and notes), one
   slider per hyperparameter, and the learning-rate schedule, the race's length and the gradient
   noise (its σ and seed), all from the data. */

import { el, textSlot } from "../lib/dom.js";
import { fmt, fmtPair, numberText, stateText } from "./format.js";
import { nearestNoiseStop, nearestStop } from "./model.js";
import { shapeSvg } from "./shapes.js";
import { MAX_SEED } from "./state.js";

export const SPEEDS = [1, 2, 5, 10, 20, 30, 60, 120, 250, 500, 1000];
export const DEFAULT_SPEED = 60;

export class Controls {
  // The frame of the widget; its rows and sliders come with the model (fill).
  constructor(root, prefix, embedded) {
    this.prefix = prefix;
    this.surface = el("select", { id: `${prefix}-surface`, class: "descent-widget__button" });
    const button = (text, extra) => el("button", {
      type: "button", class: `descent-widget__button descent-playground__button${extra ? ` ${extra}` : ""}`, text });
    this.play = button("Play", "descent-playground__play");
    this.step = button("Step");
    this.reset = button("Reset");
    this.speedOut = el("output", { for: `${prefix}-speed` });
    this.speed = el("input", { type: "range", id: `${prefix}-speed`, min: "0", max: String(SPEEDS.length - 1), step: "1" });
    this.stepCount = textSlot("Step 0");
    const help = el("p", { class: "descent-widget__caption descent-playground__help", id: `${prefix}-help`,
      text: "Click or tap the plot to start every optimizer from that point. From the keyboard: " +
        "focus the plot, move the cross with the arrow keys (Shift for bigger moves), and press " +
        "Enter or Space to start from it." });
    this.canvas = el("canvas", { class: "descent-widget__canvas descent-playground__canvas", tabindex: "0",
      role: "application", "aria-roledescription": "plot", "aria-label": "Contour plot", "aria-describedby": help.id });
    this.list = el("ul", { class: "descent-playground__runners" });
    this.params = el("div", { class: "descent-playground__sliders" });
    this.runners = new Map(); // optimizer name -> its row
    this.sliders = new Map(); // hyperparameter key -> its slider
    this.training = el("div", { class: "descent-playground__sliders" });
    this.schedules = new Map(); // schedule name -> the text of its parameters
    this.notice = el("p", { class: "descent-playground__notice", role: "status" });
    this.live = el("p", { class: "descent-playground__live", role: "status" });
    this.link = embedded ? el("a", { class: "descent-playground__open", text: "Open this in the playground" }) : null;
    this.layout = el("div", { class: "descent-playground__layout" },
      el("div", { class: "descent-playground__bar" },
        el("label", { class: "descent-playground__field", for: this.surface.id }, "Surface ", this.surface),
        el("div", { class: "descent-playground__buttons" }, this.play, this.step, this.reset,
          el("span", { class: "descent-playground__count" }, this.stepCount.node)),
        el("div", { class: "descent-playground__speed" },
          el("label", { for: this.speed.id }, "Speed ", this.speedOut), this.speed)),
      el("figure", { class: "descent-widget__figure descent-playground__figure" }, this.canvas,
        el("figcaption", {}, help)),
      el("div", { class: "descent-playground__side" },
        el("fieldset", { class: "descent-widget__panel descent-playground__group" },
          el("legend", { text: "Optimizers (each with its state)" }), this.list)),
      el("fieldset", { class: "descent-widget__panel descent-playground__group descent-playground__params" },
        el("legend", { text: "Hyperparameters" }), this.params),
      el("fieldset", { class: "descent-widget__panel descent-playground__group descent-playground__training" },
        el("legend", { text: "Learning-rate schedule and gradient noise" }), this.training),
      this.link && el("p", { class: "descent-playground__link" }, this.link));
    this.showSpeed(DEFAULT_SPEED);
    this.layout.inert = true; // until the data is in (fill)
    root.classList.add("descent-widget");
    root.replaceChildren(this.notice, this.layout, this.live);
  }

  // The data's surfaces, optimizers and sliders. Until the race starts, a blank line holds the
  // place of each runner's position and state, so that nothing moves when it does.
  fill(model) {
    this.surface.replaceChildren(...model.surfaces.map((s) => el("option", { value: s.name, text: s.title || s.name })));
    for (const o of model.optimizers) {
      const input = el("input", { type: "checkbox", id: `${this.prefix}-opt-${o.name}`, value: o.name });
      input.disabled = Boolean(o.unavailable); // listed with its reason, never run
      const loss = textSlot("\u00a0");
      const where = textSlot("\u00a0");
      const flag = textSlot("");
      const state = el("dl", { class: "descent-playground__state" },
        el("div", {}, el("dt", { text: "\u00a0" }), el("dd", { text: "\u00a0" })));
      const flagEl = el("p", { class: "descent-playground__flag", hidden: !o.unavailable }, flag.node);
      if (o.unavailable) flag.set(`not run: ${o.unavailable}`);
      const item = el("li", { class: `descent-playground__runner descent-playground__runner--${o.name}` },
        el("label", { class: "descent-playground__name", for: input.id }, input, shapeSvg(o.marker, o.colour), o.label),
        el("span", { class: "descent-playground__loss" }, loss.node),
        el("span", { class: "descent-playground__where" }, where.node),
        state, flagEl);
      this.list.append(item);
      this.runners.set(o.name, { optimizer: o, input, item, loss, where, flag, flagEl, state, stateKeys: null, stateSlots: [] });
    }
    for (const s of model.sliders) {
      const id = `${this.prefix}-${s.key}`;
      const out = el("output", { for: id, text: numberText(s.start) });
      const input = el("input", { type: "range", id, min: "0", max: String(s.stops.length - 1), step: "1",
        "aria-describedby": `${id}-note` });
      const name = s.symbol && s.symbol !== s.label ? `${s.label} ${s.symbol}` : s.label;
      this.params.append(el("div", { class: "descent-playground__slider" },
        el("label", { for: id }, el("span", { text: name }), " ", out),
        input,
        el("span", { class: "descent-playground__uses", id: `${id}-note`, text: `drives ${s.drivesText}` })));
      this.sliders.set(s.key, { input, out, slider: s });
    }
    this.fillTraining(model);
    this.layout.inert = false;
  }

  // The schedule, the race's length and the noise: each a name, a control and a note, in the
  // sliders' grid.
  fillTraining(model) {
    const p = this.prefix;
    // A setting's name (with its value, like a slider's, or beside it a live number that is not
    // part of the control's name), its control and its note.
    const setting = (id, name, control, note, { out, aside } = {}) => el("div", { class: "descent-playground__setting" },
      el("div", { class: "descent-playground__setting-name" },
        el("label", { for: id }, el("span", { text: name }), out ? " " : null, out || null), aside || null),
      control, note);
    const select = (id, options) => el("select", { id, class: "descent-widget__button", "aria-describedby": `${id}-note` },
      ...options.map(([value, text]) => el("option", { value, text })));

    for (const s of model.schedules) this.schedules.set(s.name, scheduleText(s));
    this.schedule = select(`${p}-schedule`, model.schedules.map((s) => [s.name, s.label]));
    this.scheduleNote = textSlot("");
    this.rate = textSlot("");
    this.lengths = model.lengths;
    this.length = select(`${p}-steps`, model.lengths.map((n) => [String(n), `${n.toLocaleString("en-US")} steps`]));
    this.noise = model.noise;
    this.sigmaOut = el("output", { for: `${p}-sigma` });
    this.sigma = el("input", { type: "range", id: `${p}-sigma`, min: "0", max: String(model.noise.stops.length - 1),
      step: "1", "aria-describedby": `${p}-sigma-note` });
    this.seed = el("input", { type: "number", id: `${p}-seed`, min: "0", max: String(MAX_SEED), step: "1",
      inputmode: "numeric", class: "descent-playground__seed", "aria-describedby": `${p}-seed-note` });
    this.newSeed = el("button", { type: "button", class: "descent-widget__button descent-playground__button",
      text: "New seed" });
    const note = (id, ...children) => el("span", { class: "descent-playground__note", id }, ...children);
    this.training.append(
      setting(this.schedule.id, "Schedule", this.schedule, note(`${this.schedule.id}-note`, this.scheduleNote.node),
        { aside: el("span", { class: "descent-playground__rate" }, this.rate.node) }),
      setting(this.length.id, "Race length", this.length,
        note(`${this.length.id}-note`, "the race ends there; the schedule spans it")),
      setting(this.sigma.id, "Gradient noise σ", this.sigma,
        note(`${this.sigma.id}-note`, "σ × a standard normal deviate added to each gradient coordinate"),
        { out: this.sigmaOut }),
      setting(this.seed.id, "Noise seed", el("span", { class: "descent-playground__seed-row" }, this.seed, this.newSeed),
        note(`${this.seed.id}-note`, "the same seed draws the same noise")));
  }

  // The rows of the optimizers a race leaves out, folded (as showRace folds them once it runs).
  fold(raced) {
    for (const [name, runner] of this.runners) runner.item.classList.toggle("is-off", !raced.includes(name));
  }

  // The controls as the settings and the speed say.
  sync(config, speed) {
    this.surface.value = config.surface;
    for (const [name, runner] of this.runners) runner.input.checked = config.opt.includes(name);
    for (const [key, { input, out, slider }] of this.sliders) {
      const v = config[key];
      input.value = String(nearestStop(slider, v));
      out.textContent = numberText(v);
      input.setAttribute("aria-valuetext", String(v));
    }
    if (this.schedule) {
      this.schedule.value = config.schedule;
      this.scheduleNote.set(this.schedules.get(config.schedule));
      this.length.value = String(config.steps);
      this.sigma.value = String(nearestNoiseStop(this.noise, config.sigma));
      this.sigmaOut.textContent = config.sigma > 0 ? numberText(config.sigma) : "off";
      this.sigma.setAttribute("aria-valuetext", config.sigma > 0 ? String(config.sigma) : "0, no noise");
      if (document.activeElement !== this.seed || Number(this.seed.value) !== config.seed) {
        this.seed.value = String(config.seed);
      }
    }
    this.showSpeed(speed);
  }

  showSpeed(speed) {
    const si = SPEEDS.indexOf(speed);
    this.speed.value = String(si >= 0 ? si : SPEEDS.indexOf(DEFAULT_SPEED));
    this.speedOut.textContent = `${speed} steps/s`;
    this.speed.setAttribute("aria-valuetext", `${speed} steps per second`);
  }

  setPlaying(on) {
    this.play.textContent = on ? "Pause" : "Play";
    this.play.classList.toggle("descent-playground__play--on", on);
  }

  // Every runner's numbers, state and notes, the step, and the rate the schedule sets.
  showRace(race) {
    this.stepCount.set(`Step ${race.step}`);
    if (this.rate) this.rate.set(Number.isFinite(race.rate()) ? `η now ${fmt(race.rate())}` : "");
    for (const [name, runner] of this.runners) {
      const entry = race.entries.find((r) => r.name === name);
      runner.item.classList.toggle("is-off", !entry);
      const run = entry && !entry.error ? entry.run : null;
      const last = run ? run.params.length - 1 : 0;
      runner.loss.set(run ? `loss ${fmt(run.loss[last])}` : "");
      runner.where.set(run ? `w ${fmtPair(run.params[last])}` : "");
      showState(runner, run && run.optimizer ? run.optimizer.state : null);
      const notes = [];
      const why = runner.optimizer.unavailable || (entry && entry.error);
      if (why) notes.push(`not run: ${why}`);
      if (run && run.leftDomainStep >= 0) notes.push(`left the plotted area at step ${run.leftDomainStep}`);
      if (run && run.divergedStep >= 0) notes.push(`diverged at step ${run.divergedStep}`);
      runner.flag.set(notes.join("; "));
      runner.flagEl.hidden = !notes.length;
    }
  }
}

// A schedule's parameters as the data says them: "Decay factor at each drop: 0.5; share of the
// run between drops: 0.25."
function scheduleText(schedule) {
  const parts = Object.values(schedule.parameters).map((p, i) => {
    const label = i ? p.label.charAt(0).toLowerCase() + p.label.slice(1) : p.label;
    return `${label}: ${numberText(p.default)}`;
  });
  return parts.length ? `${parts.join("; ")}.` : "η as set, at every step.";
}

// A runner's state as torch.optim names it: a term and a value per buffer, rebuilt only when the
// buffers change. A rule with no buffers at all takes plain gradient steps; one whose buffers
// are all empty has not stepped yet.
function showState(runner, state) {
  const keys = state ? Object.keys(state).filter((k) => state[k] !== null && state[k] !== undefined) : [];
  const joined = keys.join();
  if (joined !== runner.stateKeys) {
    runner.stateKeys = joined;
    runner.stateSlots = keys.map((key) => ({ key, slot: textSlot("") }));
    runner.state.replaceChildren(...runner.stateSlots.map(({ key, slot }) =>
      el("div", {}, el("dt", { text: key }), el("dd", {}, slot.node))));
    if (!keys.length) {
      const why = state && Object.keys(state).length === 0 ? "plain gradient steps" : "until the first step";
      runner.state.replaceChildren(el("div", {}, el("dt", { text: "no state" }), el("dd", { text: `(${why})` })));
    }
  }
  for (const { key, slot } of runner.stateSlots) slot.set(stateText(state[key]));
}
