"""The architecture's rules, read from the source: `magdi` imports neither Streamlit nor the store
nor the app; all SQL lives in `db/` (the app builds none, the Streamlit glue does not even import
the store); pages hold no SQL and no torch, and what they import loads no torch either (a page
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


def _imported(path) -> set[str]:
    """Every `module` of `import module` and `module.name` of `from module import name`."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            out.update(f"{node.module}.{a.name}" for a in node.names)
    return out


# What app/ may take from the SQL libraries: the session type, for annotations of functions that a
# caller hands an open session (`db.engine.session_scope`); the session's queries live in db/.
SQL_ALLOWED = {"sqlmodel.Session"}


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


def test_app_builds_no_sql():
    for path in sorted((ROOT / "app").rglob("*.py")):
        sql = {n for n in _imported(path) if n.split(".")[0] in ("sqlalchemy", "sqlmodel")}
        assert sql <= SQL_ALLOWED, f"{path.relative_to(ROOT)}: {sorted(sql - SQL_ALLOWED)} (SQL lives in db/)"


def test_streamlit_glue_goes_through_the_services():
    glue = [ROOT / "app" / "main.py", *sorted((ROOT / "app" / "ui").glob("*.py"))]
    for path in glue:
        assert "db" not in _top(_imports(path)), f"{path.relative_to(ROOT)} imports the store"
