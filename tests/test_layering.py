"""The architecture's rules, read from the source: `magdi` imports neither Streamlit nor the store
nor the app; pages hold no SQL and no torch, and what they import loads no torch either (a page
would otherwise pay seconds of import on its first visit)."""

from __future__ import annotations

import ast
import subprocess
import sys

from tests.conftest import ROOT


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


def _top(names: set[str]) -> set[str]:
    return {n.split(".")[0] for n in names}


def test_magdi_imports_neither_streamlit_nor_the_store_nor_the_app():
    for path in sorted((ROOT / "magdi").glob("*.py")):
        assert not _top(_imports(path)) & {"streamlit", "db", "app", "pages"}, path.name


def test_pages_hold_no_sql_and_no_torch():
    for path in sorted((ROOT / "pages").glob("*.py")):
        assert not _top(_imports(path)) & {
            "sqlalchemy",
            "sqlmodel",
            "db",
            "torch",
            "transformers",
            "peft",
            "torch_geometric",
        }, path.name


def test_what_pages_import_loads_no_torch():
    modules = sorted(
        {n for p in (ROOT / "pages").glob("*.py") for n in _imports(p) if n.split(".")[0] == "app"}
    )
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in modules)
        + "print(sorted(m for m in ('torch', 'transformers', 'peft') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[-2] == "[]", modules
