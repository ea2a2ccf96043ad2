"""Issue 8 item 1: the layers hold, checked by import-linter with the contracts in pyproject.toml
(the same `lint-imports` that `make test` runs). On the code before the layering it failed: cases
imported integrations, settlements and letters, creditors imported cases and integrations,
integrations imported every domain app."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
# Ours: the root packages of the import-linter contracts in pyproject.toml.
PACKAGES = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"][
    "root_packages"
]


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_layer_contracts_are_kept():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
    for contract in ("Layers:", "independent", "Domain apps never import", "integrations knows"):
        assert contract in result.stdout


@pytest.fixture
def tree(tmp_path):
    """The packages' Python files and the contracts, in a copy that a test may break."""
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        # The edges issue 8 names, one by one: each is refused by a contract.
        ("cases/probe.py", "from integrations.errors import ErpError", "Domain apps never"),
        ("cases/probe.py", "from settlements.services import settlement_create", "Layers"),
        ("cases/probe.py", "from letters.models import Letter", "Layers"),
        ("creditors/probe.py", "from cases.models import Case", "Layers"),
        ("creditors/probe.py", "from integrations.base import ErpInvoice", "Domain apps never"),
        ("letters/probe.py", "from settlements.models import Settlement", "independent"),
        ("integrations/probe.py", "from creditors.models import Creditor", "integrations knows"),
        ("nordic/probe.py", "from django.db import models", "nordic is plain Python"),
        # integrations is outside the layers contract: nordic, the bottom, may not import it.
        ("nordic/probe.py", "from integrations.base import ErpInvoice", "nordic is plain Python"),
        # The support console reads the workflow's models; nothing below reads the console.
        ("collection/probe.py", "from support.models import Ticket", "Layers"),
    ],
)
def test_an_edge_against_the_layers_breaks_a_contract(tree, module, line, contract):
    (tree / module).write_text(f"{line}\n")
    result = lint_imports(tree)
    assert result.returncode != 0
    broken = result.stdout.split("Broken contracts")[-1]
    assert contract in broken and module.replace("/", ".").removesuffix(".py") in broken
