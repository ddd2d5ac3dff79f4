"""P(correct) of every MAG node from the trained GCN of a finished level-4 run.

    clf = load_classifier("runs/magdi")
    scores = predict(clf, discussions)  # per discussion: {(agent, round): P(correct)}

Node features are made as the run's training made them: each turn becomes its training chain
(`magdi.chains`), pooled from the base model with the adapters off (`frozen`:
`magdi.model.node_features`) or from the LoRA student's own forward (`joint`:
`MAGDiStudent.forward`), in eval mode. Unlike training, every non-excluded turn is a node, labelled
or not, and a question without a correct turn is scored too; a stored discussion (every turn has
an effective label) thus gets exactly the graph of its training unit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import Tensor

from magdi.chains import Example, encode_examples, graph_edges, make_chain
from magdi.config import DistillConfig
from magdi.mag import Discussion, TurnKey
from magdi.model import DTYPES, Batch, MAGDiStudent, collate, node_features
from magdi.run import StudentRun


@dataclass
class NodeClassifier:
    student: MAGDiStudent  # trained adapter, scorer and GCN; eval mode, on `device`
    tokenizer: Any
    config: DistillConfig
    device: torch.device


def load_classifier(run_dir: str | Path, *, device: str | torch.device | None = None) -> NodeClassifier:
    """The student of a finished level-4 run with its trained heads (`heads.safetensors`)."""
    level = DistillConfig.load(run_dir).level
    if level != "4":
        raise ValueError(f"{run_dir} is a level-{level} run: only level 4 trains a node classifier")
    run = StudentRun.from_pretrained(run_dir, device=device)
    student = MAGDiStudent(run.model, run.config)
    for name in ("scorer", "gcn"):
        getattr(student, name).load_state_dict(
            {k.removeprefix(f"{name}."): v for k, v in run.heads.items() if k.startswith(f"{name}.")}
        )
    return NodeClassifier(student.to(run.device).eval(), run.tokenizer, run.config, run.device)


def graph_example(cfg: DistillConfig, d: Discussion) -> Example:
    """The question's MAG over its non-excluded turns, as a level-4 unit without pairs."""
    chains = [make_chain(cfg, d, t) for t in d.turns if not t.excluded]
    return Example(id=d.id, chains=chains, positives=[], edges=graph_edges(d, chains))


@torch.no_grad()
def predict(clf: NodeClassifier, discussions: Sequence[Discussion]) -> list[dict[TurnKey, float]]:
    """P(correct) of every non-excluded turn, one dict per discussion in order. The run's
    micro-batch (cfg.batch_size questions) goes through the GCN at once."""
    cfg, pad_id = clf.config, clf.tokenizer.pad_token_id
    dtype = DTYPES[cfg.precision]
    scored = [d for d in discussions if any(not t.excluded for t in d.turns)]
    items, _ = encode_examples([graph_example(cfg, d) for d in scored], clf.tokenizer, cfg.max_length)
    features = (
        None
        if clf.student.joint
        else node_features(clf.student, items, pad_id, cfg.feature_batch_size, clf.device, dtype)
    )
    probs: list[Tensor] = []
    for start in range(0, len(items), cfg.batch_size):
        end = start + cfg.batch_size
        batch = collate(items[start:end], pad_id, cfg.mask_prompt, features[start:end] if features else None)
        probs.append(_node_logits(clf.student, batch.to(clf.device), dtype).softmax(-1)[:, 1].cpu())
    flat = iter(torch.cat(probs).tolist() if probs else [])
    return [{t.key: next(flat) for t in d.turns if not t.excluded} for d in discussions]


def _node_logits(student: MAGDiStudent, batch: Batch, dtype: torch.dtype) -> Tensor:
    """(N, 2) node logits: the GCN on frozen features, or the training forward (joint)."""
    if not student.joint:
        return student.gcn(batch.node_x, batch.edge_index)
    with torch.autocast(batch.input_ids.device.type, dtype=dtype, enabled=dtype != torch.float32):
        outputs, _ = student(batch)
    return outputs["node_logits"]
