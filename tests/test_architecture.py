"""The shape of the code (docs/architecture.md): lib/ in layers that import only downwards, checked by
import-linter's contracts (.importlinter), and imports at the top of a module, where a reader looks for them.
"""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

# The only imports inside a function: a heavy dependency loaded when it is needed and not before.
LAZY_IMPORTS = {
    ("lib/files/brief.py", "typst"): "Typst (the compiler and its fonts) only when a brief is made: the page "
                                      "processes need not load it",
    ("lib/files/chart_export.py", "vl_convert"): "vl-convert only when a chart file is made: the page processes "
                                                 "need not load the converter",
    ("lib/pipeline/__main__.py", "lib.pipeline.orchestrate"): "the build stack (pandas, geopandas, DuckDB's writer) "
                                                              "only to build: 'up to date' answers without it",
    ("lib/pipeline/publish.py", "geopandas"): "geopandas and shapely (~1 s) only when a build makes the label "
                                              "points: the stale check, the tests and the steward's command "
                                              "import the pipeline without them",
    ("lib/pipeline/publish.py", "shapely.geometry"): "as geopandas",
    ("lib/pipeline/publish.py", "shapely.ops"): "as geopandas",
}


def _code_files() -> list[Path]:
    return [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "lib").rglob("*.py"))]


def _imported(node: ast.Import | ast.ImportFrom) -> list[str]:
    if isinstance(node, ast.ImportFrom):
        return [node.module or ""]
    return [alias.name for alias in node.names]


def test_the_layers_contracts_hold():
    """lint-imports (import-linter) with .importlinter: web over files over charts over domain; the build on
    the domain only; nothing run-time imports the build; Streamlit only in the web layer and the pages; no
    Altair in the domain or the build. Its report is the failure message."""
    result = subprocess.run([str(Path(sys.executable).with_name("lint-imports")), "--no-cache"], cwd=ROOT,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 5 kept, 0 broken." in result.stdout


def test_app_py_imports_the_web_layer_only():
    """app.py is a module, not a package, so import-linter cannot take it; it hands the pages to navigation."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    own = [name for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
           for name in _imported(node) if name.split(".")[0] == "lib"]
    assert own and all(name == "lib.web" or name.startswith("lib.web.") for name in own), own


def test_no_import_inside_a_function_except_the_listed_lazy_ones():
    found = {}
    for path in _code_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in (n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))):
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    for name in _imported(node):
                        found[(path.relative_to(ROOT).as_posix(), name)] = f"line {node.lineno} in {function.name}"
    unlisted = {key: where for key, where in found.items() if key not in LAZY_IMPORTS}
    assert not unlisted, "imports belong at the top of the module (or in LAZY_IMPORTS with the reason):\n" + \
        "\n".join(f"{path}:{where}: {name}" for (path, name), where in sorted(unlisted.items()))
    assert not LAZY_IMPORTS.keys() - found.keys(), "listed lazy imports that no longer exist"


def test_no_module_level_import_after_code():
    """Imports first, then code: a module is not grown by appending an import half-way down (``# noqa: E402``)."""
    late = []
    for path in _code_files():
        body = ast.parse(path.read_text(encoding="utf-8")).body
        code_seen = False
        for node in body:
            is_import = isinstance(node, (ast.Import, ast.ImportFrom))
            is_docstring = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            if is_import and code_seen:
                late.append(f"{path.relative_to(ROOT)}:{node.lineno}")
            code_seen = code_seen or not (is_import or is_docstring)
    assert not late, "\n".join(late)


DOCS = ["README.md", "data/README.md", "geo/README.md", "bench/README.md", "docs"]


def _tracked() -> set[str]:
    result = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        pytest.skip("not a git checkout: which files are tracked is unknown")
    files = set(result.stdout.split())
    return files | {parent.as_posix() for name in files for parent in Path(name).parents}


def _docs() -> list[Path]:
    return [p for d in DOCS for p in ([ROOT / d] if d.endswith(".md") else sorted((ROOT / d).rglob("*.md")))]


def test_every_link_in_the_docs_is_a_tracked_file():
    """A link (or an image) in a README or under docs/ opens a file the repository has (not an ignored one)."""
    tracked, broken = _tracked(), []
    for doc in _docs():
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target):
                continue
            path = (doc.parent / target).resolve()
            if not path.is_relative_to(ROOT) or path.relative_to(ROOT).as_posix() not in tracked:
                broken.append(f"{doc.relative_to(ROOT)}: {target}")
    assert not broken, "\n".join(broken)


def test_the_code_the_docs_name_exists():
    """`lib/…`, `pages/…`, `tests/…` and `scripts/…` named in the README and docs/ are files of the repository
    (a module's attribute, `lib/web/page.PAGES`, names its module): a move leaves no stale name behind."""
    tracked, stale = _tracked(), []
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        for name in re.findall(r"`((?:lib|pages|tests|scripts)/[\w./-]+)`", doc.read_text(encoding="utf-8")):
            candidates = {name.rstrip("/"), name.rsplit(".", 1)[0] + ".py", name.rsplit(".", 1)[0]}
            if not candidates & tracked:
                stale.append(f"{doc.relative_to(ROOT)}: {name}")
    assert not stale, "\n".join(stale)
