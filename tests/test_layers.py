"""The layers of the design card: ``indicators/`` is the domain and depends on neither the report code
nor Dagster; ``reports/`` renders and depends on ``indicators/`` but not on Dagster or ``pipelines/``;
only ``pipelines/`` wires them into Dagster. Read from the source (ast), so a late import inside a
function counts as much as one at the top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT

FORBIDDEN = {"indicators": {"reports", "pipelines", "dagster", "dagster_duckdb"},
             "reports": {"pipelines", "dagster", "dagster_duckdb"}}


def imported(path: Path) -> set[str]:
    """The top-level packages ``path`` imports, wherever in the module the import is."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_a_layer_imports_nothing_above_it(layer):
    crossings = {str(path.relative_to(PROJECT_ROOT)): sorted(imported(path) & FORBIDDEN[layer])
                 for path in sorted((PROJECT_ROOT / layer).rglob("*.py"))}
    assert {path: names for path, names in crossings.items() if names} == {}
