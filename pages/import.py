"""Import: upload JSONL or MAGDi files, check them (counts, the first discussions, every error as
FILE:LINE: reason), then import them all, all or nothing, with the CLI's rules.

The uploads are copied to disk in chunks (`app.services.upload`) and read from there.
"""

import uuid
from pathlib import Path

import pandas as pd
import streamlit as st

from app.services import datasets, upload
from app.services.auth import Role
from app.ui import cache, identity, text

s = st.session_state
st.title("Import")
text.show_flash()
limit = upload.max_upload_mb()
st.caption(
    "Canonical JSONL (one discussion per line) or the MAGDi release format (a JSON array), several "
    f"files at once, up to {limit:,} MB each. Files are checked first; they are imported together, "
    "all or nothing: on any error nothing is imported."
)
actor = identity.page_for(Role.ADMIN, "Importing discussions needs the admin role: datasets are the admins'.")
s.setdefault("import_token", uuid.uuid4().hex)
s.setdefault("import_round", 0)  # a new uploader (empty) after each import
files = st.file_uploader(
    "Discussion files",
    type=["jsonl", "json", "ndjson"],
    accept_multiple_files=True,
    key=f"import_files_{s['import_round']}",
    max_upload_size=limit,
)

names = cache.filter_options().datasets
modes = {
    "file": "as the file says (its lines' dataset field, else the file name)",
    "existing": "an existing dataset",
    "new": "a new dataset",
}
c = st.columns([3, 2])
mode = c[0].radio("Into which dataset", list(modes), format_func=modes.get, key="import_mode")
dataset = None
if mode == "existing":
    if not names:
        st.info("The store has no dataset yet: import as the file says, or name a new one.")
        st.stop()
    dataset = c[1].selectbox("Dataset", names, key="import_dataset")
elif mode == "new":
    dataset = c[1].text_input("Name of the new dataset", key="import_new", max_chars=datasets.NAME_MAX)
c = st.columns([1, 1, 2])
fmt = c[0].selectbox(
    "Format",
    ["auto", "jsonl", "magdi"],
    key="import_format",
    format_func={"auto": "detect", "jsonl": "JSONL", "magdi": "MAGDi JSON"}.get,
)
task = c[1].text_input("Task (MAGDi files)", key="import_task", help="Else guessed from the file name.")
skip = c[2].checkbox("Skip discussions already stored", key="import_skip")

staged: dict[str, str] = s.setdefault("import_staged", {})  # file id -> its copy on disk
for gone in set(staged) - {f.file_id for f in files or []}:  # removed from the uploader
    upload.discard(Path(staged.pop(gone)))
if not files:
    st.info("Choose one or more files to check them.")
    st.stop()
if mode == "new":
    try:
        dataset = datasets.check_name(dataset or "")
    except ValueError as exc:
        text.notice("warning", str(exc))
        st.stop()
    if dataset in names:
        text.notice(
            "warning", f"a dataset named {dataset!r} exists already: choose it as an existing dataset"
        )
        st.stop()

too_large = []
for f in files:
    try:
        upload.check_size(f.name, f.size, limit)
    except upload.UploadTooLarge as exc:
        too_large.append(str(exc))
if too_large:
    st.error("Refused: a file is over the upload limit; nothing was imported.")
    st.code("\n".join(too_large), language=None)
    st.stop()

# Copy every new upload to disk in chunks (once per file).
folder = upload.staging_folder(s["import_token"])
for f in files:
    if f.file_id in staged and Path(staged[f.file_id]).is_file():
        continue
    bar = st.progress(0.0, text=text.esc(f"Copying {f.name}…"))
    f.seek(0)

    def copied(n: int, f=f, bar=bar) -> None:
        bar.progress(
            min(n / max(f.size, 1), 1.0), text=text.esc(f"Copying {f.name}: {n / upload.MB:,.1f} MB")
        )

    try:
        staged[f.file_id] = str(
            upload.save_upload(f, f.name, folder, key=f.file_id, actor=actor, size=f.size, progress=copied)
        )
    except upload.UploadTooLarge as exc:
        st.error("Refused: a file is over the upload limit; nothing was imported.")
        st.code(str(exc), language=None)
        st.stop()
    bar.empty()
chosen = [(f.name, Path(staged[f.file_id])) for f in files]

options = dict(
    dataset=dataset, fmt=fmt, task=task.strip() or None, skip_existing=skip, actor=actor, url=cache.db_url()
)
key = (tuple(f.file_id for f in files), mode, dataset, fmt, task, skip, cache.store_stamp())
if s.get("import_checked", (None,))[0] != key:
    with st.spinner("Checking the files…"):
        checks = upload.check_files(chosen, **options)
    s["import_checked"] = (key, checks)
checks = s["import_checked"][1]

st.subheader("Check")
st.dataframe(
    pd.DataFrame(
        [
            {
                "file": c.name,
                "discussions": c.discussions,
                "nodes": c.turns,
                "already stored": c.stored,
                "into": ", ".join(f"{ds} ({n:,})" for ds, n in c.into.items()),
                "status": "error" if c.error else "ok",
            }
            for c in checks
        ]
    ),
    hide_index=True,
)
errors = [c.error for c in checks if c.error]
if errors:
    st.error(f"{len(errors)} file(s) have errors; nothing will be imported. Fix them and upload again.")
    st.code("\n".join(errors), language=None)
    st.stop()

first = [row for c in checks for row in c.first]
st.caption("The first discussions of each file")
st.dataframe(pd.DataFrame(first), hide_index=True)
total = sum(c.discussions for c in checks)
new = total - (sum(c.stored for c in checks) if skip else 0)
targets = sorted({ds for c in checks for ds in c.into})
text.notice(
    "info",
    f"Ready: {new:,} discussion(s), {sum(c.turns for c in checks):,} node(s) from {len(checks)} file(s) "
    f"into {', '.join(targets)}" + (f"; {total - new:,} already stored are skipped" if total > new else ""),
)
if st.button(f"Import {new:,} discussion(s)", type="primary", key="import_go", icon=":material/upload:"):
    bar = st.progress(0.0, text="Importing…")

    def inserted(n: int) -> None:
        bar.progress(min(n / max(total, 1), 1.0), text=f"Importing: {n:,} / {total:,} discussions")

    try:
        reports = upload.import_uploads(chosen, **options, progress=inserted)
    except upload.IMPORT_ERRORS as exc:
        bar.empty()
        st.error("Nothing was imported:")
        st.code(str(exc), language=None)
        st.stop()
    for path in staged.values():
        upload.discard(Path(path))
    s["import_staged"] = {}
    s.pop("import_checked", None)
    s["import_round"] += 1
    for r in reports:
        text.flash("success", str(r))
    st.rerun()
