"""Discussion jobs: teacher agents discuss a question set (ReConcile) into a store dataset.

Config (plain data, never a key; agents name the environment variable that holds theirs):
    {"agents": [AgentConfig.to_dict(), ...], "target_dataset": "name",
     "source": {"dataset": "stored name"} | {"file": "path", "format": "auto" | "gsm8k" | ...}
               | {"synthetic": "arithmetic" | "yesno" | "choice", "count": N, "seed": int}
                 (questions of magdi.synthetic, made on the spot),
     "task": None (the source's) | "task", "rounds": 3,
     "sample": None (all) | N (the first N, or with a seed a random sample in source order),
     "seed": None | int,
     "parallel": 1 (questions discussed at once),
     "few_shot": [] (ReConcile's convincing samples, shown before every question:
                     {"question", "reasoning", "answer", "options"?})}

The worker launches `python -m app.jobkinds.discuss RUN_DIR`. Every turn is written to the store
as it arrives (its own short transaction), so a crashed or cancelled job resumes without asking
again for the turns it has. The final votes go into the discussion's meta when it ends. The run
directory gets progress.json (questions done / total, ETA) and usage.json (requests, tokens and
cost per agent, summed over attempts). SIGTERM: no new turn is asked for; the turns in flight are
stored, then the process exits 143.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import random
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from db import discussions as store
from db.engine import session_scope
from magdi.agents import Agent, AgentConfig, Messages, Reply, Usage, agent_configs, make_agent
from magdi.benchmarks import FORMATS, Question, read_questions
from magdi.plumbing import write_json_atomic
from magdi.reconcile import DiscussionError, FewShot, TurnOutcome, run_discussion
from magdi.synthetic import KINDS, make_questions

CONFIG_NAME = "discuss_config.json"
JOB_NAME = "job.json"
MAX_FAILED_IN_A_ROW = 3  # questions whose agent failed, one after the other: stop the job


# ---------------------------------------------------------------- config


def validate(config: dict[str, Any]) -> dict[str, Any]:
    """The config with defaults filled in; ValueError naming the first problem."""
    known = {"agents", "source", "target_dataset", "task", "rounds", "sample", "seed", "parallel", "few_shot"}
    if unknown := sorted(set(config) - known):
        raise ValueError(f"unknown settings {unknown}")
    configs = agent_configs(list(config.get("agents") or []))  # AgentConfig refuses a key value
    if len(configs) < 2:
        raise ValueError("a discussion needs at least two agents")
    source = dict(config.get("source") or {})
    if set(source) == {"dataset"}:
        if not str(source["dataset"] or "").strip():
            raise ValueError("choose the stored dataset whose questions are discussed")
    elif set(source) == {"file", "format"}:
        if source["format"] != "auto" and source["format"] not in FORMATS:
            raise ValueError(
                f"unknown question format {source['format']!r}; expected auto or one of {', '.join(FORMATS)}"
            )
        if not Path(source["file"]).is_file():
            raise ValueError(f"no question file at {source['file']}")
    elif set(source) == {"synthetic", "count", "seed"}:
        if source["synthetic"] not in KINDS:
            raise ValueError(
                f"synthetic questions are one of {', '.join(KINDS)}, got {source['synthetic']!r}"
            )
        source = {
            "synthetic": source["synthetic"],
            "count": int(source["count"]),
            "seed": int(source["seed"]),
        }
        if source["count"] < 1:
            raise ValueError("ask for at least one synthetic question")
    else:
        raise ValueError(
            'source must be {"dataset": name}, {"file": path, "format": name} or '
            '{"synthetic": kind, "count": n, "seed": s}'
        )
    target = str(config.get("target_dataset") or "").strip()
    if not target:
        raise ValueError("name the dataset the discussions go into")
    if target == source.get("dataset"):
        raise ValueError("the target dataset must differ from the source dataset")
    out = {
        "agents": [c.to_dict() for c in configs],
        "source": source,
        "target_dataset": target,
        "task": config.get("task") or None,
        "rounds": int(config.get("rounds", 3)),
        "sample": None if config.get("sample") is None else int(config["sample"]),
        "seed": None if config.get("seed") is None else int(config["seed"]),
        "parallel": int(config.get("parallel", 1)),
        "few_shot": [_few_shot(i, x) for i, x in enumerate(config.get("few_shot") or [], 1)],
    }
    if out["rounds"] < 0 or out["parallel"] < 1 or (out["sample"] is not None and out["sample"] < 1):
        raise ValueError("rounds must be >= 0, parallel >= 1 and sample >= 1")
    return out


def _few_shot(n: int, item: Any) -> dict[str, Any]:
    """A convincing sample: question, reasoning and answer (text), options (a list) if any."""
    if not isinstance(item, dict):
        raise ValueError(f"convincing sample {n}: expected an object with question, reasoning, answer")
    if unknown := sorted(set(item) - {"question", "reasoning", "answer", "options"}):
        raise ValueError(f"convincing sample {n}: unknown field {unknown[0]!r}")
    for key in ("question", "reasoning", "answer"):
        if not isinstance(item.get(key), str) or not item[key].strip():
            raise ValueError(f"convincing sample {n}: {key!r} must be non-empty text")
    options = item.get("options")
    if options is not None and not (isinstance(options, list) and all(isinstance(o, str) for o in options)):
        raise ValueError(f"convincing sample {n}: 'options' must be a list of text")
    return {
        "question": item["question"],
        "reasoning": item["reasoning"],
        "answer": item["answer"],
        "options": options,
    }


def load_questions(config: dict[str, Any], url: str | None) -> list[Question]:
    """The job's questions: the source's, sampled, with the task override applied."""
    source = config["source"]
    if "dataset" in source:
        with session_scope(url) as s:
            questions = store.dataset_questions(s, dataset=source["dataset"])
    elif "synthetic" in source:
        questions = [
            Question(q.id, q.task, q.question, q.options, q.gold_answer)
            for q in make_questions(source["synthetic"], source["count"], source["seed"])
        ]
    else:
        questions = read_questions(source["file"], source["format"])
    if config.get("task"):
        questions = [dataclasses.replace(q, task=config["task"]) for q in questions]
    return sample(questions, config.get("sample"), config.get("seed"))


def sample(questions: list[Question], n: int | None, seed: int | None = None) -> list[Question]:
    """All questions (n None), the first n, or with a seed n drawn at random, in source order."""
    if n is None or n >= len(questions):
        return list(questions)
    if seed is None:
        return questions[:n]
    return [questions[i] for i in sorted(random.Random(seed).sample(range(len(questions)), n))]


# ---------------------------------------------------------------- the worker's interface


def prepare(job_id: int, config: dict, run_dir: Path, url: str | None) -> dict:
    """Check the config and the source; record the job id (the worker passes the store URL in
    MAGDI_DATABASE_URL)."""
    questions = load_questions(validate(config), url)
    if not questions:
        raise ValueError("the source has no questions")
    path = run_dir / JOB_NAME
    path.write_text(json.dumps({"job_id": job_id}))
    return {"total_steps": len(questions)}


def command(config: dict, run_dir: Path, *, resume: bool) -> list[str]:
    (run_dir / CONFIG_NAME).write_text(json.dumps(validate(config), indent=1))
    return [sys.executable, "-m", "app.jobkinds.discuss", str(run_dir)]


# ---------------------------------------------------------------- running


class Stopped(RuntimeError):
    """The job was asked to stop before this request was sent."""


class _Stoppable:
    """An agent that sends no new turn's request once `stop` is set; a retry of a turn whose
    first reply arrived (more than the one prompt message) still goes, so that turn is kept."""

    def __init__(self, agent: Agent, stop: threading.Event) -> None:
        self.name, self._agent, self._stop = agent.name, agent, stop

    def reply(self, messages: Messages) -> Reply:
        if self._stop.is_set() and len(messages) == 1:
            raise Stopped("stopping")
        return self._agent.reply(messages)


class Tracker:
    """Progress and usage of the job, written to the run directory as they change."""

    def __init__(self, run_dir: Path, configs: list[AgentConfig], agents: list[Any], total: int) -> None:
        self.run_dir, self.configs, self.agents, self.total = run_dir, configs, agents, total
        self.base = {
            n: Usage(**{k: u[k] for k in ("calls", "failures", "prompt_tokens", "completion_tokens")})
            for n, u in _read_usage(run_dir).items()
        }  # earlier attempts
        self.done = self.failed = self.new_turns = 0
        self.started = time.monotonic()
        self._lock = threading.Lock()
        self._write()

    def turn(self) -> None:
        with self._lock:
            self.new_turns += 1
            self._write()

    def question(self, ok: bool) -> None:
        with self._lock:
            self.done += ok
            self.failed += not ok
            self._write()

    def _write(self) -> None:
        seen = self.done + self.failed
        eta = (time.monotonic() - self.started) / seen * (self.total - seen) if seen else None
        write_json_atomic(
            self.run_dir / "progress.json",
            {
                "step": seen,
                "total_steps": self.total,
                "eta_s": eta,
                "failed": self.failed,
                "new_turns": self.new_turns,
            },
        )
        per_agent = {}
        for cfg, agent in zip(self.configs, self.agents):
            usage = Usage()
            usage.merge(self.base.get(cfg.name, Usage()))
            usage.merge(agent.usage)
            per_agent[cfg.name] = {**dataclasses.asdict(usage), "cost": cfg.cost(usage)}
        write_json_atomic(self.run_dir / "usage.json", {"agents": per_agent})


def _read_usage(run_dir: Path) -> dict[str, dict]:
    try:
        return json.loads((run_dir / "usage.json").read_text())["agents"]
    except (OSError, ValueError, KeyError):
        return {}


class Job:
    """One attempt of a discussion job."""

    def __init__(self, config: dict[str, Any], run_dir: Path, url: str | None, job_id: int | None) -> None:
        self.config, self.run_dir, self.url, self.job_id = config, run_dir, url, job_id
        self.configs = agent_configs(config["agents"])
        self.stop = threading.Event()
        self.raw_agents = [make_agent(c) for c in self.configs]
        self.agents = [_Stoppable(a, self.stop) for a in self.raw_agents]
        self.failed_in_a_row = 0
        self.cancelled = False
        self._lock = threading.Lock()

    def cancel(self) -> None:
        self.cancelled = True
        self.stop.set()

    def run(self) -> int:
        missing = sorted(
            {c.api_key_env for c in self.configs if c.api_key_env and c.api_key_env not in os.environ}
        )
        if missing:
            print(f"environment variables not set in the worker's environment: {', '.join(missing)}")
            return 2
        questions = load_questions(self.config, self.url)
        self.tracker = Tracker(self.run_dir, self.configs, self.raw_agents, len(questions))
        print(
            f"{len(questions)} questions, agents {', '.join(c.name for c in self.configs)}, "
            f"up to {self.config['rounds']} rounds, into dataset {self.config['target_dataset']!r}"
        )
        with ThreadPoolExecutor(max_workers=self.config["parallel"]) as pool:
            list(pool.map(self.discuss, range(len(questions)), questions))
        t = self.tracker
        if self.cancelled:
            print(
                f"stopped by SIGTERM after {t.done} of {len(questions)} questions; resume the job to continue"
            )
            return 128 + signal.SIGTERM
        if t.done < len(questions):
            print(
                f"{len(questions) - t.done} question(s) incomplete (errors above);"
                " resume the job to retry them"
            )
            return 1
        print(f"done: {t.done} questions, {t.new_turns} new turns")
        return 0

    def discuss(self, index: int, q: Question) -> None:
        if self.stop.is_set():
            return
        target = self.config["target_dataset"]
        with session_scope(self.url) as s:
            did = store.find_discussion(s, dataset=target, external_id=q.id)
            existing = store.load_turns(s, discussion_id=did) if did is not None else []
        new: list[TurnOutcome] = []

        def on_turn(outcome: TurnOutcome) -> None:
            with session_scope(self.url, write=True) as s:
                nonlocal did
                did = store.create_discussion(
                    s,
                    dataset=target,
                    external_id=q.id,
                    task=q.task,
                    question=q.question,
                    options=q.options,
                    gold_answer=q.gold_answer,
                )
                store.append_turn(s, discussion_id=did, turn=outcome.turn)
            new.append(outcome)
            self.tracker.turn()

        head = f"[{index + 1}/{self.tracker.total}] {q.id}"
        try:
            result = run_discussion(
                q.question,
                self.agents,
                q.task,
                rounds=self.config["rounds"],
                options=q.options,
                gold_answer=q.gold_answer,
                id=q.id,
                existing_turns=existing,
                on_turn=on_turn,
                few_shot=[FewShot(**x) for x in self.config["few_shot"]],
            )
        except DiscussionError as exc:
            stopped = isinstance(exc.__cause__, Stopped)
            print(f"{head}: {'stopped' if stopped else 'FAILED: ' + str(exc)} ({_count(new)})")
            self.tracker.question(False)
            self._failed(stopped)
            return
        meta = {
            **result.discussion.meta,
            "discuss": {
                "job": self.job_id,
                "rounds": self.config["rounds"],
                "source": self.config["source"],
                "agents": [
                    {k: c.to_dict()[k] for k in ("name", "kind", "model", "temperature")}
                    for c in self.configs
                ],
            },
        }
        with session_scope(self.url, write=True) as s:
            store.set_discussion_meta(s, discussion_id=did, meta=meta)
        print(
            f"{head}: {len(result.discussion.turns)} turns ({_count(new)}) in rounds 0-"
            f"{result.discussion.rounds[-1]}, final {result.final_answer!r}, gold {q.gold_answer!r}"
        )
        self.tracker.question(True)
        with self._lock:
            self.failed_in_a_row = 0

    def _failed(self, stopped: bool) -> None:
        with self._lock:
            self.failed_in_a_row += not stopped
            if self.failed_in_a_row >= MAX_FAILED_IN_A_ROW and not self.stop.is_set():
                print(f"{MAX_FAILED_IN_A_ROW} questions failed in a row: stopping")
                self.stop.set()


def _count(new: list[TurnOutcome]) -> str:
    unreadable = sum(not o.ok for o in new)
    return f"{len(new)} new" + (f", {unreadable} unparseable" if unreadable else "")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print("usage: python -m app.jobkinds.discuss RUN_DIR", file=sys.stderr)
        return 2
    run_dir = Path(argv[0])
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s: %(message)s")
    logging.getLogger("openai").setLevel(logging.INFO)  # the client's retries, without request lines
    config = json.loads((run_dir / CONFIG_NAME).read_text())
    job = json.loads((run_dir / JOB_NAME).read_text()) if (run_dir / JOB_NAME).exists() else {}
    runner = Job(config, run_dir, None, job.get("job_id"))
    signal.signal(signal.SIGTERM, lambda *_: runner.cancel())
    return runner.run()


if __name__ == "__main__":
    raise SystemExit(main())
