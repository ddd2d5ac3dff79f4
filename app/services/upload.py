"""Files uploaded on the Import page: copied to disk in chunks, checked, imported as the CLI does.

An upload is copied chunk by chunk into its own folder under `MAGDI_UPLOAD_DIR` (default
var/uploads), never read whole, and refused past `MAGDI_UPLOAD_MAX_MB` (default 200). The check
parses every file with the import's own reader and compares the ids with the store and with the
other files, so errors show as `FILE:LINE: reason` before anything is written; the import itself
goes through `store.import_files`, the CLI's rules and all or nothing for all the files, so an
error that the check could not see (another import in between) still leaves the store unchanged.

Uploading and importing are for admins (datasets are theirs): each step takes the actor.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

from app.services import audit, store
from app.services.auth import Actor, Role, require
from db import datasets as dataset_queries
from db.engine import StoreBusy, session_scope
from magdi import formats
from magdi.formats import FormatError

CHUNK_BYTES = 1 << 20
MB = 1 << 20
KEEP_S = 24 * 3600  # staged files older than this (a session that never imported) are removed
PREVIEW = 3  # discussions shown per file
# What an import can fail with; nothing is written in any case.
IMPORT_ERRORS = (FormatError, StoreBusy, store.ParserDied)


class UploadTooLarge(ValueError):
    """A file over the upload limit."""


def max_upload_mb() -> int:
    """The upload limit in MB ($MAGDI_UPLOAD_MAX_MB, default 200)."""
    raw = os.environ.get("MAGDI_UPLOAD_MAX_MB", "200")
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"MAGDI_UPLOAD_MAX_MB must be a whole number of MB, not {raw!r}") from None
    if value < 1:
        raise ValueError("MAGDI_UPLOAD_MAX_MB must be at least 1")
    return value


def upload_root() -> Path:
    return Path(os.environ.get("MAGDI_UPLOAD_DIR") or store.ROOT / "var" / "uploads")


def check_size(name: str, size: int, limit_mb: int | None = None) -> None:
    limit_mb = max_upload_mb() if limit_mb is None else limit_mb
    if size > limit_mb * MB:
        raise UploadTooLarge(
            f"{name}: {size / MB:,.1f} MB is over the upload limit of {limit_mb} MB "
            "(MAGDI_UPLOAD_MAX_MB); nothing was imported"
        )


def safe_name(name: str) -> str:
    """The uploaded file's own name (its stem names the dataset by default), made a plain file name."""
    base = "".join(c if c.isprintable() and c not in "/\\" else "_" for c in Path(name or "").name).strip()
    return base if base and not base.startswith(".") else f"upload{Path(base).suffix or '.jsonl'}"


def staging_folder(session_token: str) -> Path:
    """This browser session's folder; other sessions' folders untouched for a day are removed."""
    root = upload_root()
    token = hashlib.sha256(session_token.encode()).hexdigest()[:16]
    if root.is_dir():
        for old in root.iterdir():
            if old.name != token and old.is_dir() and time.time() - old.stat().st_mtime > KEEP_S:
                shutil.rmtree(old, ignore_errors=True)
    folder = root / token
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save_upload(
    src: BinaryIO,
    name: str,
    folder: Path,
    *,
    key: str,
    actor: Actor,
    size: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Path:
    """Copy `src` into folder/<key's digest>/<name> chunk by chunk; `progress` gets the bytes
    copied. Refused (UploadTooLarge, nothing kept) past the limit, counted as it copies."""
    require(actor, Role.ADMIN, "upload files")
    limit = max_upload_mb()
    if size is not None:
        check_size(name, size, limit)
    dest = folder / hashlib.sha256(key.encode()).hexdigest()[:16] / safe_name(name)
    dest.parent.mkdir(parents=True, exist_ok=True)
    copied = 0
    try:
        with open(dest, "wb") as out:
            while chunk := src.read(CHUNK_BYTES):
                copied += len(chunk)
                check_size(name, copied, limit)
                out.write(chunk)
                if progress is not None:
                    progress(copied)
    except BaseException:
        shutil.rmtree(dest.parent, ignore_errors=True)
        raise
    return dest


def discard(path: Path) -> None:
    """Remove a staged file (and its own folder)."""
    shutil.rmtree(path.parent, ignore_errors=True)


@dataclass
class FileCheck:
    """One uploaded file as the import would take it."""

    name: str
    discussions: int = 0
    turns: int = 0
    into: dict[str, int] = field(default_factory=dict)  # dataset -> discussions going there
    stored: int = 0  # already in their dataset (skipped with skip_existing)
    first: list[dict] = field(default_factory=list)  # the first discussions, for a preview
    error: str | None = None  # FILE:LINE: reason


def _located(name: str, line: int | None, reason: str) -> str:
    return f"{name}: {reason}" if line is None else f"{name}:{line}: {reason}"


def check_files(
    files: list[tuple[str, Path]],
    *,
    dataset: str | None = None,
    fmt: str = "auto",
    task: str | None = None,
    skip_existing: bool = False,
    actor: Actor,
    url: str | None = None,
) -> list[FileCheck]:
    """Read (name, staged path) files as the import will: counts, a preview, the first error of
    each (a line the reader refuses, an id twice in the files, or one already stored)."""
    require(actor, Role.ADMIN, "check files for import")
    stored: dict[str, set[str]] = {}
    seen: dict[tuple[str, str], str] = {}  # (dataset, id) -> file that holds it
    out = []
    with session_scope(url) as s:
        for name, path in files:
            check = FileCheck(name)
            out.append(check)
            try:
                for loc, d, line_ds in formats.read_discussions(path, fmt, task):
                    ds = dataset or line_ds or Path(path).stem
                    if ds not in stored:
                        stored[ds] = dataset_queries.external_ids(s, name=ds)
                    if (ds, d.id) in seen:
                        where = "this file" if seen[ds, d.id] == name else seen[ds, d.id]
                        raise FormatError(
                            name, loc, f"discussion id {d.id!r} is also in {where} (dataset {ds!r})"
                        )
                    seen[ds, d.id] = name
                    if d.id in stored[ds]:
                        if not skip_existing:
                            raise FormatError(
                                name,
                                loc,
                                f"discussion id {d.id!r} is already in dataset {ds!r} "
                                "(tick “Skip discussions already stored” to skip it)",
                            )
                        check.stored += 1
                    check.discussions += 1
                    check.turns += len(d.turns)
                    check.into[ds] = check.into.get(ds, 0) + 1
                    if len(check.first) < PREVIEW:
                        check.first.append(_preview(d, ds))
            except FormatError as exc:
                check.error = _located(name, exc.line, exc.reason)
    return out


def _preview(d, dataset: str) -> dict:
    rounds = sorted({t.round for t in d.turns})
    return {
        "dataset": dataset,
        "id": d.id,
        "task": d.task,
        "question": d.question if len(d.question) <= 120 else d.question[:119] + "…",
        "gold": d.gold_answer,
        "agents": ", ".join(sorted({t.agent for t in d.turns})),
        "rounds": len(rounds),
        "nodes": len(d.turns),
    }


def import_uploads(
    files: list[tuple[str, Path]],
    *,
    dataset: str | None = None,
    fmt: Literal["auto", "jsonl", "magdi"] = "auto",
    task: str | None = None,
    skip_existing: bool = False,
    actor: Actor,
    url: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[store.ImportReport]:
    """Import the staged files, all or nothing (`store.import_files`); errors name the uploaded
    file. Datasets the import creates get the files as their source (audited)."""
    require(actor, Role.ADMIN, "import discussions")
    names = {str(path): name for name, path in files}
    before = set(store.dataset_names(url))
    try:
        reports = store.import_files(
            [path for _, path in files],
            dataset=dataset,
            fmt=fmt,
            task=task,
            skip_existing=skip_existing,
            actor=actor,
            url=url,
            progress=progress,
        )
    except FormatError as exc:
        raise FormatError(names.get(exc.path, exc.path), exc.line, exc.reason) from None
    reports = [dataclasses.replace(r, path=names[r.path]) for r in reports]
    sources: dict[str, list[str]] = {}
    for r in reports:
        for ds in r.added:
            if ds not in before:
                sources.setdefault(ds, []).append(r.path)
    with session_scope(url, write=True) as s:
        for ds, from_files in sources.items():
            found = dataset_queries.get_dataset(s, ds)
            dataset_queries.set_details(
                s,
                dataset_id=found.id,
                description=found.description,
                source=f"uploaded {', '.join(from_files)} on {time.strftime('%Y-%m-%d')}",
            )
        for r in reports:
            detail = {"added": r.added, "skipped": r.skipped}
            audit.record(actor, "dataset.imported", f"file {r.path}", detail, session=s)
    return reports
