"""Uploads for the Import page: chunked copies under a size limit, the check before the import
(counts, preview, FILE:LINE errors), and the import of several files in one transaction."""

from __future__ import annotations

import io
import json

import pytest

from app.services import datasets, store, upload
from app.services.auth import LOCAL
from tests.utils import discussion, write_jsonl


class Reads(io.BytesIO):
    """A file object that records the size of every read (an upload must never be read whole)."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.sizes: list[int] = []

    def read(self, n: int = -1) -> bytes:
        self.sizes.append(n)
        return super().read(n)


def test_an_upload_is_copied_in_chunks_and_refused_past_the_limit(tmp_path, monkeypatch):
    monkeypatch.setenv("MAGDI_UPLOAD_MAX_MB", "2")
    data = b"x" * (upload.MB + upload.MB // 2)
    src, seen = Reads(data), []
    path = upload.save_upload(
        src, "../a b.jsonl", tmp_path, key="f1", size=len(data), progress=seen.append, actor=LOCAL
    )
    assert path.read_bytes() == data and path.name == "a b.jsonl" and path.parent.parent == tmp_path
    assert all(0 < n <= upload.CHUNK_BYTES for n in src.sizes) and seen == [upload.MB, len(data)]

    with pytest.raises(upload.UploadTooLarge, match=r"big.jsonl: 3.0 MB is over the upload limit of 2 MB"):
        upload.save_upload(io.BytesIO(), "big.jsonl", tmp_path, key="f2", size=3 * upload.MB, actor=LOCAL)
    with pytest.raises(upload.UploadTooLarge):  # a size that lied: counted while copying
        upload.save_upload(
            io.BytesIO(b"y" * (3 * upload.MB)), "liar.jsonl", tmp_path, key="f3", size=10, actor=LOCAL
        )
    assert [p.name for p in tmp_path.rglob("*.jsonl")] == ["a b.jsonl"]
    monkeypatch.setenv("MAGDI_UPLOAD_MAX_MB", "lots")
    with pytest.raises(ValueError, match="whole number of MB"):
        upload.max_upload_mb()


def test_file_names_stay_plain():
    assert upload.safe_name("C:\\x\\..\\data.jsonl") == "C:_x_.._data.jsonl"
    assert upload.safe_name("/etc/passwd") == "passwd"
    assert upload.safe_name(".hidden.json") == "upload.json" and upload.safe_name("") == "upload.jsonl"
    assert upload.safe_name("a\x00\nb.jsonl") == "a__b.jsonl"


def test_the_check_counts_previews_and_finds_the_first_error(db_url, tmp_path):
    store.import_file(write_jsonl(tmp_path / "old.jsonl", [discussion("q1")]), url=db_url, actor=LOCAL)
    good = write_jsonl(tmp_path / "good.jsonl", [discussion("q2"), discussion("q3", dataset="other")])
    bad = write_jsonl(tmp_path / "bad.jsonl", [discussion("q4"), "{not json"])
    again = write_jsonl(tmp_path / "again.jsonl", [discussion("q2", dataset="good")])
    magdi = tmp_path / "set.json"
    magdi.write_text(
        json.dumps(
            [{"question": "Q?", "gold_answer": "yes", "a_output_0": {"reasoning": "r", "answer": "yes"}}]
        )
    )

    [g, b, a, m] = upload.check_files(
        [("good.jsonl", good), ("bad.jsonl", bad), ("again.jsonl", again), ("set.json", magdi)],
        url=db_url,
        actor=LOCAL,
    )
    assert (g.discussions, g.turns, g.into, g.error) == (2, 12, {"good": 1, "other": 1}, None)
    assert [(r["dataset"], r["id"], r["agents"], r["rounds"]) for r in g.first] == [
        ("good", "q2", "a, b, c", 2),
        ("other", "q3", "a, b, c", 2),
    ]
    assert b.error.startswith("bad.jsonl:2: ") and b.discussions == 1
    assert a.error == "again.jsonl:1: discussion id 'q2' is also in good.jsonl (dataset 'good')"
    assert (m.discussions, m.into, m.error) == (1, {"set": 1}, None)

    [clash] = upload.check_files([("x.jsonl", good)], dataset="old", url=db_url, actor=LOCAL)
    [skip] = upload.check_files(
        [("x.jsonl", good)], dataset="old", skip_existing=True, url=db_url, actor=LOCAL
    )
    [fresh] = upload.check_files(
        [("x.jsonl", write_jsonl(tmp_path / "q1.jsonl", [discussion("q1")]))],
        dataset="old",
        url=db_url,
        actor=LOCAL,
    )
    assert clash.error is None and (skip.stored, skip.discussions) == (0, 2)
    assert fresh.error == (
        "x.jsonl:1: discussion id 'q1' is already in dataset 'old' "
        "(tick “Skip discussions already stored” to skip it)"
    )


def test_files_import_together_or_not_at_all(db_url, tmp_path):
    one = write_jsonl(tmp_path / "one.jsonl", [discussion("q1"), discussion("q2")])
    two = write_jsonl(tmp_path / "two.jsonl", [discussion("q3"), discussion("q1")])
    bad = write_jsonl(tmp_path / "bad.jsonl", [discussion("q4"), {"id": "q5"}])
    with pytest.raises(upload.FormatError, match=r"^bad.jsonl:2: ") as refused:
        upload.import_uploads(
            [("one.jsonl", one), ("bad.jsonl", bad)], dataset="birds", url=db_url, actor=LOCAL
        )
    assert refused.value.path == "bad.jsonl" and store.dataset_names(db_url) == []
    with pytest.raises(
        upload.FormatError, match=r"^two.jsonl:2: discussion id 'q1' is already in dataset 'birds'"
    ):
        upload.import_uploads(
            [("one.jsonl", one), ("two.jsonl", two)], dataset="birds", url=db_url, actor=LOCAL
        )
    assert store.dataset_names(db_url) == []

    seen = []
    reports = upload.import_uploads(
        [("one.jsonl", one), ("two.jsonl", two)],
        dataset="birds",
        skip_existing=True,
        url=db_url,
        progress=seen.append,
        actor=LOCAL,
    )
    assert [(r.path, r.added, r.skipped) for r in reports] == [
        ("one.jsonl", {"birds": 2}, 0),
        ("two.jsonl", {"birds": 1}, 1),
    ]
    assert seen[-1] == 4 and seen == sorted(seen)  # counted over both files
    [birds] = datasets.list_datasets(db_url)
    assert (birds.discussions, birds.source.split(" on ")[0]) == (3, "uploaded one.jsonl, two.jsonl")
    datasets.set_details("birds", description="", source="field notes", url=db_url, actor=LOCAL)
    upload.import_uploads(
        [("bad.jsonl", write_jsonl(tmp_path / "b2.jsonl", [discussion("q9")]))],
        dataset="birds",
        url=db_url,
        actor=LOCAL,
    )
    assert datasets.list_datasets(db_url)[0].source == "field notes"  # an existing dataset keeps its own
