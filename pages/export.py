"""Export: download the store, or the current Browse filter, with its current labels."""

import streamlit as st

from app.services import store
from app.services.auth import Role
from app.ui import cache, identity, state, text

st.title("Export")
text.show_flash()
actor = identity.page_for(
    Role.ANNOTATOR, "Exporting the store needs the annotator role: the file holds every label and note."
)
f = state.current_filter()
state.remember(f)
scope = st.radio(
    "Discussions",
    ["all", "filtered"],
    key="export_scope",
    horizontal=True,
    format_func={"all": "the whole store", "filtered": "the current filter"}.get,
    index=0 if f.is_empty() else 1,
)
if scope == "filtered":
    text.filter_caption(f)
fmt = st.radio(
    "Format",
    ["jsonl", "magdi"],
    key="export_format",
    horizontal=True,
    format_func={
        "jsonl": "JSONL (one discussion per line, labels and sources)",
        "magdi": "MAGDi release format (JSON)",
    }.get,
)
drop = st.checkbox("Leave out nodes excluded from training", key="export_drop")
reference = fmt == "magdi" and st.checkbox(
    "For the MAGDi authors' loader",
    key="export_reference",
    help="Their code labels a turn correct only when its `answer` equals `gold_answer` exactly, so "
    '"Yes." against "yes" and every human correction would be lost. With this, `answer` is the gold '
    "answer for a turn labelled correct and differs from it for one labelled incorrect; the turn's own "
    "answer stays beside it as `raw_answer` (this app imports the file back unchanged).",
)

ids = None
if scope == "filtered":
    ids = cache.ordered_ids(f)
    st.caption(text.esc(f"{len(ids):,} discussion(s) in the filter"))
    if not ids:
        st.info("Nothing to export: no discussion matches the filter.")
        st.stop()


def build() -> bytes:
    import io

    buf = io.StringIO()
    store.export_discussions(
        buf,
        fmt=fmt,
        discussion_ids=ids,
        drop_excluded=drop,
        for_reference=reference,
        actor=actor,
        url=cache.db_url(),
    )
    return buf.getvalue().encode("utf-8")


name = (
    f"magdi-{'filtered' if ids is not None else 'all'}{'-reference' if reference else ''}-r{cache.revision()}"
)
suffix = "jsonl" if fmt == "jsonl" else "json"
st.download_button(
    "Download",
    data=build,
    file_name=f"{name}.{suffix}",
    mime="application/jsonl" if fmt == "jsonl" else "application/json",
    type="primary",
    icon=":material/download:",
    key="export_download",
    on_click="ignore",
)
st.caption(
    "Labels are the effective ones (human where set, marked as such); the file is "
    "written when you click, so it always holds the labels of that moment."
)
