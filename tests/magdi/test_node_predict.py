"""Node predictions of a trained level-4 run, checked against the run's own GCN and features."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from magdi.chains import encode_chain, make_chain
from magdi.config import DistillConfig
from magdi.gcn import GCN
from magdi.losses import pool
from magdi.mag import Discussion
from magdi.model import pad_right
from magdi.node_predict import load_classifier, predict
from magdi.train import train
from tests.utils.toy_mags import hand_made, write_export
from tests.utils.training import TINY_MODEL


def run(tmp_path: Path, node_features: str) -> Path:
    data = write_export(tmp_path / "export.jsonl", hand_made())
    return train(
        DistillConfig(
            data=str(data),
            output_dir=str(tmp_path / "run"),
            cache_dir=str(tmp_path / "cache"),
            level="4",
            node_features=node_features,
            max_steps=3,
            batch_size=2,
            lr=1e-2,
            warmup_steps=0,
            log_every=1,
            **TINY_MODEL,
        )
    )


def nodes(d: Discussion) -> tuple[list, torch.Tensor]:
    """Non-excluded turn keys and the (2, E) edges among them, from the MAG itself."""
    keys = [t.key for t in d.turns if not t.excluded]
    pairs = [(keys.index(s), keys.index(t)) for s, t in d.edges() if s in keys and t in keys]
    return keys, torch.tensor(pairs, dtype=torch.long).reshape(-1, 2).T


def test_frozen_predictions_are_the_trained_gcn_on_the_training_features(tmp_path):
    run_dir = run(tmp_path, "frozen")
    clf = load_classifier(run_dir)
    discussions = hand_made()
    scores = predict(clf, discussions)

    assert [list(s) for s in scores] == [nodes(d)[0] for d in discussions]  # q3 (nothing correct) too
    assert all(0.0 <= p <= 1.0 for s in scores for p in s.values())
    assert predict(load_classifier(run_dir), discussions) == scores
    assert predict(clf, discussions[1:2]) == [pytest.approx(scores[1], abs=1e-6)]  # batch-independent

    gcn = GCN(32, 16, 2).eval()  # the saved GCN, loaded apart, on the features training cached
    gcn.load_state_dict(
        {
            k.removeprefix("gcn."): v
            for k, v in load_file(run_dir / "heads.safetensors").items()
            if k.startswith("gcn.")
        }
    )
    [cache] = (tmp_path / "cache").glob("node-features-*.pt")
    trained = [d for d in discussions if d.id != "q3"]  # q3 has no correct chain: not trained on
    features = torch.load(cache, weights_only=True)
    assert len(features) == len(trained)
    for d, x in zip(trained, features):
        keys, edges = nodes(d)
        expected = gcn(x, edges).softmax(-1)[:, 1]
        got = torch.tensor([scores[discussions.index(d)][k] for k in keys])
        assert torch.allclose(got, expected, atol=1e-6), d.id


def test_joint_predictions_pool_the_lora_student(tmp_path):
    clf = load_classifier(run(tmp_path, "joint"))
    discussions = hand_made()
    scores = predict(clf, discussions)
    assert predict(clf, discussions) == scores

    def direct(d: Discussion) -> torch.Tensor:
        keys, edges = nodes(d)
        ids = [
            encode_chain(clf.tokenizer, make_chain(clf.config, d, d.turn(k)), clf.config.max_length)[0]
            for k in keys
        ]
        ids, mask = pad_right(ids, clf.tokenizer.pad_token_id)
        reps = pool(clf.student.hidden_states(ids, mask), mask, clf.config.pooling)
        return clf.student.gcn(reps, edges).softmax(-1)[:, 1]

    with torch.no_grad():
        for d, s in zip(discussions, scores):
            assert torch.allclose(torch.tensor(list(s.values())), direct(d), atol=1e-6), d.id
        with clf.student.lm.disable_adapter():  # the base model alone would give other scores
            assert not torch.allclose(
                torch.tensor(list(scores[0].values())), direct(discussions[0]), atol=1e-4
            )


def test_only_level_4_runs_have_a_node_classifier(tmp_path):
    DistillConfig(level="3", output_dir=str(tmp_path)).save(tmp_path)
    with pytest.raises(ValueError, match="level-3 run"):
        load_classifier(tmp_path)
