"""Experiments: does each level help? One data selection and split, frozen once, a list of
variants × seeds × one student, trained and evaluated by the worker, and the paper's table.

A *cell* is one (variant, seed): a train job on the experiment's frozen data and split, then an
eval job of that run on its test split (greedy; a second, sampled one for self-consistency when
asked). Creating an experiment freezes the data and queues every cell's train job; the eval job
of a cell is queued when its train job succeeds, by `advance`, which the worker calls after each
job of an experiment and which the page and the CLI call too (it is idempotent: the check and
the insert share one write transaction on the experiment's row). Jobs carry the experiment's id
(a column) and their cell in their config, `{"experiment": {"variant", "seed", "eval"}}`.
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import shutil
import statistics
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import plotly.graph_objects as go

from app.jobkinds import train as train_kind
from app.services import audit, compare, jobs
from app.services.auth import Actor, Role, require
from app.services.filters import Filter
from app.services.jobs import JobView
from db import evaluations
from db import experiments as q
from db import jobs as job_queries
from db.engine import session_scope
from db.models import Experiment
from magdi import stats
from magdi.splits import check_split

# variant -> DistillConfig fields; in the order of the paper's table (each adds one thing)
VARIANTS: dict[str, dict] = {
    "single-teacher": {"level": "single-teacher"},
    "1": {"level": "1"},
    "2": {"level": "2"},
    "3": {"level": "3"},
    "4-frozen": {"level": "4", "node_features": "frozen"},
    "4-joint": {"level": "4", "node_features": "joint"},
}
PER_CELL = ("level", "node_features", "seed", "teacher")  # set by the variant and the seed
EVALS = ("greedy", "sc")  # an eval job's mode within its cell


@dataclass
class Cell:
    variant: str
    seed: int
    train: JobView | None = None  # the latest attempt
    evals: dict[str, JobView] = field(default_factory=dict)  # mode -> latest attempt

    @property
    def status(self) -> str:
        """queued | training | evaluating | done | failed | cancelled."""
        jobs_ = [self.train, *self.evals.values()]
        bad = next((j.status for j in jobs_ if j is not None and j.status in job_queries.RESUMABLE), None)
        if bad:
            return bad
        if self.train is None or self.train.status == "queued":
            return "queued"
        if self.train.status == "running":
            return "training"
        return "evaluating" if any(j.active for j in self.evals.values()) or not self.evals else "done"


@dataclass
class ExperimentView:
    id: int
    name: str
    status: str  # running | finished | failed | cancelled
    config: dict
    directory: str
    created_at: datetime
    cells: list[Cell]

    @property
    def modes(self) -> tuple[str, ...]:
        return EVALS if self.config["eval"].get("sc_k", 1) > 1 else ("greedy",)

    @property
    def done(self) -> int:
        return sum(c.status == "done" for c in self.cells)


# ---------------------------------------------------------------- create


def create(
    *,
    data: Filter | None = None,
    variants: list[str],
    seeds: int | list[int] = 3,
    train: dict | None = None,
    teacher: str | None = None,
    split: dict | None = None,
    sc_k: int = 1,
    max_new_tokens: int | None = None,
    name: str = "",
    actor: Actor,
    url: str | None = None,
) -> int:
    """Check every cell's settings, freeze the data once, queue every cell's train job (trainers;
    audited); the id. The cells' jobs are the actor's, and so are the evaluations queued later.

    `train` holds the shared DistillConfig fields (student, steps, lr, ...); each variant sets
    its level (and node features), each seed its `seed`.
    """
    require(actor, Role.TRAINER, "create an experiment")
    variants = list(dict.fromkeys(variants))
    unknown = [v for v in variants if v not in VARIANTS]
    if unknown or not variants:
        raise ValueError(
            f"unknown variant {unknown[0]!r} (known: {', '.join(VARIANTS)})"
            if unknown
            else "choose at least one variant"
        )
    seed_list = list(range(seeds)) if isinstance(seeds, int) else list(dict.fromkeys(seeds))
    if not seed_list:
        raise ValueError("choose at least one seed")
    if sc_k < 1:
        raise ValueError("self-consistency needs k >= 1 (1: greedy only)")
    split = check_split(split)
    shared = {k: v for k, v in (train or {}).items() if k not in PER_CELL}
    configs = {
        (v, s): jobs.train_config(
            {**shared, **VARIANTS[v], "seed": s, **({"teacher": teacher} if v == "single-teacher" else {})},
            data=data,
            split=split,
            url=url,
        )
        for v in variants
        for s in seed_list
    }
    first = next(iter(configs.values()))
    resolved = {k: v for k, v in first["train"].items() if k not in PER_CELL}  # shown beside the table
    # the eval settings fail now, not when the first cell has trained
    compare.EvalConfig(questions="", max_new_tokens=max_new_tokens, sampling=sc_k > 1, k=sc_k)
    staging = _runs_dir() / "experiments" / f".new-{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    try:
        frozen = train_kind.freeze(first["filter"], split, staging, url)
        if not frozen.get("counts", {}).get("test"):
            raise ValueError(
                "the selection leaves no test questions: choose more data or a larger test share"
            )
        settings = {
            "filter": first["filter"],
            "data": first["data"],
            "split": split,
            "variants": variants,
            "seeds": seed_list,
            "teacher": teacher,
            "train": resolved,
            "eval": {"sc_k": sc_k, "max_new_tokens": max_new_tokens},
            "frozen": frozen,
        }
        with session_scope(url, write=True) as s:
            exp = q.create_experiment(s, name=name, config=settings)
            directory = staging.parent / f"experiment-{exp.id}"
            if directory.exists():  # another store's experiment in a shared runs directory
                directory = directory.with_name(f"{directory.name}-{staging.name.removeprefix('.new-')[:8]}")
            staging.rename(directory)
            q.update_experiment(s, exp.id, directory=str(directory))
            for (v, seed), cfg in configs.items():
                cfg = {**cfg, "frozen": str(directory), "experiment": {"variant": v, "seed": seed}}
                job_queries.create_job(
                    s,
                    kind="train",
                    config=cfg,
                    name=_job_name(exp, v, seed),
                    experiment_id=exp.id,
                    submitted_by=actor.identity,
                )
            detail = {"variants": variants, "seeds": seed_list, "jobs": len(configs)}
            audit.record(actor, "experiment.created", f"experiment {exp.id}", detail, session=s)
            return exp.id
    finally:
        if staging.exists():
            shutil.rmtree(staging)


def _runs_dir() -> Path:
    """Where experiments keep their frozen data: under the shared run root when one is configured
    (their train jobs may run on workers of other hosts), else the runs directory, read at each
    call, not at import, as the worker does (tests and scripts set it late)."""
    return jobs.SHARED_RUNS_DIR or Path(os.environ.get("MAGDI_RUNS_DIR", jobs.RUNS_DIR))


def _job_name(exp: Experiment, variant: str, seed: int, mode: str = "") -> str:
    title = exp.name or f"experiment {exp.id}"
    return f"{title} · {variant} · seed {seed}" + (f" · eval {mode}" if mode else "")


# ---------------------------------------------------------------- progress


def get(experiment_id: int, *, url: str | None = None) -> ExperimentView:
    with session_scope(url) as s:
        exp = q.get_experiment(s, experiment_id)
        if exp is None:
            raise LookupError(f"no experiment {experiment_id}")
        return _view(exp, [JobView.of(j) for j in q.experiment_jobs(s, experiment_id)])


def list_all(*, url: str | None = None) -> list[ExperimentView]:
    """Newest first."""
    with session_scope(url) as s:
        return [_view(e, [JobView.of(j) for j in q.experiment_jobs(s, e.id)]) for e in q.list_experiments(s)]


def _view(exp: Experiment, job_views: list[JobView]) -> ExperimentView:
    config = json.loads(exp.config)
    cells = {(v, s): Cell(v, s) for v in config["variants"] for s in config["seeds"]}
    for j in sorted(job_views, key=lambda j: j.id):  # later attempts replace earlier ones
        cell_of = j.config.get("experiment", {})
        cell = cells.get((cell_of.get("variant"), cell_of.get("seed")))
        if cell is None:
            continue
        if j.kind == "train":
            cell.train = j
        elif cell.train is not None and j.config.get("model", {}).get("run_job") in _attempts(
            cell.train, job_views
        ):
            cell.evals[cell_of.get("eval", "greedy")] = j
    view = ExperimentView(
        exp.id, exp.name, exp.status, config, exp.directory or "", exp.created_at, list(cells.values())
    )
    view.status = _status(view)
    return view


def _attempts(job: JobView, job_views: list[JobView]) -> set[int]:
    """Ids of the job and of every earlier attempt it resumes (an eval names the one that ran)."""
    by_id = {j.id: j for j in job_views}
    out, current = set(), job
    while current is not None:
        out.add(current.id)
        current = by_id.get(current.resume_of) if current.resume_of else None
    return out


def _status(view: ExperimentView) -> str:
    """cancelled (by the user), else from the cells: running, finished, or failed (resumable)."""
    if view.status == "cancelled":
        return "cancelled"
    states = [c.status for c in view.cells]
    if all(s == "done" and set(view.modes) <= set(c.evals) for s, c in zip(states, view.cells)):
        return "finished"
    if any(s in ("queued", "training", "evaluating") for s in states):
        return "running"
    return "failed"


def advance(experiment_id: int, *, actor: Actor, url: str | None = None) -> list[int]:
    """Queue the eval jobs of cells whose training finished and record the experiment's status;
    returns the jobs queued (trainers). Safe to call from several processes at once."""
    require(actor, Role.TRAINER, "advance an experiment")
    return _advance(experiment_id, url=url)


def _advance(experiment_id: int, *, url: str | None) -> list[int]:
    """`advance` for anyone allowed to (and the worker's hook): each cell's evaluation is queued
    as the one who queued its training."""
    view = get(experiment_id, url=url)
    if view.status == "cancelled":
        return []
    wanted = {}  # (variant, seed, mode) -> eval config, for cells trained but not evaluated
    for c in view.cells:
        if c.train is not None and c.train.trained:
            for mode in view.modes:
                if mode not in c.evals:
                    wanted[(c.variant, c.seed, mode)] = _eval_config(view, c.train.id, mode, url)
    queued = []
    with session_scope(url, write=True) as s:
        exp = q.lock_experiment(s, experiment_id)
        fresh = _view(exp, [JobView.of(j) for j in q.experiment_jobs(s, experiment_id)])
        if exp.status == "cancelled":
            return []
        for c in fresh.cells:
            for mode in fresh.modes:
                cfg = wanted.get((c.variant, c.seed, mode))
                if cfg is not None and mode not in c.evals and c.train is not None and c.train.trained:
                    cfg["experiment"] = {"variant": c.variant, "seed": c.seed, "eval": mode}
                    queued.append(
                        job_queries.create_job(
                            s,
                            kind="eval",
                            config=cfg,
                            name=_job_name(exp, c.variant, c.seed, mode),
                            experiment_id=exp.id,
                            submitted_by=c.train.submitted_by,
                        ).id
                    )
        fresh = _view(exp, [JobView.of(j) for j in q.experiment_jobs(s, experiment_id)])
        q.update_experiment(s, experiment_id, status=fresh.status)
    return queued


def _eval_config(view: ExperimentView, train_job: int, mode: str, url: str | None) -> dict:
    """The cell's evaluation: its run on the run's own test split, greedy or sampled k times."""
    ev = view.config["eval"]
    sc = mode == "sc"
    return compare.eval_job_config(
        run_job=train_job,
        split="test",
        sampling=sc,
        k=ev["sc_k"] if sc else 1,
        max_new_tokens=ev.get("max_new_tokens"),
        url=url,
    )


def after_job(job_id: int, *, url: str | None = None) -> None:
    """The worker's hook after a job ends: advance the job's experiment, if it has one."""
    with session_scope(url) as s:
        experiment_id = q.experiment_of_job(s, job_id)
    if experiment_id is not None:
        _advance(experiment_id, url=url)


def _require_owner(actor: Actor, view: ExperimentView, action: str) -> None:
    """A trainer acts on the experiments whose jobs they queued; any other needs an admin."""
    require(actor, Role.TRAINER, f"{action} an experiment")
    for c in view.cells:
        for j in (c.train, *c.evals.values()):
            if j is not None:
                jobs.require_owner(actor, j, action)


def cancel(experiment_id: int, *, actor: Actor, url: str | None = None) -> int:
    """Cancel every queued or running job of the experiment; returns how many (audited)."""
    view = get(experiment_id, url=url)
    _require_owner(actor, view, "cancel")
    with session_scope(url, write=True) as s:
        q.update_experiment(s, experiment_id, status="cancelled")
    active = [j for c in view.cells for j in (c.train, *c.evals.values()) if j is not None and j.active]
    for j in active:
        jobs.cancel(j.id, actor=actor, url=url)
    return len(active)


def resume(experiment_id: int, *, actor: Actor, url: str | None = None) -> list[int]:
    """A new attempt of every failed or cancelled job of the experiment (from its checkpoint),
    and the eval jobs still missing; returns the jobs queued (each attempt audited)."""
    view = get(experiment_id, url=url)
    _require_owner(actor, view, "resume")
    with session_scope(url, write=True) as s:
        q.update_experiment(s, experiment_id, status="running")
    queued = []
    for c in view.cells:
        if c.train is not None and c.train.resumable:
            queued.append(jobs.resume(c.train.id, actor=actor, url=url))
        elif c.train is not None and c.train.trained:
            queued += [jobs.resume(j.id, actor=actor, url=url) for j in c.evals.values() if j.resumable]
    return queued + _advance(experiment_id, url=url)


def for_display(view: ExperimentView) -> list[dict]:
    """One row per cell: its status, and its jobs' (id, status, progress while running)."""

    def state(j: JobView | None) -> str:
        if j is None:
            return "—"
        return f"#{j.id} {j.status}" + (f" {j.progress:.0%}" if j.status == "running" else "")

    return [
        {
            "variant": c.variant,
            "seed": c.seed,
            "status": c.status,
            "train": state(c.train),
            **{f"eval {m}": state(c.evals.get(m)) for m in view.modes},
        }
        for c in view.cells
    ]


# ---------------------------------------------------------------- results


@dataclass
class Results:
    """The paper's table for one experiment: one row per variant, paired tests of adjacent
    variants, and the settings it ran with. Accuracy is per (seed, question) on the test split."""

    settings: dict
    questions: int  # test questions every finished cell was scored on
    rows: list[dict]
    paired: list[dict]

    def to_json(self) -> str:
        return json.dumps(
            {
                "settings": self.settings,
                "questions": self.questions,
                "rows": self.rows,
                "paired": self.paired,
            },
            indent=1,
        )

    def to_csv(self) -> str:
        return compare.aggregate_csv(self.rows)


def results(experiment_id: int, *, url: str | None = None, reps: int = 2000) -> Results:
    """Accuracy with a 95% interval over questions and seeds (greedy, and self-consistency when
    asked), held-out next-token loss, tokens and the token-efficiency ratio per variant, and
    McNemar's exact test with a paired bootstrap for each pair of adjacent variants."""
    view = get(experiment_id, url=url)
    eval_jobs = {
        j.id: (c, mode) for c in view.cells for mode, j in c.evals.items() if j.status == "succeeded"
    }
    with session_scope(url) as s:
        runs = {r.id: r.job_id for r in q.eval_runs_of_jobs(s, list(eval_jobs))}
        answers: dict[tuple[str, int, str], dict[str, object]] = {}
        for eq in evaluations.eval_questions(s, list(runs)):
            c, mode = eval_jobs[runs[eq.eval_run_id]]
            answers.setdefault((c.variant, c.seed, mode), {})[eq.key] = eq
    keys = sorted(set.intersection(*(set(a) for a in answers.values()))) if answers else []
    table = {
        mode: {
            v: {
                s: [answers[(v, s, mode)][k] for k in keys]
                for s in view.config["seeds"]
                if (v, s, mode) in answers
            }
            for v in view.config["variants"]
        }
        for mode in view.modes
    }
    losses = {(c.variant, c.seed): _test_loss(c.train, url) for c in view.cells}
    rows = [_row(v, table, losses, reps) for v in view.config["variants"]]
    paired = [
        _pair(a, b, table["greedy"], reps)
        for a, b in zip(view.config["variants"], view.config["variants"][1:])
    ]
    settings = {k: view.config[k] for k in ("data", "split", "variants", "seeds", "teacher", "train", "eval")}
    settings["frozen"] = view.config["frozen"]
    return Results(settings, len(keys), rows, [p for p in paired if p is not None])


def settings_text(settings: dict) -> str:
    """One line of what the table was measured with (the full settings are in the JSON)."""
    sp, train = settings["split"], settings["train"]
    data = ", ".join(f"{k}={'+'.join(v) if isinstance(v, list) else v}" for k, v in settings["data"].items())
    steps = train.get("max_steps") or (f"{train['epochs']} epochs" if train.get("epochs") else "preset")
    return (
        f"data {data or 'every discussion'} · split {sp['train']}/{sp['validation']}/{sp['test']} "
        f"(seed {sp['seed']}) · student {train.get('model') or 'offline default'} · {steps} steps · "
        f"seeds {', '.join(map(str, settings['seeds']))}"
        + (f" · teacher {settings['teacher']}" if settings.get("teacher") else "")
    )


def figure(rows: list[dict]) -> go.Figure:
    """Accuracy by variant with its 95% interval (greedy, and self-consistency when asked)."""
    fig = go.Figure()
    for prefix, name in (("", "greedy"), ("sc_", "self-consistency")):
        part = [r for r in rows if r.get(prefix + "accuracy") is not None]
        if part:
            fig.add_scatter(
                x=[html.escape(r["variant"]) for r in part],
                y=[r[prefix + "accuracy"] for r in part],
                mode="markers+lines",
                name=name,
                error_y=dict(
                    type="data",
                    symmetric=False,
                    array=[r[prefix + "ci_high"] - r[prefix + "accuracy"] for r in part],
                    arrayminus=[r[prefix + "accuracy"] - r[prefix + "ci_low"] for r in part],
                ),
            )
    fig.update_layout(
        title="Test accuracy by level (95% interval over questions and seeds)",
        height=380,
        margin=dict(t=40, b=10),
        xaxis=dict(title="variant", type="category"),
        yaxis=dict(tickformat=".0%", range=[0, 1.05]),
        legend=dict(orientation="h"),
    )
    return fig


def _scores(per_seed: dict[int, list]) -> list[list[bool]]:
    return [[bool(eq.correct) for eq in per_seed[s]] for s in sorted(per_seed)]


def _row(variant: str, table: dict, losses: dict, reps: int) -> dict:
    greedy = table["greedy"][variant]
    scores = _scores(greedy)
    flat = [eq for s in sorted(greedy) for eq in greedy[s]]
    both = [eq for eq in flat if eq.teacher_tokens is not None]
    student_both = sum(eq.tokens for eq in both)
    seed_losses = [loss for (v, _), loss in losses.items() if v == variant and loss is not None]
    low, high = stats.bootstrap_interval(scores, reps=reps)
    row = {
        "variant": variant,
        "level": VARIANTS[variant]["level"],
        "seeds": len(scores),
        "questions": len(scores[0]) if scores else 0,
        "accuracy": stats.mean(scores) if scores else None,
        "ci_low": low if scores else None,
        "ci_high": high if scores else None,
        "seed_accuracies": " ".join(f"{stats.mean([r]):.3f}" for r in scores),
        "unanswered": sum(eq.answer is None for eq in flat) / len(flat) if flat else None,
        "test_loss": sum(seed_losses) / len(seed_losses) if seed_losses else None,
        "test_loss_sd": statistics.stdev(seed_losses) if len(seed_losses) > 1 else None,
        "student_tokens": sum(eq.tokens for eq in flat) / len(flat) if flat else None,
        "teacher_tokens": sum(eq.teacher_tokens for eq in both) / len(both) if both else None,
        "token_ratio": sum(eq.teacher_tokens for eq in both) / student_both if student_both else None,
    }
    if "sc" in table:
        sc = _scores(table["sc"][variant])
        sc_low, sc_high = stats.bootstrap_interval(sc, reps=reps)
        row.update(
            sc_accuracy=stats.mean(sc) if sc else None,
            sc_ci_low=sc_low if sc else None,
            sc_ci_high=sc_high if sc else None,
        )
    return row


def _pair(a: str, b: str, greedy: dict, reps: int) -> dict | None:
    """B against A on the seeds both finished (a seed pairs with the same seed)."""
    seeds = sorted(set(greedy[a]) & set(greedy[b]))
    if not seeds:
        return None
    p = stats.paired(
        _scores({s: greedy[a][s] for s in seeds}), _scores({s: greedy[b][s] for s in seeds}), reps=reps
    )
    return {"a": a, "b": b, "seeds": len(seeds), **dataclasses.asdict(p)}


def _test_loss(train: JobView | None, url: str | None) -> float | None:
    """The run's held-out next-token loss (its final metrics, from the store), if it wrote one."""
    final = jobs.final_metrics(train, url=url) if train is not None else None
    value = (final or {}).get("test_loss")
    return None if value is None else float(value)
