"""Plumbing shared by the long-running commands (training, evaluation, job kinds): files that
other processes read while they are rewritten, and SIGTERM as a request to stop."""

from __future__ import annotations

import hashlib
import json
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def replace_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """`write` a temporary file, then rename it over `path`: a reader sees the old file or the
    new one, never half of one."""
    tmp = path.with_name(path.name + ".tmp")
    write(tmp)
    tmp.replace(path)


def file_sha256(path: Path) -> str:
    """The sha256 of a file, read in 1 MiB blocks (frozen data and checkpoints can be large)."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def write_text_atomic(path: Path, text: str) -> None:
    replace_atomically(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_json_atomic(path: Path, obj: Any) -> None:
    write_text_atomic(path, json.dumps(obj, indent=1, ensure_ascii=False) + "\n")


@contextmanager
def stop_on_sigterm() -> Iterator[threading.Event]:
    """An event that SIGTERM (a job runner cancelling) sets, for the work to stop at its next
    safe point; the previous handler is restored afterwards."""
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        yield stop
    finally:
        signal.signal(signal.SIGTERM, previous)


def no_progress_bars() -> None:
    """Turn off Hugging Face's tqdm bars (saving and loading shards): our CLIs write job logs,
    where a bar is a line of block characters."""
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
