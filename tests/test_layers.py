"""The package's stages import only from earlier ones (README, "Layout"): inputs, the site
model, decisions, the whole analysis, rendering, batch and the command line, over a few
utilities that import nothing of the package. A lazy import inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "roadmap"
STAGES = {"errors": 0, "catalogue": 0, "display": 0, "parallel": 0, "inputs": 1, "model": 2,
          "decisions": 3, "workflow": 4, "rendering": 5, "batch": 6, "cli": 7, "__init__": 8}


def _imported(path: Path, package: Path) -> list[list[str]]:
    """The package paths a module imports (relative, or absolute from `roadmap`)."""
    here = list(path.relative_to(package).parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[:len(here) - node.level + 1]
            module = node.module.split(".") if node.module else []
            found += [[*base, *module]] if module else [[*base, a.name] for a in node.names]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("roadmap."):
            found.append(node.module.split(".")[1:])
    return [parts for parts in found if parts]


def _upward(package: Path) -> list[tuple[str, str]]:
    """(module, what it imports) for every import of a later stage than the module's."""
    upward = []
    for path in sorted(package.rglob("*.py")):
        stage = STAGES[path.relative_to(package).parts[0].removesuffix(".py")]
        upward += [(str(path.relative_to(package)), ".".join(parts))
                   for parts in _imported(path, package) if STAGES.get(parts[0], -1) > stage]
    return upward


def test_no_import_runs_back_up_a_stage():
    assert _upward(PACKAGE) == []


def test_an_upward_import_is_found_even_inside_a_function(tmp_path):
    (tmp_path / "model").mkdir()
    (tmp_path / "model" / "pathway.py").write_text(
        "from ..inputs.site import Site\n"
        "from roadmap.decisions.roadmap import Roadmap\n"
        "def chart():\n    from ..rendering import charts\n", encoding="utf-8")
    assert _upward(tmp_path) == [("model/pathway.py", "decisions.roadmap"),
                                 ("model/pathway.py", "rendering")]
