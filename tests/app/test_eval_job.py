"""Eval jobs through a real worker, held-out selection, and the Compare page through AppTest.

The offline default student (tiny, random) answers; every accuracy is recounted here from the
stored sample texts, parsed again and voted on independently.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from app.jobkinds import evaluate as eval_kind
from app.services import annotate, compare, jobs, mag_view, store
from app.services.auth import LOCAL, Actor, Role
from db import jobs as job_queries
from db.engine import session_scope
from db.models import EvalQuestion, EvalRun, Prediction
from magdi import formats
from magdi.answers import extract_answer, label_answer
from tests.conftest import ROOT
from tests.utils import copy_store
from tests.utils.apptest import open_page
from tests.utils.training import TINY, TINY_STUDENT
from tests.utils.workers import run_until_idle

SHARED_GSM8K = ROOT.parent / "shared" / "datasets" / "gsm8k" / "test.jsonl"
HOSTILE = "<img src=x onerror=alert(1)> **bold** :red[red]"


def recount(url: str, eval_run_id: int) -> tuple[int, int]:
    """(questions, correct) from the stored samples: parse every text, majority over the parsed
    ones, the first-given answer winning a tie."""
    with session_scope(url) as s:
        questions = {
            q.key: q
            for q in s.execute(select(EvalQuestion).where(EvalQuestion.eval_run_id == eval_run_id)).scalars()
        }
        samples = (
            s.execute(
                select(Prediction)
                .where(Prediction.eval_run_id == eval_run_id)
                .order_by(Prediction.question_key, Prediction.sample)
            )
            .scalars()
            .all()
        )
    texts: dict[str, list[str]] = {}
    for p in samples:
        texts.setdefault(p.question_key, []).append(p.text)
    right = 0
    for key, q in questions.items():
        options = json.loads(q.options) if q.options else None
        parsed = [v for t in texts[key] if (v := extract_answer(q.task, t, options).value) is not None]
        votes = Counter(parsed)
        answer = next((v for v in parsed if votes[v] == max(votes.values())), None)
        right += answer is not None and label_answer(q.task, answer, q.gold_answer, options)[0]
    return len(questions), right


def stored_run(url: str, job_id: int) -> EvalRun:
    with session_scope(url) as s:
        return s.execute(select(EvalRun).where(EvalRun.job_id == job_id)).scalar_one()


def test_eval_job_over_demo_questions(demo_store, tmp_path):
    cfg = compare.eval_job_config(
        dataset="gsm8k", limit=5, max_new_tokens=8, student=TINY_STUDENT, url=demo_store
    )
    job_id = compare.submit_eval(cfg, name="demo eval", actor=LOCAL)
    run_until_idle(demo_store, tmp_path)
    job = jobs.get(job_id)
    assert job.status == "succeeded", job.error
    assert (job.step, job.total_steps, job.progress) == (5, 5, 1.0)
    assert job.label_revision == store.revision(demo_store) and job.data_hash
    run = stored_run(demo_store, job_id)
    assert (run.source, run.dataset, run.decoding, run.k, run.level) == (
        "store",
        "gsm8k",
        "greedy",
        1,
        "base",
    )
    assert (run.questions, run.correct) == recount(demo_store, run.id)
    with session_scope(demo_store) as s:
        qs = s.execute(select(EvalQuestion).where(EvalQuestion.eval_run_id == run.id)).scalars().all()
        n_samples = len(s.execute(select(Prediction.id).where(Prediction.eval_run_id == run.id)).all())
    assert n_samples == 5 and all(q.discussion_id and q.teacher_tokens for q in qs)
    summary = json.loads(run.summary)
    assert summary["accuracy"] == run.correct / 5 and summary["teacher_tokens"] == run.teacher_tokens
    assert "stored as evaluation" in jobs.log_tail(job)


def test_eval_job_over_a_shared_benchmark_file(demo_store, tmp_path):
    if not SHARED_GSM8K.exists():
        pytest.skip(f"{SHARED_GSM8K} is absent")
    cfg = compare.eval_job_config(
        benchmark=str(SHARED_GSM8K),
        limit=3,
        sampling=True,
        k=2,
        max_new_tokens=8,
        student=TINY_STUDENT,
        url=demo_store,
    )
    job_id = compare.submit_eval(cfg, actor=LOCAL)
    run_until_idle(demo_store, tmp_path)
    assert jobs.get(job_id).status == "succeeded", jobs.get(job_id).error
    run = stored_run(demo_store, job_id)
    assert (run.source, run.dataset, run.k, run.questions) == ("benchmark", "gsm8k/test.jsonl", 2, 3)
    assert (run.questions, run.correct) == recount(demo_store, run.id)
    views = compare.questions([run.id], url=demo_store)
    assert [v.key for v in views] == ["gsm8k-00001", "gsm8k-00002", "gsm8k-00003"]
    assert views[0].consensus is None and views[0].gold_answer == "18"


def test_held_out_questions_leave_out_the_training_data(demo_store, tmp_path):
    trained = tmp_path / "train-run"
    (trained / "adapter").mkdir(parents=True)  # what the worker checks it can read (nothing loads it here)
    (trained / "distill_config.json").write_text("{}")
    with open(trained / "data.jsonl", "w", encoding="utf-8") as fh:
        store.export_discussions(fh, dataset="ecqa", url=demo_store, actor=LOCAL)
    kept = [json.loads(line) for line in (trained / "data.jsonl").read_text().splitlines()]
    (trained / "data.jsonl").write_text("".join(json.dumps(d) + "\n" for d in kept[:10]))
    with session_scope(demo_store, write=True) as s:
        train_id = job_queries.create_job(s, kind="train", config={}).id
        job_queries.update_job(s, train_id, run_dir=str(trained))
        job_queries.finish(s, train_id, "succeeded")
    cfg = compare.eval_job_config(run_job=train_id, dataset="ecqa", url=demo_store)
    eval_dir = tmp_path / "eval"
    eval_dir.mkdir()
    eval_kind.prepare(compare.submit_eval(cfg, actor=LOCAL), cfg, eval_dir, demo_store)
    frozen = [json.loads(line)["id"] for line in (eval_dir / "questions.jsonl").read_text().splitlines()]
    assert frozen == [d["id"] for d in kept[10:]]
    assert [d.id for _, d, _ in formats.read_jsonl(eval_dir / "discussions.jsonl")] == frozen
    assert json.loads((eval_dir / "eval_config.json").read_text())["run_dir"] == str(trained)
    with pytest.raises(ValueError, match="not a finished training job"):
        compare.eval_job_config(run_job=9999, dataset="ecqa", url=demo_store)
    with pytest.raises(ValueError, match="need sampling"):
        compare.eval_job_config(dataset="ecqa", k=3, url=demo_store)


def test_the_default_evaluation_of_a_default_training_job_takes_its_test_split(demo_store, tmp_path):
    train_id = jobs.submit(jobs.train_config(TINY), name="defaults", actor=LOCAL)
    run_until_idle(demo_store, tmp_path)
    trained = jobs.get(train_id)
    assert trained.status == "succeeded", trained.error
    assert compare.eval_job_config(run_job=train_id, url=demo_store)["source"] == {"split": "test"}
    # New evaluation with every default: the finished job, on its own test split
    at = open_page("compare")  # through the app's navigation: the page links to other pages
    at.number_input(key="compare_new_max").set_value(8)  # short answers keep the test quick
    next(b for b in at.button if b.label == "Queue evaluation").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    [queued] = jobs.list_all(kind="eval")
    assert (queued.config["model"], queued.config["source"]) == ({"run_job": train_id}, {"split": "test"})
    job_id = queued.id
    run_until_idle(demo_store, tmp_path)
    job = jobs.get(job_id)
    assert job.status == "succeeded", job.error
    run = stored_run(demo_store, job_id)
    test_keys = json.loads((Path(trained.run_dir) / "split.json").read_text())["test"]
    with session_scope(demo_store) as s:
        qs = s.execute(select(EvalQuestion).where(EvalQuestion.eval_run_id == run.id)).scalars().all()
    assert sorted(f"{q.dataset}/{q.key}" for q in qs) == test_keys and all(q.discussion_id for q in qs)
    assert run.dataset == "+".join(sorted({k.split("/")[0] for k in test_keys}))
    assert (run.questions, run.correct) == recount(demo_store, run.id)
    # a stored dataset's questions leave out the training part only: validation and test remain
    held_out = compare.select_questions(
        compare.eval_job_config(run_job=train_id, dataset="gsm8k", url=demo_store), demo_store
    )
    split = json.loads((Path(trained.run_dir) / "split.json").read_text())
    assert sorted(f"gsm8k/{q.id}" for q in held_out.questions) == sorted(
        k for k in split["validation"] + split["test"] if k.startswith("gsm8k/")
    )


def test_an_evaluation_without_questions_is_refused_when_queued(demo_store, tmp_path):
    train_id = jobs.submit(
        jobs.train_config(TINY, split={"validation": 0.1, "test": 0.0}), name="no test", actor=LOCAL
    )
    run_until_idle(demo_store, tmp_path)
    assert jobs.get(train_id).status == "succeeded", jobs.get(train_id).error
    with pytest.raises(ValueError, match="no questions to evaluate .the job's test split is empty"):
        compare.submit_eval(compare.eval_job_config(run_job=train_id, url=demo_store), actor=LOCAL)
    with pytest.raises(ValueError, match="a split belongs to a training job"):
        compare.eval_job_config(split="test", url=demo_store)
    empty = compare.eval_job_config(dataset="gsm8k", url=demo_store)
    empty["source"]["filter"] = {"task": "ecqa"}
    with pytest.raises(ValueError, match="none matches the filter"):
        compare.submit_eval(empty, actor=LOCAL)
    assert not jobs.list_all(kind="eval")


# ---------------------------------------------------------------- the Compare page


@pytest.fixture(scope="module")
def template_db(tmp_path_factory):
    """Demo set and two evaluations of the same ECQA questions (greedy; sampling k=2), run in
    this process through the kind's own prepare and child entry."""
    root = tmp_path_factory.mktemp("compare")
    url = f"sqlite:///{root / 'store.db'}"
    store.load_demo_if_empty(url)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAGDI_DATABASE_URL", url)  # as the worker passes its store to the job process
        _evaluate_twice(root, url)
    return root / "store.db"


def _evaluate_twice(root: Path, url: str) -> None:
    for i, (sampling, k, label) in enumerate(((False, 1, ""), (True, 2, HOSTILE))):
        cfg = compare.eval_job_config(
            dataset="ecqa",
            limit=4,
            sampling=sampling,
            k=k,
            max_new_tokens=8,
            student=TINY_STUDENT,
            label=label,
            url=url,
        )
        job_id = compare.submit_eval(cfg, url=url, actor=LOCAL)
        run_dir = root / f"job-{job_id}"
        run_dir.mkdir()
        eval_kind.prepare(job_id, cfg, run_dir, url)
        assert eval_kind.main([str(run_dir)]) == 0
        if i == 0:
            eval_kind.store_results(run_dir)  # as a resumed job would: replaces, never duplicates
        with session_scope(url, write=True) as s:
            job_queries.finish(s, job_id, "succeeded")


def test_storing_an_evaluation_again_replaces_it(template_db):
    with session_scope(f"sqlite:///{template_db}") as s:
        runs = s.execute(select(EvalRun.k)).scalars().all()
        samples = len(s.execute(select(Prediction.id)).all())
    assert sorted(runs) == [1, 2] and samples == 4 * 1 + 4 * 2


@pytest.fixture
def page_url(template_db, tmp_path, monkeypatch):
    url = copy_store(template_db, tmp_path)
    monkeypatch.setenv("MAGDI_DATABASE_URL", url)
    return url


def frame(at: AppTest, column: str):
    """The first table with that column (AppTest does not expose a dataframe's key)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def labels(at: AppTest) -> list[str]:
    """The Evaluations picker's option labels, in order."""
    return list(at.multiselect(key="compare_runs").options)


def texts(at: AppTest) -> list[str]:
    return (
        [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [w.value for w in at.warning]
        + [e.label for e in at.expander]
    )


def test_compare_page_renders_both_views_and_escapes_data(page_url):
    at = open_page("compare")  # through the app's navigation: the page links to other pages
    assert not at.exception, [e.message for e in at.exception]
    runs = compare.list_runs(page_url)
    assert at.multiselect(key="compare_runs").value == [r.id for r in runs]
    # per question: the question, the teachers' turns, both students, the MAG with student nodes
    assert any(v.startswith("**Gold answer:** 3") for v in texts(at))
    # the views are cached, keyed by what they read: a teacher's corrected label shows at once
    first = compare.questions([r.id for r in runs], url=page_url)[0]
    view = mag_view.discussion(mag_view.find_discussion(first.dataset, first.key, page_url), page_url)
    node = next(
        n for n in view.nodes if (n.agent, n.round) == (first.teachers[0].agent, first.teachers[0].round)
    )
    assert frame(at, "agent")["label"].iloc[0] == ("✓" if node.label else "✗")
    assert annotate.set_label(node.id, not node.label, actor=Actor("ann", Role.ANNOTATOR), url=page_url).ok
    at.run()
    assert frame(at, "agent")["label"].iloc[0] == ("✗" if node.label else "✓")
    # the human label changed the effective label only: the answer against gold stays
    assert frame(at, "agent")["vs gold"].iloc[0] == ("✓" if first.teachers[0].matches_gold else "✗")
    assert annotate.set_label(node.id, None, actor=Actor("ann", Role.ANNOTATOR), url=page_url).ok
    at.run()
    assert len(frame(at, "student")) == 2
    assert len(frame(at, "agent")) == 6  # ecqa-001: 3 agents x 2 rounds
    assert len(at.expander) == 2
    at.radio(key="compare_filter").set_value("teachers_right_student_wrong").run()
    assert not at.exception
    # aggregate: a row per evaluation and the teachers' two votes, both charts, the CSV
    students = frame(at, "job")
    for r in runs:  # each evaluation under its job's id, as the Jobs page numbers it
        row = students[students["job"] == r.job_id].iloc[0]
        assert (row["questions"], row["correct"]) == recount(page_url, r.id)
    assert all(label.startswith(f"#{r.job_id} · ") for label, r in zip(labels(at), runs))
    [teachers] = [d.value for d in at.dataframe if "ci_low" in d.value and "job" not in d.value]
    assert list(teachers["model"]) == ["teachers (weighted vote)", "teachers (majority vote)"]
    assert not any(c in teachers.columns for c in ("job", "decoding", "token_ratio"))  # no empty cells
    assert len(at.get("plotly_chart")) == 3
    assert any(HOSTILE in v.replace("\\", "") for v in texts(at))
    assert not any(re.search(r"(?<!\\)<img", v) for v in texts(at))  # data text never becomes HTML


def test_compare_page_queues_an_evaluation(page_url):
    at = open_page("compare")  # through the app's navigation: the page links to other pages
    at.radio(key="compare_new_decoding").set_value("sampling").run()  # k applies to sampling only
    at.number_input(key="compare_new_k").set_value(3)
    at.number_input(key="compare_new_limit").set_value(2)
    at.selectbox(key="compare_new_dataset").set_value("strategyqa")
    next(b for b in at.button if b.label == "Queue evaluation").click().run()
    assert not at.exception, [e.message for e in at.exception]
    queued = [j for j in jobs.list_all(kind="eval", url=page_url) if j.status == "queued"]
    assert len(queued) == 1
    assert queued[0].config["source"]["dataset"] == "strategyqa"
    assert queued[0].config["decoding"]["k"] == 3 and queued[0].config["limit"] == 2
    [queued_note] = [s.value.replace("\\", "") for s in at.success if "Queued evaluation job" in s.value]
    assert "`" not in queued_note  # plain text: Markdown backticks would show literally


def test_compare_page_picks_benchmark_files_and_base_models_from_the_roots(page_url, tmp_path, monkeypatch):
    root, models = tmp_path / "root", tmp_path / "models"
    (models / "tiny").mkdir(parents=True)
    (root / "sqa").mkdir(parents=True)
    (root / "sqa" / "dev.json").write_text(json.dumps([{"qid": "a", "question": "Is it?", "answer": True}]))
    monkeypatch.setenv("MAGDI_FILE_ROOTS", str(root))
    monkeypatch.setenv("MAGDI_MODELS_ROOT", str(models))
    at = open_page("compare")
    at.radio(key="compare_new_who").set_value("base").run()
    at.radio(key="compare_new_where_other").set_value("benchmark").run()
    assert at.selectbox(key="compare_new_path").options == [str((root / "sqa" / "dev.json").resolve())]
    assert at.selectbox(key="compare_new_base").options == ["tiny"]
    at.selectbox(key="compare_new_base").set_value("tiny")
    next(b for b in at.button if b.label == "Queue evaluation").click().run()
    assert not at.exception, [e.message for e in at.exception]
    [queued] = [j for j in jobs.list_all(kind="eval", url=page_url) if j.status == "queued"]
    assert queued.config["model"] == {"base": str((models / "tiny").resolve())}
    assert queued.config["source"]["benchmark"] == str((root / "sqa" / "dev.json").resolve())
