"""Each loss equals an independent computation from torch primitives; gradients reach the right weights."""

from __future__ import annotations

import pytest
import torch

from magdi.chains import build_examples, encode_examples
from magdi.config import DistillConfig
from magdi.losses import IGNORE, combine, margin_loss, node_loss, ntp_loss, pool, shift_targets
from magdi.model import MAGDiStudent, add_lora, collate, load_base, node_features
from tests.utils.toy_mags import hand_made
from tests.utils.training import TINY_STUDENT

STUDENT = dict(
    **TINY_STUDENT,
    lora_r=4,
    gcn_hidden=16,
    max_length=96,
    seed=3,
)


def _logsoftmax_nll(row: torch.Tensor, target: int) -> torch.Tensor:
    return -(row[target] - row.exp().sum().log())


def test_ntp_loss_is_mean_nll_of_shifted_unmasked_tokens():
    g = torch.Generator().manual_seed(0)
    logits = torch.randn(2, 6, 11, generator=g)
    labels = torch.tensor(
        [
            [IGNORE, IGNORE, 4, 7, 1, IGNORE],  # prompt masked, then padding
            [IGNORE, 3, 3, 9, 10, 2],
        ]
    )
    terms = [
        _logsoftmax_nll(logits[b, t], int(labels[b, t + 1]))
        for b in range(2)
        for t in range(5)
        if labels[b, t + 1] != IGNORE
    ]
    expected = torch.stack(terms).mean()
    assert torch.allclose(ntp_loss(*shift_targets(logits, labels)), expected, atol=1e-6)


@pytest.mark.parametrize("mode", ["position", "mean", "last"])
def test_pooling_matches_loop_and_ignores_padding_side(mode):
    g = torch.Generator().manual_seed(1)
    tokens = [torch.randn(3, 4, generator=g), torch.randn(5, 4, generator=g)]  # (len, H)
    T = 5
    right = torch.zeros(2, T, 4)
    left = torch.zeros(2, T, 4)
    mask_r = torch.zeros(2, T, dtype=torch.long)
    mask_l = torch.zeros(2, T, dtype=torch.long)
    for b, x in enumerate(tokens):
        n = x.shape[0]
        right[b, :n], mask_r[b, :n] = x, 1
        left[b, T - n :], mask_l[b, T - n :] = x, 1
        right[b, n:] = 100.0  # padding states must not leak in
        left[b, : T - n] = 100.0
    expected = []
    for x in tokens:
        if mode == "last":
            expected.append(x[-1])
            continue
        w = (
            torch.arange(1, x.shape[0] + 1, dtype=torch.float)
            if mode == "position"
            else torch.ones(x.shape[0])
        )
        expected.append((x * w[:, None]).sum(0) / w.sum())
    expected = torch.stack(expected)
    assert torch.allclose(pool(right, mask_r, mode), expected, atol=1e-6)
    assert torch.allclose(pool(left, mask_l, mode), expected, atol=1e-6)


def test_margin_and_node_losses_and_combine():
    pos = torch.tensor([0.9, -0.2, 0.1])
    neg = torch.tensor([0.5, 0.3, -0.95])
    expected = torch.stack([torch.clamp(1.0 - (p - n), min=0) for p, n in zip(pos, neg)]).mean()
    assert torch.allclose(margin_loss(pos, neg, 1.0), expected)
    assert torch.allclose(margin_loss(pos, neg, 0.2), torch.clamp(0.2 - (pos - neg), min=0).mean())

    logits = torch.tensor([[0.2, 1.0], [2.0, -1.0], [0.0, 0.0], [-0.5, 0.7]])
    labels = torch.tensor([1, 0, 1, 0])
    expected = torch.stack([_logsoftmax_nll(logits[i], int(labels[i])) for i in range(4)]).mean()
    assert torch.allclose(node_loss(logits, labels), expected)

    parts = {"ntp": torch.tensor(2.0), "margin": torch.tensor(0.5), "node": torch.tensor(1.5)}
    assert combine(parts, {"ntp": 1.0, "margin": 0.1, "node": 1.0}).item() == pytest.approx(3.55)


def test_empty_losses_are_zero_and_keep_the_graph():
    w = torch.randn(3, requires_grad=True)
    scores = w * 2
    empty = torch.zeros(0, dtype=torch.long)
    loss = margin_loss(scores[empty], scores[empty]) + ntp_loss(scores.view(1, 3)[:0], empty)
    assert loss.item() == 0.0
    loss.backward()
    assert w.grad is not None and torch.count_nonzero(w.grad) == 0


# ---------------------------------------------------------------- the student on a fixed batch


def _student(node_mode: str) -> tuple[MAGDiStudent, object, list]:
    cfg = DistillConfig(level="4", node_features=node_mode, lora_dropout=0.0, gcn_dropout=0.0, **STUDENT)
    base, tokenizer, _ = load_base(cfg)
    torch.manual_seed(0)
    student = MAGDiStudent(add_lora(base, cfg), cfg)
    with torch.no_grad():  # LoRA B starts at zero; make the adapter matter
        for name, p in student.named_parameters():
            if "lora_B" in name:
                p.normal_(0, 0.1)
    examples, _ = build_examples(cfg, hand_made())
    items, _ = encode_examples(examples, tokenizer, cfg.max_length)
    feats = node_features(student, items, tokenizer.pad_token_id, 4, torch.device("cpu"), torch.float32)
    batch = collate(
        items, tokenizer.pad_token_id, mask_prompt=True, features=feats if node_mode == "frozen" else None
    )
    return student, tokenizer, batch


def test_student_losses_equal_full_model_computation():
    student, _, batch = _student("joint")
    student.eval()
    outputs, losses = student(batch)
    full = student.lm(
        input_ids=batch.input_ids, attention_mask=batch.attention_mask, output_hidden_states=True
    )
    logits, last = full.logits, full.hidden_states[-1]  # (C, T, V), (C, T, H)
    nll = []
    for c in range(batch.input_ids.shape[0]):
        for t in range(batch.input_ids.shape[1] - 1):
            if batch.labels[c, t + 1] != IGNORE:
                nll.append(_logsoftmax_nll(logits[c, t], int(batch.labels[c, t + 1])))
    assert torch.allclose(losses["ntp"], torch.stack(nll).mean(), atol=1e-5)

    reps = []
    for c in range(batch.input_ids.shape[0]):
        n = int(batch.attention_mask[c].sum())
        w = torch.arange(1, n + 1, dtype=torch.float)
        reps.append((last[c, :n] * w[:, None]).sum(0) / w.sum())
    reps = torch.stack(reps)
    assert torch.allclose(outputs["reps"], reps, atol=1e-5)
    net = student.scorer.net
    scores = torch.tanh(net[2](torch.relu(net[0](reps)))).squeeze(-1)
    pos, neg = scores[batch.pairs[0]], scores[batch.pairs[1]]
    assert torch.allclose(losses["margin"], torch.relu(1.0 - pos + neg).mean(), atol=1e-5)
    node_logits = student.gcn(reps[batch.node_chain], batch.edge_index)
    expected_node = torch.nn.functional.cross_entropy(node_logits, batch.node_labels)
    assert torch.allclose(losses["node"], expected_node, atol=1e-5)
    assert torch.allclose(losses["loss"], losses["ntp"] + 0.1 * losses["margin"] + losses["node"], atol=1e-6)


def _grads(student: MAGDiStudent, loss: torch.Tensor) -> tuple[float, float]:
    student.zero_grad(set_to_none=True)
    loss.backward(retain_graph=True)
    lora = sum(
        float(p.grad.abs().sum())
        for n, p in student.named_parameters()
        if "lora_" in n and p.grad is not None
    )
    gcn = sum(float(p.grad.abs().sum()) for p in student.gcn.parameters() if p.grad is not None)
    return lora, gcn


@pytest.mark.parametrize("mode", ["frozen", "joint"])
def test_gradients_reach_lora_from_ntp_margin_and_node_only_when_joint(mode):
    student, _, batch = _student(mode)
    _, losses = student(batch)
    assert _grads(student, losses["ntp"])[0] > 0
    assert _grads(student, losses["margin"])[0] > 0
    lora, gcn = _grads(student, losses["node"])
    assert gcn > 0
    assert (lora > 0) == (mode == "joint")
