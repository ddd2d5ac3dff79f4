"""The tests' own layout: tests/ mirrors the packages, and helpers live in tests/utils only.

A test module imports no other test module (only `tests.utils` and `tests.conftest`), the only
other Python files are conftest.py, package markers and tests/data's scripts, every folder of
tests is a package (so mirrored names such as test_store.py may repeat), and the modules listed
in MIRRORED have their test file at the mirrored path."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

TESTS = ROOT / "tests"
SHARED = ("tests.utils", "tests.conftest")  # what a test module may import from tests
# modules whose tests sit at the mirrored path: <package>/<module>.py -> tests/<package>/test_<module>.py
MIRRORED = [
    "bench/train_step.py",
    "db/browsing.py",
    "db/bulk.py",
    "db/labels.py",
    "db/queries.py",
    "db/discussions.py",
    "db/jobs.py",
    "magdi/consensus.py",
    "magdi/formats.py",
    "magdi/model.py",
    "magdi/offline.py",
    "magdi/plumbing.py",
    "magdi/summary.py",
    "magdi/train.py",
    "app/jobkinds/train.py",
    "app/ui/text.py",
    "app/services/annotate.py",
    "app/services/browse.py",
    "app/services/discuss.py",
    "app/services/history.py",
    "app/services/jobs.py",
    "app/services/mag_view.py",
    "app/services/overview.py",
    "app/services/predictions.py",
    "app/services/review.py",
    "app/services/store.py",
    "app/worker.py",
]


def _python_files() -> list[Path]:
    return [p for p in TESTS.rglob("*.py") if "__pycache__" not in p.parts]


def _from_tests(code: str, package: str) -> set[str]:
    """What `code`, a module of `package`, imports from under `tests` (absolute or relative):
    `import m` gives m, `from m import n` gives m.n."""
    out = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(x for x in (base, node.module) if x)
            out.update(f"{module}.{a.name}" for a in node.names)
    return {m for m in out if m.startswith("tests.")}


def _package(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).parent.parts)


def _shared(module: str) -> bool:
    return any(module == s or module.startswith(s + ".") for s in SHARED)


def test_test_modules_import_only_the_shared_helpers():
    wrong = {
        str(p.relative_to(ROOT)): sorted(
            m for m in _from_tests(p.read_text(encoding="utf-8"), _package(p)) if not _shared(m)
        )
        for p in _python_files()
        if TESTS / "utils" not in p.parents
    }
    assert {k: v for k, v in wrong.items() if v} == {}


def test_helpers_live_in_tests_utils():
    def allowed(p: Path) -> bool:
        return (
            p.name.startswith("test_")
            or p.name in ("conftest.py", "__init__.py")
            or TESTS / "utils" in p.parents
            or TESTS / "data" in p.parents
        )

    assert [str(p.relative_to(ROOT)) for p in _python_files() if not allowed(p)] == []


def test_every_test_folder_is_a_package():
    folders = {p.parent for p in TESTS.rglob("test_*.py")} | {TESTS / "utils"}
    assert sorted(str(f.relative_to(ROOT)) for f in folders if not (f / "__init__.py").is_file()) == []


@pytest.mark.parametrize("module", MIRRORED)
def test_a_mirrored_module_has_its_test_file(module):
    source = ROOT / module
    assert source.is_file(), f"{module} is gone: update MIRRORED"
    mirror = TESTS / source.parent.relative_to(ROOT) / f"test_{source.name}"
    assert mirror.is_file(), f"{module} is tested in {mirror.relative_to(ROOT)}"


def test_the_import_check_sees_every_form():
    code = (
        "import tests.app.test_pages\n"
        "from tests.magdi import test_train\n"
        "from ..test_cli import x\n"
        "from . import test_y\n"
        "from tests.utils.training import TINY\n"
        "from tests import conftest\n"
    )
    found = _from_tests(code, "tests.app.services")
    assert {m for m in found if not _shared(m)} == {
        "tests.app.test_pages",
        "tests.magdi.test_train",
        "tests.app.test_cli.x",
        "tests.app.services.test_y",
    }
    assert {m for m in found if _shared(m)} == {"tests.utils.training.TINY", "tests.conftest"}
