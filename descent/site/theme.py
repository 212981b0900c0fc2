"""The theme's markup as the site serves it: names and keyboard access it lacks, and Markdown
tables already in the wrapper the theme's script would put them in."""

from __future__ import annotations

import re

from mkdocs.config import base
from mkdocs.plugins import BasePlugin, get_plugin_logger

log = get_plugin_logger(__name__)


class ThemeConfig(base.Config):
    pass


# Names and keyboard access that the theme's and the notebooks' markup lacks: (as built, as
# served, whether every page has it). A theme update that changes the markup of one every page
# has fails the build (strict), so it is seen at once.
ACCESSIBLE_MARKUP = [
    (
        '<div class="md-search" data-md-component="search" role="dialog">',
        '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">',
        True,
    ),
    (
        '<div class="md-progress" data-md-component="progress" role="progressbar">',
        '<div class="md-progress" data-md-component="progress" role="progressbar"'
        ' aria-label="Loading the page">',
        True,
    ),
    # Notebook code and display math scroll sideways on narrow screens: the keyboard must reach
    # them (the theme does it for its own code blocks).
    ('<div class="highlight-ipynb ', '<div tabindex="0" class="highlight-ipynb ', False),
    ('<div class="arithmatex">', '<div class="arithmatex" tabindex="0">', False),
]


def accessible(output: str, name: str) -> str:
    for built, served, everywhere in ACCESSIBLE_MARKUP:
        if everywhere and built not in output:
            log.warning(f"{name}: the theme's markup changed, no {built!r} to complete")
        output = output.replace(built, served)
    return output


MARKDOWN_TABLE = re.compile(r"<table>(.*?)</table>", re.S)  # the only tables without attributes


def wrap_tables(content: str) -> str:
    """Markdown tables in the scrolling wrapper the theme's script would put them in once the
    page has loaded. Done by that script, the change laid the whole page out again on a phone
    (a lesson full of typeset math: about 0.3 s of a 4x slower CPU). The class keeps the script
    from wrapping them again; descent.css gives them the theme's table style."""
    return MARKDOWN_TABLE.sub(
        r'<div class="md-typeset__scrollwrap"><div class="md-typeset__table">'
        r'<table class="descent-table">\1</table></div></div>',
        content,
    )


class ThemePlugin(BasePlugin[ThemeConfig]):
    def on_page_content(self, content: str, *, page, config, files) -> str:
        return wrap_tables(content)

    def on_post_page(self, output: str, *, page, config) -> str:
        return accessible(output, page.file.src_uri)

    def on_post_template(self, output: str, *, template_name: str, config) -> str:
        return accessible(output, template_name) if template_name == "404.html" else output
