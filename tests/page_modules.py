"""The page's ES modules run by Node from a test: names imported from modules of
``docs/javascripts``, one JavaScript expression evaluated over the JSON data given, its value
returned through JSON (which keeps every bit of a double)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NODE = ROOT / ".cache" / "tools" / "node" / "bin" / "node"
JAVASCRIPTS = ROOT / "docs" / "javascripts"


def evaluate(imports: dict[str, list[str]], data: Any, expression: str) -> Any:
    """``expression``, which may use ``data`` and the names each module (a path under
    ``docs/javascripts``) exports, evaluated by Node."""
    lines = [
        f"import {{ {', '.join(names)} }} from {json.dumps((JAVASCRIPTS / module).as_uri())};"
        for module, names in imports.items()
    ]
    script = "\n".join(
        [*lines, f"const data = {json.dumps(data)};", f"console.log(JSON.stringify({expression}));"]
    )
    # The script goes in on stdin: the data may be longer than a command line may be.
    done = subprocess.run(
        [str(NODE), "--input-type=module", "-"], input=script, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)
