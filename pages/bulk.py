"""Bulk label: one label for every node with a given answer in ALL discussions of the filter.

Not only the visible page: the scope is the whole Browse filter. A preview counts the nodes
first; applying writes one history entry per changed node in one transaction (one revision,
so the whole batch can be undone together).
"""

import streamlit as st

from app import ui
from app.services import annotate
from app.services.annotate import UNPARSEABLE
from app.ui import annotator, cache, state, text

s = st.session_state
st.title("Bulk label")
text.show_flash()
f = state.current_filter()
state.remember(f)
text.filter_caption(f)
st.page_link(
    ui.PAGES["browse"], label="Change the filter on Browse", icon=":material/tune:", query_params=f.to_query()
)

values = cache.answer_values(f)
if not values:
    st.info("No node matches this filter.")
    st.stop()
counts = dict(values)
opts = cache.filter_options()
c = st.columns([2, 1, 1, 1])
answer = c[0].selectbox(
    "Normalised answer",
    list(counts),
    key="bulk_answer",
    format_func=lambda v: f"{'(unparseable)' if v == UNPARSEABLE else v} — {counts[v]:,} node(s)",
)
agent = c[1].selectbox("Agent", ["(any)"] + opts.agents, key="bulk_agent")
rnd = c[2].selectbox("Round", ["(any)"] + list(range(opts.max_round + 1)), key="bulk_round")
label = c[3].radio("Label", ["correct", "incorrect"], key="bulk_label", horizontal=True)
scope = annotate.BulkScope(
    filter=f,
    answer=answer,
    agent=None if agent == "(any)" else agent,
    round=None if rnd == "(any)" else int(rnd),
)
value = label == "correct"
preview = annotate.bulk_preview(scope, value, url=cache.db_url())
text.notice(
    "info",
    f"{preview['nodes']:,} node(s) in {preview['discussions']:,} discussion(s) "
    f"match; {preview['changing']:,} will get the human label “{label}” "
    f"({preview['effective_flips']:,} of them change their effective label).",
)

who = annotator.require()
st.text_input("Note (saved with every entry)", key="bulk_note", max_chars=500)
confirm = st.checkbox(f"I want to label these {preview['changing']:,} node(s) {label}", key="bulk_confirm")


def apply(scope: annotate.BulkScope, value: bool) -> None:
    res = annotate.bulk_label(
        scope, value, who=annotator.name() or "", note=s.get("bulk_note"), url=cache.db_url()
    )
    text.flash("success", res.message)
    if res.revision is not None:
        s["bulk_last_revision"] = res.revision
    s["bulk_confirm"] = False


st.button(
    "Apply to all matching nodes",
    type="primary",
    on_click=apply,
    args=(scope, value),
    disabled=not (who and confirm and preview["changing"]),
    key="bulk_apply",
    icon=":material/done_all:",
)

last = s.get("bulk_last_revision")
if last is not None:

    def undo_last(revision: int) -> None:
        res = annotate.undo_bulk(revision, who=annotator.name() or "", url=cache.db_url())
        text.flash("success", res.message)
        s.pop("bulk_last_revision", None)

    st.button(
        f"Undo the last bulk action (revision {last})",
        on_click=undo_last,
        args=(last,),
        disabled=not who,
        key="bulk_undo",
        icon=":material/undo:",
    )
