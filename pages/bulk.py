"""Bulk label: one label for every node with a given answer in ALL discussions of the filter.

Not only the visible page: the scope is the whole Browse filter. A preview counts the nodes
first; applying writes one history entry per changed node in one transaction (one revision,
so the whole batch can be undone together).
"""

import streamlit as st

from app import ui
from app.services import annotate
from app.services.annotate import UNPARSEABLE
from app.services.auth import Role
from app.ui import cache, identity, state, text

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
actor = identity.current_actor()
preview = annotate.bulk_preview(scope, value, actor=actor, url=cache.db_url())
text.notice(
    "info",
    f"{preview['nodes']:,} node(s) in {preview['discussions']:,} discussion(s) match; your response "
    f"“{label}” goes to {preview['responses']:,} of them. With the other annotators' responses and the "
    f"consensus rule, {preview['to_label']:,} will get the human label “{label}”, "
    f"{preview['undecided']:,} will have none (a tie or too few responses: the automatic label applies), "
    f"and {preview['effective_flips']:,} change their effective label.",
)

can_edit = actor is not None and actor.may(Role.ANNOTATOR)  # the service checks it again
if not can_edit:
    st.info("Bulk labels need the annotator role (an admin gives it).")
st.text_input("Note (saved with every entry)", key="bulk_note", max_chars=500)
confirm = st.checkbox(f"I want to label these {preview['responses']:,} node(s) {label}", key="bulk_confirm")


def apply(scope: annotate.BulkScope, value: bool) -> None:
    res = annotate.bulk_label(
        scope, value, actor=identity.current_actor(), note=s.get("bulk_note"), url=cache.db_url()
    )
    text.flash("success" if res.ok else "error", res.message)
    s["bulk_confirm"] = False


st.button(
    "Apply to all matching nodes",
    type="primary",
    on_click=apply,
    args=(scope, value),
    disabled=not (can_edit and confirm and preview["responses"]),
    key="bulk_apply",
    icon=":material/done_all:",
)

st.subheader("Recent bulk actions")
st.caption(
    "From the label history, so they stay after a reload: each undoes as one batch. Nodes "
    "edited again since the action keep their newer label (an undo never overwrites an edit)."
)
actions = annotate.recent_bulk_actions(url=cache.db_url())
if not actions:
    st.caption("None yet.")


def undo_action(revision: int) -> None:
    res = annotate.undo_bulk(revision, actor=identity.current_actor(), url=cache.db_url())
    text.flash("success" if res.ok else "error", res.message)


for a in actions:
    left, right = st.columns([5, 1], vertical_alignment="center")
    note = f" · note: {a.note}" if a.note else ""
    left.markdown(
        text.esc(
            f"revision {a.revision} · {a.nodes:,} node(s) in {a.discussions:,} discussion(s) "
            f"labelled {a.label} by {a.who} · {a.at:%Y-%m-%d %H:%M} UTC{note}"
        )
        + (f" · undone ({a.undone:,})" if a.undone else "")
    )
    right.button(
        "Undo",
        key=f"bulk_undo_{a.revision}",
        on_click=undo_action,
        args=(a.revision,),
        disabled=not (can_edit and a.undoable),
        help=None if a.undoable else "already undone",
        icon=":material/undo:",
        width="stretch",
    )
