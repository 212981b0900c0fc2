/* A canvas widget's colours, read from the page's stylesheet so that they follow the light and
   dark schemes: each name from `--descent-<app>-<name>`, else the widgets' shared
   `--descent-widget-<name>`. */

export function paletteFrom(style, app, names) {
  const pal = { font: style.fontFamily || "sans-serif" };
  for (const name of names) {
    pal[name] = (style.getPropertyValue(`--descent-${app}-${name}`).trim() ||
      style.getPropertyValue(`--descent-widget-${name}`).trim() || "#888");
  }
  pal.key = names.map((name) => pal[name]).join(); // changes when any colour does
  return pal;
}

export function readPalette(root, app, names) {
  return paletteFrom(getComputedStyle(root), app, names);
}

// Calls fn whenever the reader switches the colour scheme (mkdocs-material's toggle), until
// `life` ends (null: for as long as the page).
export function onSchemeChange(life, fn) {
  const observer = new MutationObserver(fn);
  observer.observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  if (life) life.add(() => observer.disconnect());
}
