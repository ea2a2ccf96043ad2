"""No Tripletex word leaves integrations/tripletex (issue 8, item 2): the records carry our own
case status and an opaque invoice locator, so the sync, the domain, the other ERPs, the kit and
the templates never name Tripletex's fields or status values. Read in the code itself (names,
attributes, keywords and string values; docstrings and comments may say what is avoided)."""

import ast
from pathlib import Path

import pytest

from tests.test_layers import PACKAGES  # ours: the import-linter root packages

ROOT = Path(__file__).resolve().parents[1]
OWN_PACKAGE = ROOT / "integrations" / "tripletex"
# Tripletex's field names for what every ERP has, and its voucher status values: each of them
# outside its package means the layer above speaks Tripletex.
WORDS = (
    "voucherStatus",
    "amountOutstanding",
    "amountCurrencyOutstanding",
    "externalVoucherNumber",
    "isCreditNote",
    "invoiceDueDate",
    "employeeToken",
    "consumerToken",
)
VALUES = {"ONGOING", "SETTLED"}  # as string values: our CaseStatus says "ongoing", "paid"...


def docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            value = body[0].value
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                found.add(id(value))
    return found


def tripletex_words(source: str) -> list[str]:
    """Every Tripletex word in the code of one module (not its docstrings or comments)."""
    tree = ast.parse(source)
    skip = docstrings(tree)
    hits = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            texts = [node.id]
        elif isinstance(node, ast.Attribute):
            texts = [node.attr]
        elif isinstance(node, ast.keyword) and node.arg:
            texts = [node.arg]
        elif isinstance(node, ast.arg):
            texts = [node.arg]
        elif (
            isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
        ):
            if node.value in VALUES:
                hits.append(node.value)
            texts = [node.value]
        else:
            continue
        hits += [w for w in WORDS for t in texts if w in t]
    return hits


def modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if OWN_PACKAGE not in path.parents and "migrations" not in path.parts:
                yield path


def test_no_tripletex_word_outside_its_package():
    paths = list(modules())
    assert len(paths) > 200  # the whole code base is read, not an empty glob
    found = {
        str(path.relative_to(ROOT)): hits
        for path in paths
        if (hits := tripletex_words(path.read_text(encoding="utf-8")))
    }
    for template in sorted((ROOT / "templates").rglob("*.html")):
        text = template.read_text(encoding="utf-8")
        if hits := [w for w in (*WORDS, *VALUES) if w in text]:
            found[str(template.relative_to(ROOT))] = hits
    assert found == {}


@pytest.mark.parametrize(
    ("line", "hits"),
    [
        ('status = invoice["voucherStatus"]', ["voucherStatus"]),
        ("left = record.amountCurrencyOutstanding", ["amountCurrencyOutstanding"]),
        ('if status == "SETTLED":\n    pass', ["SETTLED"]),
        ("write(externalVoucherNumber=1)", ["externalVoucherNumber"]),
        ('"""Tripletex\'s voucherStatus is read in its own package."""', []),  # a docstring
        ("status = CaseStatus.ONGOING  # our own status", []),
    ],
)
def test_the_scan_finds_the_words_in_code_only(line, hits):
    assert tripletex_words(line) == hits
