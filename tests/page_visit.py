"""A page of the built site opened in a fresh browser context, with everything that went wrong on
it: uncaught errors, console errors and warnings, failed requests, error responses and requests
to other hosts. The browser tests of the site's widgets open their pages through it."""

from __future__ import annotations

from contextlib import contextmanager
from urllib.parse import urlsplit


class PageVisit:
    def __init__(self, browser, url: str, **context_options):
        self.context = browser.new_context(**context_options)
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.errors: list[str] = []
        self.requests: list[str] = []
        host = urlsplit(url).hostname
        self.page.on("pageerror", lambda e: self.errors.append(f"uncaught: {e}"))
        self.page.on("console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text))
        self.page.on("requestfailed", lambda r: self.errors.append(f"failed: {r.url} {r.failure}"))
        self.page.on("response", lambda r: r.status >= 400 and self.errors.append(f"{r.status} {r.url}"))

        def on_request(request):
            self.requests.append(request.url)
            local = urlsplit(request.url).hostname in (host, None) or request.url.startswith(
                ("data:", "blob:")
            )
            if not local:
                self.errors.append(f"foreign request: {request.url}")

        self.page.on("request", on_request)
        self.page.goto(url)

    def close(self):
        assert self.errors == [], self.errors
        self.context.close()


@contextmanager
def visits(open_one):
    """A function that opens visits with open_one(...); each is closed (and checked) at the end."""
    opened = []

    def open_visit(*args, **kwargs):
        opened.append(open_one(*args, **kwargs))
        return opened[-1]

    yield open_visit
    for v in opened:
        v.close()
