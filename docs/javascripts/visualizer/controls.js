/* The visualizer's DOM: a network panel (hidden layers × width radios and the training), the
   3-D loss surface and the decision boundary side by side, a dataset panel, the controls (epoch
   slider, Play/Pause, Reset, Zoom), the current numbers, a download link and the loss/accuracy
   curves. */

import { el } from "../lib/dom.js";

function radioGroup(legend, name, options) {
  const fieldset = el("fieldset", { class: "descent-visualizer__group" }, el("legend", { text: legend }));
  const inputs = new Map();
  for (const opt of options) {
    const input = el("input", { type: "radio", name, value: String(opt.value), id: `${name}-${opt.value}` });
    inputs.set(String(opt.value), input);
    fieldset.append(el("label", { class: "descent-visualizer__choice", for: input.id }, input,
      el("span", { text: opt.label })));
  }
  return { fieldset, inputs };
}

const sortedSet = (values) => [...new Set(values)].sort((a, b) => a - b);

export function buildDom(root, index, prefix) {
  const numbers = (values) => sortedSet(values).map((v) => ({ value: v, label: String(v) }));
  const layers = radioGroup("Hidden layers", `${prefix}-layers`, numbers(index.models.map((m) => m.layers)));
  const widths = radioGroup("Width (units per layer)", `${prefix}-width`, numbers(index.models.map((m) => m.width)));
  const datasets = radioGroup("Dataset", `${prefix}-dataset`, index.datasets.map((d) => ({ value: d.id, label: d.label || d.id })));
  const trainings = radioGroup("Training", `${prefix}-training`, index.trainings.map((t) => ({ value: t.id, label: t.label || t.id })));
  trainings.fieldset.classList.add("descent-visualizer__group--training");
  const modelNote = el("p", { class: "descent-visualizer__note" });
  const dataNote = el("p", { class: "descent-visualizer__note" });

  const canvas = (name, label, extra) => el("canvas", {
    class: `descent-widget__canvas descent-visualizer__canvas descent-visualizer__canvas--${name}`,
    role: "img", "aria-label": label, ...extra });
  const surface = canvas("surface", "Loss surface", { tabindex: "0" });
  const surfaceNote = el("p", { class: "descent-widget__caption descent-visualizer__caption",
    text: "Height and colour: training loss, on one scale for all epochs at this zoom. " +
      "Yellow: the weights at this epoch; green: the lowest grid point; white line: the " +
      "training path so far. Drag or use the arrow keys to rotate." });
  const pathNote = el("p", { class: "descent-widget__caption descent-visualizer__caption descent-visualizer__path" });
  const boundary = canvas("boundary", "Decision boundary");
  const boundaryNote = el("p", { class: "descent-widget__caption descent-visualizer__caption",
    text: "Background: the model's probability of class 1 (blue) or class 0 (red), paler where " +
      "unsure; the line is p = 0.5. Points by true class: filled = training, rings = test." });
  const curve = canvas("curve", "Loss and accuracy over the epochs");

  const epochOut = el("output", { for: `${prefix}-epoch` });
  const slider = el("input", { type: "range", id: `${prefix}-epoch`, min: "0", max: "0", step: "1", value: "0" });
  const button = (text, extra) => el("button", {
    type: "button", class: `descent-widget__button descent-visualizer__button${extra ? ` ${extra}` : ""}`, text });
  const play = button("Play", "descent-visualizer__play");
  const reset = button("Reset");
  const zoom = el("select", { id: `${prefix}-zoom`, class: "descent-widget__button" });
  const readout = el("p", { class: "descent-visualizer__readout" });
  // The data of the current view: the combination file itself (its JSON header names every
  // array, and the recipe and key that made it).
  const download = el("a", { class: "descent-visualizer__download", download: "", text: "data of this view (.bin)" });

  const controls = el("div", { class: "descent-visualizer__controls" },
    el("div", { class: "descent-visualizer__epoch" },
      el("label", { for: slider.id }, "Epoch ", epochOut), slider),
    el("div", { class: "descent-visualizer__buttons" }, play, reset,
      el("label", { for: zoom.id, class: "descent-visualizer__zoom" }, "Zoom ", zoom)));
  const figure = (...children) => el("figure", { class: "descent-widget__figure descent-visualizer__figure" }, ...children);
  const panel = (kind, heading, ...children) => el("div", {
    class: `descent-widget__panel descent-visualizer__panel descent-visualizer__panel--${kind}` },
  el("h2", { class: "descent-visualizer__heading", text: heading }), ...children);

  const layout = el("div", { class: "descent-visualizer__layout" },
    panel("model", "Network", layers.fieldset, widths.fieldset, trainings.fieldset, modelNote),
    el("div", { class: "descent-visualizer__plots" },
      figure(surface, el("figcaption", {}, pathNote, surfaceNote)),
      figure(boundary, el("figcaption", {}, boundaryNote))),
    panel("data", "Data", datasets.fieldset, dataNote),
    el("div", { class: "descent-visualizer__bottom" }, controls, readout,
      el("p", { class: "descent-downloads" }, "Download: ", download),
      el("figure", { class: "descent-widget__figure descent-visualizer__figure descent-visualizer__figure--curve" }, curve)));
  const status = el("p", { class: "descent-visualizer__status", role: "status" });
  root.classList.add("descent-widget");
  root.replaceChildren(layout, status);
  return { layers, widths, trainings, datasets, modelNote, dataNote, surface, pathNote, boundary, curve,
    epochOut, slider, play, reset, zoom, readout, download, status };
}
