"""Experiments through a real worker: 2 variants × 2 seeds on the demo store's gsm8k discussions.

The table is recounted here from the stored sample texts (parsed again, independently of the
evaluation code), and the paired test is checked against scipy's binomial test.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from app import experiment_cli
from app.services import experiments, jobs
from app.services.auth import LOCAL
from app.services.filters import Filter
from db.engine import session_scope
from db.models import EvalQuestion, EvalRun, Job, Prediction
from magdi.answers import extract_answer, label_answer
from tests.utils.apptest import open_page
from tests.utils.training import TINY
from tests.utils.workers import run_until_idle

SPLIT = {"train": 0.6, "validation": 0.1, "test": 0.3, "seed": 1}
TRAIN = {**TINY, "val_max_new_tokens": 8}  # validation answers as short as the evaluation's


def _create(url: str, **extra) -> int:
    return experiments.create(
        data=Filter(datasets=("gsm8k",)),
        variants=["3", "4-frozen"],
        seeds=[0, 1],
        train=TRAIN,
        split=SPLIT,
        max_new_tokens=8,
        name="tiny",
        url=url,
        **extra,
        actor=LOCAL,
    )


def recount(url: str, job_id: int) -> dict[str, bool]:
    """question key -> correct, from the stored samples of an eval job, parsed again: the majority
    of the parsed answers, the first-given winning a tie (one sample: greedy)."""
    with session_scope(url) as s:
        run = s.execute(select(EvalRun).where(EvalRun.job_id == job_id)).scalar_one()
        questions = {
            q.key: q
            for q in s.execute(select(EvalQuestion).where(EvalQuestion.eval_run_id == run.id)).scalars()
        }
        samples = (
            s.execute(
                select(Prediction)
                .where(Prediction.eval_run_id == run.id)
                .order_by(Prediction.question_key, Prediction.sample)
            )
            .scalars()
            .all()
        )
    parsed: dict[str, list[str]] = {key: [] for key in questions}
    for p in samples:
        q = questions[p.question_key]
        value = extract_answer(q.task, p.text, json.loads(q.options) if q.options else None).value
        if value is not None:
            parsed[p.question_key].append(value)
    out = {}
    for key, values in parsed.items():
        q, votes = questions[key], Counter(values)
        answer = next((v for v in values if votes[v] == max(votes.values())), None)
        out[key] = (
            answer is not None
            and label_answer(q.task, answer, q.gold_answer, json.loads(q.options) if q.options else None)[0]
        )
    return out


def test_experiment_runs_through_the_worker_and_its_table_is_a_recount(demo_store, tmp_path, capsys):
    finished = _create(demo_store, sc_k=2)
    run_until_idle(demo_store, tmp_path)  # the worker queues each cell's evaluations itself
    view = experiments.get(finished)
    assert view.status == "finished", experiments.for_display(view)
    assert [(c.variant, c.seed) for c in view.cells] == [("3", 0), ("3", 1), ("4-frozen", 0), ("4-frozen", 1)]
    frozen = Path(view.directory)
    for c in view.cells:
        assert c.status == "done" and c.train.config["frozen"] == str(frozen)
        assert c.train.config["train"]["seed"] == c.seed
        assert c.train.config["train"]["level"] == experiments.VARIANTS[c.variant]["level"]
        assert c.train.data_hash == view.config["frozen"]["data_hash"]  # one frozen data set for all
        assert c.evals["greedy"].config["model"] == c.evals["sc"].config["model"] == {"run_job": c.train.id}
        assert (c.evals["sc"].config["decoding"]["sampling"], c.evals["sc"].config["decoding"]["k"]) == (
            True,
            2,
        )
    # the two 4-frozen cells share one frozen-feature file: the second one reads it
    assert len(list((tmp_path / "runs" / "feature_cache").glob("node-features-*.pt"))) == 1
    computed = ["computing frozen node features" in jobs.log_tail(c.train) for c in view.cells]
    assert computed == [False, False, True, False]
    res = experiments.results(finished)
    test_keys = json.loads((frozen / "split.json").read_text())["test"]
    assert res.questions == len(test_keys) > 0
    correct = {(c.variant, c.seed): recount(demo_store, c.evals["greedy"].id) for c in view.cells}
    voted = {(c.variant, c.seed): recount(demo_store, c.evals["sc"].id) for c in view.cells}
    assert all(len(v) == res.questions for v in correct.values())
    for row in res.rows:
        cells = [v for (variant, _), v in correct.items() if variant == row["variant"]]
        expected = sum(sum(v.values()) for v in cells) / sum(len(v) for v in cells)
        assert row["accuracy"] == pytest.approx(expected)
        assert row["ci_low"] <= row["accuracy"] <= row["ci_high"] and row["seeds"] == 2
        sc = [v for (variant, _), v in voted.items() if variant == row["variant"]]
        assert row["sc_accuracy"] == pytest.approx(sum(sum(v.values()) for v in sc) / sum(len(v) for v in sc))
        losses = [
            json.loads((Path(c.train.run_dir) / "final_metrics.json").read_text())["test_loss"]
            for c in view.cells
            if c.variant == row["variant"]
        ]
        known = [x for x in losses if x is not None]
        assert row["test_loss"] == (pytest.approx(sum(known) / len(known)) if known else None)
    binomtest = pytest.importorskip("scipy.stats").binomtest
    (pair,) = res.paired
    pairs = [(correct[("3", s)][k], correct[("4-frozen", s)][k]) for s in (0, 1) for k in correct[("3", s)]]
    a_only = sum(a and not b for a, b in pairs)
    b_only = sum(b and not a for a, b in pairs)
    assert (pair["a"], pair["b"], pair["pairs"]) == ("3", "4-frozen", len(pairs))
    assert (pair["a_only"], pair["b_only"]) == (a_only, b_only)
    expected_p = binomtest(a_only, a_only + b_only, 0.5).pvalue if a_only + b_only else 1.0
    assert pair["p_value"] == pytest.approx(expected_p)
    assert json.loads(res.to_json())["rows"][0]["variant"] == "3"
    assert res.to_csv().splitlines()[0].startswith("variant,level,seeds,questions,accuracy")

    # advancing again queues nothing; the CLI shows the same table
    with session_scope(demo_store) as s:
        before = len(s.execute(select(Job.id).where(Job.experiment_id == finished)).all())
    assert experiments.advance(finished, actor=LOCAL) == [] and before == 12  # 4 train, 4 greedy, 4 sampled
    out_csv = tmp_path / "table.csv"
    assert experiment_cli.main(["show", str(finished), "--csv", str(out_csv)]) == 0
    printed = capsys.readouterr().out
    assert "finished" in printed and "McNemar" in printed and "4-joint" not in printed
    assert out_csv.read_bytes() == experiments.results(finished).to_csv().encode()


def test_cancel_and_resume_cover_every_cell(demo_store, tmp_path):
    taken = tmp_path / "runs" / "experiments" / "experiment-1"  # left by another store's experiment
    taken.mkdir(parents=True)
    experiment_id = _create(demo_store)
    directory = Path(experiments.get(experiment_id).directory)
    assert directory.parent == taken.parent and directory != taken and (directory / "split.json").is_file()
    assert not any(taken.iterdir())
    assert experiments.cancel(experiment_id, actor=LOCAL) == 4  # queued train jobs are cancelled at once
    view = experiments.get(experiment_id)
    assert view.status == "cancelled" and {c.status for c in view.cells} == {"cancelled"}
    assert experiments.advance(experiment_id, actor=LOCAL) == []
    queued = experiments.resume(experiment_id, actor=LOCAL)
    view = experiments.get(experiment_id)
    assert len(queued) == 4 and view.status == "running"
    assert {c.train.id for c in view.cells} == set(queued)
    assert all(c.train.attempt == 2 and c.train.status == "queued" for c in view.cells)


def test_with_a_shared_run_root_the_frozen_data_are_written_under_it(demo_store, tmp_path, monkeypatch):
    monkeypatch.setattr(jobs, "SHARED_RUNS_DIR", tmp_path / "shared")  # mounted on every worker host
    directory = Path(experiments.get(_create(demo_store)).directory)
    assert (
        directory.is_relative_to(tmp_path / "shared" / "experiments") and (directory / "split.json").is_file()
    )


def test_bad_experiments_are_refused_before_anything_is_queued(demo_store):
    with pytest.raises(ValueError, match="unknown variant"):
        experiments.create(variants=["5"], url=demo_store, actor=LOCAL)
    with pytest.raises(ValueError, match="needs a teacher"):
        experiments.create(variants=["single-teacher"], seeds=1, url=demo_store, actor=LOCAL)
    with pytest.raises(LookupError, match="no dataset"):
        experiments.create(data=Filter(datasets=("nope",)), variants=["2"], url=demo_store, actor=LOCAL)
    assert experiments.list_all() == [] and jobs.list_all() == []


def test_experiments_page_creates_an_experiment_and_lists_its_cells(demo_store):
    at = open_page("experiments")
    assert any("No experiment yet" in i.value for i in at.info)
    at.multiselect(key="experiments_datasets").set_value(["gsm8k"]).run()
    at.multiselect(key="experiments_variants").set_value(["1", "4-joint"])
    at.number_input(key="experiments_seeds").set_value(2)
    at.number_input(key="experiments_steps").set_value(4)
    at.number_input(key="experiments_test").set_value(0.3)
    at.number_input(key="experiments_train").set_value(0.6)
    at.text_input(key="experiments_name").set_value("page")
    at.button(key="experiments_create").click().run()
    assert not at.exception, [e.message for e in at.exception]
    (view,) = experiments.list_all()
    assert (view.name, view.config["variants"], view.config["seeds"]) == ("page", ["1", "4-joint"], [0, 1])
    assert view.config["split"]["test"] == 0.3 and view.config["train"]["max_steps"] == 4
    assert all(c.train.status == "queued" for c in view.cells) and len(view.cells) == 4
    assert [c.train.config["train"]["node_features"] for c in view.cells] == ["frozen"] * 2 + ["joint"] * 2
    cells = at.dataframe[0].value
    assert list(cells["variant"]) == ["1", "1", "4-joint", "4-joint"]
    assert any("The table appears as cells finish" in i.value for i in at.info)


def test_cli_creates_lists_cancels_and_refuses(demo_store, capsys):
    assert (
        experiment_cli.main(
            [
                "create",
                "--dataset",
                "gsm8k",
                "--variants",
                "2",
                "4-frozen",
                "--seeds",
                "1",
                "--split",
                "validation=0.1",
                "test=0.3",
                "--set",
                "max_steps=4",
                "--name",
                "cli",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out == "created experiment 1\n"
    (view,) = experiments.list_all()
    assert view.config["split"] == {"train": 0.6, "validation": 0.1, "test": 0.3, "seed": 0}
    assert [c.train.config["train"]["node_features"] for c in view.cells] == ["frozen", "frozen"]
    assert experiment_cli.main(["list"]) == 0
    assert capsys.readouterr().out == "1\trunning\t0/2 cells\tcli\n"
    assert experiment_cli.main(["cancel", "1"]) == 0
    assert capsys.readouterr().out == "experiment 1: 2 jobs cancelled\n"
    assert experiment_cli.main(["create", "--dataset", "nope", "--variants", "2"]) == 2
    assert "no dataset named 'nope'" in capsys.readouterr().err
    assert experiment_cli.main(["show", "7"]) == 2
    assert "no experiment 7" in capsys.readouterr().err
