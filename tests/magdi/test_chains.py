"""Level switches on a hand-made MAG with known labels; chain text and its encoding."""

from __future__ import annotations

import pytest

from magdi import reconcile
from magdi.answers import label_answer
from magdi.chains import (
    Chain,
    build_examples,
    drop_agreement,
    encode_chain,
    encode_examples,
    encode_prompt,
    format_question,
    repeat_pairs,
)
from magdi.config import DistillConfig
from magdi.offline import offline_tokenizer
from tests.utils.toy_mags import hand_made

# (questions, chains, pairs, graphs, nodes, edges) per level; see toy_mags.hand_made for the labels.
EXPECTED = {
    "single-teacher": (2, 2, 0, 0, 0, 0),  # agent a correct in round 0: q1, q4
    "1": (2, 4, 0, 0, 0, 0),  # q1: a, c; q4: a, b (c excluded); q2 has no correct round 0
    "2": (3, 7, 0, 0, 0, 0),  # + q1 round 1: a, b; q2 round 1: a
    "3": (3, 7, 7, 0, 0, 0),  # pairs: q1 4 vs 2 -> 4; q2 1 vs 3 -> 3; q4 no incorrect -> 0
    "4": (3, 7, 7, 3, 12, 13),  # nodes 6 + 4 + 2; edges q1 3x3, q2 2x2, q4 none
}


def _keys(example, indices):
    return [example.chains[i].key for i in indices]


@pytest.mark.parametrize("level", list(EXPECTED))
def test_level_counts(level):
    examples, summary = build_examples(DistillConfig(level=level, teacher="a"), hand_made())
    got = tuple(summary[k] for k in ("questions", "chains", "pairs", "graphs", "nodes", "edges"))
    assert got == EXPECTED[level]
    assert summary["questions_total"] == 4
    assert summary["questions_dropped"] == 4 - EXPECTED[level][0]
    assert summary["turns_excluded"] == 1
    assert "q3" not in {e.id for e in examples}  # nothing correct: dropped at every level
    for lv, counts in summary["by_level"].items():
        assert (counts["chains"], counts["pairs"], counts["graphs"]) == (
            EXPECTED[lv][1],
            EXPECTED[lv][2],
            EXPECTED[lv][3],
        )


def test_selected_chains_and_pairs():
    ex = {e.id: e for e in build_examples(DistillConfig(level="1"), hand_made())[0]}
    assert set(ex) == {"q1", "q4"}
    assert _keys(ex["q1"], ex["q1"].positives) == [("a", 0), ("c", 0)]
    assert _keys(ex["q4"], range(len(ex["q4"].chains))) == [("a", 0), ("b", 0)]  # excluded c absent

    single = build_examples(DistillConfig(level="single-teacher", teacher="c"), hand_made())[0]
    assert [(e.id, _keys(e, e.positives)) for e in single] == [("q1", [("c", 0)])]

    ex = {e.id: e for e in build_examples(DistillConfig(level="3"), hand_made())[0]}
    q2 = ex["q2"]
    assert [(q2.chains[a].key, q2.chains[b].key) for a, b in q2.pairs] == [
        (("a", 1), ("a", 0)),
        (("a", 1), ("b", 0)),
        (("a", 1), ("b", 1)),
    ]
    assert all(q2.chains[a].correct and not q2.chains[b].correct for a, b in q2.pairs)
    assert ex["q4"].pairs == []  # no incorrect chain: no contrastive term, no placeholder
    assert all(c.completion.strip() for e in ex.values() for c in e.chains)
    assert ex["q1"].edges is None


def test_level_4_graph_uses_the_turns_own_edges():
    q1 = build_examples(DistillConfig(level="4"), hand_made())[0][0]
    keys = [c.key for c in q1.chains]
    edges = {(keys[s], keys[t]) for s, t in q1.edges}
    assert edges == {((a, 0), (b, 1)) for a in "abc" for b in "abc"}
    assert [c.correct for c in q1.chains] == [True, False, True, True, True, False]


def test_repeat_pairs():
    assert repeat_pairs([0, 1, 2], [5]) == [(0, 5), (1, 5), (2, 5)]
    assert repeat_pairs([0], [4, 5]) == [(0, 4), (0, 5)]
    assert repeat_pairs([0, 1], []) == []


def test_agreement_sentences_and_chain_text():
    text = "I agree with agent b. The sky is blue.\nI disagree that it is green! So it is blue. i Agree too."
    assert drop_agreement(text) == "The sky is blue.\nSo it is blue."
    assert drop_agreement("I agreed earlier. Fine.") == "I agreed earlier. Fine."

    d = hand_made()[0]
    d.turns[0].reasoning = "I agree with b. Blue light scatters more."
    for drop, expected in (
        (True, " Blue light scatters more. So the answer is yes"),
        (False, " I agree with b. Blue light scatters more. So the answer is yes"),
    ):
        ex = build_examples(DistillConfig(level="1", drop_agreement_sentences=drop), [d])[0][0]
        assert ex.chains[0].prompt == "[INST] ### Question: Question 1?[/INST] ### Answer:"
        assert ex.chains[0].completion == expected


def test_format_question_options():
    assert format_question("Q?", ["x", "y"], "ecqa") == "Q?\nOptions:\n1) x\n2) y"
    assert format_question("Q?", ["x", "y"], "arc") == "Q?\nOptions:\nA) x\nB) y"
    assert format_question("Q?", ["A)5", "B)6"], "aqua") == "Q?\nOptions:\nA)5\nB)6"
    assert format_question("Q?", None, "gsm8k") == "Q?"


def test_options_are_labelled_as_the_task_answers_them():
    """Training prompts, discussion prompts and answer labelling agree on how options are named."""
    for task, first, second in (("ecqa", "1", "2"), ("commonsenseqa", "A", "B"), ("arc", "A", "B")):
        assert format_question("Q?", ["x", "y"], task).endswith(f"{first}) x\n{second}) y")
        assert reconcile.format_question("Q?", task, ["x", "y"]).count(f"{second}) y") == 1
        correct, parsed = label_answer(task, second, second, ["x", "y"])
        assert correct and parsed.value == second


def test_encoding_marks_the_prompt_and_ends_with_eos():
    tok = offline_tokenizer()
    chain = build_examples(DistillConfig(level="2"), hand_made())[0][0].chains[0]
    ids, n_prompt, cut = encode_chain(tok, chain, 10_000)
    assert not cut and ids[-1] == tok.eos_token_id
    assert tok.decode(ids[:n_prompt]) == chain.prompt
    assert tok.decode(ids[n_prompt:], skip_special_tokens=True) == chain.completion
    short, n_short, cut = encode_chain(tok, chain, n_prompt - 3)  # cut inside the prompt
    assert cut and short == ids[: n_prompt - 3] and n_short == n_prompt - 3

    examples = build_examples(DistillConfig(level="4"), hand_made())[0]
    items, truncated = encode_examples(examples, tok, 10_000)
    assert truncated == 0
    assert [it.node_labels for it in items][1] == [0, 0, 1, 0]
    all_uids = [u for it in items for u in it.uids]
    assert len(set(all_uids)) == len(all_uids)  # every turn's text differs here


def _llama_style_tokenizer():
    """A small BPE with Llama-2's SentencePiece conventions (a "▁" prepended to the text, spaces as
    "▁", no pre-tokenizer), trained here on a few strings: encoding " Two" alone gives a stray "▁"."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    texts = [
        "[INST] ### Question: What is 2 + 3?[/INST] ### Answer: Two plus three is five. So the answer is 5"
    ] * 3 + ["Reasoning about the answer is simple."]
    tk = Tokenizer(models.BPE(unk_token="<unk>"))
    tk.pre_tokenizer = pre_tokenizers.Metaspace(
        replacement="▁", prepend_scheme="always"
    )  # word-bounded merges
    tk.train_from_iterator(
        texts,
        trainers.BpeTrainer(vocab_size=200, special_tokens=["<unk>", "<s>", "</s>"], show_progress=False),
    )
    tk.pre_tokenizer = None
    tk.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tk.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.Fuse(), decoders.Strip(" ", 1, 0)])
    return PreTrainedTokenizerFast(
        tokenizer_object=tk, bos_token="<s>", eos_token="</s>", unk_token="<unk>", pad_token="</s>"
    )


def test_a_chain_is_tokenised_whole_so_no_stray_space_token_starts_the_completion():
    tok = _llama_style_tokenizer()
    chain = Chain(
        key=("a", 0),
        prompt="[INST] ### Question: What is 2 + 3?[/INST] ### Answer:",
        completion=" Two plus three is five. So the answer is 5",
        correct=True,
    )
    assert tok.convert_ids_to_tokens(tok.encode(chain.completion, add_special_tokens=False))[0] == "▁"
    ids, n_prompt, cut = encode_chain(tok, chain, 10_000)
    whole = tok.encode(chain.prompt + chain.completion, add_special_tokens=False)
    assert not cut and ids == [tok.bos_token_id] + whole + [tok.eos_token_id]
    assert ids[:n_prompt] == encode_prompt(tok, chain.prompt)  # what generation is given
    assert tok.convert_ids_to_tokens(ids[n_prompt:])[:2] == ["▁Two", "▁plus"]


def test_a_prompt_that_is_no_token_prefix_masks_the_common_prefix_only():
    tok = offline_tokenizer()  # bytes: every prompt is a token prefix ...
    chain = Chain(key=("a", 0), prompt="Q: 12", completion="3 is it", correct=True)
    ids, n_prompt, _ = encode_chain(tok, chain, 10_000)
    assert n_prompt == len(encode_prompt(tok, chain.prompt))
    tok = _llama_style_tokenizer()  # ... here "▁Answer:" + "▁Two" vs "▁Ans" + "wer:▁Two"-style merges
    chain = Chain(
        key=("a", 0),
        prompt="[INST] ### Question: What is 2 + 3?[/INST] ### Ans",
        completion="wer: Two",
        correct=True,
    )
    prompt = encode_prompt(tok, chain.prompt)
    ids, n_prompt, _ = encode_chain(tok, chain, 10_000)
    assert ids[: len(prompt)] != prompt  # the boundary token merges across prompt and completion
    assert ids[:n_prompt] == prompt[:n_prompt] and n_prompt < len(prompt)
    assert ids[n_prompt] != prompt[n_prompt]  # the loss starts at the first token that differs
