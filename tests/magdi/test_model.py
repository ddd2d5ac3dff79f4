"""The student's model-level behaviour: gradient clipping per part, the LM head's logits path, padding,
and the keys of cached frozen features."""

from __future__ import annotations

import pytest
import torch

from magdi.chains import build_examples, encode_examples
from magdi.config import DistillConfig
from magdi.model import (
    MAGDiStudent,
    add_lora,
    collate,
    feature_cache_key,
    load_base,
    merged_forward_layers,
    node_features,
    pad_right,
)
from tests.utils.toy_mags import hand_made
from tests.utils.training import TINY_STUDENT

STUDENT = dict(
    **TINY_STUDENT,
    lora_r=4,
    max_length=96,
    lora_dropout=0.0,
)  # GCN at its 512


def _backward(level: str) -> MAGDiStudent:
    """A level-3 or level-4 (frozen features) student after one backward on the same batch."""
    cfg = DistillConfig(level=level, node_features="frozen", gcn_dropout=0.0, preset="paper", **STUDENT)
    base, tokenizer, _ = load_base(cfg)
    torch.manual_seed(0)
    student = MAGDiStudent(add_lora(base, cfg), cfg)
    g = torch.Generator().manual_seed(1)  # the GCN's init drew on the global generator
    with torch.no_grad():  # LoRA B starts at zero; make every adapter weight get a gradient
        for name, p in student.named_parameters():
            if "lora_B" in name:
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)
    items, _ = encode_examples(build_examples(DistillConfig(level="4"), hand_made())[0], tokenizer, 96)
    feats = node_features(student, items, tokenizer.pad_token_id, 4, torch.device("cpu"), torch.float32)
    batch = collate(items, tokenizer.pad_token_id, features=feats if level == "4" else None)
    _, losses = student(batch)
    losses["loss"].backward()
    return student


def _lm_norm(student: MAGDiStudent) -> float:
    """Gradient norm of the LM's trainable weights (LoRA and the modules trained in full)."""
    grads = [p.grad for n, p in student.named_parameters() if n.startswith("lm.") and p.requires_grad]
    return float(torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads])))


def test_levels_3_and_4_frozen_clip_the_lm_alike():
    """Level 4 with frozen features adds the GCN's gradients: clipped together with the LM's they
    would shrink the LM's step, making level 4 level 3 with a smaller learning rate."""
    three, four = _backward("3"), _backward("4")
    assert _lm_norm(three) == pytest.approx(_lm_norm(four), rel=1e-6)  # same LM gradient
    clip = 0.5 * _lm_norm(three)
    together = [p for p in four.parameters() if p.grad is not None]
    global_scale = clip / float(torch.linalg.vector_norm(torch.stack([p.grad.norm() for p in together])))
    norms = {level: s.clip_gradients(clip) for level, s in (("3", three), ("4", four))}
    assert _lm_norm(three) == pytest.approx(clip, rel=1e-4)
    assert _lm_norm(four) == pytest.approx(_lm_norm(three), rel=1e-5)
    assert global_scale * norms["4"]["lm"] < 0.9 * clip  # what one global clip would have left
    assert set(norms["3"]) == set(norms["4"]) == {"lm", "heads"}
    assert float(norms["4"]["heads"]) > float(norms["3"]["heads"]) > 0  # the GCN's part


def _tiny(kind: str):
    """A random-init model of a family whose forward post-processes the LM head's logits."""
    from transformers import AutoModelForCausalLM, CohereConfig, Gemma2Config, GraniteConfig, LlamaConfig

    shape = dict(
        vocab_size=96,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        pad_token_id=0,
        eos_token_id=1,
        bos_token_id=None,
    )
    config = {
        "gemma2": lambda: Gemma2Config(head_dim=16, final_logit_softcapping=0.05, **shape),
        "cohere": lambda: CohereConfig(logit_scale=0.0625, **shape),
        "granite": lambda: GraniteConfig(logits_scaling=8.0, **shape),
        "llama": lambda: LlamaConfig(**shape),
    }[kind]()
    torch.manual_seed(0)
    return AutoModelForCausalLM.from_config(config)


@pytest.mark.parametrize("kind", ["gemma2", "cohere", "granite", "llama"])
def test_next_token_loss_goes_through_the_models_own_logits(kind):
    """Gemma-2 soft-caps its logits, Cohere and Granite scale them: the student's loss on the
    selected positions equals the loss on the model's own logits."""
    from magdi.chains import EncodedExample
    from magdi.losses import IGNORE
    from magdi.model import check_lm_head

    cfg = DistillConfig(model="local", level="2", lora_dropout=0.0)
    student = MAGDiStudent(add_lora(_tiny(kind), cfg), cfg).eval()
    g = torch.Generator().manual_seed(0)
    ids = [torch.randint(2, 96, (n,), generator=g).tolist() for n in (12, 9)]
    items = [
        EncodedExample(
            ids=[s], prompt_lens=[4], uids=[i], positives=[0], pairs=[], edges=None, node_labels=[1]
        )
        for i, s in enumerate(ids)
    ]
    batch = collate(items, 0)
    _, losses = student(batch)
    with torch.no_grad():
        logits = student.lm(input_ids=batch.input_ids, attention_mask=batch.attention_mask).logits
    labels = batch.labels[:, 1:]
    expected = torch.nn.functional.cross_entropy(logits[:, :-1][labels != IGNORE], labels[labels != IGNORE])
    assert losses["ntp"].item() == pytest.approx(expected.item(), rel=1e-5)
    check_lm_head(student)  # the model's own logits agree: accepted


def test_a_model_whose_logits_the_loss_cannot_reproduce_is_refused():
    """Falcon-H1 multiplies its logits by lm_head_multiplier, which `lm_logits` does not know."""
    import warnings

    from transformers import AutoModelForCausalLM, FalconH1Config

    from magdi.model import check_lm_head

    config = FalconH1Config(
        vocab_size=64,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=1,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=16,
        mamba_d_ssm=32,
        mamba_n_heads=2,
        mamba_d_head=16,
        mamba_d_state=8,
        mamba_chunk_size=8,
        lm_head_multiplier=0.05,
    )
    torch.manual_seed(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # its reference (slow) mamba kernels
        model = AutoModelForCausalLM.from_config(config)
    cfg = DistillConfig(model="local", level="2", lora_dropout=0.0)
    with pytest.raises(ValueError, match="FalconH1ForCausalLM processes its logits"):
        check_lm_head(MAGDiStudent(add_lora(model, cfg), cfg))


def test_pad_right_pads_to_a_multiple_and_masks_the_padding():
    ids, mask = pad_right([[5, 6, 7], [8]], pad_id=0, multiple_of=4)
    assert ids.tolist() == [[5, 6, 7, 0], [8, 0, 0, 0]]
    assert mask.tolist() == [[1, 1, 1, 0], [1, 0, 0, 0]]
    assert pad_right([[1, 2], [3]], pad_id=9)[0].tolist() == [[1, 2], [3, 9]]


def test_frozen_features_are_keyed_by_what_they_depend_on():
    cfg = DistillConfig(**STUDENT)
    key = feature_cache_key(cfg, "base-a", "sha-1")
    assert key == feature_cache_key(
        DistillConfig(**STUDENT, seed=9, lr=0.5), "base-a", "sha-1"
    )  # training only
    assert key != feature_cache_key(cfg, "base-b", "sha-1")
    assert key != feature_cache_key(cfg, "base-a", "sha-2")
    assert key != feature_cache_key(DistillConfig(**{**STUDENT, "pooling": "mean"}), "base-a", "sha-1")
    assert key != feature_cache_key(DistillConfig(**{**STUDENT, "max_length": 64}), "base-a", "sha-1")


def _student_and_batch(cfg: DistillConfig, merged_forward: bool = True):
    base, tokenizer, _ = load_base(cfg)
    torch.manual_seed(0)
    student = MAGDiStudent(add_lora(base, cfg, merged_forward=merged_forward), cfg)
    g = torch.Generator().manual_seed(1)
    with torch.no_grad():  # LoRA B starts at zero: give the merged product something to carry
        for name, p in student.named_parameters():
            if "lora_B" in name:
                p.copy_(torch.randn(p.shape, generator=g) * 0.1)
    items, _ = encode_examples(build_examples(DistillConfig(level="2"), hand_made())[0], tokenizer, 96)
    return student, collate(items, tokenizer.pad_token_id)


def _loss_and_grads(student: MAGDiStudent, batch) -> tuple[float, dict[str, torch.Tensor]]:
    student.zero_grad()
    _, losses = student(batch)
    losses["loss"].backward()
    return float(losses["loss"].detach()), {
        n: p.grad.clone() for n, p in student.named_parameters() if p.grad is not None
    }


def test_small_lora_layers_train_through_their_merged_weight_with_the_same_gradients():
    """The offline student's LoRA layers use the merged-weight forward while training (fewer
    products per token); it gives PEFT's loss and gradients, and generation keeps PEFT's forward."""
    cfg = DistillConfig(level="2", preset="cpu", **TINY_STUDENT, lora_alpha=128)  # scaling 2
    student, batch = _student_and_batch(cfg)
    fused = merged_forward_layers(student)
    assert len(fused) == 7 * cfg.offline_layers  # q, k, v, o, gate, up, down in every layer
    loss, grads = _loss_and_grads(student, batch)
    peft_student, _ = _student_and_batch(cfg, merged_forward=False)  # the same weights, PEFT's forward
    assert not merged_forward_layers(peft_student)
    peft_loss, peft_grads = _loss_and_grads(peft_student, batch)
    assert loss == pytest.approx(peft_loss, rel=1e-6)
    assert grads.keys() == peft_grads.keys() and any("lora_A" in n for n in grads)
    for name, grad in grads.items():
        torch.testing.assert_close(grad, peft_grads[name], rtol=1e-4, atol=1e-6, msg=name)


def test_lora_layers_that_cannot_be_merged_keep_peft_forward(monkeypatch):
    """Dropout (a different mask per token) or a layer over the size limit: PEFT's forward."""
    with_dropout = DistillConfig(level="2", preset="cpu", **TINY_STUDENT, lora_dropout=0.1)
    student, _ = _student_and_batch(with_dropout)
    assert not merged_forward_layers(student)
    monkeypatch.setattr("magdi.model.FUSED_MAX_WEIGHTS", 32 * 32 - 1)  # q, o (32 x 32) and the MLP over it
    student, _ = _student_and_batch(DistillConfig(level="2", preset="cpu", **TINY_STUDENT))
    merged = merged_forward_layers(student)
    fused = {n.rsplit(".", 1)[-1] for n, m in student.named_modules() if any(m is f for f in merged)}
    assert fused == {"k_proj", "v_proj"}  # 32 -> 16 (one key-value head of 16)
