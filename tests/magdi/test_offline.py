"""The offline default student: its tokenizer, its base fixed by its own seed and shape, and it learns."""

from __future__ import annotations

import torch

from magdi.config import DistillConfig
from magdi.offline import OFFLINE_VOCAB, offline_key, offline_llama_config, offline_model, offline_tokenizer
from tests.utils.training import TINY_STUDENT


def _weights(cfg: DistillConfig) -> dict[str, torch.Tensor]:
    return offline_model(cfg, offline_tokenizer()).state_dict()


def test_the_base_has_its_own_seed_so_a_training_seed_sweep_keeps_it():
    a, b = DistillConfig(seed=1, **TINY_STUDENT), DistillConfig(seed=2, **TINY_STUDENT)
    wa, wb = _weights(a), _weights(b)
    assert all(torch.equal(wa[k], wb[k]) for k in wa)
    assert offline_key(a) == offline_key(b)
    other = DistillConfig(seed=1, offline_seed=5, **TINY_STUDENT)
    assert not torch.equal(_weights(other)["lm_head.weight"], wa["lm_head.weight"])
    assert offline_key(other) != offline_key(a)


def test_the_tokenizer_reads_digits_one_by_one_and_gives_text_back():
    tok = offline_tokenizer()
    text = "What is 37 + 45? 7 + 5 = 12, so the answer is 82.\nÉtoile: naïve, 日本."
    ids = tok.encode(text, add_special_tokens=False)
    assert tok.decode(ids) == text  # byte-level: any text, nothing unknown
    assert [tok.decode([i]) for i in tok.encode("90210", add_special_tokens=False)] == list("90210")
    assert len(tok) <= OFFLINE_VOCAB and tok.pad_token_id != tok.eos_token_id
    tok.padding_side = "left"
    assert offline_tokenizer().padding_side == "right"  # each call is a fresh object


def test_the_base_follows_the_offline_shape():
    tok = offline_tokenizer()
    cfg = DistillConfig(**TINY_STUDENT)
    llama = offline_llama_config(cfg, tok)
    assert (llama.hidden_size, llama.num_hidden_layers, llama.num_attention_heads) == (32, 1, 2)
    assert (llama.num_key_value_heads, llama.intermediate_size, llama.vocab_size) == (1, 64, len(tok))
    assert (llama.pad_token_id, llama.eos_token_id) == (tok.pad_token_id, tok.eos_token_id)
    assert not llama.tie_word_embeddings
    wider = DistillConfig(**{**TINY_STUDENT, "offline_hidden": 64})
    assert offline_key(wider) != offline_key(cfg)
    assert offline_model(wider, tok).state_dict()["lm_head.weight"].shape == (len(tok), 64)


def test_the_offline_student_learns_synthetic_arithmetic_in_a_short_run(tmp_path):
    """The cpu preset (at a higher lr for a CI-sized run), a small shape, 60 steps of 2 questions:
    the held-out next-token loss falls far below the uniform guess ln(V), and greedy answers to
    held-out questions parse."""
    import json
    import math

    from magdi.answers import extract_answer
    from magdi.generate import generate, question_prompt
    from magdi.run import StudentRun
    from magdi.simulated import auto_label, simulate_discussions
    from magdi.synthetic import make_questions
    from magdi.train import train
    from tests.utils import write_jsonl

    questions = make_questions("arithmetic", 40, seed=3)
    train_file = write_jsonl(
        tmp_path / "train.jsonl", auto_label(simulate_discussions(questions[:32], seed=3))
    )
    held = questions[32:]
    val_file = write_jsonl(tmp_path / "val.jsonl", auto_label(simulate_discussions(held, seed=3)))
    cfg = DistillConfig(
        data=str(train_file),
        validation_data=str(val_file),
        output_dir=str(tmp_path / "run"),
        level="2",
        max_steps=60,
        batch_size=2,
        lr=5e-3,
        eval_every=60,
        val_questions=0,
        log_every=20,
        save_every=0,
        offline_hidden=64,
        offline_layers=2,
        offline_intermediate=256,
    )
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # two threads on a shared 2-core machine spin against each other: 5x slower
    try:
        run_dir = train(cfg)
    finally:
        torch.set_num_threads(threads)
    final = json.loads((run_dir / "final_metrics.json").read_text())
    vocab = len(offline_tokenizer())
    assert final["val_loss"] < 0.4 * math.log(vocab), (final["val_loss"], math.log(vocab))
    run = StudentRun.from_pretrained(run_dir, device="cpu")
    texts = [t for [t] in generate(run, [question_prompt(run, q.question) for q in held], max_new_tokens=80)]
    parsed = [extract_answer("gsm8k", t).value for t in texts]
    assert sum(p is not None for p in parsed) >= 6, texts
