"""DistillConfig: every setting of a MAGDi distillation run, with its default and help.

Defaults follow the MAGDi paper where it says something (LoRA r 16 / alpha 32 / dropout 0.05,
loss weights 1 / 1 / 0.1, margin 1, GCN hidden 512 and dropout 0.5, lr 5e-6, 10 epochs, 100 warm-up
steps) and the issue where it differs (LoRA on all four attention projections, prompt masked).

EvalConfig: the settings of one evaluation (`magdi.evaluate`).

Both follow one contract (`ConfigFile`): each field documents itself in its `help` metadata
(`field_docs()`); values read from YAML or `--set` strings are brought to the field's type;
`save(dir)` writes the class's `config_name` JSON into a directory and `load(dir)` reads it back
through the constructor (unknown keys dropped with a warning: a newer version's run still loads);
`from_file(path)` reads a user's YAML or JSON file plus `key=value` overrides and rejects unknown
keys, so a typo is an error rather than a silently ignored setting.
"""

from __future__ import annotations

import dataclasses
import json
import math
import string
import types
import typing
import warnings
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any, ClassVar, Literal, TypeVar

import yaml

CONFIG_NAME = "distill_config.json"
STARTS_NAME = "starts.jsonl"  # in a run directory: one line per start of training (see magdi.train)
EVAL_CONFIG_NAME = "eval_config.json"
Level = Literal["single-teacher", "1", "2", "3", "4"]
LEVELS: tuple[str, ...] = typing.get_args(Level)
Preset = Literal["auto", "paper", "cpu"]

# The fields a preset fills when they are left None. paper: the MAGDi settings for a 7B student;
# cpu: the small offline student, whose base is random-init, so that it learns within minutes on
# a CPU: every linear layer adapted, embeddings, norms and LM head trained in full, a far higher
# learning rate, warm-up as a fraction of the steps, epochs sized to the data (`sized_to`).
PRESETS: dict[str, dict[str, Any]] = {
    "paper": {
        "lr": 5e-6,
        "warmup_steps": 100,
        "warmup_ratio": None,
        "epochs": 10,
        "lora_r": 16,
        "lora_alpha": 32,
        "lora_dropout": 0.05,
        "lora_target_modules": ["q_proj", "k_proj", "v_proj", "o_proj"],
        "modules_to_save": [],
    },
    "cpu": {
        "lr": 2e-3,
        "warmup_steps": None,
        "warmup_ratio": 0.05,
        "epochs": None,
        "lora_r": 64,
        "lora_alpha": 64,
        "lora_dropout": 0.0,  # dropout copies every layer's input: 1.8x a step
        "lora_target_modules": ["all-linear"],
        "modules_to_save": ["embed_tokens", "lm_head", "norm"],
    },
}
# The offline student is a LlamaForCausalLM (magdi.offline): the leaf names of its modules.
OFFLINE_MODULES = frozenset(
    ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
    + ("embed_tokens", "lm_head", "norm", "input_layernorm", "post_attention_layernorm")
)
CPU_STEPS = 1200  # the cpu preset's epochs give about this many optimizer steps
MAX_SIZED_EPOCHS = 50


C = TypeVar("C", bound="ConfigFile")


class ConfigFile:
    """The I/O and documentation contract of a config dataclass (see the module docstring); the
    subclasses are dataclasses with `help` metadata on every field."""

    config_name: ClassVar[str]

    def _coerce_fields(self) -> None:
        hints = typing.get_type_hints(type(self))
        for f in fields(self):
            setattr(self, f.name, _coerce(f.name, getattr(self, f.name), hints[f.name]))

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def save(self, directory: str | Path) -> Path:
        path = Path(directory) / self.config_name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
        return path

    @classmethod
    def load(cls: type[C], directory: str | Path) -> C:
        """Read a saved config; keys this version does not know are dropped with a warning."""
        raw = json.loads((Path(directory) / cls.config_name).read_text(encoding="utf-8"))
        known = cls._field_names()
        unknown = sorted(set(raw) - known)
        if unknown:
            warnings.warn(f"ignoring unknown config keys: {', '.join(unknown)}", stacklevel=2)
        return cls(**{k: v for k, v in raw.items() if k in known})

    @classmethod
    def from_file(cls: type[C], path: str | Path, overrides: list[str] | None = None) -> C:
        """A YAML or JSON file (JSON is YAML) plus `key=value` overrides; unknown keys are errors."""
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        if not isinstance(raw, dict):
            raise ValueError(f"{path}: a config must be a mapping of field names to values")
        for item in overrides or []:
            key, sep, value = item.partition("=")
            if not sep:
                raise ValueError(f"override {item!r} is not key=value")
            raw[key.strip()] = yaml.safe_load(value) if value.strip() else None
        unknown = sorted(set(raw) - cls._field_names())
        if unknown:
            raise ValueError(f"{path}: unknown config keys: {', '.join(unknown)}")
        return cls(**raw)

    @classmethod
    def field_docs(cls) -> dict[str, tuple[Any, str]]:
        """field name -> (default, help), for documentation and CLIs."""
        out = {}
        for f in fields(cls):
            default = f.default_factory() if callable(f.default_factory) else f.default  # type: ignore[misc]
            out[f.name] = (default, f.metadata["help"])
        return out

    @classmethod
    def _field_names(cls) -> set[str]:
        return {f.name for f in fields(cls)}


def module_names(model: str | None) -> frozenset[str] | None:
    """Leaf names of a student's modules (`q_proj`, `norm`, ...) read without loading it: the
    offline student's, or those a local checkpoint's safetensors headers name; None when they
    cannot be known here (a hub id, a checkpoint in another format)."""
    if model is None:
        return OFFLINE_MODULES
    files = sorted(Path(model).glob("*.safetensors")) if Path(model).is_dir() else []
    names: set[str] = set()
    for path in files:
        try:
            with open(path, "rb") as fh:
                size = int.from_bytes(fh.read(8), "little")
                header = json.loads(fh.read(size)) if 0 < size < 100_000_000 else {}
        except (OSError, ValueError):
            return None
        names.update(k.rsplit(".", 2)[-2] for k in header if k.count(".") >= 1 and k != "__metadata__")
    return frozenset(names) or None


@dataclass
class DistillConfig(ConfigFile):
    """Settings of one distillation run. Each field's `help` metadata documents it."""

    config_name: ClassVar[str] = CONFIG_NAME

    # ---- data and run
    data: str = field(default="", metadata={"help": "Path to the MAG export (canonical JSONL with labels)."})
    validation_data: str | None = field(
        default=None,
        metadata={
            "help": "Held-out questions (same format as data): validation next-token loss and accuracy"
            " during training choose the best checkpoint; None or an empty file: the last step is kept."
        },
    )
    test_data: str | None = field(
        default=None,
        metadata={
            "help": "Test questions (same format as data): their next-token loss with the kept weights goes "
            "into final_metrics.json at the end."
        },
    )
    output_dir: str = field(default="runs/magdi", metadata={"help": "Run directory to write."})
    cache_dir: str | None = field(
        default=None,
        metadata={
            "help": "Where frozen node features are cached (keyed by model, data and pooling); "
            "None: <output_dir>/feature_cache."
        },
    )
    # ---- what to distil
    level: Level = field(
        default="4",
        metadata={
            "help": "single-teacher: one agent's correct round-0 chains; 1: correct round-0 chains of all "
            "agents; 2: correct chains of every round; 3: + margin loss on correct/incorrect pairs; "
            "4 (MAGDi): + node loss over the question's MAG."
        },
    )
    teacher: str | None = field(default=None, metadata={"help": "Agent distilled at level single-teacher."})
    drop_agreement_sentences: bool = field(
        default=True,
        metadata={
            "help": "Remove sentences starting 'I agree' / 'I disagree' from the reasoning, as MAGDi did."
        },
    )
    prompt_template: str = field(
        default="[INST] ### Question: {question}[/INST] ### Answer:",
        metadata={
            "help": "Prompt of a chain and of generation; {question} holds the question and its options."
        },
    )
    completion_template: str = field(
        default=" {reasoning} So the answer is {answer}",
        metadata={"help": "Completion of a chain (EOS appended); needs {reasoning} and {answer}."},
    )
    max_length: int = field(default=1024, metadata={"help": "Chains longer than this (tokens) are cut."})
    # ---- student
    model: str | None = field(
        default=None,
        metadata={
            "help": "Hugging Face causal LM id or local path (a path loads with local_files_only); "
            "None builds the offline default: a random-init Llama of the offline_* shape."
        },
    )
    preset: Preset = field(
        default="auto",
        metadata={
            "help": "Defaults of the fields left empty (lr, warm-up, epochs, LoRA): paper (MAGDi's "
            "7B settings: lr 5e-6, 100 warm-up steps, 10 epochs, LoRA r 16 on attention) or cpu "
            "(the offline student: lr 2e-3, warm-up 5% of the steps, epochs for about 1200 steps, "
            "LoRA r 64 without dropout on every linear layer, embeddings, norms and LM head "
            "trained in full); "
            "auto: cpu for the offline student, else paper. Saved resolved."
        },
    )
    offline_hidden: int = field(default=128, metadata={"help": "Offline default student: hidden size."})
    offline_layers: int = field(default=3, metadata={"help": "Offline default student: decoder layers."})
    offline_heads: int = field(default=4, metadata={"help": "Offline default student: attention heads."})
    offline_kv_heads: int = field(default=4, metadata={"help": "Offline default student: key/value heads."})
    offline_intermediate: int = field(default=512, metadata={"help": "Offline default student: MLP size."})
    offline_max_positions: int = field(
        default=4096,
        metadata={
            "help": "Offline default student: maximum positions (tokens of its BPE, about 0.4-0.7 per byte)."
        },
    )
    offline_seed: int = field(
        default=0,
        metadata={
            "help": "Offline default student: seed of its random init; apart from `seed`, so that a seed "
            "sweep varies the training only, on one base."
        },
    )
    lora_r: int | None = field(default=None, metadata={"help": "LoRA rank; None: the preset's."})
    lora_alpha: int | None = field(default=None, metadata={"help": "LoRA scaling alpha; None: the preset's."})
    lora_dropout: float | None = field(default=None, metadata={"help": "LoRA dropout; None: the preset's."})
    lora_target_modules: list[str] | None = field(
        default=None,
        metadata={
            "help": "Modules that get LoRA adapters (the paper: q_proj, v_proj; all-linear: every linear "
            "layer but the LM head); None: the preset's."
        },
    )
    modules_to_save: list[str] | None = field(
        default=None,
        metadata={
            "help": "Modules trained in full beside the adapters and saved with them (PEFT "
            "modules_to_save; a name matches every module ending with it); None: the preset's."
        },
    )
    # ---- losses: L = alpha * L_ntp + beta * L_node + gamma * L_margin
    mask_prompt: bool = field(
        default=True,
        metadata={
            "help": "Next-token loss on the completion only (the released code also trained on the prompt)."
        },
    )
    pooling: Literal["position", "mean", "last"] = field(
        default="position",
        metadata={"help": "Chain representation: position-weighted mean (MAGDi), mean, or last token."},
    )
    node_features: Literal["frozen", "joint"] = field(
        default="frozen",
        metadata={
            "help": "frozen: node features from the base model, computed once and cached (the reference); "
            "joint: pooled through the LoRA student in each step, so L_node also trains it."
        },
    )
    gcn_hidden: int = field(default=512, metadata={"help": "GCN hidden channels."})
    gcn_dropout: float = field(default=0.5, metadata={"help": "GCN dropout."})
    alpha: float = field(default=1.0, metadata={"help": "Weight of the next-token loss."})
    beta: float = field(default=1.0, metadata={"help": "Weight of the node-classification loss (level 4)."})
    gamma: float = field(default=0.1, metadata={"help": "Weight of the margin-ranking loss (levels 3, 4)."})
    margin: float = field(default=1.0, metadata={"help": "Margin of the ranking loss."})
    # ---- optimisation
    epochs: int | None = field(
        default=None,
        metadata={
            "help": "Passes over the questions; None: the preset's (cpu: sized to the data at the start "
            "of training, about 1200 steps, and saved so)."
        },
    )
    max_steps: int | None = field(
        default=None, metadata={"help": "Optimizer steps in total; overrides epochs when set."}
    )
    batch_size: int = field(default=4, metadata={"help": "Questions per micro-batch and process."})
    grad_accum: int = field(default=1, metadata={"help": "Micro-batches per optimizer step."})
    lr: float | None = field(
        default=None, metadata={"help": "Peak learning rate (the paper: 5e-6); None: the preset's."}
    )
    weight_decay: float = field(default=0.0, metadata={"help": "AdamW weight decay on matrices."})
    warmup_steps: int | None = field(
        default=None,
        metadata={"help": "Linear warm-up steps; None: warmup_ratio decides. Both None: the preset's."},
    )
    warmup_ratio: float | None = field(
        default=None,
        metadata={
            "help": "Warm-up as a fraction of the total steps (rounded up), when warmup_steps is None."
        },
    )
    schedule: Literal["cosine", "linear"] = field(
        default="linear", metadata={"help": "Decay to 0 after warm-up."}
    )
    grad_clip: float = field(default=1.0, metadata={"help": "Gradient-norm clip; 0 disables."})
    precision: Literal["fp32", "bf16", "fp16"] = field(
        default="fp32",
        metadata={"help": "Base weights and autocast dtype (the paper: fp16; bf16 on recent GPUs)."},
    )
    grad_checkpointing: bool = field(default=False, metadata={"help": "Recompute activations in backward."})
    seed: int = field(
        default=42, metadata={"help": "Seed of the model init, LoRA init, dropout, data order."}
    )
    # ---- bookkeeping
    log_every: int = field(default=10, metadata={"help": "Steps between metrics lines."})
    save_every: int = field(default=500, metadata={"help": "Steps between checkpoints; 0: only at the end."})
    keep_checkpoints: int = field(default=2, metadata={"help": "Checkpoints kept (the newest)."})
    feature_batch_size: int = field(default=16, metadata={"help": "Chains per forward for frozen features."})
    eval_every: int = field(
        default=0,
        metadata={
            "help": "Steps between validations (with validation_data); 0: ten times per run. "
            "The last step is always validated."
        },
    )
    val_questions: int = field(
        default=8,
        metadata={
            "help": "Validation questions answered greedily at each validation for val_accuracy "
            "(the best checkpoint then has the highest accuracy); 0: loss only."
        },
    )
    val_max_new_tokens: int = field(default=300, metadata={"help": "New tokens per validation answer."})

    def __post_init__(self) -> None:
        self._coerce_fields()
        self._apply_preset()
        for name in (
            "offline_hidden",
            "offline_layers",
            "offline_heads",
            "offline_kv_heads",
            "offline_intermediate",
            "offline_max_positions",
            "lora_r",
            "lora_alpha",
            "gcn_hidden",
            "batch_size",
            "grad_accum",
            "max_length",
            "log_every",
            "keep_checkpoints",
            "feature_batch_size",
            "val_max_new_tokens",
        ):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1")
        for name in (
            "alpha",
            "beta",
            "gamma",
            "margin",
            "lr",
            "weight_decay",
            "grad_clip",
            "save_every",
            "eval_every",
            "val_questions",
        ):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be >= 0")
        for name in ("lora_dropout", "gcn_dropout"):
            if not 0.0 <= getattr(self, name) < 1.0:
                raise ValueError(f"{name} must be in [0, 1)")
        if self.max_steps is not None and self.max_steps < 1:
            raise ValueError("max_steps must be >= 1 or None")
        if self.epochs is not None and self.epochs < 1:
            raise ValueError("epochs must be >= 1 or None")
        if self.warmup_steps is not None and self.warmup_steps < 0:
            raise ValueError("warmup_steps must be >= 0 or None")
        if self.warmup_ratio is not None and not 0.0 <= self.warmup_ratio < 1.0:
            raise ValueError("warmup_ratio must be in [0, 1)")
        if self.level == "single-teacher" and not self.teacher:
            raise ValueError("level 'single-teacher' needs a teacher (an agent name)")
        if self.offline_hidden % self.offline_heads or self.offline_heads % self.offline_kv_heads:
            raise ValueError("offline_hidden must divide by offline_heads, and heads by kv_heads")
        if not self.lora_target_modules:
            raise ValueError("lora_target_modules must not be empty")
        self._check_modules()
        _check_template("prompt_template", self.prompt_template, {"question"})
        _check_template("completion_template", self.completion_template, {"reasoning", "answer"})
        if self.level != "4" and self.node_features == "joint":
            warnings.warn("node_features='joint' has no effect below level 4", stacklevel=3)

    def _check_modules(self) -> None:
        """Refuse LoRA targets and modules to save that the student does not have, when its
        modules can be known without loading it (the offline student; a local checkpoint's
        safetensors headers): otherwise PEFT would fail only once the job runs."""
        known = module_names(self.model)
        if known is None:
            return
        for name in ("lora_target_modules", "modules_to_save"):
            wanted = [m for m in getattr(self, name) if m != "all-linear" and m.isidentifier()]
            # PEFT matches a name at the end of a module's (`norm` is every *norm too)
            unknown = sorted(m for m in set(wanted) if not any(k.endswith(m) for k in known))
            if unknown:
                have = ", ".join(sorted(known))
                raise ValueError(f"{name}: {', '.join(unknown)} not in the student (its modules: {have})")

    def _apply_preset(self) -> None:
        """Resolve `auto` and fill the fields left None from the preset (the warm-up fields only
        when both are None: one given is the warm-up)."""
        if self.preset == "auto":
            self.preset = "cpu" if self.model is None else "paper"
        values = dict(PRESETS[self.preset])
        if self.warmup_steps is not None or self.warmup_ratio is not None:
            del values["warmup_steps"], values["warmup_ratio"]
        for name, value in values.items():
            if getattr(self, name) is None:
                setattr(self, name, list(value) if isinstance(value, list) else value)

    def sized_to(self, steps_per_epoch: int) -> DistillConfig:
        """This config with epochs set, when the preset left them to the data: about CPU_STEPS
        optimizer steps, 1 to MAX_SIZED_EPOCHS epochs."""
        if self.epochs is not None:
            return self
        epochs = min(MAX_SIZED_EPOCHS, max(1, round(CPU_STEPS / steps_per_epoch)))
        return dataclasses.replace(self, epochs=epochs)

    def warmup_for(self, total_steps: int) -> int:
        """Warm-up steps of a run of `total_steps`: warmup_steps, else warmup_ratio of them."""
        if self.warmup_steps is not None:
            return self.warmup_steps
        return math.ceil((self.warmup_ratio or 0.0) * total_steps)


def _check_template(name: str, template: str, required: set[str]) -> None:
    found = {fname for _, fname, _, _ in string.Formatter().parse(template) if fname is not None}
    if not required <= found or found - required:
        raise ValueError(f"{name} must use exactly the placeholders {sorted(required)}, got {sorted(found)}")


def _coerce(name: str, value: Any, hint: Any) -> Any:
    """Bring a value read from YAML or a `--set` string to the field's type (YAML reads 5e-6 as str)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None or (isinstance(value, str) and value.lower() in ("none", "null")):
            if type(None) in args:
                return None
        return _coerce(name, value, next(a for a in args if a is not type(None)))
    if origin is Literal:
        text = str(value)
        if text not in args:
            raise ValueError(f"{name} must be one of {', '.join(map(repr, args))}, got {value!r}")
        return text
    if origin is list:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, (list, tuple)):
            raise ValueError(f"{name} must be a list, got {value!r}")
        return [_coerce(name, v, args[0]) for v in value]
    if hint is bool:
        if isinstance(value, str) and value.lower() in ("true", "false", "yes", "no", "on", "off", "1", "0"):
            return value.lower() in ("true", "yes", "on", "1")
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false, got {value!r}")
        return value
    if hint in (int, float):
        if isinstance(value, bool):
            raise ValueError(f"{name} must be a number, got {value!r}")
        try:
            number = float(value) if isinstance(value, str) else value
        except ValueError:
            raise ValueError(f"{name} must be a number, got {value!r}") from None
        if not isinstance(number, (int, float)):
            raise ValueError(f"{name} must be a number, got {value!r}")
        if hint is int:
            if number != int(number):
                raise ValueError(f"{name} must be an integer, got {value!r}")
            return int(number)
        return float(number)
    if hint is str:
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise ValueError(f"{name} must be a string, got {value!r}")
        return str(value)
    return value


@dataclass
class EvalConfig(ConfigFile):
    """Settings of one evaluation (`magdi.evaluate`). Each field's `help` metadata documents it."""

    config_name: ClassVar[str] = EVAL_CONFIG_NAME

    questions: str = field(
        metadata={"help": "A question file (or MATH folder) in any format `magdi.benchmarks` reads."}
    )
    output_dir: str = field(
        default="runs/eval", metadata={"help": "Where predictions.jsonl and summary.json go."}
    )
    format: str = field(
        default="auto", metadata={"help": "Format of `questions` (see magdi.benchmarks); auto: detected."}
    )
    limit: int | None = field(default=None, metadata={"help": "At most this many questions; None: all."})
    discussions: str | None = field(
        default=None,
        metadata={
            "help": "Canonical discussion JSONL of the questions: the teachers' tokens, for efficiency."
        },
    )
    run_dir: str | None = field(default=None, metadata={"help": "A finished training run (the student)."})
    model: str | None = field(
        default=None,
        metadata={
            "help": "A Hugging Face causal LM (id or path), used without an adapter; not with run_dir."
        },
    )
    student: dict[str, Any] = field(
        default_factory=dict,
        metadata={"help": "DistillConfig fields of the student without a run (the offline default's shape)."},
    )
    sampling: bool = field(default=False, metadata={"help": "Sample (else greedy decoding)."})
    k: int = field(
        default=1, metadata={"help": "Samples per question for self-consistency (needs sampling)."}
    )
    temperature: float = field(default=0.7, metadata={"help": "Sampling temperature."})
    top_p: float = field(default=0.9, metadata={"help": "Sampling nucleus (top-p)."})
    top_k: int = field(default=50, metadata={"help": "Sampling top-k."})
    max_new_tokens: int | None = field(
        default=None, metadata={"help": "New tokens per answer; None: 300, or 600 when a question is MATH."}
    )
    batch_size: int | None = field(
        default=None, metadata={"help": "Questions per generate call; None: sized to the device."}
    )
    seed: int = field(default=0, metadata={"help": "Sampling seed (batch b draws with seed + b)."})
    device: str | None = field(default=None, metadata={"help": "Torch device; None: CUDA when there is one."})
    label: str = field(default="", metadata={"help": "The model's name on the Compare page."})

    def __post_init__(self) -> None:
        self._coerce_fields()
        if self.k < 1:
            raise ValueError("k must be >= 1")
        if self.k > 1 and not self.sampling:
            raise ValueError("k > 1 samples need sampling (greedy decoding gives one answer)")
        if self.run_dir and self.model:
            raise ValueError("give run_dir (a trained student) or model (a base model), not both")
        for name in ("limit", "max_new_tokens", "batch_size"):
            if getattr(self, name) is not None and getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1 or null")
