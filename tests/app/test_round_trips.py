"""Round trips with the authors' code: our MAGDi export as the MAGDi reference loader labels it,
and ReConcile's run pickles imported through the plain-data unpickler."""

from __future__ import annotations

import io
import json
import os
import pickle

import pytest

from app.services import annotate, store
from app.services.auth import LOCAL, Actor, Role
from magdi.formats import MARKED_INCORRECT, FormatError, read_reconcile
from tests.utils import exported
from tests.utils.cli import cli
from tests.utils.rows import node_id


def reference_labels(all_result: list[dict]) -> list[int]:
    """The labels of dinobby/MAGDi utils.py `generate_ordered_list` (commit fd25471), as its code
    computes them: for claude, gpt4, bard in that order and rounds 0-3, 1 when the turn's
    `answer == result['gold_answer']`, 0 when not, 2 when the turn is absent."""
    labels = []
    for result in all_result:
        for agent in ("claude", "gpt4", "bard"):
            for i in range(4):
                if result.get(f"{agent}_output_{i}"):
                    if result.get(f"{agent}_output_{i}")["answer"] == result["gold_answer"]:
                        labels.append(1)
                    else:
                        labels.append(0)
                else:
                    labels.append(2)
    return labels


def our_labels(records: list[dict]) -> list[int]:
    """Our effective labels in the reference loader's node order (2: no such turn)."""
    labels = []
    for record in records:
        turns = {(t["agent"], t["round"]): t["label"] for t in record["turns"]}
        for agent in ("claude", "gpt4", "bard"):
            labels.extend({"correct": 1, "incorrect": 0, None: 2}[turns.get((agent, i))] for i in range(4))
    return labels


def _magdi(url: str, **kwargs) -> list[dict]:
    buf = io.StringIO()
    store.export_discussions(buf, fmt="magdi", url=url, **kwargs, actor=LOCAL)
    return json.loads(buf.getvalue())


def test_the_reference_loader_reads_our_labels_from_a_reference_export(demo_store):
    url = demo_store
    # human corrections: a turn answering the gold answer exactly marked incorrect, a wrong one correct
    exact = node_id(url, "sqa-001", "claude", 0)  # answer "yes", gold "yes"
    wrong = node_id(url, "sqa-001", "bard", 0)  # answer "no"
    assert annotate.set_label(exact, False, actor=Actor("t", Role.ANNOTATOR), url=url).ok
    assert annotate.set_label(wrong, True, actor=Actor("t", Role.ANNOTATOR), url=url).ok
    records = exported(url)
    ours = our_labels(records)

    plain = _magdi(url)
    assert reference_labels(plain) != ours  # the loader's exact test loses answers and corrections there
    reference = _magdi(url, for_reference=True)
    assert reference_labels(reference) == ours
    assert len(ours) == 12 * len(records) and ours.count(1) > 0 and ours.count(0) > 0

    sqa = next(item for item in reference if item["id"] == "sqa-001")
    assert sqa["claude_output_0"] | {"reasoning": ""} == {
        "reasoning": "",
        "answer": "yes" + MARKED_INCORRECT,
        "raw_answer": "yes",
        "confidence_level": 0.9,
        "label": "incorrect",
        "label_source": "human",
    }
    assert sqa["bard_output_0"]["answer"] == "yes" and sqa["bard_output_0"]["raw_answer"] == "no"
    # the plain export keeps every answer; the reference export keeps them as raw_answer
    assert [t["raw_answer"] for i in reference for k, t in i.items() if "_output_" in k] == [
        t["answer"] for i in plain for k, t in i.items() if "_output_" in k
    ]


def test_a_reference_export_imports_back_as_it_was(demo_store, tmp_path):
    url = demo_store
    assert annotate.set_label(
        node_id(url, "sqa-001", "claude", 0), False, actor=Actor("t", Role.ANNOTATOR), url=url
    ).ok
    before = exported(url)
    path = tmp_path / "ref.json"
    done = cli("export", str(path), "--format", "magdi", "--for-reference", url=url)
    assert done.returncode == 0, done.stderr
    assert cli("export", str(tmp_path / "x.jsonl"), "--for-reference", url=url).returncode == 2
    store.import_file(path, dataset="again", url=url, actor=LOCAL)
    again = {r["id"]: r for r in exported(url) if r["dataset"] == "again"}
    for r in before:
        back = again[r["id"]]
        assert [
            (t["agent"], t["round"], t["answer"], t["label"], t.get("label_source")) for t in back["turns"]
        ] == [(t["agent"], t["round"], t["answer"], t["label"], t.get("label_source")) for t in r["turns"]]


# ---------------------------------------------------------------- ReConcile


def _run(gold: str = "yes", answers=("yes", "no")) -> list[dict]:
    """One item as ReConcile's run.py leaves it after parse_output (derived keys included)."""
    item = {"gold_answer": gold}
    for r, ans in enumerate(answers):
        for agent in ("claude", "gpt3", "bard"):
            item[f"{agent}_output_{r}"] = {
                "reasoning": f"{agent} {r}",
                "answer": ans,
                "confidence_level": 0.8,
            }
            item[f"{agent}_pred_{r}"] = ans
        item[f"vote_{r}"] = [ans] * 3
        item[f"weighted_vote_{r}"] = {ans: 2.4}
        item[f"debate_prompt_{r}"] = ""
    return [item]


def _files(tmp_path, run: list, questions: list[dict] | None = None):
    pkl = tmp_path / "SQA_round_1.pkl"
    pkl.write_bytes(pickle.dumps(run))
    qs = tmp_path / "dev.json"
    qs.write_text(json.dumps(questions or [{"qid": "q1", "question": "Is it?", "answer": True}]))
    return pkl, qs


def test_a_reconcile_run_imports_and_round_trips(sqlite_url, tmp_path):
    pkl, qs = _files(tmp_path, _run())
    done = cli("import", str(pkl), "--questions", str(qs), url=sqlite_url)
    assert done.returncode == 0, done.stderr
    assert "added 1 into 'SQA_round_1' (6 turns" in done.stdout
    [record] = exported(sqlite_url)
    assert (record["id"], record["task"], record["question"], record["gold_answer"]) == (
        "q1",
        "strategyqa",
        "Is it?",
        "yes",
    )
    assert [(t["agent"], t["round"], t["answer"], t["label"]) for t in record["turns"]] == [
        (a, r, ans, "correct" if ans == "yes" else "incorrect")
        for r, ans in enumerate(("yes", "no"))
        for a in ("claude", "gpt3", "bard")
    ]
    # and back out, in the MAGDi format ReConcile's keys share, and in again
    out = tmp_path / "out.json"
    assert cli("export", str(out), "--format", "magdi", url=sqlite_url).returncode == 0
    assert cli("import", str(out), "--dataset", "copy", url=sqlite_url).returncode == 0
    copy = [r for r in exported(sqlite_url) if r["dataset"] == "copy"]
    assert [t["answer"] for t in copy[0]["turns"]] == [t["answer"] for t in record["turns"]]


class _Hostile:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize(
    "payload, reason",
    [
        (lambda m: [{"gold_answer": "yes", "claude_output_0": _Hostile(m)}], "refused: the pickle needs"),
        (lambda m: _Hostile(m), "refused: the pickle needs"),
        (lambda m: [{"gold_answer": b"yes"}], "refused: a value of type bytes"),
        (lambda m: [{"gold_answer": "yes", 1: "x"}], "refused: a dict key of type int"),
        (lambda m: [{"gold_answer": "a\x00b"}], "refused: a NUL character"),
        (lambda m: {"gold_answer": "yes"}, "a non-empty list of dicts"),
    ],
)
def test_anything_but_plain_data_is_refused_and_nothing_runs(sqlite_url, tmp_path, payload, reason):
    marker = tmp_path / "ran"
    pkl, qs = _files(tmp_path, [])
    pkl.write_bytes(pickle.dumps(payload(marker)))
    done = cli("import", str(pkl), "--questions", str(qs), url=sqlite_url)
    assert done.returncode == 2 and done.stderr.startswith(f"error: {pkl}: ") and reason in done.stderr
    assert not marker.exists()
    assert cli("stats", url=sqlite_url).stdout.startswith("the store is empty")


def test_reconcile_question_files_and_their_errors(tmp_path):
    pkl, qs = _files(tmp_path, _run() * 2)
    with pytest.raises(FormatError, match=r"SQA_round_1.pkl: 2 items but .* holds only 1 questions"):
        list(read_reconcile(pkl, qs))
    lines = tmp_path / "test.json"  # Aqua's test.json: JSON lines with options
    lines.write_text('{"question": "A?", "options": ["A)1", "B)2"]}\n{"question": "B?"}\n')
    ds = [d for _, d, _ in read_reconcile(pkl, lines, task="aqua")]
    assert [(d.id, d.question, d.options, d.task) for d in ds] == [
        ("0", "A?", ["A)1", "B)2"], "aqua"),
        ("1", "B?", None, "aqua"),
    ]
    ecqa = tmp_path / "cqa_data_test.csv"
    ecqa.write_text("q_text,q_op1,q_op2,q_op3,q_op4,q_op5,q_ans\nWhere?,a,b,c,d,e,b\nWhy?,f,g,h,i,j,f\n")
    assert [d.options for _, d, _ in read_reconcile(pkl, ecqa)][0] == ["a", "b", "c", "d", "e"]
    lines.write_text('{"question": "A?"}\n{"quest": "B?"}\n')
    with pytest.raises(FormatError, match=r"test.json:2: question 1: no 'question' text"):
        list(read_reconcile(pkl, lines))
    lines.write_text('{"question": "A?"}\n{"question": "B?"\n')
    with pytest.raises(
        FormatError, match=r"test.json:2: malformed JSON: Expecting ',' delimiter \(column 18\)"
    ):
        list(read_reconcile(pkl, lines))
    ecqa.write_text("q_text,q_op1\nWhere\x00?,a\nWhy?,b\n")
    with pytest.raises(FormatError, match=r"cqa_data_test.csv:2: question 0: q_text: a NUL character"):
        list(read_reconcile(pkl, ecqa))
    with pytest.raises(FormatError, match="needs the question file"):
        list(store.formats.read_discussions(pkl))
    # ReConcile keeps an agent's previous output when a debate call fails: one dict, pickled once
    shared = _run()
    shared[0]["claude_output_1"] = shared[0]["claude_output_0"]
    pkl.write_bytes(pickle.dumps(shared))
    [(_, d, _)] = list(read_reconcile(pkl, qs))
    assert d.turn(("claude", 1)).answer == d.turn(("claude", 0)).answer == "yes"


def test_the_export_page_offers_the_reference_variant_for_magdi_only(demo_store):
    from tests.utils.apptest import open_page

    at = open_page("export")
    assert not [c for c in at.checkbox if c.key == "export_reference"]
    at.radio(key="export_format").set_value("magdi").run()
    at.checkbox(key="export_reference").check().run()
    assert not at.exception and at.checkbox(key="export_reference").value
    assert "raw_answer" in at.checkbox(key="export_reference").help
    at.radio(key="export_format").set_value("jsonl").run()
    assert not [c for c in at.checkbox if c.key == "export_reference"]


def test_damaged_pickles_are_refused_or_read_never_anything_else(tmp_path):
    """400 copies of a valid run pickle, each with a few bytes changed (seeded): each one reads as
    discussions or fails with FormatError `FILE: reason`; nothing else escapes."""
    import random

    pkl, qs = _files(tmp_path, _run())
    good = pickle.dumps(_run() + _run(gold="no"), protocol=4)
    qs.write_text(json.dumps([{"question": "A?"}, {"question": "B?"}]))
    rng, outcomes = random.Random(15), {"read": 0, "refused": 0}
    for _ in range(400):
        data = bytearray(good)
        for _ in range(rng.randint(1, 4)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        pkl.write_bytes(bytes(data))
        try:
            list(read_reconcile(pkl, qs))
            outcomes["read"] += 1
        except FormatError as exc:
            assert str(exc).startswith(f"{pkl}: "), exc
            outcomes["refused"] += 1
    assert outcomes["read"] and outcomes["refused"], outcomes
