/*
 * Loss landscape and decision boundary visualizer: Canvas 2D, no libraries.
 *
 * Markup (emitted by the site's build, descent/site/assets.py):
 *   <div class="descent-visualizer" id="…" data-index="…/explorer/index.json"
 *        data-index-json="{…}" data-first="BASE64" data-first-file="moons-2x16-adam.bin">
 *     <p class="descent-visualizer__loading">Loading the visualizer…</p>
 *   </div>
 *   <script src="…/javascripts/visualizer.js"></script>
 * This script replaces the content with the visualizer (visualizer/controls.js). The data
 * (visualizer/data.js) is the index and one file per (dataset, model, training).
 *
 * Performance design (targets: first draw ≤ 300 ms, epoch change ≤ 16.7 ms at p95): the page
 * carries the index and the default combination's first view inline (data-index-json;
 * data-first: base64 of a .bin with the last epoch's planes and boundary only, and the whole
 * file's loss scales), and loads this script, a classic one, right after the visualizer, before
 * the theme's deferred scripts: the first view is drawn without a request, while the page is
 * parsed. The whole file follows once the page is painted (the slider and Play wait for it).
 * Other combinations are fetched when picked and kept, never fetched twice.
 *
 * For tests and the benchmark: root.descentVisualizer = {ready, firstRender, latencies,
 * latencyLog, state()}.
 */

import { everyPage, mountEach } from "./lib/lifecycle.js";
import { adoptInline, createVisualizer } from "./visualizer/app.js";

everyPage("descentVisualizerSetup", mountEach(".descent-visualizer[data-index]", (root, n) => {
  adoptInline(root);
  // Only the first visualizer of a page reads and writes the address's query string.
  return createVisualizer(root, n === 0 ? window.location.search : null);
}));
