"""The role matrix: every service that changes something, starts work or reads files, called as each
role, on SQLite and PostgreSQL. Roles below an action's role are refused (Forbidden) and change
nothing; the action's role and those above it succeed, and the audited ones leave an entry naming
the actor.

One store per back end for the module: each call prepares what it acts on (as an admin of the
actor's own identity, so that "own job" means the actor's), then acts as the role under test.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.services import (
    agreement,
    annotate,
    audit,
    datasets,
    experiments,
    jobs,
    predictions,
    responses,
    store,
    tasks,
    upload,
)
from app.services.annotate import BulkScope
from app.services.auth import LOCAL, Actor, Forbidden, Role, actor_for, list_users, set_role
from app.services.filters import Filter
from db import jobs as job_queries
from db.engine import session_scope
from db.models import AuditEntry, Job
from tests.conftest import BACKENDS, empty_store
from tests.utils import discussion, write_jsonl
from tests.utils.rows import disc_id, node_id
from tests.utils.training import TINY

SPLIT = {"train": 0.6, "validation": 0.1, "test": 0.3, "seed": 1}
_names = itertools.count()


@dataclass
class Ctx:
    url: str
    folder: Path

    def unique(self, stem: str) -> str:
        return f"{stem}-{next(_names)}"

    def dataset(self) -> str:
        """A new dataset of one discussion (imported as the local user); its name."""
        name = self.unique("set")
        path = write_jsonl(self.folder / f"{name}.jsonl", [discussion(f"{name}-q")])
        store.import_file(path, dataset=name, actor=LOCAL, url=self.url)
        return name

    def node(self) -> int:
        name = self.dataset()
        return node_id(self.url, f"{name}-q", "b", 0)

    def job(self, owner: str, status: str = "queued") -> int:
        """A job row queued by `owner`, in `status` (no worker runs here)."""
        with session_scope(self.url, write=True) as s:
            job = job_queries.create_job(s, kind="train", config={}, name="matrix", submitted_by=owner)
            if status != "queued":
                job_queries.finish(s, job.id, status)
            return job.id

    def experiment(self, owner: str | Actor | None) -> int:
        """An experiment of one cell; `owner` an identity (made as an admin of that identity) or
        the actor itself."""
        return experiments.create(
            data=Filter(datasets=("gsm8k",)),
            variants=["3"],
            seeds=[0],
            train=TINY,
            split=SPLIT,
            max_new_tokens=8,
            actor=Actor(owner, Role.ADMIN) if isinstance(owner, str) else owner,
            url=self.url,
        )


Act = Callable[[Actor | None], object]  # the action, prepared, as some actor


def _staged(c: Ctx) -> list[tuple[str, Path]]:
    data = write_jsonl(c.folder / "up.jsonl", [discussion(c.unique("up"))]).read_bytes()
    folder = c.folder / c.unique("stage")
    return [("up.jsonl", upload.save_upload(io.BytesIO(data), "up.jsonl", folder, key="k", actor=LOCAL))]


def _upload(c: Ctx, me: str) -> Act:
    data = write_jsonl(c.folder / "up.jsonl", [discussion(c.unique("up"))]).read_bytes()
    folder = c.folder / c.unique("stage")
    return lambda a: upload.save_upload(io.BytesIO(data), "up.jsonl", folder, key="k", actor=a)


def _import_file(c: Ctx, me: str) -> Act:
    path, name = write_jsonl(c.folder / "f.jsonl", [discussion(c.unique("f"))]), c.unique("f")
    return lambda a: store.import_file(path, dataset=name, actor=a, url=c.url)


def _bulk(c: Ctx, me: str) -> Act:
    scope = BulkScope(Filter(datasets=(c.dataset(),)), answer="18")
    return lambda a: annotate.bulk_label(scope, False, actor=a, url=c.url)


def _undo_bulk(c: Ctx, me: str) -> Act:
    done = annotate.bulk_label(BulkScope(Filter(datasets=(c.dataset(),))), False, actor=LOCAL, url=c.url)
    return lambda a: annotate.undo_bulk(done.revision, actor=a, url=c.url)


def _undo(c: Ctx, me: str) -> Act:
    edit = annotate.set_label(c.node(), False, actor=LOCAL, url=c.url)
    return lambda a: annotate.undo(edit.event_id, actor=a, url=c.url)


def _withdraw(c: Ctx, me: str) -> Act:
    node = c.node()
    responses.respond(node, "unsure", actor=Actor(me, Role.ADMIN), url=c.url)  # the actor's own response
    return lambda a: responses.withdraw(node, actor=a, url=c.url)


def _gold(c: Ctx, me: str) -> Act:
    did = disc_id(c.url, f"{c.dataset()}-q")
    return lambda a: annotate.set_gold(did, "20", actor=a, url=c.url)


def _set_role(c: Ctx, me: str) -> Act:
    who = c.unique("user") + "@example.org"
    actor_for(who, "", c.url)
    return lambda a: set_role(a, who, Role.ANNOTATOR, url=c.url)


def _score_nodes(c: Ctx, me: str) -> Act:
    """Past the role check, the job to score with must be a trained classifier: none is here."""
    job = c.job(me, "succeeded")

    def act(a: Actor | None) -> None:
        with pytest.raises(ValueError, match="is not a succeeded level-4 training job"):
            predictions.submit_predictions(job, actor=a, url=c.url)

    return act


def _task(c: Ctx) -> int:
    return tasks.create_task(c.unique("task"), Filter(), overlap=1, actor=LOCAL, url=c.url).id


def _on_dataset(action: Callable[..., object], *args) -> Callable[[Ctx, str], Act]:
    def prepare(c: Ctx, me: str) -> Act:
        name, more = (
            c.dataset(),
            [c.unique(a) if a == "new" else c.dataset() if a == "set" else a for a in args],
        )
        return lambda a: action(name, *more, actor=a, url=c.url)

    return prepare


def _on_job(action: Callable[..., object], status: str, own: bool) -> Callable[[Ctx, str], Act]:
    def prepare(c: Ctx, me: str) -> Act:
        job = c.job(me if own else "someone-else@example.org", status)
        return lambda a: action(job, actor=a, url=c.url)

    return prepare


def _on_experiment(action: Callable[..., object]) -> Callable[[Ctx, str], Act]:
    def prepare(c: Ctx, me: str) -> Act:
        experiment = c.experiment(me)
        return lambda a: action(experiment, actor=a, url=c.url)

    return prepare


def _on(make: Callable[[Ctx], object], action: Callable[[object, Actor | None, Ctx], object]):
    """Prepared: `make` makes what the action acts on (a node, a dataset, staged files)."""

    def prepare(c: Ctx, me: str) -> Act:
        made = make(c)
        return lambda a: action(made, a, c)

    return prepare


def _plain(action: Callable[[Actor | None, Ctx], object]) -> Callable[[Ctx, str], Act]:
    return lambda c, me: lambda a: action(a, c)


# (what, the role it needs, the audit action it records or None, its preparation: (store, the
# acting identity) -> the action)
CASES: list[tuple[str, Role, str | None, Callable[[Ctx, str], Act]]] = [
    (
        "set a label",
        Role.ANNOTATOR,
        None,
        _on(Ctx.node, lambda n, a, c: annotate.set_label(n, True, actor=a, url=c.url)),
    ),
    (
        "exclude",
        Role.ANNOTATOR,
        None,
        _on(Ctx.node, lambda n, a, c: annotate.set_excluded(n, True, actor=a, url=c.url)),
    ),
    ("correct the gold answer", Role.ANNOTATOR, None, _gold),
    ("undo an edit", Role.ANNOTATOR, None, _undo),
    ("bulk-label", Role.ANNOTATOR, "bulk.applied", _bulk),
    ("undo a bulk label", Role.ANNOTATOR, "bulk.undone", _undo_bulk),
    (
        "respond to a node",
        Role.ANNOTATOR,
        None,
        _on(Ctx.node, lambda n, a, c: responses.respond(n, "incorrect", actor=a, url=c.url)),
    ),
    ("withdraw a response", Role.ANNOTATOR, None, _withdraw),
    ("see the agreement", Role.VIEWER, None, _plain(lambda a, c: agreement.agreement(actor=a, url=c.url))),
    (
        "list the adjudication queue",
        Role.ADJUDICATOR,
        None,
        _plain(lambda a, c: agreement.adjudication_queue(actor=a, url=c.url)),
    ),
    (
        "adjudicate",
        Role.ADJUDICATOR,
        "label.adjudicated",
        _on(Ctx.node, lambda n, a, c: responses.adjudicate(n, True, reason="checked", actor=a, url=c.url)),
    ),
    (
        "recompute every label",
        Role.ADMIN,
        "labels.recomputed",
        _plain(lambda a, c: responses.recompute_labels(actor=a, url=c.url)),
    ),
    (
        "export",
        Role.ANNOTATOR,
        None,
        _plain(lambda a, c: store.export_discussions(io.StringIO(), actor=a, url=c.url)),
    ),
    (
        "queue a job",
        Role.TRAINER,
        "job.queued",
        _plain(lambda a, c: jobs.submit({}, kind="predict", actor=a, url=c.url)),
    ),
    ("cancel own job", Role.TRAINER, "job.cancelled", _on_job(jobs.cancel, "queued", own=True)),
    ("resume own job", Role.TRAINER, "job.resumed", _on_job(jobs.resume, "cancelled", own=True)),
    ("archive own job", Role.TRAINER, "job.archived", _on_job(jobs.archive, "succeeded", own=True)),
    ("delete own job", Role.TRAINER, "job.deleted", _on_job(jobs.delete, "succeeded", own=True)),
    ("cancel another's job", Role.ADMIN, "job.cancelled", _on_job(jobs.cancel, "queued", own=False)),
    ("resume another's job", Role.ADMIN, "job.resumed", _on_job(jobs.resume, "failed", own=False)),
    ("archive another's job", Role.ADMIN, "job.archived", _on_job(jobs.archive, "succeeded", own=False)),
    ("delete another's job", Role.ADMIN, "job.deleted", _on_job(jobs.delete, "cancelled", own=False)),
    ("score nodes", Role.TRAINER, None, _score_nodes),
    ("create an experiment", Role.TRAINER, "experiment.created", _plain(lambda a, c: c.experiment(a))),
    ("advance own experiment", Role.TRAINER, None, _on_experiment(experiments.advance)),
    ("cancel own experiment", Role.TRAINER, "job.cancelled", _on_experiment(experiments.cancel)),
    ("resume own experiment", Role.TRAINER, None, _on_experiment(experiments.resume)),
    ("rename a dataset", Role.ADMIN, "dataset.renamed", _on_dataset(datasets.rename, "new")),
    ("copy a dataset", Role.ADMIN, "dataset.copied", _on_dataset(datasets.copy, "new")),
    ("merge datasets", Role.ADMIN, "dataset.merged", _on_dataset(datasets.merge, "set")),
    ("delete a dataset", Role.ADMIN, "dataset.deleted", _on_dataset(datasets.delete)),
    (
        "describe a dataset",
        Role.ADMIN,
        "dataset.details",
        _on(
            Ctx.dataset,
            lambda n, a, c: datasets.set_details(n, description="d", source="s", actor=a, url=c.url),
        ),
    ),
    ("import a file", Role.ADMIN, None, _import_file),
    ("upload a file", Role.ADMIN, None, _upload),
    (
        "check uploads",
        Role.ADMIN,
        None,
        _on(_staged, lambda f, a, c: upload.check_files(f, actor=a, url=c.url)),
    ),
    (
        "import uploads",
        Role.ADMIN,
        "dataset.imported",
        _on(_staged, lambda f, a, c: upload.import_uploads(f, actor=a, url=c.url)),
    ),
    (
        "create an annotation task",
        Role.TRAINER,
        "task.created",
        _plain(lambda a, c: tasks.create_task(c.unique("task"), Filter(), overlap=2, actor=a, url=c.url)),
    ),
    (
        "archive an annotation task",
        Role.TRAINER,
        "task.archived",
        _on(_task, lambda t, a, c: tasks.archive_task(t, actor=a, url=c.url)),
    ),
    (
        "work through a task's queue",
        Role.ANNOTATOR,
        None,
        _on(_task, lambda t, a, c: tasks.next_items(t, actor=a, url=c.url)),
    ),
    ("list users", Role.ADMIN, None, _plain(lambda a, c: list_users(actor=a, url=c.url))),
    ("change a role", Role.ADMIN, "role.changed", _set_role),
    ("read the audit log", Role.ADMIN, None, _plain(lambda a, c: audit.entries(actor=a, url=c.url))),
]


@pytest.fixture(scope="module", params=BACKENDS)
def ctx(request, tmp_path_factory) -> Iterator[Ctx]:
    """The demonstration store (its gsm8k discussions train and evaluate), on each back end."""
    folder = tmp_path_factory.mktemp("roles")
    with empty_store(request.param, folder) as url, pytest.MonkeyPatch.context() as mp:
        mp.setenv("MAGDI_RUNS_DIR", str(folder / "runs"))
        store.load_demo_if_empty(url)
        yield Ctx(url, folder)


def _counts(url: str) -> tuple[int, int, int]:
    with session_scope(url) as s:
        n_jobs = s.execute(select(func.count()).select_from(Job)).scalar_one()
        n_audit = s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    return store.revision(url), n_jobs, n_audit


@pytest.mark.parametrize("role", list(Role), ids=lambda r: r.label)
@pytest.mark.parametrize(("what", "needs", "audited", "prepare"), CASES, ids=[c[0] for c in CASES])
def test_each_role_may_do_what_its_role_allows_and_nothing_more(ctx, what, needs, audited, prepare, role):
    actor = Actor(f"{role.label}-{next(_names)}@example.org", role)
    act = prepare(ctx, actor.identity)
    if role < needs:
        before = _counts(ctx.url)
        with pytest.raises(Forbidden, match=r"may not .*: it needs the \w+ role"):
            act(actor)
        assert _counts(ctx.url) == before  # no label revision, job or audit entry more
        return
    result = act(actor)
    assert not isinstance(result, annotate.EditResult) or result.ok, result.message
    if audited:
        [newest] = audit.entries(actor=LOCAL, by=actor.identity, action=audited, url=ctx.url, limit=1)
        assert newest.actor == actor.identity


@pytest.mark.parametrize(("what", "needs", "audited", "prepare"), CASES, ids=[c[0] for c in CASES])
def test_nobody_signed_in_is_refused(ctx, what, needs, audited, prepare):
    act = prepare(ctx, "nobody@example.org")
    before = _counts(ctx.url)
    with pytest.raises(Forbidden, match="sign in to"):
        act(None)
    assert _counts(ctx.url) == before
