"""Compare page services: students' answers beside the teachers', per question and in aggregate.

Questions of several evaluations line up by (dataset, question key). The teachers' side exists for
evaluations of stored discussions and is read live from the store (effective labels), so a
corrected gold answer or label shows at once. "The teachers" means their final answer: the
confidence-weighted vote of the last round, as ReConcile decides (the majority is shown too).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlmodel import Session

from app.services import files, jobs, store
from app.services.auth import Actor, Role, require
from app.services.jobs import JobView
from db import browsing, evaluations, queries
from db.engine import session_scope, snapshot_scope
from db.models import EvalQuestion, EvalRun
from magdi import formats
from magdi.answers import values_equal
from magdi.benchmarks import FORMATS, Question, read_questions
from magdi.config import EvalConfig
from magdi.consensus import Consensus, TeacherAnswer, consensus, teacher_answers, wilson
from magdi.mag import Discussion, TurnKey
from magdi.splits import SPLIT_NAME, question_key, read_split

FILTERS = {
    "all": "every question",
    "student_right_teachers_wrong": "a student right where the teachers were wrong",
    "teachers_right_student_wrong": "the teachers right where a student was wrong",
    "students_disagree": "two students disagree",
    "disagree_with_teachers": "a student disagrees with the teachers",
}


# ---------------------------------------------------------------- evaluations


@dataclass
class RunInfo:
    id: int
    job_id: int | None
    model: str
    level: str
    dataset: str
    source: str
    decoding: str
    k: int
    questions: int
    correct: int
    created_at: datetime

    @property
    def label(self) -> str:
        """Named by its job's id, as on the Jobs page (`#4`); an evaluation without a job (stored
        by hand) by its own."""
        decoding = self.decoding + (f" ×{self.k}" if self.k > 1 else "")
        name = f"#{self.job_id}" if self.job_id is not None else f"evaluation {self.id}"
        return f"{name} · {self.model} · level {self.level} · {self.dataset} · {decoding}"

    @classmethod
    def of(cls, r: EvalRun) -> RunInfo:
        return cls(**{k: getattr(r, k) for k in cls.__dataclass_fields__})


def list_runs(url: str | None = None) -> list[RunInfo]:
    """Stored evaluations, newest first."""
    with session_scope(url) as s:
        return [RunInfo.of(r) for r in evaluations.list_eval_runs(s)]


def runs_with_question(dataset: str, key: str, url: str | None = None) -> list[int]:
    """The evaluations that asked a stored discussion's question (its dataset and external id)."""
    with session_scope(url) as s:
        return evaluations.runs_with_question(s, dataset, key)


# ---------------------------------------------------------------- per question


@dataclass
class SampleView:
    index: int
    text: str
    parsed: str | None
    correct: bool
    tokens: int
    latency_s: float


@dataclass
class StudentView:
    run_id: int
    label: str
    answer: str | None  # self-consistency answer; None: no sample parsed
    correct: bool
    tokens: int  # over all samples
    agrees_with: list[TurnKey]  # teacher turns that gave the same answer
    agrees_with_teachers: bool | None  # vs the teachers' final answer; None: no teacher answer
    samples: list[SampleView] = field(default_factory=list)


@dataclass
class QuestionView:
    dataset: str
    key: str
    task: str
    question: str
    options: list[str] | None
    gold_answer: str
    teachers: list[TeacherAnswer]
    edges: list[tuple[TurnKey, TurnKey]]  # the teacher MAG: target responds to source
    consensus: Consensus | None  # None: no stored discussion for the question
    teacher_tokens: int | None
    students: list[StudentView]

    @property
    def flags(self) -> set[str]:
        out = set()
        c, students = self.consensus, self.students
        if c is not None and c.weighted is not None:
            if not c.weighted_correct and any(s.correct for s in students):
                out.add("student_right_teachers_wrong")
            if c.weighted_correct and any(not s.correct for s in students):
                out.add("teachers_right_student_wrong")
        answers = [s.answer for s in students]
        if any(
            not (values_equal(self.task, a, b) or (a is None and b is None)) for a in answers for b in answers
        ):
            out.add("students_disagree")  # an unparseable answer differs from any parsed one
        if any(s.agrees_with_teachers is False for s in students):
            out.add("disagree_with_teachers")
        return out


def questions(run_ids: list[int], *, flt: str = "all", url: str | None = None) -> list[QuestionView]:
    """The questions of the evaluations (samples not loaded), those matching a FILTERS key."""
    if flt not in FILTERS:
        raise ValueError(f"unknown filter {flt!r}")
    with session_scope(url) as s:
        views = _views(s, run_ids)
    return [v for v in views if flt == "all" or flt in v.flags]


def question(run_ids: list[int], dataset: str, key: str, *, url: str | None = None) -> QuestionView | None:
    """One question with every student's samples."""
    with session_scope(url) as s:
        found = _views(s, run_ids, keys=[key], dataset=dataset, samples=True)
    return found[0] if found else None


def _views(
    s: Session,
    run_ids: list[int],
    *,
    keys: list[str] | None = None,
    dataset: str | None = None,
    samples: bool = False,
) -> list[QuestionView]:
    """The runs' questions lined up by (dataset, key); students in the order of `run_ids`."""
    runs = {r.id: RunInfo.of(r) for r in evaluations.eval_runs(s, run_ids)}
    order = [i for i in run_ids if i in runs]
    grouped: dict[tuple[str, str], dict[int, EvalQuestion]] = {}
    for eq in evaluations.eval_questions(s, order):
        if (keys is None or eq.key in keys) and (dataset is None or eq.dataset == dataset):
            grouped.setdefault((eq.dataset, eq.key), {})[eq.eval_run_id] = eq
    store_ids = {eq.discussion_id for g in grouped.values() for eq in g.values() if eq.discussion_id}
    discussions = {(name, d.id): d for d, name in queries.iter_discussions(s, discussion_ids=store_ids)}
    by_sample: dict[tuple[int, str], list[SampleView]] = {}
    if samples:
        for p in evaluations.predictions(s, order, [k for _, k in grouped]):
            by_sample.setdefault((p.eval_run_id, p.question_key), []).append(
                SampleView(p.sample, p.text, p.parsed, p.correct, p.tokens, p.latency_s)
            )
    out = []
    for (ds, key), per_run in grouped.items():
        first = next(iter(per_run.values()))
        d = discussions.get((ds, key))
        teachers = teacher_answers(d) if d else []
        c = consensus(d) if d else None
        students = [
            StudentView(
                run_id=i,
                label=runs[i].label,
                answer=eq.answer,
                correct=eq.correct,
                tokens=eq.tokens,
                agrees_with=[
                    (t.agent, t.round) for t in teachers if values_equal(eq.task, eq.answer, t.value)
                ],
                agrees_with_teachers=None
                if c is None or c.weighted is None
                else values_equal(eq.task, eq.answer, c.weighted),
                samples=by_sample.get((i, key), []),
            )
            for i in order
            if (eq := per_run.get(i)) is not None
        ]
        out.append(
            QuestionView(
                dataset=ds,
                key=key,
                task=first.task,
                question=first.question,
                options=json.loads(first.options) if first.options else None,
                gold_answer=first.gold_answer,
                teachers=teachers,
                edges=d.edges() if d else [],
                consensus=c,
                teacher_tokens=next(
                    (q.teacher_tokens for q in per_run.values() if q.teacher_tokens is not None), None
                ),
                students=students,
            )
        )
    return out


def student_graph(view: QuestionView) -> tuple[list[dict], list[dict]]:
    """The teacher MAG with each student as an extra node one column after the last round, linked
    to the teacher turns whose answer it shares. Nodes: x (round), y (row), name, kind, correct,
    answer, name and short name; edges: source and target node indices, kind ("responds" or
    "agrees")."""
    agents = list(dict.fromkeys(t.agent for t in view.teachers))
    index: dict[TurnKey, int] = {}
    nodes: list[dict] = []
    for t in view.teachers:
        index[(t.agent, t.round)] = len(nodes)
        nodes.append(
            {
                "x": t.round,
                "y": agents.index(t.agent),
                "name": f"{t.agent} round {t.round}",
                "short": t.agent,
                "kind": "teacher",
                "correct": t.correct,
                "answer": t.answer,
            }
        )
    edges = [
        {"source": index[a], "target": index[b], "kind": "responds"}
        for a, b in view.edges
        if a in index and b in index
    ]
    column = max((t.round for t in view.teachers), default=-1) + 1
    height, n = max(1, len(agents) - 1), len(view.students)
    for row, st in enumerate(view.students):
        node = len(nodes)
        y = row * height / (n - 1) if n > 1 else height / 2  # spread over the agents' rows
        nodes.append(
            {
                "x": column,
                "y": y,
                "name": st.label,
                "short": f"#{st.run_id}",
                "kind": "student",
                "correct": st.correct,
                "answer": st.answer or "(unparseable)",
            }
        )
        edges += [{"source": index[k], "target": node, "kind": "agrees"} for k in st.agrees_with]
    return nodes, edges


# ---------------------------------------------------------------- aggregate


def aggregate(run_ids: list[int], *, url: str | None = None) -> list[dict]:
    """One row per evaluation, and per dataset the teachers' weighted and majority votes over the
    evaluated questions: accuracy with a Wilson 95% interval, tokens per question and the
    token-efficiency ratio (teacher tokens ÷ student tokens, over questions that have both)."""
    with session_scope(url) as s:
        runs = {r.id: RunInfo.of(r) for r in evaluations.eval_runs(s, run_ids)}
        rows_q = evaluations.eval_questions(s, list(runs))
        views = _views(s, list(runs))
    rows = []
    for i, run in runs.items():
        qs = [q for q in rows_q if q.eval_run_id == i]
        both = [q for q in qs if q.teacher_tokens is not None]
        student_both = sum(q.tokens for q in both)
        rows.append(
            _row(
                run.model,
                run.level,
                run.dataset,
                sum(q.correct for q in qs),
                len(qs),
                job=run.job_id,
                decoding=run.decoding,
                k=run.k,
                unanswered=sum(q.answer is None for q in qs),
                student_tokens=sum(q.tokens for q in qs) / len(qs) if qs else None,
                teacher_tokens=sum(q.teacher_tokens for q in both) / len(both) if both else None,
                token_ratio=(sum(q.teacher_tokens for q in both) / student_both if student_both else None),
            )
        )
    for ds in dict.fromkeys(v.dataset for v in views if v.consensus is not None):
        taught = [v for v in views if v.dataset == ds and v.consensus is not None]
        tokens = [v.teacher_tokens for v in taught if v.teacher_tokens is not None]
        for vote_name, attr in (("weighted", "weighted_correct"), ("majority", "majority_correct")):
            rows.append(
                _row(
                    f"teachers ({vote_name} vote)",
                    "teachers",
                    ds,
                    sum(getattr(v.consensus, attr) for v in taught),
                    len(taught),
                    teacher_tokens=sum(tokens) / len(tokens) if tokens else None,
                )
            )
    return rows


def _row(model: str, level: str, dataset: str, correct: int, n: int, **extra) -> dict:
    low, high = wilson(correct, n)
    return {
        "model": model,
        "level": level,
        "dataset": dataset,
        "questions": n,
        "correct": correct,
        "accuracy": correct / n if n else 0.0,
        "ci_low": low,
        "ci_high": high,
        **{
            k: None
            for k in ("job", "decoding", "k", "unanswered", "student_tokens", "teacher_tokens", "token_ratio")
        },
        **extra,
    }


def aggregate_csv(rows: Iterable[dict]) -> str:
    rows = list(rows)
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out.getvalue()


# ---------------------------------------------------------------- launching evaluations


def trained_jobs(url: str | None = None) -> list[JobView]:
    return [j for j in jobs.list_all(kind="train", url=url) if j.trained]


def eval_jobs(url: str | None = None) -> list[JobView]:
    return jobs.list_all(kind="eval", url=url)


def eval_job_config(
    *,
    run_job: int | None = None,
    base_model: str | None = None,
    student: dict | None = None,
    dataset: str | None = None,
    benchmark: str | None = None,
    split: str | None = None,
    fmt: str = "auto",
    exclude_trained: bool = True,
    limit: int | None = None,
    sampling: bool = False,
    k: int = 1,
    max_new_tokens: int | None = None,
    batch_size: int | None = None,
    seed: int = 0,
    label: str = "",
    url: str | None = None,
) -> dict:
    """An eval job's config, checked before anything is queued (see app.jobkinds.evaluate);
    `submit_eval` queues it (trainers).

    The student: a finished train job, a base model (a Hugging Face id or a path under the models
    root), or (neither) the offline default.
    The questions: a part ("test" or "validation") of the training job's own split (the default
    for a training job when no other source is given), a stored dataset's held-out discussions, or
    a benchmark file inside the file roots (`files.resolve`, before anything reads it).
    """
    decoding = {
        "sampling": sampling,
        "k": k,
        "max_new_tokens": max_new_tokens,
        "batch_size": batch_size,
        "seed": seed,
    }
    EvalConfig(questions="", limit=limit, **decoding)  # raises on a bad combination
    if run_job is not None and base_model:
        raise ValueError("choose a trained run or a base model, not both")
    if run_job is not None and dataset is None and benchmark is None and split is None:
        split = "test"
    if sum(x is not None for x in (dataset, benchmark, split)) != 1:
        raise ValueError(
            "choose one source of questions: the training job's split, a stored dataset or a benchmark file"
        )
    if run_job is not None:
        trained = jobs.finished_training(run_job, url=url)
        jobs.check_shared(trained)  # workers on other hosts load its student
        model: dict = {"run_job": run_job}
    else:
        model = {"base": files.model_source(base_model)} if base_model else {}
    if split is not None:
        if run_job is None:
            raise ValueError("a split belongs to a training job: choose a finished training job")
        if split not in ("test", "validation"):
            raise ValueError(f"split must be 'test' or 'validation', got {split!r}")
        if not (Path(trained.run_dir) / SPLIT_NAME).is_file():
            raise ValueError(
                f"job {run_job} has no split (it was trained before splits existed): choose a dataset"
            )
        source: dict = {"split": split}
    elif benchmark is not None:
        if fmt != "auto" and fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}")
        path = files.resolve(benchmark)  # inside the file roots, before anything reads it
        read_questions(path, fmt, limit=1)  # the file exists and its first record reads
        source = {"benchmark": str(path), "format": fmt}
    else:
        if dataset not in store.dataset_names(url):
            raise LookupError(f"no dataset named {dataset!r}")
        source = {"dataset": dataset, "exclude_trained": exclude_trained}
    return {
        "model": model,
        "student": dict(student or {}),
        "source": source,
        "limit": limit,
        "decoding": decoding,
        "label": label,
    }


def submit_eval(config: dict, *, actor: Actor, name: str = "", url: str | None = None) -> int:
    """Queue an evaluation (trainers); one without questions is refused here (ValueError)."""
    require(actor, Role.TRAINER, "queue an evaluation")
    select_questions(config, url)
    return jobs.submit(config, actor=actor, kind="eval", name=name, url=url)


@dataclass
class Selection:
    """An evaluation's questions: from one snapshot of the store (each with its discussion and
    dataset), or from a benchmark file."""

    dataset: str  # EvalRun.dataset: the dataset name(s), or the benchmark file's
    questions: list[Question]
    discussions: list[tuple[Discussion, str]] | None  # None for a benchmark
    ids: dict[str, int]  # store discussion id by question key
    label_revision: int | None


def select_questions(config: dict, url: str | None = None) -> Selection:
    """The questions an eval job (see `eval_job_config`) evaluates, as its worker will freeze them.

    Raises ValueError when there are none, with the reason; a benchmark file (and a base model's
    path) outside the roots is refused (`files.OutsideRoots`), here and in the worker.
    """
    source, limit = config["source"], config.get("limit")
    if "base" in config.get("model", {}):
        files.model_source(config["model"]["base"])
    if "benchmark" in source:
        path = files.resolve(source["benchmark"])
        questions = read_questions(path, source.get("format", "auto"), limit)
        if not questions:
            raise ValueError(f"no questions to evaluate in {path.name!r}")
        return Selection(f"{path.parent.name}/{path.name}", questions, None, {}, None)
    run_dir = (
        jobs.finished_training(int(config["model"]["run_job"]), url=url).run_dir
        if "run_job" in config.get("model", {})
        else None
    )
    with snapshot_scope(url) as s:
        if "split" in source:
            ids = _store_ids(s, read_split(Path(run_dir))[source["split"]])
            chosen = list(queries.iter_discussions(s, discussion_ids=ids.values()))[:limit]
            why = f"the job's {source['split']} split is empty, or its discussions are no longer stored"
        else:
            ds_id = queries.require_dataset(s, source["dataset"])
            exclude = run_dir is not None and source.get("exclude_trained", True)
            trained = _trained_keys(Path(run_dir), source["dataset"]) if exclude else set()
            f = browsing.BrowseFilter(**{**source.get("filter", {}), "dataset_ids": [ds_id]})
            chosen = [
                (d, ds)
                for d, ds in queries.iter_discussions(s, discussion_ids=browsing.matching_ids(s, f))
                if question_key(ds, d.id) not in trained
            ][:limit]
            ids = {
                question_key(source["dataset"], e): i
                for e, i in evaluations.discussion_ids(s, ds_id, [d.id for d, _ in chosen]).items()
            }
            why = "none matches the filter, or the student was trained on all of them"
        revision = queries.label_revision(s)
    if not chosen:
        raise ValueError(f"no questions to evaluate ({why})")
    if len({d.id for d, _ in chosen}) < len(chosen):
        raise ValueError("question ids repeat across the split's datasets: evaluate one dataset at a time")
    return Selection(
        "+".join(sorted({ds for _, ds in chosen})),
        [Question(d.id, d.task, d.question, d.options, d.gold_answer) for d, _ in chosen],
        chosen,
        {d.id: ids[question_key(ds, d.id)] for d, ds in chosen},
        revision,
    )


def _store_ids(s: Session, keys: list[str]) -> dict[str, int]:
    """Store discussion ids by split key ("<dataset>/<id>"), for those still stored (read by the
    stored datasets' names, so that an id may hold a "/")."""
    out = {}
    for dataset in queries.dataset_names(s):
        prefix = question_key(dataset, "")
        externals = [k.removeprefix(prefix) for k in keys if k.startswith(prefix)]
        if externals:
            found = evaluations.discussion_ids(s, queries.require_dataset(s, dataset), externals)
            out |= {question_key(dataset, e): i for e, i in found.items()}
    return out


def _trained_keys(run_dir: Path, dataset: str) -> set[str]:
    """Keys of the questions the run trained on: its split's train part, or (a run from before
    splits) every discussion of its frozen data (a line without a dataset counts as `dataset`'s)."""
    if (run_dir / SPLIT_NAME).is_file():
        return set(read_split(run_dir)["train"])
    data = run_dir / "data.jsonl"
    return (
        {question_key(ds or dataset, d.id) for _, d, ds in formats.read_jsonl(data)}
        if data.exists()
        else set()
    )
