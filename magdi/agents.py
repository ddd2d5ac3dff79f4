"""Discussion agents: named chat endpoints that answer a list of chat messages.

An agent is either an OpenAI-compatible chat-completions API reached through the official `openai`
client (hosted APIs, vLLM, Ollama, llama.cpp, `python -m app serve-model`) or a local Hugging Face
model / distillation run generating in-process through `magdi.generate`, or a simulated teacher
(`magdi.simulated`: offline and seeded, for the synthetic questions of `magdi.synthetic`).

Keys: a config holds only the *name* of the environment variable with the key (`api_key_env`). The
client reads the variable on every request, so no key is ever in a config, a store, a log or an
export, and a rotated key takes effect without a restart.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, Protocol

import openai
import yaml

Messages = list[dict[str, str]]

# An agent's name: it shows in MAGs, tables and files, so no quotes, separators or shell syntax.
AGENT_NAME = re.compile(r"^\w[\w .+()@-]{0,63}$")
ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
# Prefixes of well-known secrets: Hugging Face, GitHub, AWS access keys, OpenAI/Stripe/Anthropic
# style "sk-", Groq, Slack, GitLab, Google API keys.
KEY_PREFIXES = (
    "hf_",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "AKIA",
    "ASIA",
    "sk-",
    "sk_live_",
    "sk_test_",
    "rk_live_",
    "gsk_",
    "xox",
    "glpat-",
    "AIza",
)


def looks_like_key(value: str) -> bool:
    """Whether `value` looks like a secret rather than the name of a variable: a known key prefix,
    or a long random-looking part (names are made of words: `MAGDI_KEY_OPENAI`)."""
    text = value.strip()
    if any(text.startswith(p) and len(text) - len(p) >= 8 for p in KEY_PREFIXES):
        return True
    for part in re.split(r"[_\-.:/]", text):
        if len(part) >= 16 and re.search(r"\d", part) and re.search(r"[A-Za-z]", part):
            return True  # letters and digits mixed: hex, base62
        if len(part) >= 16 and re.search(r"[a-z]", part) and re.search(r"[A-Z]", part):
            return True  # mixed case: base64
        if len(part) >= 24 and _entropy(part) >= 3.5:
            return True
    return len(text) >= 40 and "_" not in text


def _entropy(text: str) -> float:
    """Shannon entropy in bits per character."""
    counts = [text.count(c) for c in set(text)]
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts)


def check_env_name(value: str, what: str) -> str:
    """`value` if it is the NAME of an environment variable; ValueError otherwise. The message
    never repeats the value (it may be a key pasted by mistake)."""
    if looks_like_key(value):
        raise ValueError(
            f"{what} must be the NAME of an environment variable, and this looks like a key: put the "
            "key in an environment variable of the server and give that variable's name"
        )
    if not ENV_NAME.match(value):
        raise ValueError(
            f"{what} must be the NAME of an environment variable (letters, digits, _), not a key"
        )
    return value


@dataclass(frozen=True)
class Reply:
    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


class Agent(Protocol):
    name: str

    def reply(self, messages: Messages) -> Reply: ...


@dataclass
class Usage:
    """Token counts of the requests an agent answered (and how many failed after retries)."""

    calls: int = 0
    failures: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def add(self, reply: Reply) -> None:
        self.calls += 1
        self.prompt_tokens += reply.prompt_tokens
        self.completion_tokens += reply.completion_tokens

    def merge(self, other: Usage) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


@dataclass
class AgentConfig:
    """One agent. Every field is plain data: `to_dict()` is safe to store, log and export."""

    name: str = field(metadata={"help": "Name of the agent in discussions (a MAG node's agent)."})
    kind: Literal["openai", "local", "simulated"] = field(
        default="openai",
        metadata={
            "help": "openai: an OpenAI-compatible chat-completions API; local: a model run in-process; "
            "simulated: a simulated teacher for synthetic questions (offline)."
        },
    )
    model: str = field(
        default="",
        metadata={
            "help": "openai: the model name sent to the API; local: a run directory, a Hugging Face id "
            "or path, or '' for the offline default model; simulated: a profile (strong, "
            "average, weak)."
        },
    )
    base_url: str | None = field(
        default=None,
        metadata={"help": "API base URL, e.g. http://127.0.0.1:8000/v1; None: the official OpenAI API."},
    )
    api_key_env: str | None = field(
        default=None,
        metadata={
            "help": "NAME of the environment variable holding the key, read at each request; "
            "None: no key (local servers)."
        },
    )
    temperature: float = field(default=0.7, metadata={"help": "Sampling temperature; 0: greedy."})
    max_tokens: int = field(default=1024, metadata={"help": "Most tokens per reply."})
    timeout_s: float = field(default=120.0, metadata={"help": "Seconds per request before it times out."})
    max_retries: int = field(
        default=4,
        metadata={
            "help": "Retries of a request after 429, 5xx, timeouts and connection errors, with "
            "exponential backoff (the openai client's own)."
        },
    )
    max_concurrency: int = field(default=4, metadata={"help": "Requests of this agent in flight at once."})
    price_in_per_1k: float | None = field(default=None, metadata={"help": "Price per 1,000 prompt tokens."})
    price_out_per_1k: float | None = field(
        default=None, metadata={"help": "Price per 1,000 completion tokens."}
    )

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("an agent needs a name")
        if not AGENT_NAME.match(self.name):
            raise ValueError(
                f"agent name {self.name!r}: use letters, digits, spaces and . + ( ) @ - _ "
                "(at most 64 characters, starting with a letter or digit)"
            )
        if self.api_key_env is not None:
            check_env_name(self.api_key_env, f"agent {self.name!r}: api_key_env")
        if self.kind not in ("openai", "local", "simulated"):
            raise ValueError(
                f"agent {self.name!r}: kind must be 'openai', 'local' or 'simulated', got {self.kind!r}"
            )
        if self.kind == "simulated":
            from magdi.simulated import profile_of

            try:
                profile_of(self.model)
            except ValueError as exc:
                raise ValueError(f"agent {self.name!r}: {exc}") from None
        if self.kind == "openai" and not self.model:
            raise ValueError(f"agent {self.name!r}: an openai agent needs a model name")
        if self.max_tokens < 1 or self.max_concurrency < 1 or self.max_retries < 0 or self.timeout_s <= 0:
            raise ValueError(
                f"agent {self.name!r}: max_tokens and max_concurrency must be >= 1, "
                "max_retries >= 0 and timeout_s > 0"
            )
        if self.temperature < 0:
            raise ValueError(f"agent {self.name!r}: temperature must be >= 0")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def cost(self, usage: Usage) -> float | None:
        """Price of the usage, or None when this agent has no prices."""
        if self.price_in_per_1k is None and self.price_out_per_1k is None:
            return None
        return (
            usage.prompt_tokens * (self.price_in_per_1k or 0.0)
            + usage.completion_tokens * (self.price_out_per_1k or 0.0)
        ) / 1000


def agent_configs(items: list[dict[str, Any]]) -> list[AgentConfig]:
    """Configs from plain dicts; unknown keys (typos) and a literal key are errors."""
    known = {f.name for f in fields(AgentConfig)}
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValueError(f"agent {i}: expected a mapping, got {type(item).__name__}")
        if "api_key" in item:
            raise ValueError(
                f"agent {i}: do not put a key in the file; put it in an environment "
                "variable and name that variable in api_key_env"
            )
        unknown = sorted(set(item) - known)
        if unknown:
            raise ValueError(f"agent {i}: unknown keys {unknown}")
        out.append(AgentConfig(**item))
    names = [c.name for c in out]
    if len(set(names)) != len(names):
        raise ValueError(f"agent names must be unique, got {names}")
    return out


def load_agent_configs(path: str | Path) -> list[AgentConfig]:
    """Agents from a YAML or JSON file: a list of agents, or a mapping with an `agents` list."""
    text = Path(path).read_text(encoding="utf-8")
    data = json.loads(text) if str(path).endswith(".json") else yaml.safe_load(text)
    if isinstance(data, dict) and "agents" in data:
        data = data["agents"]
    if not isinstance(data, list):
        raise ValueError(f"{path}: expected a list of agents")
    return agent_configs(data)


def make_agent(config: AgentConfig) -> OpenAIAgent | LocalAgent | SimulatedTeacher:
    if config.kind == "simulated":
        return SimulatedTeacher(config)
    return OpenAIAgent(config) if config.kind == "openai" else LocalAgent(config)


class _Counted:
    """Per-agent concurrency limit and usage counters, shared by both kinds of agent."""

    def __init__(self, config: AgentConfig) -> None:
        self.config = config
        self.name = config.name
        self.usage = Usage()
        self._slots = threading.Semaphore(config.max_concurrency)
        self._lock = threading.Lock()

    def _count(self, reply: Reply | None) -> None:
        with self._lock:
            if reply is None:
                self.usage.failures += 1
            else:
                self.usage.add(reply)


class OpenAIAgent(_Counted):
    """An OpenAI-compatible chat-completions endpoint. Errors left after the client's retries
    (`openai.APIError` and subclasses) propagate to the caller."""

    def __init__(self, config: AgentConfig) -> None:
        super().__init__(config)
        # A callable key: the client calls it before every request (retries included). Without a
        # key env the request goes without an Authorization header (local servers).
        self._client = openai.OpenAI(
            base_url=config.base_url,
            api_key=self._read_key,
            max_retries=config.max_retries,
            timeout=config.timeout_s,
        )

    def _read_key(self) -> str:
        env = self.config.api_key_env
        if env is None:
            return ""
        if env not in os.environ:
            raise openai.OpenAIError(f"agent {self.name!r}: environment variable {env} is not set")
        return os.environ[env]

    def reply(self, messages: Messages) -> Reply:
        with self._slots:
            try:
                response = self._client.chat.completions.create(
                    model=self.config.model,
                    messages=messages,  # type: ignore[arg-type]
                    temperature=self.config.temperature,
                    max_tokens=self.config.max_tokens,
                    extra_headers=None if self.config.api_key_env else {"Authorization": openai.omit},
                )
            except Exception:
                self._count(None)
                raise
        text = (response.choices[0].message.content or "") if response.choices else ""
        usage = response.usage
        reply = Reply(text, usage.prompt_tokens if usage else 0, usage.completion_tokens if usage else 0)
        self._count(reply)
        return reply


class LocalAgent(_Counted):
    """A local model generating in-process: a distillation run directory, a Hugging Face model, or
    the offline default. Loaded on first use (torch and the weights are heavy)."""

    def __init__(self, config: AgentConfig) -> None:
        super().__init__(config)
        self._run: Any = None
        self._load_lock = threading.Lock()

    @property
    def run(self) -> Any:
        with self._load_lock:
            if self._run is None:
                self._run = load_local_model(self.config.model)
        return self._run

    def reply(self, messages: Messages) -> Reply:
        return self.complete(messages, temperature=self.config.temperature, max_tokens=self.config.max_tokens)

    def complete(self, messages: Messages, *, temperature: float, max_tokens: int) -> Reply:
        from magdi.chains import encode_prompt
        from magdi.generate import generate

        run = self.run
        prompt = chat_prompt(run, messages)
        with self._slots:
            try:
                text = generate(
                    run,
                    [prompt],
                    max_new_tokens=max_tokens,
                    do_sample=temperature > 0,
                    temperature=temperature,
                )[0][0]
            except Exception:
                self._count(None)
                raise
        tok = run.tokenizer
        reply = Reply(text, len(encode_prompt(tok, prompt)), len(tok.encode(text, add_special_tokens=False)))
        self._count(reply)
        return reply


class SimulatedTeacher(_Counted):
    """A simulated teacher (`magdi.simulated.SimulatedAgent`) of the profile named by `model`."""

    def __init__(self, config: AgentConfig) -> None:
        from magdi.simulated import SimulatedAgent, profile_of

        super().__init__(config)
        self._agent = SimulatedAgent(config.name, profile_of(config.model))

    def reply(self, messages: Messages) -> Reply:
        with self._slots:
            reply = self._agent.reply(messages)
        self._count(reply)
        return reply


def load_local_model(source: str) -> Any:
    """A `magdi.run.StudentRun` for a run directory (LoRA merged), a Hugging Face id or path, or
    the offline default model when `source` is ''."""
    from magdi.config import CONFIG_NAME
    from magdi.run import StudentRun

    if source and (Path(source) / CONFIG_NAME).is_file():
        return StudentRun.from_pretrained(source, merge=True)
    return StudentRun.from_base(source or None)


def chat_prompt(run: Any, messages: Messages) -> str:
    """The messages as one prompt: the tokenizer's chat template when it has one, else the run's
    own training prompt (what a distilled student knows) around the conversation."""
    tok = run.tokenizer
    if getattr(tok, "chat_template", None):
        text = tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        # encode_prompt adds the BOS itself
        return text.removeprefix(tok.bos_token) if tok.bos_token else text
    if len(messages) == 1:
        question = messages[0]["content"]
    else:
        question = "\n\n".join(f"{m['role'].capitalize()}: {m['content']}" for m in messages)
    return run.config.prompt_template.format(question=question)
