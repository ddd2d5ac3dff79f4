"""Services of the Discuss page: the agents file, testing an agent, discussion jobs.

No Streamlit here. Keys never pass through: an agent names the environment variable that holds
its key, and `key_status` only says whether that variable is set in this process.

Who may do what: admins define the agents (their base URLs and key variables); trainers test them
and start discussions with them, exactly as the agents file defines them. The agents file's place
is server configuration ($MAGDI_AGENTS_FILE), never a page's input, and a key variable must be one
the server allows ($MAGDI_KEY_ENV_ALLOW), so no page can send another variable's value anywhere.
"""

from __future__ import annotations

import fnmatch
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai
import yaml

from app.jobkinds import discuss as kind
from app.services import audit, files, jobs
from app.services.auth import Actor, Role, require
from db.engine import ROOT
from magdi.agents import AgentConfig, agent_configs, load_agent_configs, make_agent
from magdi.benchmarks import Question
from magdi.plumbing import write_text_atomic
from magdi.reconcile import parse_reply, round0_prompt
from magdi.simulated import PROFILES

QUESTION_SUFFIXES = (".json", ".jsonl", ".csv")
# Variables an agent may name for its key when MAGDI_KEY_ENV_ALLOW is not set: the MAGDI_KEY_*
# family plus the usual names of hosted APIs' keys.
KEY_ENV_ALLOW = (
    "MAGDI_KEY_*,OPENAI_API_KEY,ANTHROPIC_API_KEY,TOGETHER_API_KEY,GROQ_API_KEY,MISTRAL_API_KEY,HF_TOKEN"
)


def agents_file() -> Path:
    """The agents file: $MAGDI_AGENTS_FILE, else var/agents.yaml."""
    return Path(os.environ.get("MAGDI_AGENTS_FILE") or ROOT / "var" / "agents.yaml")


def key_env_allowed() -> list[str]:
    """The names and globs of $MAGDI_KEY_ENV_ALLOW (comma-separated), else KEY_ENV_ALLOW's."""
    raw = os.environ.get("MAGDI_KEY_ENV_ALLOW") or KEY_ENV_ALLOW
    return [p.strip() for p in raw.split(",") if p.strip()]


def check_allowed(config: AgentConfig) -> None:
    """ValueError unless the agent's key variable (if any) is one the server allows and a local
    agent's model is a Hugging Face id or lies under the models root or the runs directory."""
    env = config.api_key_env
    if env is not None and not any(fnmatch.fnmatchcase(env, p) for p in key_env_allowed()):
        raise ValueError(
            f"agent {config.name!r}: api_key_env {env} is not a variable this server lets agents use "
            f"(allowed: {', '.join(key_env_allowed())}; set MAGDI_KEY_ENV_ALLOW to change that)"
        )
    if config.kind == "local":
        try:
            files.model_source(config.model, runs_dir=jobs.RUNS_DIR)
        except files.OutsideRoots as exc:
            raise ValueError(f"agent {config.name!r}: {exc}") from None


# ---------------------------------------------------------------- agents


def load_agents() -> list[AgentConfig]:
    """The agents of the agents file (YAML, or JSON); none when it does not exist yet."""
    path = agents_file()
    return load_agent_configs(path) if path.exists() else []


def save_agents(configs: list[AgentConfig], *, actor: Actor, url: str | None = None) -> Path:
    """Validate and write the agents to the agents file (admins only; each added, changed or
    removed agent goes into the audit log); returns the path."""
    require(actor, Role.ADMIN, "change the discussion agents")
    configs = validate_agents([c.to_dict() for c in configs])
    for c in configs:
        check_allowed(c)
    path = agents_file()
    before = {c.name: c.to_dict() for c in load_agents()}
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"agents": [c.to_dict() for c in configs]}
    write_text_atomic(
        path,
        json.dumps(data, indent=1)
        if path.suffix == ".json"
        else yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
    )
    after = {c.name: c.to_dict() for c in configs}
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        if old != new:
            action = "agent.added" if old is None else "agent.removed" if new is None else "agent.changed"
            changed = sorted(k for k in (new or old) if (old or {}).get(k) != (new or {}).get(k))
            detail = {"fields": changed, **{k: (new or old)[k] for k in ("kind", "base_url", "api_key_env")}}
            audit.record(actor, action, f"agent {name}", detail, url=url)
    return path


def validate_agents(items: list[dict[str, Any]]) -> list[AgentConfig]:
    """Agent configs from plain dicts; ValueError for a bad value, a duplicate name or a key."""
    return agent_configs(items)


def defined_agents(configs: list[AgentConfig]) -> list[AgentConfig]:
    """`configs` if each is an agent of the agents file as it is defined there (or a simulated
    teacher: offline, no key) and still allowed (`check_allowed`); ValueError otherwise. What a trainer
    sends is checked against what an admin defined, so no page can make up an endpoint or a key."""
    defined = {c.name: c for c in load_agents()}
    for c in configs:
        if c.kind != "simulated" and defined.get(c.name) != c:
            raise ValueError(
                f"agent {c.name!r} is not defined so in the agents file: an admin defines the agents"
            )
        check_allowed(c)
    return configs


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


def try_agent(
    config: AgentConfig, question: str, task: str, options: list[str] | None = None, *, actor: Actor
) -> AgentTrial:
    """Ask one question with the round-0 prompt of a discussion and read the reply (trainers, and
    only an agent as the agents file defines it)."""
    require(actor, Role.TRAINER, "test an agent")
    defined_agents([config])
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


def question_files() -> list[str]:
    """The question and benchmark files under the file roots (`files.listing`; run directories
    left out), for a pick list; their format is told from their records (format "auto")."""
    return [str(p) for p in files.listing(QUESTION_SUFFIXES, skip=[jobs.RUNS_DIR])]


def preview(config: dict[str, Any], url: str | None = None, *, actor: Actor) -> list[Question]:
    """The questions a job with this config would discuss (validated first; trainers)."""
    require(actor, Role.TRAINER, "read questions for a discussion")
    return kind.load_questions(_checked(config), url)


def _checked(config: dict[str, Any]) -> dict[str, Any]:
    """The validated config, its question file inside the file roots (checked before anything
    looks at it) and its agents as the agents file defines them."""
    source = config.get("source")
    if isinstance(source, dict) and "file" in source:
        config = {**config, "source": {**source, "file": str(files.resolve(source["file"]))}}
    config = kind.validate(config)
    defined_agents([AgentConfig(**a) for a in config["agents"]])
    return config


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


def submit(config: dict[str, Any], *, actor: Actor, name: str = "", url: str | None = None) -> int:
    """Validate the config and its source, then queue a discussion job for the worker (trainers)."""
    require(actor, Role.TRAINER, "start a discussion")
    config = _checked(config)
    if not kind.load_questions(config, url):
        raise ValueError("the source has no questions")
    name = name or f"discuss → {config['target_dataset']}"
    return jobs.submit(config, actor=actor, kind="discuss", name=name, url=url)


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
