"""The source a cache key covers, found by reading imports rather than kept in a list.

``closure(["descent/kinds/trajectory.py"])`` is that file with every project file it imports,
directly or not: ``import a.b``, ``from a.b import c`` (and ``c`` when it is a module), relative
imports, imports inside functions (a producer imports its heavy libraries where it uses them),
and the ``__init__.py`` of every package on the way, which Python runs too. Imports under
``if TYPE_CHECKING:`` are left out: they never run. Modules outside the project (numpy, torch)
are covered by the library versions in the key instead.

A script outside any package (a scene) also finds modules beside it, as Manim's import does.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from functools import cache
from pathlib import Path

from descent.store import PROJECT_ROOT, file_digest, sha256_hex


def closure(roots: Iterable[str], root: Path = PROJECT_ROOT) -> tuple[str, ...]:
    """Project-relative paths of ``roots`` and of every project file they import, sorted."""
    seen: set[Path] = set()
    todo = [root / r for r in roots]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        if path.is_file():  # a missing root still counts: its absence is part of the key
            todo += [p for p in imported_files(path, root) if p not in seen]
    return tuple(sorted(p.relative_to(root).as_posix() for p in seen))


def fingerprint(paths: Iterable[str], root: Path = PROJECT_ROOT) -> str:
    """sha256 over the named files' contents (a missing file counts as empty, and so as a change)."""
    parts = []
    for rel in sorted(set(paths)):
        p = root / rel
        parts.append(f"{rel}:{file_digest(p) if p.exists() else 'missing'}")
    return sha256_hex("\n".join(parts))


def imported_files(path: Path, root: Path = PROJECT_ROOT) -> list[Path]:
    return list(_imported_files(path, path.stat().st_mtime_ns, root))


@cache
def _imported_files(path: Path, mtime: int, root: Path) -> tuple[Path, ...]:
    base, package = _import_root(path)
    # Where absolute imports resolve: the project, and the folder the file's package (or the file
    # itself, a script) is imported from, such as scenes/ for the scenes and their style package.
    search = list(dict.fromkeys([root, base]))
    found: list[Path] = []
    for node in runtime_imports(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                found += _module_files(alias.name, search, root)
        else:
            base = node.module or ""
            if node.level:  # relative: from the importing file's package upwards
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            found += _module_files(base, search, root)
            for alias in node.names:  # "from package import module" imports the module
                found += _module_files(f"{base}.{alias.name}", search, root)
    return tuple(dict.fromkeys(found))


def runtime_imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Import statements that can run: everywhere but the body of ``if TYPE_CHECKING:``."""
    out: list[ast.Import | ast.ImportFrom] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import | ast.ImportFrom):
            out.append(node)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return out


def _import_root(path: Path) -> tuple[Path, str]:
    """The folder a file is imported from (the first one up without an ``__init__.py``) and the
    dotted package it is in ("" for a script)."""
    base, parts = path.parent, []
    while (base / "__init__.py").exists():
        parts.insert(0, base.name)
        base = base.parent
    return base, ".".join(parts)


def _module_files(name: str, search: list[Path], root: Path) -> list[Path]:
    """The files that importing module ``name`` runs: its packages' ``__init__.py`` and itself."""
    if not name:
        return []
    parts = name.split(".")
    for base in search:
        module = base.joinpath(*parts)
        target = module / "__init__.py" if module.is_dir() else module.with_suffix(".py")
        if not target.is_file():
            continue
        packages = [base.joinpath(*parts[:k], "__init__.py") for k in range(1, len(parts))]
        return [p for p in packages if p.is_file()] + [target]
    return []  # not the project's (a library), or an attribute of a module
