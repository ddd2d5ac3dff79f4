"""What a job reports as it runs, read from its run directory by its worker (`app.worker`) and
copied into the store (`db.telemetry`) at every heartbeat and when the job ends.

The job's process (magdi/, which knows no store) writes files; the worker, on the same host, turns
them into rows, so the app and other hosts read them from the store whatever disk the run is on:

- metrics.jsonl: its complete new lines since the last copy, appended (a few per heartbeat). A
  resumed attempt's process rewrites the file (it drops the records past its checkpoint): a new
  file or a shorter one is copied again from its start. Lines that are not JSON objects are skipped.
- job.log: its newest LOG_LINES lines (at most LOG_BYTES), replaced on every copy.
- progress.json, usage.json, final_metrics.json, quality.json, starts.jsonl: as they are, when
  they changed (a file that is not valid JSON, being rewritten, is copied on a later round).

A file that cannot be read now (a fault of the run directory) is left for a later round; faults of
the job are the worker's to report, not this copy's.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlmodel import Session

from app.services.predictions import QUALITY
from db import telemetry
from magdi.config import STARTS_NAME

LOG_LINES = 200
LOG_BYTES = 16_000
METRICS_CHUNK = 1 << 20  # bytes of metrics.jsonl copied per round at most (the rest on the next)
# final_metrics.json: magdi.validation.FINAL_NAME (that module loads torch; the worker does not)
JSON_FILES = {
    "progress": "progress.json",
    "usage": "usage.json",
    "final": "final_metrics.json",
    "quality": QUALITY,
}


@dataclass
class Update:
    """One round's copy: the metrics records to append (after dropping the job's records, when
    `restart`), the telemetry fields that changed, and where the copy stands once it is stored."""

    restart: bool = False
    metrics: list[dict] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    _metrics_at: tuple[int, int] | None = None
    _seen: dict[str, tuple] = field(default_factory=dict)


def store(session: Session, job_id: int, update: Update) -> None:
    """Write one round's copy of job `job_id`'s run directory (the caller then marks it `stored`)."""
    telemetry.record(session, job_id, restart=update.restart, metrics=update.metrics, fields=update.fields)


@dataclass
class Reader:
    """The copy of one job's run directory: what it holds that the store does not have yet."""

    run_dir: Path
    log_path: Path
    _metrics_at: tuple[int, int] = (0, 0)  # (inode, byte offset) of metrics.jsonl stored so far
    _seen: dict[str, tuple] = field(default_factory=dict)  # file name -> (inode, size, mtime) stored

    def pending(self) -> Update:
        """What changed since the last `stored` update (nothing is marked copied until then)."""
        update = Update()
        self._metrics(update)
        for name, file_name in JSON_FILES.items():
            self._json(update, name, self.run_dir / file_name)
        self._starts(update)
        self._log(update)
        return update

    def stored(self, update: Update) -> None:
        """The update is in the store: the next round starts after it."""
        if update._metrics_at is not None:
            self._metrics_at = update._metrics_at
        self._seen.update(update._seen)

    def _changed(self, update: Update, path: Path) -> os.stat_result | None:
        try:
            st = path.stat()
        except OSError:
            return None
        key = (st.st_ino, st.st_size, st.st_mtime_ns)
        if self._seen.get(path.name) == key:
            return None
        update._seen[path.name] = key
        return st

    def _metrics(self, update: Update) -> None:
        path = self.run_dir / "metrics.jsonl"
        try:
            with open(path, "rb") as fh:
                inode, size = os.fstat(fh.fileno()).st_ino, os.fstat(fh.fileno()).st_size
                known, offset = self._metrics_at
                if inode != known or size < offset:  # a new or rewritten file: copy it again
                    update.restart, offset = known != 0 or offset != 0, 0
                fh.seek(offset)
                chunk = fh.read(METRICS_CHUNK)
        except OSError:
            return
        complete = chunk[: chunk.rfind(b"\n") + 1]  # a line being written waits for the next round
        for line in complete.splitlines():
            try:
                record = json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError):
                continue
            if isinstance(record, dict):
                update.metrics.append(record)
        update._metrics_at = (inode, offset + len(complete))

    def _json(self, update: Update, name: str, path: Path) -> None:
        if self._changed(update, path) is None:
            return
        try:
            text = path.read_text(encoding="utf-8")
            if isinstance(json.loads(text), dict):
                update.fields[name] = text
                return
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            pass
        del update._seen[path.name]  # junk or half-written: read it again next round

    def _starts(self, update: Update) -> None:
        path = self.run_dir / STARTS_NAME
        if self._changed(update, path) is None:
            return
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            del update._seen[path.name]
            return
        starts = []
        for line in lines:
            try:
                start = json.loads(line)
            except json.JSONDecodeError:
                break  # a line being written
            if isinstance(start, dict):
                starts.append(start)
        update.fields["starts"] = json.dumps(starts)

    def _log(self, update: Update) -> None:
        st = self._changed(update, self.log_path)
        if st is None:
            return
        try:
            with open(self.log_path, "rb") as fh:
                fh.seek(max(0, st.st_size - LOG_BYTES))
                data = fh.read(LOG_BYTES)
        except OSError:
            del update._seen[self.log_path.name]
            return
        lines = data.decode("utf-8", errors="replace").splitlines(keepends=True)
        if st.st_size > LOG_BYTES and lines:
            lines = lines[1:]  # the first line was cut
        update.fields["log_tail"] = "".join(lines[-LOG_LINES:])
