// The site's plotly.js bundles, built from plotly.js's own modules with the build settings of its
// esbuild-config.js, each registering only some trace types: every figure page loads the
// smallest bundle that has all of its figures' types (descent/site/plotly.py reads bundles.json).
// A figure with a type no bundle has fails the site's build, and the tests.
//
//   node bundle.mjs OUT_DIR [EXPECTED_PLOTLY_JS_VERSION]
//
// Runs from the directory its packages are installed in (scripts/setup.sh copies it there).

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import * as esbuild from "esbuild";
import { environmentPlugin } from "esbuild-plugin-environment";
import { glsl } from "esbuild-plugin-glsl";
import InlineCSSPlugin from "esbuild-plugin-inline-css";

const TWO_D = ["scatter", "contour", "heatmap", "table"];
// WebGL 3-D traces bring plotly's whole gl3d stack: 40 % more bytes, for the pages that need it.
const BUNDLES = {
  "plotly-2d.min.js": TWO_D,
  "plotly-3d.min.js": [...TWO_D, "surface", "scatter3d"],
};

const [outDir, expected] = process.argv.slice(2);
if (!outDir) throw new Error("usage: node bundle.mjs OUT_DIR [EXPECTED_PLOTLY_JS_VERSION]");
const here = path.dirname(new URL(import.meta.url).pathname);
const require = createRequire(path.join(here, "package.json"));
const { version } = require("plotly.js/package.json");
if (expected && expected !== version) {
  throw new Error(`plotly.js ${version} is installed, the Python package ships ${expected}: ` +
    `set plotly.js to ${expected} in scripts/plotly/package.json and refresh its lock`);
}
// plotly.js's own licence header, kept at the top of every bundle.
const header = readFileSync(require.resolve("plotly.js/dist/plotly.min.js"), "utf8")
  .match(/^\/\*\*[\s\S]*?\*\//)[0];
const empty = path.join(here, "empty.js");

mkdirSync(outDir, { recursive: true });
const index = { "plotly.js": version, bundles: [] };
for (const [file, traces] of Object.entries(BUNDLES)) {
  const entry = [
    'var Plotly = require("plotly.js/lib/core");',
    `Plotly.register([${traces.map((t) => `require("plotly.js/lib/${t}")`).join(", ")}]);`,
    "module.exports = Plotly;",
  ].join("\n");
  await esbuild.build({
    stdin: { contents: entry, resolveDir: here, sourcefile: file },
    outfile: path.join(outDir, file),
    format: "iife",
    globalName: "Plotly",
    bundle: true,
    minify: true,
    banner: { js: header },
    legalComments: "none",
    plugins: [InlineCSSPlugin(), glsl({ minify: true }), environmentPlugin({ NODE_DEBUG: false })],
    alias: {
      regl: "@plotly/regl",
      stream: "stream-browserify",
      // Map traces' stylesheet, injected only when a map trace registers: none here.
      "maplibre-gl/dist/maplibre-gl.css": empty,
    },
    define: { global: "window", "define.amd": "false" },
    target: "es2016",
    logLevel: "warning",
  });
  index.bundles.push({ file, traces: [...traces].sort() });
}
writeFileSync(path.join(outDir, "bundles.json"), `${JSON.stringify(index, null, 1)}\n`);
