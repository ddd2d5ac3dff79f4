"""The MAGDi student: a causal LM with LoRA, a chain scorer and a GCN over the MAG.

One forward runs the LM once over every unique chain of a micro-batch (several questions); its last
hidden state serves all three losses: next-token loss on positive chains (LM head on target tokens
only), margin loss on pooled scores of (correct, incorrect) pairs, and node loss on the GCN over the
questions' MAGs, fed either frozen base-model features (cached on disk) or the pooled states of this
same forward (`joint`, so the node loss also trains the LoRA weights).
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from types import MethodType
from typing import Any

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from peft.tuners.lora import Linear as LoraLinear
from torch import Tensor, nn
from torch.nn import functional as F
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedModel

from magdi.chains import EncodedExample
from magdi.config import DistillConfig
from magdi.gcn import GCN, batch_graphs
from magdi.losses import IGNORE, combine, margin_loss, node_loss, ntp_loss, pool, shift_targets
from magdi.offline import offline_key, offline_model, offline_tokenizer
from magdi.plumbing import replace_atomically

DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}


# ---------------------------------------------------------------- base model and LoRA


def load_base(cfg: DistillConfig) -> tuple[PreTrainedModel, Any, str]:
    """(base LM in cfg.precision, tokenizer, key naming the base in cache keys). Never downloads
    for a local path; `cfg.model=None` builds the offline default."""
    dtype = DTYPES[cfg.precision]
    if cfg.model is None:
        tokenizer = offline_tokenizer()
        return offline_model(cfg, tokenizer).to(dtype), tokenizer, offline_key(cfg)
    model, tokenizer = load_pretrained(cfg.model, dtype)
    return model, tokenizer, _model_key(cfg.model)


def load_pretrained(name_or_path: str | Path, dtype: torch.dtype) -> tuple[PreTrainedModel, Any]:
    """A Hugging Face causal LM and its tokenizer (pad = EOS when it has no pad token)."""
    local = Path(name_or_path).exists()
    tokenizer = AutoTokenizer.from_pretrained(name_or_path, local_files_only=local)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    model = AutoModelForCausalLM.from_pretrained(name_or_path, dtype=dtype, local_files_only=local)
    return model, tokenizer


def _model_key(name_or_path: str) -> str:
    path = Path(name_or_path)
    return str(path.resolve()) if path.exists() else name_or_path


def base_reference(cfg: DistillConfig, run_dir: Path) -> str:
    """The base a run's adapter belongs to, as loaders should find it from anywhere: the run's
    saved offline base, a local model as an absolute path, or a Hugging Face model id."""
    return str((run_dir / "base").resolve()) if cfg.model is None else _model_key(cfg.model)


def save_adapter(lm: PeftModel, cfg: DistillConfig, run_dir: Path) -> None:
    """`<run>/adapter`, naming its base (`base_model_name_or_path`), so that plain PEFT
    (`AutoPeftModelForCausalLM.from_pretrained`) loads it; a random-init base has no name."""
    for config in lm.peft_config.values():
        config.base_model_name_or_path = base_reference(cfg, run_dir)
    lm.save_pretrained(run_dir / "adapter")


def add_lora(model: PreTrainedModel, cfg: DistillConfig, *, merged_forward: bool = True) -> PeftModel:
    """Wrap with LoRA adapters (fp32 even on a bf16/fp16 base); the base weights are frozen but
    for `cfg.modules_to_save`, which train in full (a random-init base needs its embeddings,
    norms and LM head trained). Small layers train through their merged weight (`_fused_forward`)
    unless `merged_forward` is False (PEFT's own forward everywhere, e.g. to time the two)."""
    targets = cfg.lora_target_modules
    config = LoraConfig(
        r=cfg.lora_r,
        lora_alpha=cfg.lora_alpha,
        lora_dropout=cfg.lora_dropout,
        target_modules="all-linear" if targets == ["all-linear"] else list(targets),
        modules_to_save=list(cfg.modules_to_save) or None,
        bias="none",
        task_type="CAUSAL_LM",
    )
    with quiet_peft():
        lm = get_peft_model(model, config)
    for module in lm.modules():
        if merged_forward and _fusable(module):
            module.forward = MethodType(_fused_forward, module)
    return lm


def merged_forward_layers(model: nn.Module) -> list[nn.Module]:
    """The LoRA layers of `model` that train through their merged weight."""
    return [m for m in model.modules() if getattr(vars(m).get("forward"), "__func__", None) is _fused_forward]


# A LoRA layer of at most this many weights trains through its merged weight (see _fused_forward).
FUSED_MAX_WEIGHTS = 1 << 20


def _fusable(module: nn.Module) -> bool:
    """A plain LoRA linear layer (one adapter, no dropout, no variant such as DoRA, weights of one
    dtype) small enough that forming its merged weight costs less than the LoRA path per token."""
    if not isinstance(module, LoraLinear) or len(module.lora_A) != 1 or module.lora_variant:
        return False
    (name,) = module.lora_A
    base = module.base_layer
    return (
        isinstance(base, nn.Linear)
        and isinstance(module.lora_dropout[name], nn.Identity)
        and base.weight.numel() <= FUSED_MAX_WEIGHTS
        and base.weight.dtype == module.lora_A[name].weight.dtype
    )


def _fused_forward(self: LoraLinear, x: Tensor, *args: Any, **kwargs: Any) -> Tensor:
    """While gradients are taken, x @ (W + s B A)^T in one product, the same value and gradients
    as PEFT's W x + s B (A x): for a small layer (the offline student's 128 x 128 with r 64) the
    LoRA path costs 60-100% of the layer's own products for every token, while forming W + s B A
    costs r d_in d_out once per forward, less than the path's N r (d_in + d_out) once a batch has
    more than d_in d_out / (d_in + d_out) tokens (64 here; training batches have thousands).
    Generation (no gradients, a token at a time) keeps PEFT's forward."""
    if not torch.is_grad_enabled() or self.disable_adapters or self.merged or args or kwargs:
        return LoraLinear.forward(self, x, *args, **kwargs)
    (name,) = self.active_adapters
    delta = (self.lora_B[name].weight @ self.lora_A[name].weight) * self.scaling[name]
    weight = self.base_layer.weight + delta
    return F.linear(x, weight, self.base_layer.bias)


@contextmanager
def quiet_peft() -> Iterator[None]:
    """Hide the FutureWarning peft 0.21 triggers through a property transformers 5.x deprecated."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
        yield


def enable_grad_checkpointing(model: PreTrainedModel) -> None:
    kwargs = {"use_reentrant": False}
    if hasattr(model, "activation_checkpointing_enable"):  # transformers >= 5.2x
        model.activation_checkpointing_enable(kwargs)
    else:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs=kwargs)


def lm_logits(model: PreTrainedModel, states: Tensor) -> Tensor:
    """The model's logits of selected final hidden states: its LM head, then the processing its
    own forward applies (Cohere's logit_scale, Granite's logits_scaling, Gemma-2/3's final soft-
    capping). Shapes: (N, H) -> (N, V)."""
    logits = model.get_output_embeddings()(states)
    config = model.config.get_text_config()
    if scale := getattr(config, "logit_scale", None):
        logits = logits * scale
    if scaling := getattr(config, "logits_scaling", None):
        logits = logits / scaling
    if cap := getattr(config, "final_logit_softcapping", None):
        logits = torch.tanh(logits / cap) * cap
    return logits


@torch.no_grad()
def check_lm_head(student: MAGDiStudent, tokens: int = 8) -> None:
    """Refuse a model whose forward does more to its logits than `lm_logits` knows of (e.g.
    Falcon-H1's lm_head_multiplier): its next-token loss would be computed on other logits than
    it generates from. One short forward, compared within 2% of the largest logit (bf16 noise)."""
    base = student.lm.get_base_model()
    device = next(base.parameters()).device
    vocab = base.get_output_embeddings().weight.shape[0]
    ids = (torch.arange(tokens, device=device) * 7919 % vocab).unsqueeze(0)  # (1, T)
    mask = torch.ones_like(ids)
    was_training = student.training
    student.eval()
    try:
        ours = lm_logits(base, student.hidden_states(ids, mask)[0]).float()  # (T, V)
        theirs = student.lm(input_ids=ids, attention_mask=mask).logits[0].float()
    finally:
        student.train(was_training)
    if (ours - theirs).abs().max() > 0.02 * theirs.abs().max() + 1e-6:
        raise ValueError(
            f"{type(base).__name__} processes its logits in a way MAGDi's loss does not "
            "reproduce (it applies the LM head to the selected states itself); this model "
            "family is not supported as a student"
        )


# ---------------------------------------------------------------- batches


def pad_right(seqs: list[list[int]], pad_id: int, multiple_of: int = 1) -> tuple[Tensor, Tensor]:
    """Right-pad to the longest (rounded up to multiple_of). Returns ids (B, T), attention_mask (B, T)."""
    T = max(len(s) for s in seqs)
    T = -(-T // multiple_of) * multiple_of
    ids = torch.full((len(seqs), T), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), T), dtype=torch.long)
    for r, s in enumerate(seqs):
        ids[r, : len(s)] = torch.tensor(s, dtype=torch.long)
        mask[r, : len(s)] = 1
    return ids, mask


@dataclass
class Batch:
    """Several questions. C unique chains, P pairs, N graph nodes, E edges."""

    input_ids: Tensor  # (C, T) right-padded
    attention_mask: Tensor  # (C, T)
    labels: Tensor  # (C, T) token ids where next-token loss applies, else IGNORE
    pairs: Tensor  # (2, P) chain rows: correct, incorrect
    node_chain: Tensor  # (N,) chain row of each node
    node_labels: Tensor  # (N,) 1 = correct
    edge_index: Tensor  # (2, E) over the N nodes
    node_x: Tensor | None  # (N, H) frozen features, or None
    n_questions: int

    def to(self, device: torch.device | str) -> Batch:
        return Batch(
            **{
                f.name: v.to(device) if isinstance(v, Tensor) else v
                for f in fields(self)
                for v in [getattr(self, f.name)]
            }
        )


def collate(
    items: list[EncodedExample],
    pad_id: int,
    mask_prompt: bool = True,
    features: list[Tensor] | None = None,
    multiple_of: int = 1,
) -> Batch:
    """One micro-batch. A chain that occurs several times (same text) is forwarded once."""
    rows: dict[int, int] = {}
    seqs: list[list[int]] = []
    starts: list[int] = []
    positive: set[int] = set()
    pairs: list[tuple[int, int]] = []
    node_chain: list[int] = []
    node_labels: list[int] = []
    edges: list[Tensor] = []
    sizes: list[int] = []
    for it in items:
        local = []
        for uid, ids, n_prompt in zip(it.uids, it.ids, it.prompt_lens):
            if uid not in rows:
                rows[uid] = len(seqs)
                seqs.append(ids)
                starts.append(n_prompt if mask_prompt else 0)
            local.append(rows[uid])
        positive.update(local[i] for i in it.positives)
        pairs.extend((local[a], local[b]) for a, b in it.pairs)
        if it.edges is not None:
            node_chain.extend(local)
            node_labels.extend(it.node_labels)
            edges.append(torch.tensor(it.edges, dtype=torch.long).reshape(-1, 2).T)
            sizes.append(len(local))
    input_ids, attention_mask = pad_right(seqs, pad_id, multiple_of)
    labels = torch.full_like(input_ids, IGNORE)
    for r in positive:
        labels[r, starts[r] : len(seqs[r])] = input_ids[r, starts[r] : len(seqs[r])]
    return Batch(
        input_ids=input_ids,
        attention_mask=attention_mask,
        labels=labels,
        pairs=torch.tensor(pairs, dtype=torch.long).reshape(-1, 2).T,
        node_chain=torch.tensor(node_chain, dtype=torch.long),
        node_labels=torch.tensor(node_labels, dtype=torch.long),
        edge_index=batch_graphs(edges, sizes),
        node_x=torch.cat(features) if features else None,
        n_questions=len(items),
    )


# ---------------------------------------------------------------- the student


class Scorer(nn.Module):
    """score(rep) = tanh(w2 . relu(W1 rep + b1) + b2). Shapes: (N, H) -> (N,)."""

    def __init__(self, hidden_size: int) -> None:
        super().__init__()
        self.net = nn.Sequential(nn.Linear(hidden_size, hidden_size), nn.ReLU(), nn.Linear(hidden_size, 1))

    def forward(self, x: Tensor) -> Tensor:
        return torch.tanh(self.net(x)).squeeze(-1)


class MAGDiStudent(nn.Module):
    """LoRA LM + scorer (levels 3, 4) + GCN (level 4). forward(batch) -> (outputs, losses).

    `losses` holds each present loss ("ntp", "margin", "node") and their weighted sum "loss";
    `outputs` holds "scores" (C,), "reps" (C, H) and "node_logits" (N, 2) when computed.
    """

    def __init__(self, lm: PeftModel, cfg: DistillConfig) -> None:
        super().__init__()
        self.lm = lm
        hidden = lm.get_base_model().config.get_text_config().hidden_size
        self.scorer = Scorer(hidden) if cfg.level in ("3", "4") else None
        self.gcn = GCN(hidden, cfg.gcn_hidden, 2, cfg.gcn_dropout) if cfg.level == "4" else None
        self.pooling = cfg.pooling
        self.joint = cfg.node_features == "joint"
        self.margin = cfg.margin
        self.weights = {"ntp": cfg.alpha, "margin": cfg.gamma, "node": cfg.beta}

    @property
    def backbone(self) -> nn.Module:
        """The decoder without its LM head (LoRA layers inside)."""
        base = self.lm.get_base_model()
        return getattr(base, base.base_model_prefix)

    def hidden_states(self, input_ids: Tensor, attention_mask: Tensor) -> Tensor:
        """Last hidden state (after the final norm). Shapes: (C, T), (C, T) -> (C, T, H)."""
        return self.backbone(
            input_ids=input_ids, attention_mask=attention_mask, use_cache=False
        ).last_hidden_state

    def forward(self, batch: Batch) -> tuple[dict[str, Tensor], dict[str, Tensor]]:
        hidden = self.hidden_states(batch.input_ids, batch.attention_mask)  # (C, T, H)
        states, targets = shift_targets(hidden, batch.labels)  # (N_tok, H), (N_tok,)
        logits = lm_logits(self.lm.get_base_model(), states)  # (N_tok, V)
        losses = {"ntp": ntp_loss(logits, targets)}
        outputs: dict[str, Tensor] = {}
        if self.scorer is not None:  # heads run in fp32, outside autocast
            with torch.autocast(hidden.device.type, enabled=False):
                reps = outputs["reps"] = pool(hidden, batch.attention_mask, self.pooling)  # (C, H)
                scores = outputs["scores"] = self.scorer(reps)  # (C,)
                losses["margin"] = margin_loss(scores[batch.pairs[0]], scores[batch.pairs[1]], self.margin)
                if self.gcn is not None:
                    x = reps[batch.node_chain] if self.joint else batch.node_x  # (N, H)
                    node_logits = outputs["node_logits"] = self.gcn(x, batch.edge_index)  # (N, 2)
                    losses["node"] = node_loss(node_logits, batch.node_labels)
        losses["loss"] = combine(losses, self.weights)
        return outputs, losses

    def clip_gradients(self, max_norm: float) -> dict[str, Tensor]:
        """Clip the LM's gradients (LoRA and any weights trained in full) and the heads' (scorer,
        GCN) apart, each to `max_norm`: one global clip would let a level's heads shrink the LM's
        step, so that levels differed by more than their losses. Returns each part's norm before
        clipping ("heads" is 0 without heads)."""
        heads = {id(p) for m in (self.scorer, self.gcn) if m is not None for p in m.parameters()}
        parts: dict[str, list[Tensor]] = {"lm": [], "heads": []}
        for p in self.parameters():
            if p.requires_grad:
                parts["heads" if id(p) in heads else "lm"].append(p)
        return {name: torch.nn.utils.clip_grad_norm_(ps, max_norm) for name, ps in parts.items()}

    def trainable_state_dict(self) -> dict[str, Tensor]:
        return {n: p.detach().clone() for n, p in self.named_parameters() if p.requires_grad}

    def load_trainable_state_dict(self, state: dict[str, Tensor]) -> None:
        expected = {n for n, p in self.named_parameters() if p.requires_grad}
        if set(state) != expected:
            raise ValueError(f"trainable weights do not match: {sorted(set(state) ^ expected)[:5]}")
        self.load_state_dict(state, strict=False)

    def heads_state_dict(self) -> dict[str, Tensor]:
        """Scorer and GCN weights (prefixed scorer., gcn.), for `heads.safetensors`."""
        return {
            f"{name}.{k}": v.detach().contiguous()
            for name in ("scorer", "gcn")
            if (m := getattr(self, name)) is not None
            for k, v in m.state_dict().items()
        }


# ---------------------------------------------------------------- frozen node features


def feature_cache_key(cfg: DistillConfig, model_key: str, data_sha256: str) -> str:
    """Hash of everything a frozen feature depends on: base model, data, pooling, chain text, dtype."""
    parts = {
        "model": model_key,
        "data": data_sha256,
        "pooling": cfg.pooling,
        "prompt": cfg.prompt_template,
        "completion": cfg.completion_template,
        "drop_agreement": cfg.drop_agreement_sentences,
        "max_length": cfg.max_length,
        "precision": cfg.precision,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:24]


@torch.no_grad()
def node_features(
    student: MAGDiStudent,
    items: list[EncodedExample],
    pad_id: int,
    batch_size: int,
    device: torch.device,
    dtype: torch.dtype,
) -> list[Tensor]:
    """Pooled base-model states (adapters disabled, eval mode) of every node: one (n_i, H) fp32
    tensor per example. Chains are sorted by length so that batches carry little padding."""
    flat = [(i, j, ids) for i, it in enumerate(items) for j, ids in enumerate(it.ids)]
    order = sorted(range(len(flat)), key=lambda k: len(flat[k][2]))
    hidden_size = student.lm.get_base_model().config.get_text_config().hidden_size
    out = [torch.empty(len(it.ids), hidden_size) for it in items]
    was_training = student.training
    student.eval()
    with student.lm.disable_adapter():
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            ids, mask = pad_right([flat[k][2] for k in chunk], pad_id)
            ids, mask = ids.to(device), mask.to(device)
            with torch.autocast(device.type, dtype=dtype, enabled=dtype != torch.float32):
                reps = pool(student.hidden_states(ids, mask), mask, student.pooling).cpu()
            for r, k in enumerate(chunk):
                out[flat[k][0]][flat[k][1]] = reps[r]
    student.train(was_training)
    return out


def load_features(path: Path) -> list[Tensor]:
    return torch.load(path, map_location="cpu", weights_only=True)


def save_features(path: Path, features: list[Tensor]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    replace_atomically(path, lambda tmp: torch.save(features, tmp))
