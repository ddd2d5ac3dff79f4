"""The files a page may name: paths inside the configured file roots, and model sources.

Every path a page accepts (question files, benchmark files, model paths) goes through `resolve`,
which follows symlinks first and refuses anything outside the roots without opening it. Pages offer
`listing` (the files under the roots) as a pick list rather than a typed path.

Configuration (server side, read at each call):
    MAGDI_FILE_ROOTS   folders, separated by os.pathsep; default: the project's var/ and
                       ../shared/datasets (beside the project)
    MAGDI_MODELS_ROOT  the folder of local models; default var/models
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

from db.engine import ROOT

LIST_LIMIT = 2000  # files listed at most (a pick list, not an inventory)
# A Hugging Face model id: a name, or an owner and a name ("Qwen/Qwen2.5-0.5B-Instruct").
_HF_ID = re.compile(r"^(?:[A-Za-z0-9][A-Za-z0-9._-]{0,95}/)?[A-Za-z0-9][A-Za-z0-9._-]{0,95}$")


class OutsideRoots(ValueError):
    """A path that resolves (after symlinks) outside the configured roots; it was not read."""


def roots() -> list[Path]:
    """The file roots, resolved (symlinks followed), in the order configured."""
    raw = os.environ.get("MAGDI_FILE_ROOTS")
    found = (
        [Path(p) for p in raw.split(os.pathsep) if p.strip()]
        if raw
        else [ROOT / "var", ROOT.parent / "shared" / "datasets"]
    )
    return [p.expanduser().resolve() for p in found]


def models_root() -> Path:
    return Path(os.environ.get("MAGDI_MODELS_ROOT") or ROOT / "var" / "models").expanduser().resolve()


def resolve(path: str | Path, *, within: Iterable[Path] | None = None) -> Path:
    """The real path of `path` (relative to the project folder) if it lies inside one of `within`
    (default: the file roots); OutsideRoots otherwise. Nothing is opened."""
    text = str(path).strip()
    if not text or "\0" in text:
        raise OutsideRoots("no file given")
    allowed = list(within) if within is not None else roots()
    raw = Path(text).expanduser()
    real = (raw if raw.is_absolute() else ROOT / raw).resolve()
    if not any(real.is_relative_to(r) for r in allowed):
        shown = os.pathsep.join(str(r) for r in allowed)
        raise OutsideRoots(f"{text} is outside the folders this server reads from ({shown})")
    return real


def listing(suffixes: Iterable[str], *, skip: Iterable[Path] = ()) -> list[Path]:
    """The files under the roots whose name ends in one of `suffixes`, sorted; hidden folders and
    those in `skip` (and links leading out of the roots) left out, at most LIST_LIMIT."""
    ends = tuple(suffixes)
    skipped = {Path(p).resolve() for p in skip}
    out: set[Path] = set()
    for root in roots():
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(
                d for d in dirs if not d.startswith(".") and (Path(folder) / d).resolve() not in skipped
            )
            for name in sorted(names):
                if name.endswith(ends) and not name.startswith("."):
                    try:
                        out.add(resolve(Path(folder) / name))
                    except OutsideRoots:
                        continue
                if len(out) >= LIST_LIMIT:
                    return sorted(out)
    return sorted(out)


def local_models() -> list[str]:
    """The folders directly under the models root (what `model_source` takes by name)."""
    root = models_root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))


def model_source(value: str, *, runs_dir: Path | None = None) -> str:
    """A model a page may name: '' (the offline default), a Hugging Face id, or a path inside the
    models root (or `runs_dir`, for a distilled run), returned resolved. A relative path is taken
    from the models root. Anything else is OutsideRoots."""
    text = value.strip()
    if not text:
        return ""
    within = [models_root(), *([Path(runs_dir).resolve()] if runs_dir else [])]
    looks_like_id = _HF_ID.fullmatch(text) is not None and not text.startswith(".")
    if looks_like_id and not (models_root() / text).exists():
        if (ROOT / text).exists() or Path(text).exists():  # a loader would read that folder instead
            raise OutsideRoots(f"{text} names a folder here, not a Hugging Face id: put it under {within[0]}")
        return text
    raw = Path(text).expanduser()
    return str(resolve(raw if raw.is_absolute() else models_root() / raw, within=within))
