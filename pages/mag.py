"""MAG: one discussion as a graph and a round × agent grid; a node's detail; annotation.

The current discussion (`d`) and node (`n`) are in the URL next to the Browse filter, so a
refresh keeps them and previous / next walk the filtered list in the Browse order. Keyboard:
Y correct · N incorrect · E exclude/include · J next node needing review · K next node ·
H / L previous / next discussion.
"""

from dataclasses import replace

import pandas as pd
import streamlit as st

from app import graph_view, ui
from app.services import annotate, compare
from app.services.auth import Role
from app.services.browse import neighbours
from app.services.review import REASONS
from app.ui import cache, graph, identity, state, text

s = st.session_state
f, view = state.current_filter(), state.current_view()

# ---------------------------------------------------------------- where are we
goto = s.pop("mag_goto", None)  # set by the navigation callbacks below
in_url = (state.to_int(st.query_params.get("d")), state.to_int(st.query_params.get("n")))
if goto is not None:
    did, nid = goto
elif in_url[0] is not None and in_url != s.get("mag_url"):
    did, nid = in_url  # a refresh, a link or another page sent us here
else:
    did, nid = s.get("mag_d"), None  # our own rerun: the node is in the selectbox's state
ids = cache.ordered_ids(f, sort=view["sort"], desc=view["desc"])
if did is None:
    did = ids[0] if ids else None
d = cache.discussion(did) if did is not None else None
if d is None:
    st.title("MAG")
    st.info("No discussion to show: pick one on the Browse page (or widen the filter).")
    st.page_link(ui.PAGES["browse"], label="Browse discussions", icon=":material/table_rows:")
    st.stop()

node_key = f"mag_node_{d.id}"
node_ids = [n.id for n in d.nodes]
if nid in node_ids:
    s[node_key] = nid
elif s.get(node_key) not in node_ids:
    s[node_key] = (d.review_nodes() or d.nodes)[0].id


def go(discussion_id: int | None, node_id: int | None = None) -> None:
    if discussion_id is not None:
        s["mag_goto"] = (discussion_id, node_id)
        s.pop("mag_pending", None)


def go_node(node_id: int) -> None:
    s[node_key] = node_id


def next_review() -> None:
    """The next node waiting for review here, else the first one in a later discussion."""
    order = [n.id for n in d.nodes]
    cur = order.index(s[node_key]) if s.get(node_key) in order else -1
    for n in d.nodes[cur + 1 :]:
        if n.needs_review:
            return go_node(n.id)
    waiting = cache.ordered_ids(replace(f, needs_review=True), sort=view["sort"], desc=view["desc"])
    later = [
        i
        for i in waiting
        if i != d.id and (d.id not in ids or i not in ids or ids.index(i) > ids.index(d.id))
    ]
    if later:
        target = cache.discussion(later[0])
        first = target.review_nodes()[0].id if target and target.review_nodes() else None
        return go(later[0], first)
    text.flash("info", "No other node waits for review in this filter.")


prev_id, next_id, pos = neighbours(ids, d.id)

# ---------------------------------------------------------------- header and navigation
st.title(text.esc(f"{d.dataset} · {d.external_id}"))
text.show_flash()
nav = st.container(horizontal=True)  # buttons as wide as their labels; they wrap when narrow
nav.button(
    "Previous",
    icon=":material/arrow_back:",
    shortcut="H",
    on_click=go,
    args=(prev_id,),
    disabled=prev_id is None,
    key="mag_prev",
)
nav.button(
    "Next",
    icon=":material/arrow_forward:",
    shortcut="L",
    on_click=go,
    args=(next_id,),
    disabled=next_id is None,
    key="mag_next",
)
nav.button("To review", icon=":material/flag:", shortcut="J", on_click=next_review, key="mag_next_review")
nav.page_link(
    ui.PAGES["browse"],
    label="Back to list",
    icon=":material/table_rows:",
    query_params={**f.to_query(), **state.view_query(view)},
)
where = f"{pos:,} of {len(ids):,}" if pos else f"not in the filter ({len(ids):,} match)"
nav.caption(text.esc(f"Discussion {where} · filter: {f.describe()}"))

st.text(d.question)
if d.options:
    st.text("\n".join(f"{i}. {o}" for i, o in enumerate(d.options, 1)))
sm = d.summary
majority = {None: "—", True: "right", False: "wrong"}[sm["majority_correct"]]
consensus = "never" if sm["consensus_round"] is None else f"round {sm['consensus_round']}"
st.caption(
    text.esc(
        f"task {d.task} · gold answer: {d.gold_answer} · {sm['n_agents']} agents × "
        f"{sm['n_rounds']} rounds · majority {majority} · consensus {consensus} · "
        f"{sm['n_review']} node(s) to review"
    )
)

# ---------------------------------------------------------------- graph and grid
selected = d.node(s[node_key])
clicked = graph.mag_graph(d, selected.id, key=f"mag_graph_{d.id}")
if clicked is not None and clicked != selected.id and clicked in node_ids:
    s[node_key] = clicked
    st.rerun()
st.caption(graph_view.LEGEND)
with st.container():
    # rows: rounds, columns: agents (agents are few; rounds grow downwards like the graph's x)
    grid = pd.DataFrame(index=[f"round {r}" for r in d.rounds], columns=d.agents, dtype=object)
    style = pd.DataFrame("", index=grid.index, columns=grid.columns)
    cell_node = {}
    for n in d.nodes:
        row = f"round {n.round}"
        mark = "✓" if n.label else "✗"
        conf = "" if n.confidence is None else f" ({n.confidence:.2f})"
        flags = (
            ("✎" if n.human_label is not None else "")
            + ("⚑" if n.needs_review else "")
            + ("⊘" if n.excluded else "")
            + {"right_wrong": " ↘R→W", "wrong_right": " ↗W→R", None: ""}[n.flip]
        )
        answer = n.answer if len(n.answer) <= 32 else n.answer[:31] + "…"
        grid.loc[row, n.agent] = f"{mark} {answer}{conf}{flags}"
        # light cells with dark text of their own: readable in the light and the dark theme
        css = "background-color: #e8f5e9" if n.label else "background-color: #ffebee"
        if n.flip == "right_wrong":
            css = "background-color: #ffcc80; font-weight: bold"
        elif n.flip == "wrong_right":
            css = "background-color: #90caf9; font-weight: bold"
        css += "; color: #212121"
        if n.excluded:
            css = "background-color: #eeeeee; color: #616161"
        if n.id == selected.id:
            css += "; color: #0d47a1; font-style: italic"
        style.loc[row, n.agent] = css
        cell_node[(d.rounds.index(n.round), n.agent)] = n.id
    grid = grid.fillna("")
    width = max(150, 1100 // max(1, len(d.agents)))  # every agent column in view, 3-5 agents
    event = st.dataframe(
        grid.style.apply(lambda _: style, axis=None),
        width="stretch",
        on_select="rerun",
        selection_mode="single-cell",
        key=f"mag_grid_{d.id}",
        column_config={a: st.column_config.TextColumn(a, width=width) for a in d.agents},
    )
    st.caption(
        "Round × agent: ✓/✗ effective label, (confidence), ✎ human label, ⚑ waits for "
        "review, ⊘ excluded; orange: flip right→wrong, blue: flip wrong→right. "
        "Select a cell to open its node."
    )
    cells = event.selection.get("cells", []) if event else []
    if cells and tuple(cells[0]) != s.get("mag_grid_applied"):
        s["mag_grid_applied"] = tuple(cells[0])
        picked = cell_node.get(tuple(cells[0]))
        if picked is not None and picked != selected.id:
            s[node_key] = picked
            st.rerun()

# ---------------------------------------------------------------- node detail and annotation
labels = {n.id: f"{n.title} — {n.answer[:40]}" + (" ⚑" if n.needs_review else "") for n in d.nodes}
st.selectbox("Node", node_ids, format_func=labels.get, key=node_key)
node = d.node(s[node_key])
order = node_ids.index(node.id)
s["mag_d"], s["mag_url"] = d.id, (d.id, node.id)
state.remember(f, view, d=str(d.id), n=str(node.id))

detail, act = st.columns([1, 1])
with detail:
    st.subheader(text.esc(f"{node.agent} · round {node.round}"))
    facts = [
        ("raw answer", node.answer),
        ("normalised answer", "(could not be read)" if node.answer_norm is None else node.answer_norm),
        ("gold answer", d.gold_answer),
        ("confidence", "—" if node.confidence is None else f"{node.confidence:.2f}"),
        ("automatic label", text.label_shown(node.auto_label)),
        ("human label", text.label_shown(node.human_label)),
        (
            "effective label",
            text.label_shown(node.label) + (" (human correction)" if node.human_corrected else ""),
        ),
        ("excluded from training", "yes" if node.excluded else "no"),
        ("flip", {"right_wrong": "right → wrong", "wrong_right": "wrong → right", None: "—"}[node.flip]),
        (
            "review",
            "; ".join(REASONS[r] for r in node.reasons)
            + ("" if node.p_correct is None else f" (its P(correct): {node.p_correct:.2f})")
            or "—",
        ),
    ]
    st.dataframe(
        pd.DataFrame(facts, columns=["field", "value"]),
        hide_index=True,
        width="stretch",
        key=f"mag_facts_{node.id}",
    )
    st.caption("Reasoning")
    with st.container(border=True):
        st.text(node.reasoning)
    evaluated = compare.runs_with_question(d.dataset, d.external_id, cache.db_url())
    if evaluated:
        st.page_link(
            ui.PAGES["compare"],
            label=f"The students' answers to this question ({len(evaluated)} evaluation(s))",
            icon=":material/compare_arrows:",
            query_params=state.compare_query(evaluated, d.dataset, d.external_id),
        )

actor = identity.current_actor()
can_edit = actor is not None and actor.may(Role.ANNOTATOR)  # the services check it again


def save(kind: str, node_id: int, version: int, value) -> None:
    """Button callback: the version is the one the annotator saw when the page was drawn."""
    note = s.get("mag_note", "")
    call = annotate.set_label if kind == "label" else annotate.set_excluded
    res = call(
        node_id,
        value,
        actor=identity.current_actor(),
        note=note,
        expected_version=version,
        url=cache.db_url(),
    )
    if res.ok:
        s.pop("mag_pending", None)
        s["mag_note"] = ""
        text.flash("success", f"Saved: {res.message}.")
        if kind == "label" and s.get("mag_advance"):
            next_review()
    elif res.stale:
        s["mag_pending"] = dict(kind=kind, node=node_id, value=value, note=note, message=res.message)
    else:
        text.flash("error", res.message)


def discard() -> None:
    s.pop("mag_pending", None)


def undo(event_id: int) -> None:
    res = annotate.undo(event_id, actor=identity.current_actor(), url=cache.db_url())
    text.flash_result(res, "Not undone")


with act:
    st.subheader("Annotate")
    if not can_edit:
        st.info("Labelling, exclusion and gold corrections need the annotator role (an admin gives it).")
    pending = s.get("mag_pending")
    if pending and pending["node"] == node.id:
        what = (
            f"label {text.label_shown(pending['value'])}"
            if pending["kind"] == "label"
            else ("exclude" if pending["value"] else "include")
        )
        text.notice(
            "warning",
            f"Not saved — {pending['message']}. Your change ({what}) is kept: "
            "check the current values, then apply it again or discard it.",
        )
        c = st.columns(2)
        c[0].button(
            "Apply my change again",
            on_click=save,
            key="mag_reapply",
            args=(pending["kind"], node.id, node.version, pending["value"]),
            disabled=not can_edit,
            type="primary",
        )
        c[1].button("Discard my change", on_click=discard, key="mag_discard")
        if pending.get("note") and not s.get("mag_note"):
            s["mag_note"] = pending["note"]
    st.text_input("Note (optional, saved with the next change)", key="mag_note", max_chars=500)
    c = st.columns(2)
    c[0].button(
        "Correct",
        icon=":material/check:",
        shortcut="Y",
        on_click=save,
        args=("label", node.id, node.version, True),
        disabled=not can_edit,
        type="primary" if node.label else "secondary",
        key="mag_correct",
        width="stretch",
    )
    c[1].button(
        "Incorrect",
        icon=":material/close:",
        shortcut="N",
        on_click=save,
        args=("label", node.id, node.version, False),
        disabled=not can_edit,
        type="primary" if not node.label else "secondary",
        key="mag_incorrect",
        width="stretch",
    )
    c = st.columns(2)
    c[0].button(
        "Include" if node.excluded else "Exclude",
        icon=":material/block:",
        shortcut="E",
        on_click=save,
        args=("excluded", node.id, node.version, not node.excluded),
        disabled=not can_edit,
        key="mag_exclude",
        help="include this node in training again" if node.excluded else "leave this node out of training",
        width="stretch",
    )
    c[1].button(
        "Automatic label",
        icon=":material/restart_alt:",
        on_click=save,
        args=("label", node.id, node.version, None),
        disabled=not can_edit or node.human_label is None,
        key="mag_clear",
        help="drop the human label: the automatic one applies again",
        width="stretch",
    )
    c = st.columns(2)
    c[0].button(
        "Next node",
        icon=":material/arrow_downward:",
        shortcut="K",
        on_click=go_node,
        args=(node_ids[(order + 1) % len(node_ids)],),
        key="mag_next_node",
        width="stretch",
    )
    c[1].toggle("Jump to next review after labelling", key="mag_advance")

    st.caption("History of this node")
    events = cache.history(turn_id=node.id, limit=20)
    if not events:
        st.caption("No change yet.")
    for ev in events:
        row = st.columns([3, 1], vertical_alignment="center")
        line = f"{ev.summary()} · {ev.who} · {ev.at:%Y-%m-%d %H:%M}"
        if ev.note:
            line += f" · “{ev.note}”"
        if ev.undone:
            line += " · undone"
        row[0].text(line)
        if ev.undoable:
            row[1].button(
                "Undo",
                key=f"mag_undo_{ev.id}",
                on_click=undo,
                args=(ev.id,),
                disabled=not can_edit,
                icon=":material/undo:",
                width="stretch",
            )

# ---------------------------------------------------------------- gold answer
with st.expander("Correct the gold answer"):
    gold_key = f"mag_gold_{d.id}"
    s.setdefault(gold_key, d.gold_answer)
    st.text_input("Gold answer", key=gold_key, max_chars=500)
    new_gold = s[gold_key].strip()
    if new_gold and new_gold != d.gold_answer:
        changes = annotate.preview_gold(d.id, new_gold, url=cache.db_url())
        st.caption(text.esc(f"{len(changes)} automatic label(s) would change:"))
        if changes:
            st.dataframe(
                pd.DataFrame(
                    [
                        dict(
                            node=f"round {c.round} · {c.agent}",
                            answer=c.answer,
                            automatic=f"{text.label_shown(c.old)} → {text.label_shown(c.new)}",
                            effective="unchanged (human label)" if c.human_label is not None else "changes",
                        )
                        for c in changes
                    ]
                ),
                hide_index=True,
                width="stretch",
            )

        def apply_gold(discussion_id: int, version: int, gold: str) -> None:
            res = annotate.set_gold(
                discussion_id,
                gold,
                actor=identity.current_actor(),
                note=s.get("mag_note", ""),
                expected_version=version,
                url=cache.db_url(),
            )
            text.flash_result(res, "Not saved")
            s.pop(gold_key, None)

        st.button(
            "Apply gold answer",
            on_click=apply_gold,
            args=(d.id, d.version, new_gold),
            disabled=not can_edit,
            key="mag_apply_gold",
            type="primary",
        )

with st.expander("History of this discussion"):
    events = cache.history(discussion_id=d.id, limit=100)
    if events:
        st.dataframe(
            pd.DataFrame(
                [
                    dict(
                        id=e.id,
                        at=e.at,
                        who=e.who,
                        node=e.where,
                        change=e.summary(),
                        note=e.note,
                        undone=e.undone,
                    )
                    for e in events
                ]
            ),
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("No change yet.")
