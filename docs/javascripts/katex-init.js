/*
 * Math in Markdown pages is typeset when the site is built (descent/site_hook.py), so those
 * pages run no KaTeX at all. Notebook pages (mkdocs-jupyter, .jupyter-wrapper) carry raw
 * $ … $ / $$ … $$ math in their Markdown cells: on those, and only those, this loads the vendored
 * KaTeX and renders it, on every page view (instant navigation included).
 */
(function () {
  "use strict";

  const DELIMITERS = [
    { left: "$$", right: "$$", display: true },
    { left: "$", right: "$", display: false },
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ];
  const KATEX = document.currentScript
    ? new URL("../assets/vendor/katex/", document.currentScript.src).href
    : null;
  let loading = null;

  function script(src) {
    return new Promise((resolve, reject) => {
      const el = document.createElement("script");
      el.src = src;
      el.onload = resolve;
      el.onerror = () => reject(new Error(`could not load ${src}`));
      document.head.appendChild(el);
    });
  }

  function loadKatex() {
    if (typeof renderMathInElement === "function") return Promise.resolve();
    if (!loading) {
      loading = script(KATEX + "katex.min.js")
        .then(() => script(KATEX + "auto-render.min.js"))
        .catch((err) => {
          loading = null; // leave the TeX as it is; a later page may try again
          throw err;
        });
    }
    return loading;
  }

  function renderPage() {
    const cells = [...document.querySelectorAll(".jupyter-wrapper .jp-MarkdownOutput")]
      .filter((el) => /\$|\\\(|\\\[/.test(el.textContent));
    if (!cells.length || !KATEX) return;
    loadKatex().then(() => {
      for (const el of cells) {
        if (el.isConnected) renderMathInElement(el, { delimiters: DELIMITERS, throwOnError: false });
      }
    }, (err) => console.warn("descent: math not typeset", err));
  }

  if (typeof document$ !== "undefined") document$.subscribe(renderPage);
  else renderPage();
})();
