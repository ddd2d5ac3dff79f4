"""The project is an installed package: console scripts beside `python -m …`, importable from any
directory without `sys.path` edits, and its metadata matches the pinned requirements."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.utils import discussion, write_jsonl

BIN = Path(sys.executable).parent


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


@pytest.mark.parametrize("script", sorted(_project()["scripts"]))
def test_console_scripts_run_from_any_directory(script, tmp_path):
    done = subprocess.run([BIN / script, "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage:")


def test_magdi_studio_imports_and_counts_a_store_outside_the_repository(tmp_path):
    src = write_jsonl(tmp_path / "mine.jsonl", [discussion(id="a")])
    url = f"sqlite:///{tmp_path / 'store.db'}"
    done = subprocess.run(
        [BIN / "magdi-studio", "import", str(src), "--db", url],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "added 1 into 'mine'" in done.stdout


def _edits_sys_path(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr == "path":
            if isinstance(node.value, ast.Name) and node.value.id == "sys":
                return True
    return False


def test_no_code_edits_sys_path():
    sources = [
        p
        for top in ("app", "magdi", "db", "pages", "bench", "scripts", "tests")
        for p in (ROOT / top).rglob("*.py")
        if p != Path(__file__).resolve()
    ]
    assert len(sources) > 50
    assert [str(p.relative_to(ROOT)) for p in sources if _edits_sys_path(p)] == []


def test_every_dependency_is_pinned_and_every_pin_is_a_dependency():
    def names(reqs: list[str]) -> set[str]:
        return {re.split(r"[<>=\[ ;]", r, maxsplit=1)[0].lower() for r in reqs}

    def pins(file: str) -> set[str]:
        lines = (ROOT / file).read_text().splitlines()
        return names([ln for ln in lines if ln and not ln.startswith(("#", "-r"))])

    project = _project()
    assert names(project["dependencies"]) == pins("requirements.txt")
    assert names(project["optional-dependencies"]["dev"]) == pins("requirements-dev.txt")
    assert "torch==2.13.0" in (ROOT / "requirements.txt").read_text().splitlines()
