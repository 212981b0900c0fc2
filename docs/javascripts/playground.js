/*
 * Optimizer playground: the course's optimizers race on a test surface, live, in the browser.
 * Canvas 2D, no libraries; the numbers are the engine's (playground/engine.js), which the
 * course's tests hold to torch.optim.
 *
 * Markup (emitted by the site's build, descent/site/assets.py; a page may hold several, each
 * independent):
 *   <div class="descent-playground" data-playground="…/playground.json" data-config="QUERY"
 *        data-playground-json="{…}"></div> <script src="…/javascripts/playground.js"></script>
 * data-playground-json (optional) is the data itself, so that the widget is built whole before
 * anything is fetched. data-config (optional) is a starting configuration in the address's
 * format (playground/state.js). A mount without it reads the page's query string at start and
 * keeps it up to date as the reader changes anything (only the first such mount of a page); a
 * mount with it is embedded: it starts from its configuration when the reader comes near it,
 * never touches the address, and links to the playground page with its state. data-url="sync"
 * makes a mount with a data-config read and write the address too; data-page overrides the
 * address of the playground page (default: playground/ at the site's root).
 *
 * For tests and the benchmark, each mount has element.descentPlayground:
 *   ready (Promise, resolves once drawn), engine and schedules (the engine's and the schedules'
 *   modules), config() -> the settings by key (surface, start, opt, one per slider, schedule,
 *   steps, sigma, seed), query(), set(partial) (the same keys, and speed; throws on an invalid
 *   value; the race restarts at step 0, paused), run(n) (n steps now; returns runs()), runs() ->
 *   [{name, label, error, params, loss, divergedStep, leftDomainStep, state, steps}] for the
 *   enabled optimizers, state() -> {step, playing, speed, finished, maxSteps, rate}, play(),
 *   pause(), reset(), setSpeed(stepsPerSecond), resetStats(), stats() -> {elapsedMs, steps,
 *   stepsPerSecond, perOptimizer, frames, frameIntervals, frameWork} measured with the page's own
 *   clock since resetStats().
 */

import { everyPage, mountEach } from "./lib/lifecycle.js";
import { createPlayground } from "./playground/app.js";

// This script's address, which the playground page's address is found from.
const scriptUrl = document.currentScript ? document.currentScript.src : null;

everyPage("descentPlaygroundSetup", mountEach(".descent-playground[data-playground]", (root) => {
  // The address belongs to the first mount that asks for it.
  const wants = root.dataset.url === "sync" || !root.dataset.config;
  const taken = document.querySelector(".descent-playground[data-descent-playground-url]");
  const bindUrl = wants && !taken;
  if (bindUrl) root.dataset.descentPlaygroundUrl = "";
  return createPlayground(root, { bindUrl, scriptUrl });
}));
