"""The train job kind without a worker: frozen data linked, not exported again."""

import json

import pytest

from app.jobkinds import train as train_kind
from app.services import jobs, store
from app.services.auth import LOCAL
from tests.utils.training import TINY


def test_a_job_on_frozen_data_links_it_instead_of_exporting(demo_store, tmp_path):
    frozen = tmp_path / "frozen"
    made = train_kind.freeze({}, {"validation": 0.2, "test": 0.2, "seed": 5}, frozen, demo_store)
    assert made["counts"] == {"train": 24, "validation": 8, "test": 8}
    assert made["label_revision"] == store.revision(demo_store)
    config = jobs.train_config(TINY, frozen=frozen)
    assert jobs.preview_training(config)["split"] == made["counts"]
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    fields = train_kind.prepare(jobs.submit(config, actor=LOCAL), config, run_dir, demo_store)
    assert (fields["data_hash"], json.loads(fields["data_summary"])["split"]) == (
        made["data_hash"],
        made["counts"],
    )
    for name in ("data.jsonl", "data.json", "split.json"):
        assert (run_dir / name).stat().st_ino == (frozen / name).stat().st_ino  # one file, linked
    assert len((run_dir / "test.jsonl").read_text().splitlines()) == 8
    with pytest.raises(ValueError, match="lacks data.jsonl"):
        jobs.train_config(TINY, frozen=tmp_path)
