"""The run directory of a distillation, written and read in one place (as PEFT's `save_pretrained` /
`from_pretrained`):

    distill_config.json  the resolved DistillConfig   tokenizer/  the student's tokenizer
    base/                the offline (random-init) base, which no name could rebuild
    adapter/             PEFT LoRA adapter naming its base (`base_model_name_or_path`)
    heads.safetensors    scorer and GCN weights (levels 3 and 4)

    run = StudentRun.from_pretrained("runs/magdi", merge=True)

Training writes the first three before its first step (`save_setup`: a resume and the Jobs page
find them there) and the trained part when it finishes (`save_pretrained`); the rest of the
directory (metrics, checkpoints, progress) is the training loop's own (`magdi.train`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from peft import PeftModel
from safetensors.torch import load_file, save_file
from torch import Tensor
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedModel

from magdi.config import DistillConfig
from magdi.model import DTYPES, load_base, quiet_peft, save_adapter

TOKENIZER, BASE, ADAPTER, HEADS = "tokenizer", "base", "adapter", "heads.safetensors"


@dataclass
class StudentRun:
    """A student ready for inference: the trained run's adapter on its base, or a base alone."""

    model: PeftModel | PreTrainedModel
    tokenizer: Any
    config: DistillConfig
    device: torch.device
    heads: dict[str, Tensor] = field(default_factory=dict)  # scorer.*, gcn.* (levels 3, 4)

    def save_setup(self, run_dir: str | Path) -> None:
        """What a run writes before training: its config, tokenizer and, for the offline
        default, the plain base (`model`, not yet wrapped with LoRA)."""
        run_dir = Path(run_dir)
        self.config.save(run_dir)
        self.tokenizer.save_pretrained(run_dir / TOKENIZER)
        if self.config.model is None:
            self.model.save_pretrained(run_dir / BASE)

    def save_pretrained(self, run_dir: str | Path) -> None:
        """The trained part (`model` the PEFT student): the adapter, naming its base so that plain
        PEFT loads it, and the heads."""
        run_dir = Path(run_dir)
        save_adapter(self.model, self.config, run_dir)
        if self.heads:
            save_file(self.heads, run_dir / HEADS)

    @classmethod
    def from_pretrained(
        cls,
        run_dir: str | Path,
        *,
        merge: bool = False,
        device: str | torch.device | None = None,
        dtype: torch.dtype | None = None,
    ) -> StudentRun:
        """The trained student of a finished run: its base (the saved offline base, or the
        configured model) with the adapter; `merge` folds LoRA into the base weights for faster
        generation. The heads are read when the run has them."""
        run_dir = Path(run_dir)
        cfg = DistillConfig.load(run_dir)
        if not (run_dir / ADAPTER).is_dir():
            raise FileNotFoundError(f"{run_dir} has no adapter: the run has not finished")
        device = _device(device)
        source = run_dir / BASE if cfg.model is None else _recorded_base(run_dir, cfg.model)
        tokenizer = AutoTokenizer.from_pretrained(run_dir / TOKENIZER, local_files_only=True)
        base = AutoModelForCausalLM.from_pretrained(
            source, dtype=dtype or DTYPES[cfg.precision], local_files_only=Path(source).exists()
        )
        with quiet_peft():
            model = PeftModel.from_pretrained(base, run_dir / ADAPTER)
        if merge:
            model = model.merge_and_unload()
        heads = load_file(run_dir / HEADS) if (run_dir / HEADS).is_file() else {}
        return cls(model.to(device).eval(), tokenizer, cfg, device, heads)

    @classmethod
    def from_base(
        cls,
        model: str | None,
        *,
        student: dict[str, Any] | None = None,
        device: str | torch.device | None = None,
    ) -> StudentRun:
        """A base model without an adapter: a Hugging Face id or path, or with None the offline
        default (`student`: DistillConfig fields of its shape)."""
        cfg = DistillConfig(**{**(student or {}), "model": model})
        base, tokenizer, _ = load_base(cfg)
        device = _device(device)
        return cls(base.to(device).eval(), tokenizer, cfg, device)


def _recorded_base(run_dir: Path, model: str) -> str:
    """The base as training found it (`base_model_name_or_path` of the adapter: a local model as
    an absolute path), so a relative `model` does not depend on the caller's working directory;
    runs that recorded none fall back to `model`."""
    adapter = json.loads((run_dir / ADAPTER / "adapter_config.json").read_text(encoding="utf-8"))
    return adapter.get("base_model_name_or_path") or model


def _device(device: str | torch.device | None) -> torch.device:
    return torch.device(device or ("cuda" if torch.cuda.is_available() else "cpu"))
