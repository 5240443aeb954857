"""List string literals with Chinese text that do not go through the catalog (``_()`` / ``N_()`` / ``ngettext()``).

    .venv/bin/python scripts/find_untranslated.py [FILE ...]     (default: app.py, pages/, lib/)

Docstrings are skipped. What remains is either UI text to wrap, or data (a value stored in the
database, a regular expression over the plan) that must stay as it is; the page test
(tests/test_i18n.py) allows no such literal in app.py and pages/.
"""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HAN = re.compile(r"[\u3400-\u9fff]")
CATALOG_CALLS = {"_", "N_", "ngettext"}   # ngettext: a count meeting a noun (lib/domain/i18n.py)


def _docstrings(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def untranslated(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    for node in ast.walk(tree):  # literals that are catalog ids, directly or inside a catalog call
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CATALOG_CALLS:
            for sub in ast.walk(node):
                skip.add(id(sub))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip \
                and HAN.search(node.value):
            found.append((node.lineno, node.value))
    return sorted(found)


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")),
                                         *sorted((ROOT / "lib").glob("*.py"))]
    total = 0
    for path in paths:
        for line, text in untranslated(path):
            total += 1
            print(f"{path.relative_to(ROOT) if path.is_absolute() else path}:{line}: {text[:80]!r}")
    print(f"{total} literal(s)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
