"""Services of the Discuss page: the agents file, testing an agent, discussion jobs.

No Streamlit here. Keys never pass through: an agent names the environment variable that holds
its key, and `key_status` only says whether that variable is set in this process.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai
import yaml

from app.jobkinds import discuss as kind
from app.services import jobs
from db.engine import ROOT
from magdi.agents import AgentConfig, load_agent_configs, make_agent
from magdi.benchmarks import Question
from magdi.plumbing import write_text_atomic
from magdi.reconcile import parse_reply, round0_prompt
from magdi.simulated import PROFILES

SHARED_DATASETS = ROOT.parent / "shared" / "datasets"


def agents_file() -> Path:
    """The agents file: $MAGDI_AGENTS_FILE, else var/agents.yaml."""
    return Path(os.environ.get("MAGDI_AGENTS_FILE") or ROOT / "var" / "agents.yaml")


# ---------------------------------------------------------------- agents


def load_agents(path: str | Path | None = None) -> list[AgentConfig]:
    """The agents of a YAML or JSON file; none when the file does not exist yet."""
    path = Path(path or agents_file())
    return load_agent_configs(path) if path.exists() else []


def save_agents(configs: list[AgentConfig], path: str | Path | None = None) -> Path:
    """Validate and write the agents (YAML, or JSON for a .json path); returns the path."""
    configs = validate_agents([c.to_dict() for c in configs])
    path = Path(path or agents_file())
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"agents": [c.to_dict() for c in configs]}
    write_text_atomic(
        path,
        json.dumps(data, indent=1)
        if path.suffix == ".json"
        else yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
    )
    return path


def validate_agents(items: list[dict[str, Any]]) -> list[AgentConfig]:
    """Agent configs from plain dicts; ValueError for a bad value, a duplicate name or a key."""
    return kind.agents_of(items)


def upsert_agent(configs: list[AgentConfig], item: dict[str, Any]) -> list[AgentConfig]:
    """The agents with `item` added, or in place of the agent of the same name (validated)."""
    [new] = validate_agents([item])
    items = [new.to_dict() if c.name == new.name else c.to_dict() for c in configs]
    return validate_agents(items if new.name in {c.name for c in configs} else [*items, new.to_dict()])


def with_simulated_agents(configs: list[AgentConfig]) -> list[AgentConfig]:
    """The agents plus the three default simulated teachers (`magdi.simulated.PROFILES`: strong,
    average, weak; offline, for synthetic questions), those whose names are not taken yet."""
    taken = {c.name for c in configs}
    new = [
        AgentConfig(name=p.name, kind="simulated", model=key)
        for key, p in PROFILES.items()
        if p.name not in taken
    ]
    return validate_agents([c.to_dict() for c in [*configs, *new]])


def key_status(config: AgentConfig) -> str:
    """'no key', or whether the named variable is set here (never its value)."""
    if config.api_key_env is None:
        return "no key"
    return f"${config.api_key_env} is {'set' if os.environ.get(config.api_key_env) else 'NOT set'}"


@dataclass(frozen=True)
class AgentTrial:
    ok: bool
    raw: str = ""
    reasoning: str = ""
    answer: str | None = None  # canonical answer; None: unparseable
    confidence: float | None = None
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency_s: float = 0.0
    error: str | None = None


def try_agent(config: AgentConfig, question: str, task: str, options: list[str] | None = None) -> AgentTrial:
    """Ask one question with the round-0 prompt of a discussion and read the reply."""
    start = time.monotonic()
    try:
        reply = make_agent(config).reply(
            [{"role": "user", "content": round0_prompt(question, task, options)}]
        )
    except Exception as exc:  # any failure of the endpoint is the test's answer
        return AgentTrial(False, latency_s=time.monotonic() - start, error=_explain(config, exc))
    parsed = parse_reply(reply.text, task, options)
    return AgentTrial(
        True,
        reply.text,
        parsed.reasoning,
        parsed.value,
        parsed.confidence,
        reply.prompt_tokens,
        reply.completion_tokens,
        time.monotonic() - start,
    )


def _explain(config: AgentConfig, exc: Exception) -> str:
    where = config.base_url or "the OpenAI API"
    if isinstance(exc, openai.AuthenticationError):
        return f"{where} refused the key ({key_status(config)}): {exc}"
    if isinstance(exc, openai.APITimeoutError):
        return f"no reply from {where} within {config.timeout_s:g} s"
    if isinstance(exc, openai.APIConnectionError):
        return f"could not connect to {where}: {exc.__cause__ or exc}"
    return f"{type(exc).__name__}: {exc}"


# ---------------------------------------------------------------- question sources


def benchmarks(root: Path = SHARED_DATASETS) -> list[str]:
    """The benchmark files of the shared datasets folder (none when there is no such folder);
    their format is told from their records (`magdi.benchmarks`, format "auto")."""
    if not root.is_dir():
        return []
    return [str(p) for p in sorted(root.glob("*/*")) if p.suffix in (".json", ".jsonl", ".csv")]


def preview(config: dict[str, Any], url: str | None = None) -> list[Question]:
    """The questions a job with this config would discuss (validated first)."""
    return kind.load_questions(kind.validate(config), url)


# ---------------------------------------------------------------- jobs


def parse_few_shot(text: str) -> list[dict[str, Any]]:
    """Convincing samples written as JSON Lines (one object per line; blank lines skipped)."""
    out = []
    for n, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"convincing samples, line {n}: malformed JSON ({exc.msg})") from None
    return out


def submit(config: dict[str, Any], *, name: str = "", url: str | None = None) -> int:
    """Validate the config and its source, then queue a discussion job for the worker."""
    config = kind.validate(config)
    if not kind.load_questions(config, url):
        raise ValueError("the source has no questions")
    return jobs.submit(config, kind="discuss", name=name or f"discuss → {config['target_dataset']}", url=url)


@dataclass
class DiscussJob:
    job: jobs.JobView
    usage: dict[str, dict]  # agent -> calls, failures, prompt_tokens, completion_tokens, cost
    new_turns: int
    failed_questions: int

    @property
    def cost(self) -> float | None:
        costs = [u["cost"] for u in self.usage.values() if u.get("cost") is not None]
        return sum(costs) if costs else None


def list_jobs(url: str | None = None) -> list[DiscussJob]:
    """Discussion jobs, newest first, with the usage and progress their run directories hold."""
    out = []
    for job in jobs.list_all(kind="discuss", url=url):
        usage = (jobs.reported(job, "usage", url=url) or {}).get("agents", {})
        progress = jobs.reported(job, "progress", url=url) or {}
        out.append(DiscussJob(job, usage, progress.get("new_turns", 0), progress.get("failed", 0)))
    return out
