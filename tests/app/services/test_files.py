"""The file roots: what resolves inside them, what is refused without being opened (symlinks
followed first), the pick list of files under them, and model sources."""

from __future__ import annotations

import os
import threading

import pytest

from app.services import files
from db.engine import ROOT


@pytest.fixture
def rooted(tmp_path, monkeypatch):
    """Two roots under tmp_path (a and b), a models root, and a folder outside them all."""
    a, b, models, outside = (tmp_path / n for n in ("a", "b", "models", "outside"))
    for folder in (a, b, models, outside):
        folder.mkdir()
    monkeypatch.setenv("MAGDI_FILE_ROOTS", f"{a}{os.pathsep}{b}")
    monkeypatch.setenv("MAGDI_MODELS_ROOT", str(models))
    return a, b, models, outside


def test_the_default_roots_are_var_and_the_shared_datasets(monkeypatch):
    monkeypatch.delenv("MAGDI_FILE_ROOTS", raising=False)
    monkeypatch.delenv("MAGDI_MODELS_ROOT", raising=False)
    assert files.roots() == [(ROOT / "var").resolve(), (ROOT.parent / "shared" / "datasets").resolve()]
    assert files.models_root() == (ROOT / "var" / "models").resolve()


def test_paths_inside_the_roots_resolve_and_others_are_refused(rooted):
    a, b, _, outside = rooted
    (b / "sub").mkdir()
    inside = b / "sub" / "q.jsonl"
    inside.write_text("{}\n")
    assert files.resolve(inside) == inside.resolve()
    assert files.resolve(str(a / "not-yet.json")) == (a / "not-yet.json").resolve()  # need not exist
    secret = outside / "secret.jsonl"
    secret.write_text('{"aws_secret_access_key": "AKIAIOSFODNN7EXAMPLE"}\n')
    for path in (secret, a / ".." / "outside" / "secret.jsonl", "/etc/passwd", "", "a\0b"):
        with pytest.raises(files.OutsideRoots) as err:
            files.resolve(path)
        assert "AKIA" not in str(err.value) and "aws_secret" not in str(err.value)


def test_a_symlink_inside_a_root_to_a_file_outside_is_refused_without_opening_it(rooted):
    a, _, _, outside = rooted
    fifo = outside / "pipe.jsonl"
    os.mkfifo(fifo)  # opening it for reading would block until a writer comes
    (a / "link.jsonl").symlink_to(fifo)
    (a / "linked-folder").symlink_to(outside, target_is_directory=True)
    done: list[BaseException] = []

    def attempt() -> None:
        for path in (a / "link.jsonl", a / "linked-folder" / "pipe.jsonl"):
            try:
                files.resolve(path)
            except files.OutsideRoots as exc:
                done.append(exc)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # it opened the pipe: release it, then fail
        with open(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK), "w"):
            pass
        pytest.fail("resolve opened the file it refused")
    assert len(done) == 2 and all("outside the folders this server reads from" in str(e) for e in done)


def test_the_listing_offers_the_files_under_the_roots(rooted):
    a, b, _, outside = rooted
    (a / "gsm8k").mkdir()
    (a / "gsm8k" / "test.jsonl").write_text("")
    (a / "notes.md").write_text("")
    (a / ".hidden").mkdir()
    (a / ".hidden" / "x.json").write_text("")
    (a / "runs").mkdir()
    (a / "runs" / "data.jsonl").write_text("")
    (b / "ecqa.csv").write_text("")
    (outside / "far.json").write_text("")
    (b / "far.json").symlink_to(outside / "far.json")  # leads out: not offered
    (b / "near.json").symlink_to(a / "gsm8k" / "test.jsonl")  # stays in: offered as its target
    listed = files.listing((".json", ".jsonl", ".csv"), skip=[a / "runs"])
    assert listed == [(a / "gsm8k" / "test.jsonl").resolve(), (b / "ecqa.csv").resolve()]


def test_model_sources_are_hugging_face_ids_or_folders_under_the_models_root(rooted, tmp_path):
    _, _, models, outside = rooted
    (models / "qwen-small").mkdir()
    (models / "notes.txt").write_text("")
    assert files.local_models() == ["qwen-small"]  # the pick list: folders of the models root
    runs = tmp_path / "runs"
    (runs / "job-3").mkdir(parents=True)
    assert files.model_source("") == ""
    assert files.model_source("Qwen/Qwen2.5-0.5B-Instruct") == "Qwen/Qwen2.5-0.5B-Instruct"
    assert files.model_source("gpt2") == "gpt2"
    assert files.model_source("qwen-small") == str((models / "qwen-small").resolve())
    assert files.model_source(str(models / "qwen-small")) == str((models / "qwen-small").resolve())
    assert files.model_source(str(runs / "job-3"), runs_dir=runs) == str((runs / "job-3").resolve())
    (models / "escape").symlink_to(outside, target_is_directory=True)
    # "tests": a folder of the project, which a loader would read instead of a Hub id of that name
    for bad in (str(outside), "../outside", "escape", str(runs / "job-3"), "tests", "/etc"):
        with pytest.raises(files.OutsideRoots):
            files.model_source(bad)
