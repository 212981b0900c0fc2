/*
 * Renders math with the vendored KaTeX on every page view (instant navigation included).
 *
 * pymdownx.arithmatex (generic: true) wraps Markdown math as \( … \) in span.arithmatex and
 * \[ … \] in div.arithmatex, so only those elements are rendered: a stray "$" in prose stays
 * text. Notebook pages (mkdocs-jupyter, .jupyter-wrapper) carry raw $ … $ / $$ … $$ math.
 */
(function () {
  "use strict";

  const ARITHMATEX = [
    { left: "\\(", right: "\\)", display: false },
    { left: "\\[", right: "\\]", display: true },
  ];
  const NOTEBOOK = [
    { left: "$$", right: "$$", display: true },
    { left: "$", right: "$", display: false },
    ...ARITHMATEX,
  ];

  function render(element, delimiters) {
    renderMathInElement(element, { delimiters, throwOnError: false });
  }

  function renderPage() {
    if (typeof renderMathInElement !== "function") return; // KaTeX failed to load: leave the TeX
    for (const el of document.querySelectorAll(".arithmatex")) render(el, ARITHMATEX);
    const notebooks = document.querySelectorAll(".jupyter-wrapper .jp-MarkdownOutput");
    for (const el of notebooks) render(el, NOTEBOOK);
  }

  if (typeof document$ !== "undefined") document$.subscribe(renderPage);
  else renderPage();
})();
