"""Discussion jobs end to end: a real worker process, real scripted chat-completions servers on
loopback (through the real `openai` client), a real store. No mocks.

Each agent has its own scripted server, answered in request order, so every reply a job asks for
twice would show up in the request counts and shift the answers that follow.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import signal
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import select

from app.jobkinds import discuss as discuss_kind
from app.serve_model import ModelServer, ScriptedBackend
from app.services import discuss, jobs, mag_view, store
from app.services.auth import LOCAL
from db import browsing, queries
from db.engine import session_scope
from db.models import Discussion, Turn
from magdi.agents import AgentConfig
from tests.utils import js, wait_for
from tests.utils.workers import run_until_idle, start_worker, stop

SECRET = "sk-test-SECRET-0123456789"
QUESTIONS = [  # StrategyQA's published format
    {"qid": "q1", "question": "Is sea water wet?", "answer": True},
    {"qid": "q2", "question": "Can a goldfish climb a ladder?", "answer": False},
    {"qid": "q3", "question": "Is the Pacific larger than the Atlantic?", "answer": True},
]


@pytest.fixture
def env(sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MAGDI_TEST_KEY", SECRET)
    monkeypatch.setenv("MAGDI_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("MAGDI_AGENTS_FILE", str(tmp_path / "agents.yaml"))
    monkeypatch.setenv("MAGDI_FILE_ROOTS", str(tmp_path))
    monkeypatch.setenv("MAGDI_KEY_ENV_ALLOW", "MAGDI_TEST_*")
    path = tmp_path / "sqa.json"
    path.write_text(json.dumps(QUESTIONS))
    servers: list[ModelServer] = []

    def serve(items: list) -> ModelServer:
        servers.append(ModelServer(ScriptedBackend(items), api_key_env="MAGDI_TEST_KEY").start())
        return servers[-1]

    yield sqlite_url, path, serve
    for s in servers:
        s.close()


def config(servers: dict[str, ModelServer], path: Path, **extra) -> dict:
    agents = [
        {"name": n, "model": n, "base_url": s.url, "api_key_env": "MAGDI_TEST_KEY", "max_retries": 2}
        for n, s in servers.items()
    ]
    return {
        "agents": agents,
        "source": {"file": str(path), "format": "strategyqa"},
        "target_dataset": "teachers",
        "rounds": 2,
        **extra,
    }


def submit(cfg: dict, **kw) -> int:
    """Queue the discussion as a trainer would, its agents defined by an admin first."""
    discuss.save_agents([AgentConfig(**a) for a in cfg["agents"]], actor=LOCAL)
    return discuss.submit(cfg, actor=LOCAL, **kw)


def turns_of(url: str) -> dict[tuple[str, str, int], Turn]:
    with session_scope(url) as s:
        rows = s.execute(
            select(Turn, Discussion.external_id).join(Discussion, Discussion.id == Turn.discussion_id)
        ).all()
    return {(ext, t.agent, t.round): t for t, ext in rows}


def test_a_job_discusses_into_labelled_mags_and_resumes_after_a_crash(env, tmp_path):
    url, path, serve = env
    servers = {
        "a": serve([js("yes"), js("yes"), js("no"), js("no"), js("yes"), js("yes")]),
        "b": serve(
            [
                "```json\n{'reasoning': 'Salt makes it dry.', 'answer': 'no', 'confidence_level': '80%'}"
                "\n```\nHope this helps!",
                js("yes"),
                "Hmm, hard to say.",
                "Still thinking.",
                js("no"),  # q2: unparseable, after a retry
                js("yes"),
                js("yes"),
            ]
        ),
        "c": serve(
            [
                {"status": 429, "retry_after_ms": 5},
                js("yes"),
                js("yes"),
                {"status": 500, "retry_after_ms": 5},
                js("no"),
                js("no"),
                {"delay": 60},  # q3, round 0: the job is killed while it waits
                js("no"),
                js("yes"),
            ]
        ),
    }
    cfg = config(servers, path)
    cfg["agents"][0].update(price_in_per_1k=0.5, price_out_per_1k=2.0)
    job_id = submit(cfg, name="three teachers")
    worker = start_worker(url, tmp_path)
    try:
        wait_for(
            lambda: (
                len(servers["c"].backend.requests) == 7
                and {("q3", "a", 0), ("q3", "b", 0)} <= set(turns_of(url))
            ),
            what="q3 under way",
        )
        os.kill(jobs.get(job_id).pid, signal.SIGKILL)  # a crash: no chance to clean up
        wait_for(lambda: jobs.get(job_id).status == "failed", what="the crash to be noticed")
        assert len(turns_of(url)) == 14  # q1 and q2 complete (6 + 6), q3: a and b of round 0
        resumed = jobs.resume(job_id, actor=LOCAL)
        wait_for(lambda: jobs.get(resumed).status in ("succeeded", "failed"), what="the resumed job")
    finally:
        stop(worker)
    job = jobs.get(resumed)
    assert job.status == "succeeded", job.error
    assert (job.step, job.total_steps, job.progress) == (3, 3, 1.0)
    # nothing was asked twice: a and b once per turn (b: one retry of its unreadable reply); c also
    # got the 429, the 500 and the request the crash cut off
    assert [len(s.backend.requests) for s in servers.values()] == [6, 7, 9]

    turns = turns_of(url)
    assert len(turns) == 18
    unreadable = turns[("q2", "b", 0)]
    assert (unreadable.reasoning, unreadable.answer_norm, unreadable.auto_label, unreadable.needs_review) == (
        "Hmm, hard to say.",
        None,
        False,
        True,
    )
    assert turns[("q1", "b", 0)].answer_norm == "no" and turns[("q1", "b", 0)].confidence == 0.8
    buf = io.StringIO()
    store.export_discussions(buf, url=url, actor=LOCAL)
    mags = {d["id"]: d for d in map(json.loads, buf.getvalue().splitlines())}
    assert set(mags) == {"q1", "q2", "q3"} and {d["dataset"] for d in mags.values()} == {"teachers"}
    labels = {(t["agent"], t["round"]): (t["label"], t["label_source"]) for t in mags["q1"]["turns"]}
    assert labels == {
        ("a", 0): ("correct", "auto"),
        ("b", 0): ("incorrect", "auto"),
        ("c", 0): ("correct", "auto"),
        ("a", 1): ("correct", "auto"),
        ("b", 1): ("correct", "auto"),
        ("c", 1): ("correct", "auto"),
    }
    r1 = next(t for t in mags["q2"]["turns"] if (t["agent"], t["round"]) == ("b", 1))
    assert r1["responds_to"] == [["a", 0], ["c", 0]]  # the unreadable turn was not shown
    assert [mags[q]["meta"]["reconcile"]["final_answer"] for q in ("q1", "q2", "q3")] == ["yes", "no", "yes"]
    assert mags["q3"]["meta"]["discuss"]["job"] == job_id
    [stats] = store.stats(url)
    assert (stats["discussions"], stats["turns"], stats["unparseable"]) == (3, 18, 1)
    with session_scope(url) as s:
        found = browsing.matching_ids(s, browsing.BrowseFilter(search="Salt"))
        assert [d.external_id for d in browsing.browse(s, browsing.BrowseFilter())[0]] == ["q1", "q2", "q3"]
    [q1] = found
    view = mag_view.discussion(q1, url)  # what the MAG page shows
    assert (view.external_id, view.summary["n_turns"], view.summary["consensus_round"]) == ("q1", 6, 1)
    assert len(view.edges) == 9 and "unparseable" not in {r for n in view.nodes for r in n.reasons}

    usage = json.loads((Path(job.run_dir) / "usage.json").read_text())["agents"]
    assert {n: (u["calls"], u["failures"]) for n, u in usage.items()} == {
        "a": (6, 0),
        "b": (7, 0),
        "c": (6, 0),
    }  # summed over both attempts
    [listed] = [r for r in discuss.list_jobs(url) if r.job.id == resumed]
    assert listed.usage == usage and (listed.new_turns, listed.failed_questions) == (4, 0)
    a = usage["a"]
    assert a["prompt_tokens"] > 0 and listed.cost == pytest.approx(
        (a["prompt_tokens"] * 0.5 + a["completion_tokens"] * 2.0) / 1000
    )
    assert "Retrying request" in jobs.log_tail(job, 100_000)
    assert_no_secret(url, tmp_path, [job_id, resumed])


def assert_no_secret(url: str, tmp_path: Path, job_ids: list[int]) -> None:
    """The key is in no table, job config, job log, run directory or worker log."""
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        dump = "\n".join(repr(db.execute(f'SELECT * FROM "{t}"').fetchall()) for t in tables)
    assert "teachers" in dump and SECRET not in dump
    for job_id in job_ids:
        job = jobs.get(job_id)
        assert SECRET not in json.dumps(job.config) and "MAGDI_TEST_KEY" in json.dumps(job.config)
    files = [p for p in tmp_path.rglob("*") if p.is_file() and p.suffix not in (".db", ".db-wal", ".db-shm")]
    assert any(p.name == "job.log" for p in files) and any(p.name.startswith("worker") for p in files)
    for p in files:
        assert SECRET.encode() not in p.read_bytes(), p


def test_cancel_keeps_the_turns_in_flight_and_asks_nothing_new(env, tmp_path):
    url, path, serve = env
    servers = {
        "a": serve([js("yes"), js("no")]),
        "b": serve([js("no"), js("no")]),
        # c answers late enough for the cancel to land first, even on a busy machine
        "c": serve([{"delay": 8, "text": js("no")}, js("no")]),
    }
    job_id = submit(config(servers, path))
    worker = start_worker(url, tmp_path)
    try:
        wait_for(lambda: {("q1", "a", 0), ("q1", "b", 0)} <= set(turns_of(url)), what="two turns")
        assert jobs.cancel(job_id, actor=LOCAL) == "cancelling"
        wait_for(lambda: jobs.get(job_id).status == "cancelled", what="cancellation")
    finally:
        stop(worker)
    # c's reply was in flight: it is stored; round 1 and question 2 were never asked for
    assert sorted(turns_of(url)) == [("q1", "a", 0), ("q1", "b", 0), ("q1", "c", 0)]
    assert [len(s.backend.requests) for s in servers.values()] == [1, 1, 1]
    assert "stopped by SIGTERM" in jobs.log_tail(jobs.get(job_id))


def test_a_job_config_is_checked_before_it_is_queued(env):
    url, path, serve = env
    s = serve([])
    good = config({"a": s, "b": s}, path)
    discuss.save_agents([AgentConfig(**a) for a in good["agents"]], actor=LOCAL)
    bad = [
        ({**good, "agents": good["agents"][:1]}, "at least two agents"),
        (
            {**good, "agents": [dict(good["agents"][0], api_key_env="sk-live-123"), good["agents"][1]]},
            "NAME of an environment",
        ),
        ({**good, "agents": [dict(good["agents"][0], api_key="x"), good["agents"][1]]}, "do not put a key"),
        ({**good, "source": {"file": str(path), "format": "csv"}}, "unknown question format"),
        ({**good, "source": {"file": str(path) + ".missing", "format": "gsm8k"}}, "no question file"),
        ({**good, "source": {"dataset": "nowhere"}}, "no dataset named 'nowhere'"),
        ({**good, "source": {"dataset": "teachers"}}, "must differ"),
        ({**good, "rounds": -1}, "rounds must be"),
    ]
    for cfg, message in bad:
        with pytest.raises((ValueError, LookupError), match=message):
            discuss.submit(cfg, actor=LOCAL, url=url)
    assert jobs.list_all(url=url) == []
    assert [q.id for q in discuss.preview({**good, "sample": 2}, url, actor=LOCAL)] == ["q1", "q2"]
    drawn = [q.id for q in discuss.preview({**good, "sample": 2, "seed": 3}, url, actor=LOCAL)]
    assert drawn == sorted(drawn) and drawn == [
        q.id for q in discuss.preview({**good, "sample": 2, "seed": 3}, url, actor=LOCAL)
    ]
    assert {q.task for q in discuss.preview({**good, "task": "boolq"}, url, actor=LOCAL)} == {"boolq"}


def test_question_files_are_listed_from_the_file_roots(tmp_path, monkeypatch):
    monkeypatch.setenv("MAGDI_FILE_ROOTS", str(tmp_path))
    (tmp_path / "gsm8k").mkdir()
    (tmp_path / "gsm8k" / "test.jsonl").write_text("")
    (tmp_path / "SOURCES.md").write_text("")
    assert discuss.question_files() == [str((tmp_path / "gsm8k" / "test.jsonl").resolve())]
    monkeypatch.setenv("MAGDI_FILE_ROOTS", str(tmp_path / "absent"))
    assert discuss.question_files() == []


def test_a_job_gives_up_after_questions_fail_in_a_row(env, tmp_path, capsys):
    url, _, serve = env
    path = tmp_path / "gsm.jsonl"
    path.write_text(
        "".join(json.dumps({"question": f"{i} + 1?", "answer": f"#### {i + 1}"}) + "\n" for i in range(5))
    )
    servers = {"a": serve([js("1")] * 5), "b": serve([])}  # b: an error its client does not retry
    cfg = {**config(servers, path), "source": {"file": str(path), "format": "gsm8k"}}
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    assert discuss_kind.prepare(1, cfg, run_dir, url) == {"total_steps": 5}
    discuss_kind.command(cfg, run_dir, resume=False)
    job = discuss_kind.Job(json.loads((run_dir / discuss_kind.CONFIG_NAME).read_text()), run_dir, url, 1)
    assert job.run() == 1
    out = capsys.readouterr().out
    assert out.count("FAILED: agent 'b' failed in round 0") == 3 and "3 questions failed in a row" in out
    progress = json.loads((run_dir / "progress.json").read_text())
    assert (progress["step"], progress["total_steps"], progress["failed"]) == (3, 5, 3)
    assert len(servers["a"].backend.requests) == 3 and len(turns_of(url)) == 3  # a's answers are kept

    unset = {**cfg, "agents": [dict(a, api_key_env="MAGDI_TEST_UNSET") for a in cfg["agents"]]}
    assert discuss_kind.Job(unset, run_dir, url, 1).run() == 2
    assert "not set in the worker's environment: MAGDI_TEST_UNSET" in capsys.readouterr().out


def test_questions_are_discussed_in_parallel(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MAGDI_TEST_KEY", SECRET)
    path = tmp_path / "gsm.jsonl"
    path.write_text(
        "".join(json.dumps({"question": f"{i} + 1?", "answer": f"#### {i % 2}"}) + "\n" for i in range(6))
    )
    servers = {
        n: ModelServer(ScriptedBackend([js("1")] * 6), api_key_env="MAGDI_TEST_KEY").start() for n in "abc"
    }
    try:
        cfg = discuss_kind.validate(
            {**config(servers, path), "source": {"file": str(path), "format": "auto"}, "parallel": 3}
        )
        assert discuss_kind.Job(cfg, tmp_path, db_url, None).run() == 0
    finally:
        for s in servers.values():
            s.close()
    with session_scope(db_url) as s:
        rows, total = browsing.browse(s, browsing.BrowseFilter())
        [stats] = queries.dataset_stats(s)
    assert total == 6 and {(r.n_turns, r.consensus_round) for r in rows} == {(3, 0)}
    assert (stats["turns"], stats["correct"]) == (18, 9)  # gold 1 for every other question
    assert json.loads((tmp_path / "progress.json").read_text())["step"] == 6


def test_convincing_samples_come_before_every_question(sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MAGDI_TEST_KEY", SECRET)
    path = tmp_path / "gsm.jsonl"
    path.write_text(
        "".join(json.dumps({"question": f"{i} + 1?", "answer": "#### 1"}) + "\n" for i in range(2))
    )
    servers = {
        n: ModelServer(ScriptedBackend([js("1")] * 2), api_key_env="MAGDI_TEST_KEY").start() for n in "ab"
    }
    sample = {"question": "What is 2 + 2?", "reasoning": "Two and two make four.", "answer": "4"}
    try:
        cfg = discuss_kind.validate(
            {**config(servers, path), "source": {"file": str(path), "format": "auto"}, "few_shot": [sample]}
        )
        assert discuss_kind.Job(cfg, tmp_path, sqlite_url, None).run() == 0
    finally:
        for s in servers.values():
            s.close()
    prompts = [request[-1]["content"] for s in servers.values() for request in s.backend.requests]
    assert len(prompts) == 4
    for prompt in prompts:
        assert (
            prompt.index("Q: What is 2 + 2?") < prompt.index("Two and two make four.") < prompt.index(" + 1?")
        )


@pytest.mark.parametrize(
    "samples, message",
    [
        (["Is fire cold?"], "convincing sample 1: expected an object"),
        ([{"question": "q", "reasoning": "r"}], "convincing sample 1: 'answer' must be non-empty text"),
        ([{"question": "q", "reasoning": "r", "answer": "a", "why": "x"}], "unknown field 'why'"),
        ([{"question": "q", "reasoning": "r", "answer": "a", "options": "A, B"}], "'options' must be a list"),
    ],
)
def test_convincing_samples_are_checked(env, samples, message):
    url, path, serve = env
    s = serve([])
    with pytest.raises(ValueError, match=message):
        submit(config({"a": s, "b": s}, path, few_shot=samples), url=url)
    with pytest.raises(ValueError, match="line 2: malformed JSON"):
        discuss.parse_few_shot('{"question": "q", "reasoning": "r", "answer": "a"}\n{oops')


def test_trying_an_agent_reads_its_reply_or_says_what_went_wrong(env, monkeypatch):
    _, _, serve = env
    s = serve([js("no", 0.7, "Goldfish have no legs."), "I would rather not say.", {"delay": 5}])
    agent = AgentConfig(
        "t", model="m", base_url=s.url, api_key_env="MAGDI_TEST_KEY", max_retries=0, timeout_s=0.5
    )
    discuss.save_agents([agent], actor=LOCAL)
    trial = discuss.try_agent(agent, "Can a goldfish climb a ladder?", "strategyqa", actor=LOCAL)
    assert (trial.ok, trial.answer, trial.confidence, trial.reasoning) == (
        True,
        "no",
        0.7,
        "Goldfish have no legs.",
    )
    assert trial.prompt_tokens > 10 and trial.completion_tokens > 0 and trial.latency_s > 0
    assert "Can a goldfish climb a ladder?" in s.backend.requests[0][0]["content"]
    unreadable = discuss.try_agent(agent, "Q?", "strategyqa", actor=LOCAL)
    assert (unreadable.ok, unreadable.answer, unreadable.raw) == (True, None, "I would rather not say.")
    assert (
        discuss.try_agent(agent, "Q?", "strategyqa", actor=LOCAL).error
        == f"no reply from {s.url} within 0.5 s"
    )
    monkeypatch.setenv("MAGDI_TEST_WRONG", "sk-wrong")
    wrong = dataclasses.replace(agent, api_key_env="MAGDI_TEST_WRONG")
    discuss.save_agents([wrong], actor=LOCAL)
    refused = discuss.try_agent(wrong, "Q?", "strategyqa", actor=LOCAL)
    assert refused.error.startswith(f"{s.url} refused the key ($MAGDI_TEST_WRONG is set)")
    assert "sk-wrong" not in refused.error


def test_a_job_of_simulated_teachers_on_synthetic_questions_runs_offline_into_mags(
    sqlite_url, tmp_path, monkeypatch
):
    monkeypatch.setenv("MAGDI_RUNS_DIR", str(tmp_path / "runs"))
    agents = [a.to_dict() for a in discuss.with_simulated_agents([])]
    assert [(a["name"], a["kind"], a["model"]) for a in agents] == [
        ("sim-strong", "simulated", "strong"),
        ("sim-average", "simulated", "average"),
        ("sim-weak", "simulated", "weak"),
    ]
    cfg = {
        "agents": agents,
        "source": {"synthetic": "arithmetic", "count": 12, "seed": 3},
        "target_dataset": "simulated",
        "rounds": 3,
    }
    assert [q.id for q in discuss.preview(cfg, sqlite_url, actor=LOCAL)][:2] == ["arith-00000", "arith-00001"]
    with pytest.raises(ValueError, match="synthetic questions are one of"):
        discuss.submit(
            {**cfg, "source": {"synthetic": "riddles", "count": 3, "seed": 0}}, actor=LOCAL, url=sqlite_url
        )
    job_id = discuss.submit(cfg, actor=LOCAL, url=sqlite_url)
    run_until_idle(sqlite_url, tmp_path)
    job = jobs.get(job_id, url=sqlite_url)
    assert job.status == "succeeded", job.error
    [stats] = store.stats(sqlite_url)
    assert (stats["dataset"], stats["discussions"], stats["unparseable"]) == ("simulated", 12, 0)
    assert 0 < stats["correct"] < stats["turns"]  # labelled against the generator's gold answers
    with session_scope(sqlite_url) as s:
        rows, total = browsing.browse(s, browsing.BrowseFilter())
    assert total == 12 and {r.n_turns % 3 for r in rows} == {0}
    view = mag_view.discussion(rows[0].id, sqlite_url)  # what the MAG page shows
    assert view.summary["n_turns"] == len(view.nodes) and all(n.agent.startswith("sim-") for n in view.nodes)
    usage = json.loads((Path(job.run_dir) / "usage.json").read_text())["agents"]
    assert set(usage) == {"sim-strong", "sim-average", "sim-weak"} and all(
        u["failures"] == 0 for u in usage.values()
    )
