"""The built site as its readers get it: the checks shared by tests/test_site_audit.py and
bench/readers.py.

- ``site_pages``: every page, from the built ``sitemap.xml``.
- ``check_links``: every local ``href``/``src`` of every built HTML file resolves to a file, and
  every ``#anchor`` exists in its target page.
- ``audit_page``: one pass of a page in the browser: failed requests, requests to other hosts,
  the bytes of its first view and of the whole page, axe-core's violations, the trace types its
  figures use against those registered in the plotly.js bundle it loaded, and whether it is wider
  than the viewport.

Bytes are what GitHub Pages would send, not what the local test server sent (it compresses
nothing): each response is the file it served, counted as its ``gzip -6`` size when GitHub Pages
compresses that type (HTML, CSS, JavaScript, JSON, SVG, XML, notebooks) and as its size otherwise
(images, fonts, video). A video counts only its metadata, the file less its ``mdat`` box, which is
what ``preload="metadata"`` needs: the frames are fetched when the reader plays it.
"""

from __future__ import annotations

import gzip
import html.parser
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / ".cache" / "tools" / "audit" / "node_modules" / "axe-core" / "axe.min.js"  # scripts/setup.sh
COMPRESSED = {".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", ".ipynb", ".map"}
SERIOUS = {"serious", "critical"}
# The desktop viewport Lighthouse uses; a phone's width for the layout check.
DESKTOP = {"width": 1350, "height": 940}
PHONE = {"width": 360, "height": 740}


def sitemap_urls(site: Path) -> list[str]:
    urls = re.findall(r"<loc>([^<]+)</loc>", (site / "sitemap.xml").read_text())
    assert urls, "sitemap.xml lists no page"
    return urls


def site_pages(site: Path) -> list[str]:
    """Every page's path relative to the site's root ("" for the home page), from sitemap.xml."""
    urls = sitemap_urls(site)
    base = min(urls, key=len)  # the home page is the site's address
    return [url.removeprefix(base) for url in urls]


# ---------- links ----------

# Attributes that refer to another file or anchor, on any element.
LINK_ATTRIBUTES = {"href", "src", "poster", "data-poster", "data-figure", "data-plotly", "data-index"}


class _Refs(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (tag == "a" and name == "name"):
                self.ids.add(value)
            elif name in LINK_ATTRIBUTES:
                self.refs.append((tag, value))
            elif name == "srcset":
                self.refs += [(tag, part.split()[0]) for part in value.split(",") if part.strip()]


def _parse(path: Path, cache: dict) -> _Refs:
    if path not in cache:
        parser = _Refs()
        parser.feed(path.read_text(errors="replace"))
        cache[path] = parser
    return cache[path]


def _target(site: Path, url_path: str) -> Path:
    path = site / unquote(url_path).lstrip("/")
    return path / "index.html" if url_path.endswith("/") or path.is_dir() else path


def _has_id(page: Path, url, cache: dict) -> bool:
    return unquote(url.fragment) in _parse(page, cache).ids


def check_links(site: Path, site_url: str | None = None) -> tuple[list[str], int, int]:
    """Broken local links and anchors in every HTML file of ``site``, as "page: url (why)".

    Links to the site's own address (``site_url``: canonical links, the sitemap's) count as local;
    links to other hosts are counted, not followed (the site is checked offline). Returns the
    problems, the number of local references checked and the number of external ones.
    """
    site = site.resolve()
    base = urlsplit(site_url or "http://site.invalid/")
    cache: dict[Path, _Refs] = {}
    problems, local, external = [], 0, 0
    for page in sorted(site.rglob("*.html")):
        page_url = "/" + page.relative_to(site).as_posix()
        for tag, ref in _parse(page, cache).refs:
            ref = ref.strip()
            parts = urlsplit(ref)
            if parts.scheme in ("data", "blob", "mailto", "javascript", "tel"):
                continue
            if parts.scheme or parts.netloc:
                if (parts.scheme, parts.netloc) != (base.scheme, base.netloc):
                    external += 1
                    continue
                ref = parts.path + (f"#{parts.fragment}" if parts.fragment else "")
                ref = "/" + ref.removeprefix(base.path).lstrip("/")
            local += 1
            resolved = urlsplit(urljoin(page_url, ref))
            target = page if resolved.path == page_url else _target(site, resolved.path)
            where = f"{page.relative_to(site)}: <{tag}> {ref}"
            if not target.is_file():
                problems.append(f"{where} (no file {target.relative_to(site)})")
            elif resolved.fragment and target.suffix == ".html" and not _has_id(target, resolved, cache):
                problems.append(
                    f"{where} (no id {unquote(resolved.fragment)!r} in {target.relative_to(site)})"
                )
    return problems, local, external


# ---------- bytes ----------


def mp4_metadata_size(path: Path) -> int:
    """Bytes of an mp4 without its frames: every top-level box but mdat."""
    total, data, i = 0, path.read_bytes(), 0
    while i + 8 <= len(data):
        size = int.from_bytes(data[i : i + 4], "big")
        kind = data[i + 4 : i + 8]
        if size == 1:
            size = int.from_bytes(data[i + 8 : i + 16], "big")
        elif size == 0:
            size = len(data) - i
        if size < 8:
            break
        if kind != b"mdat":
            total += size
        i += size
    return total


_sizes: dict[Path, int] = {}


def transfer_size(path: Path) -> int:
    """What GitHub Pages sends for this file (see the module's docstring)."""
    if path not in _sizes:
        if path.suffix == ".mp4":
            _sizes[path] = mp4_metadata_size(path)
        elif path.suffix in COMPRESSED:
            _sizes[path] = len(gzip.compress(path.read_bytes(), compresslevel=6, mtime=0))
        else:
            _sizes[path] = path.stat().st_size
    return _sizes[path]


# ---------- one page in the browser ----------

# Trace types each figure on the page uses, from its JSON (fetched or inline), and the types the
# page's plotly.js registered (none when the page loaded no plotly.js).
TRACE_TYPES = """async () => {
  const used = {};
  for (const fig of document.querySelectorAll('figure.descent-figure')) {
    const spec = fig.dataset.figureJson ? JSON.parse(fig.dataset.figureJson)
      : await (await fetch(new URL(fig.dataset.figure, document.baseURI))).json();
    used[fig.id || fig.querySelector('figcaption')?.textContent || '?'] =
      [...new Set((spec.data || []).map(t => t.type || 'scatter'))];
  }
  const registered = window.Plotly ? Object.keys(Plotly.PlotSchema.get().traces) : [];
  return {used, registered};
}"""

# Every figure drawn (SVG traces or a WebGL canvas), or shown as failed.
FIGURE_SETTLED = """fig => {
  if (fig.querySelector('.descent-figure__error')) return true;
  const gd = fig.querySelector('.js-plotly-plot');
  if (!gd || !gd._fullData) return false;
  if (fig.querySelector('.cartesianlayer .mlayer > *, .table')) return true;
  const canvas = fig.querySelector('.gl-container canvas');
  return !!canvas && canvas.width > 0;
}"""

# axe-core reads colours as they are at that instant: a control fading in (the theme's back-to-top
# button shows on scrolling up) would be judged at a partial opacity. Finite animations end first.
AXE_RUN = """async () => {
  await Promise.all(document.getAnimations()
    .filter(a => a.effect && a.effect.getComputedTiming().endTime !== Infinity)
    .map(a => a.finished.catch(() => null)));
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5), count: v.nodes.length,
  }));
}"""


# Changes, once the page is parsed, that restyle every element of it: a stylesheet's link given
# another address (it loads again), or the root element another class. Recorded from the start.
WATCH_RESTYLES = """
window.__restyles = [];
new MutationObserver((records) => {
  if (document.readyState === "loading") return;
  for (const r of records) {
    const now = r.target.getAttribute(r.attributeName);
    if (r.target === document.documentElement && r.attributeName === "class") {
      const before = new Set((r.oldValue || "").split(/\\s+/).filter(Boolean));
      const after = new Set((now || "").split(/\\s+/).filter(Boolean));
      if (before.size !== after.size || [...after].some((c) => !before.has(c))) {
        window.__restyles.push(`root class ${r.oldValue} -> ${now}`);
      }
    } else if (r.target.matches('link[rel~="stylesheet"]') && r.attributeName === "href"
               && r.oldValue !== now) {
      window.__restyles.push(`stylesheet ${r.oldValue} -> ${now}`);
    }
  }
}).observe(document, { subtree: true, attributes: true, attributeOldValue: true,
                       attributeFilter: ["class", "href"] });
"""
# The page's web fonts: preloaded, fetched later by a stylesheet (once layout found text in them,
# which lays that text out again), and in use.
FONTS = """() => ({
  preloaded: [...document.querySelectorAll('link[rel=preload][as=font]')].map((l) => l.href.split('/').pop()),
  late: performance.getEntriesByType('resource')
    .filter((e) => /\\.woff2?$/.test(e.name) && e.initiatorType !== 'link')
    .map((e) => e.name.split('/').pop()),
  used: [...document.fonts].filter((f) => f.status === 'loaded').map((f) => [f.family, f.weight, f.style]),
})"""


@dataclass
class PageAudit:
    path: str
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    first_view: dict[str, int] = field(default_factory=dict)  # file -> bytes
    whole_page: dict[str, int] = field(default_factory=dict)
    violations: list[dict] = field(default_factory=list)
    trace_types: dict = field(default_factory=dict)
    figure_errors: int = 0
    overflow: dict = field(default_factory=dict)  # viewport width -> page width, when wider
    restyles: list[str] = field(default_factory=list)  # see WATCH_RESTYLES
    fonts: dict = field(default_factory=dict)  # see FONTS

    @property
    def serious(self) -> list[dict]:
        return [v for v in self.violations if v["impact"] in SERIOUS]

    @property
    def unregistered(self) -> dict[str, list[str]]:
        """Figures whose trace types the page's plotly.js bundle does not have."""
        registered = set(self.trace_types.get("registered", []))
        used = self.trace_types.get("used", {})
        return {
            fig: sorted(set(types) - registered) for fig, types in used.items() if set(types) - registered
        }

    @property
    def first_view_bytes(self) -> int:
        return sum(self.first_view.values())

    @property
    def whole_page_bytes(self) -> int:
        return sum(self.whole_page.values())


def audit_page(browser, site: Path, site_url: str, path: str, timeout_ms: int = 60_000) -> PageAudit:
    """Loads ``path`` in a fresh context (empty cache) at the desktop viewport in the light
    scheme: the first view is every response until the load event and 500 ms without network
    activity; then it scrolls every figure into view and waits for it to draw, and runs axe-core
    on the whole page. Then the same at a phone's width in the dark scheme: axe-core again, and
    whether the page scrolls sideways."""
    audit = PageAudit(path)
    host = urlsplit(site_url).netloc
    responses: dict[str, int] = {}  # counted per URL: a video's range requests are one file

    def on_request(request):
        url = urlsplit(request.url)
        if url.scheme not in ("data", "blob") and url.netloc != host:
            audit.foreign.append(request.url)

    def on_response(response):
        url = urlsplit(response.url)
        if response.status >= 400:
            audit.failed.append(f"{response.status} {response.url}")
        elif url.netloc == host:
            file = _target(site, url.path)
            if file.is_file():
                responses[file.relative_to(site).as_posix()] = transfer_size(file)

    def on_failed(request):
        # Chromium ends a video's download on purpose once it has the metadata preload="metadata"
        # asked for; any other failure is a defect.
        if request.resource_type == "media" and "ERR_ABORTED" in (request.failure or ""):
            return
        audit.failed.append(f"{request.failure} {request.url}")

    for viewport, scheme in [(DESKTOP, "light"), (PHONE, "dark")]:
        # The narrow viewport is a window, not an emulated phone: a reader who zooms in (or has a
        # keyboard on a small screen) must still reach everything.
        phone = viewport is PHONE
        context = browser.new_context(viewport=viewport, color_scheme=scheme)
        page = context.new_page()
        page.add_init_script(WATCH_RESTYLES)
        page.set_default_timeout(timeout_ms)
        page.on("request", on_request)
        page.on("response", on_response)
        page.on("requestfailed", on_failed)
        page.on("console", lambda m: m.type == "error" and audit.console.append(m.text))
        page.on("pageerror", lambda e: audit.console.append(f"uncaught: {e}"))
        try:
            page.goto(site_url + path, wait_until="load")
            page.wait_for_load_state("networkidle")
            if not phone:
                audit.first_view = dict(responses)
            figures = page.locator("figure.descent-figure")
            for i in range(figures.count()):
                figures.nth(i).scroll_into_view_if_needed()
                page.wait_for_function(FIGURE_SETTLED, arg=figures.nth(i).element_handle())
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_load_state("networkidle")
            page.add_script_tag(path=str(AXE_JS))
            where = f"{viewport['width']} px, {scheme}"
            audit.violations += [{**v, "where": where} for v in page.evaluate(AXE_RUN)]
            audit.overflow.update(_overflow(page))
            if not phone:
                audit.figure_errors = page.locator(".descent-figure__error").count()
                audit.trace_types = page.evaluate(TRACE_TYPES)
                audit.whole_page = dict(responses)
                audit.fonts = page.evaluate(FONTS)
            audit.restyles += page.evaluate("window.__restyles")
        finally:
            context.close()
    return audit


def _overflow(page) -> dict:
    """{viewport width: page width} when the page scrolls sideways at this width."""
    widths = page.evaluate("[window.innerWidth, document.documentElement.scrollWidth]")
    return {widths[0]: widths[1]} if widths[1] > widths[0] else {}
