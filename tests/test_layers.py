"""No module imports upward: data flows one way (lesson spec -> producer -> store -> renderer ->
page), so the engine never imports the lessons, the kinds never import the build that drives
them, the optimizer protocol never imports a backend, and renderers never import the plan.

Every import statement that can run is read from the source, those inside functions included (a
lazy import is an import all the same); those under ``if TYPE_CHECKING:`` are not.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from descent.code import runtime_imports

ROOT = Path(__file__).resolve().parent.parent


def imports(path: Path) -> set[str]:
    """Every module a file imports when it runs, as dotted names (``from a import b`` gives a
    and a.b); not what it imports for type checkers only."""
    names = set()
    for node in runtime_imports(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def files(*patterns: str) -> list[Path]:
    return sorted(p for pattern in patterns for p in ROOT.glob(pattern))


def below(name: str, *packages: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


# (files, modules they must not import, why)
RULES = [
    (("descent/**/*.py",), ("lessons",), "the engine does not know the course's lessons"),
    (
        ("descent/optim/protocol.py",),
        (
            "descent.optim.registry",
            "descent.optim.torch_backend",
            "descent.optim.reference",
            "descent.optim.optax_backend",
            "torch",
            "jax",
            "optax",
        ),
        "the protocol is types only: backends import it, not the reverse",
    ),  # fmt: skip
    (
        ("descent/kinds/*.py",),
        (
            "descent.plan",
            "descent.pipeline",
            "descent.lesson_spec",
            "descent.kinds.registry",
            "descent.spec_fields",
            "descent.site",
        ),
        "a kind is made by the build, and its key covers what it imports: never the build itself",
    ),  # fmt: skip
    (
        ("descent/**/*.py",),
        ("manim", "mkdocs", "material"),
        "producers are pure: only scenes use Manim, only the site's plugins MkDocs",
    ),
    (
        ("scenes/**/*.py",),
        ("lessons", "descent.plan", "descent.pipeline", "descent.lesson_spec", "descent.kinds.registry"),
        "a scene is handed its inputs; it never plans the course",
    ),
    (("descent/site/*.py",), ("torch", "manim", "lessons"), "the site reads what the build published"),
]
CASES = [(path, banned, why) for patterns, banned, why in RULES for path in files(*patterns)]
# The site's plugins are the one place MkDocs is imported.
ALLOWED = {("descent/site/", "mkdocs"), ("descent/site/", "material")}


@pytest.mark.parametrize(
    "path, banned, why", CASES, ids=[f"{c[0].relative_to(ROOT)}-{c[1][0]}" for c in CASES]
)
def test_no_module_imports_upward(path, banned, why):
    rel = path.relative_to(ROOT).as_posix()
    bad = {
        name for name in imports(path)
        if below(name, *banned) and not any(rel.startswith(d) and below(name, m) for d, m in ALLOWED)
    }  # fmt: skip
    assert not bad, f"{rel} imports {sorted(bad)}: {why}"


def test_the_rules_see_lazy_imports(tmp_path):
    lazy = tmp_path / "lazy.py"
    lazy.write_text("def f():\n    from lessons import momentum\n")
    assert "lessons" in imports(lazy) and "lessons.momentum" in imports(lazy)
