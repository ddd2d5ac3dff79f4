"""The command line, run as a user runs it: a real process on a real store."""

import json
import subprocess
import sys

import pytest

from app.services import jobs, store
from app.services.filters import Filter
from tests.conftest import ROOT
from tests.utils import discussion, turn, write_jsonl
from tests.utils.cli import cli


def test_import_export_stats(db_url, tmp_path):
    src = write_jsonl(tmp_path / "mine.jsonl", [discussion(id="a"), discussion(id="b")])
    done = cli("import", str(src), url=db_url)
    assert done.returncode == 0, done.stderr
    assert "added 2 into 'mine' (12 turns, 18 edges)" in done.stdout
    stats = cli("stats", url=db_url)
    assert stats.returncode == 0 and "mine" in stats.stdout and "label revision: 1" in stats.stdout
    out = tmp_path / "out.json"
    done = cli("export", str(out), "--format", "magdi", "--dataset", "mine", url=db_url)
    assert done.returncode == 0 and "wrote 2 discussions" in done.stdout
    items = json.loads(out.read_text())
    assert [i["id"] for i in items] == ["a", "b"]
    assert items[0]["c_output_0"]["label"] == "correct"
    again = cli("import", str(out), "--dataset", "copy", url=db_url)
    assert again.returncode == 0 and "added 2 into 'copy'" in again.stdout


@pytest.mark.parametrize(
    "lines, where, reason",
    [
        ([discussion(id="a"), "{not json"], 2, "malformed JSON"),
        ([discussion(id="a"), discussion(id="a")], 2, "appears twice"),
        ([discussion(turns=[turn("a", 0, "1", confidence=2)])], 1, "outside [0, 1]"),
        (
            [discussion(turns=[turn("a", 0, "1"), turn("b", 1, "1", responds_to=[["b", 1]])])],
            1,
            "not in an earlier round",
        ),
    ],
)
def test_invalid_files_exit_2_with_file_and_line(db_url, tmp_path, lines, where, reason):
    cli("import", str(write_jsonl(tmp_path / "ok.jsonl", [discussion(id="keep")])), url=db_url)
    bad = write_jsonl(tmp_path / "bad.jsonl", lines)
    done = cli("import", str(bad), url=db_url)
    assert done.returncode == 2
    assert done.stderr.startswith(f"error: {bad}:{where}: ") and reason in done.stderr
    stats = cli("stats", url=db_url).stdout
    assert "bad" not in stats.split("label revision")[0]  # no partial dataset was created


def test_missing_file_and_unknown_dataset(db_url, tmp_path):
    done = cli("import", str(tmp_path / "nope.jsonl"), url=db_url)
    assert done.returncode == 2 and "no such file" in done.stderr
    done = cli("export", str(tmp_path / "x.jsonl"), "--dataset", "ghost", url=db_url)
    assert done.returncode == 2 and "no dataset named 'ghost'" in done.stderr


def test_a_line_that_is_not_utf8_exits_2_with_its_line(db_url, tmp_path):
    bad = tmp_path / "latin1.jsonl"
    bad.write_bytes(
        json.dumps(discussion(id="a")).encode()
        + b"\n"
        + json.dumps(discussion(id="caf")).encode().replace(b"caf", b"caf\xe9")
        + b"\n"
    )
    done = cli("import", str(bad), url=db_url)
    assert done.returncode == 2 and done.stderr.startswith(f"error: {bad}:2: invalid UTF-8 at byte ")
    assert "the store is empty" in cli("stats", url=db_url).stdout


def test_import_progress_line(capsys):
    from app.cli import ImportProgress

    progress = ImportProgress(every_s=0)
    progress(1500)
    err = capsys.readouterr().err
    assert err.startswith("… 1,500 discussions read (") and err.endswith("/s)\n")
    ImportProgress(every_s=3600)(2000)  # within the interval: silent
    assert capsys.readouterr().err == ""


def test_train_queues_the_command_line_the_train_page_shows(sqlite_url):
    """The Train page's command line, run in a shell, queues the same data and settings."""
    store.load_demo_if_empty(sqlite_url)
    # quotes and & to survive the shell; the filter matches one question (a job with nothing to
    # train on would be refused)
    data = Filter(datasets=("gsm8k", "ecqa"), majority_correct=False, search="a person's ticket & film")
    shown = jobs.command_line(jobs.train_config({"level": "3", "lr": 0.001}, data=data, url=sqlite_url))
    assert "--filter" in shown
    done = subprocess.run(
        ["bash", "-c", shown.replace("python", sys.executable, 1) + f" --db {sqlite_url}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    [job] = jobs.list_all(url=sqlite_url)
    assert Filter.from_query(job.config["data"]) == data
    assert (job.config["train"]["level"], job.config["train"]["lr"]) == ("3", 0.001)


@pytest.mark.parametrize(
    "query, message", [("maj=0&colour=red", "unknown key 'colour'"), ("maj=maybe", "cannot read maj='maybe'")]
)
def test_train_refuses_a_filter_it_cannot_read(sqlite_url, query, message):
    done = cli("train", "--filter", query, url=sqlite_url)
    assert done.returncode == 2 and message in done.stderr
