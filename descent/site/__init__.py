"""The site's MkDocs plugins: registered as entry points in pyproject.toml, listed in mkdocs.yml.

- ``descent-assets`` (assets.py): the shortcodes (``{{ figure("id") }}`` and the other published
  kinds) from the build's manifest, the plotly.js bundle each page loads, the JavaScript bundles.
- ``descent-notebooks`` (notebooks.py): mkdocs-jupyter's pages trimmed to their cells, their
  math in the lessons' markup, their figures' JSON in files beside the page.
- ``descent-math`` (math.py): every formula typeset with KaTeX when the site is built (one Node
  process per build), and the fonts each page's math uses preloaded.
- ``descent-theme`` (theme.py): the theme's markup completed for accessibility, tables wrapped.

Each keeps its state on its instance, reset when a build starts. What a page's head needs from
them reaches the templates as ``context["descent"]`` (head.py).
"""
