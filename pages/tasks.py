"""Annotation tasks: hand out the nodes of a Browse filter to several annotators, follow the
progress, and annotate one's personal queue.

Trainers and admins create tasks (the current Browse filter, an overlap, optionally who takes
part); annotators see the tasks and work through their queue with the keyboard: Y correct ·
N incorrect · U unsure · K skip · Z undo (withdraw the last response). With "hide others",
colleagues' responses to a node appear only once one has answered it.
"""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import ui
from app.services import responses, tasks
from app.services.auth import Forbidden, Role
from app.ui import cache, graph, identity, state, text

s = st.session_state
actor = identity.page_for(Role.ANNOTATOR, "Annotation tasks need the annotator role (an admin gives it).")
url = cache.db_url()

st.title("Annotation tasks")
text.show_flash()

# ---------------------------------------------------------------- create (trainer and above)
if actor.may(Role.TRAINER):
    with st.expander("Create a task"):
        f = state.current_filter()
        text.filter_caption(f)
        st.caption("The task takes the nodes of the Browse filter above (set it on the Browse page).")
        c = st.columns([2, 1])
        c[0].text_input("Name", key="tasks_new_name", max_chars=tasks.MAX_NAME)
        c[1].number_input("Overlap (annotators per node)", 1, tasks.MAX_OVERLAP, 2, key="tasks_new_overlap")
        st.text_input(
            "Participants (identities, comma-separated; empty: every annotator)", key="tasks_new_people"
        )
        st.toggle("Hide other people's responses until one has answered", True, key="tasks_new_hide")

        def create(f=f) -> None:
            people = [p for p in s.get("tasks_new_people", "").split(",") if p.strip()]
            try:
                t = tasks.create_task(
                    s.get("tasks_new_name", ""),
                    f,
                    overlap=int(s["tasks_new_overlap"]),
                    participants=people or None,
                    hide_others=s["tasks_new_hide"],
                    actor=identity.current_actor(),
                    url=url,
                )
            except (ValueError, Forbidden) as exc:
                text.flash("error", str(exc))
                return
            s["tasks_selected"] = t.id
            text.flash("success", f"Task {t.name} created.")

        st.button("Create task", on_click=create, type="primary", key="tasks_create")

# ---------------------------------------------------------------- list and progress
listed = tasks.list_tasks(actor=actor, url=url)
if not listed:
    st.info("No annotation task yet." + ("" if actor.may(Role.TRAINER) else " A trainer creates them."))
    st.stop()
by_id = {t.id: t for t in listed}
st.dataframe(
    pd.DataFrame(
        [
            dict(
                task=t.name,
                overlap=t.overlap,
                participants=", ".join(t.participants) if t.participants else "every annotator",
                hidden="yes" if t.hide_others else "no",
                created_by=t.created_by,
                created=t.created_at,
            )
            for t in listed
        ]
    ),
    hide_index=True,
    width="stretch",
)
if s.get("tasks_selected") not in by_id:
    s["tasks_selected"] = listed[0].id
task = by_id[st.selectbox("Task", list(by_id), format_func=lambda i: by_id[i].name, key="tasks_selected")]
# progress counts over every node of the task (half a second at 900,000 nodes): computed when the
# task is first shown and on request, not on each answer
progress_key = f"tasks_progress_{task.id}"
if progress_key not in s:
    s[progress_key] = tasks.progress(task.id, actor=actor, url=url)
done = s[progress_key]
st.progress(
    done.fraction,
    text=f"{done.answered:,} of {done.needed:,} responses ({done.nodes:,} nodes × {task.overlap})",
)
if done.by_annotator:
    people = sorted(done.by_annotator)
    fig = go.Figure(go.Bar(x=[text.plot_text(p) for p in people], y=[done.by_annotator[p] for p in people]))
    fig.update_layout(
        title=f"Nodes answered per annotator (of {done.nodes:,})",
        yaxis_title="nodes answered",
        height=300,
        margin=dict(t=40, b=40),
    )
    st.plotly_chart(fig, width="stretch", key="tasks_progress_chart")
st.button("Refresh progress", on_click=s.pop, args=(progress_key, None), key="tasks_refresh")
if actor.may(Role.TRAINER):

    def archive(task_id: int) -> None:
        t = tasks.archive_task(task_id, actor=identity.current_actor(), url=url)
        text.flash("success", f"Task {t.name} archived.")

    st.button("Archive this task", on_click=archive, args=(task.id,), key="tasks_archive")


# ---------------------------------------------------------------- annotate this task
def answer(node_id: int, value: str, version: int) -> None:
    res = responses.respond(node_id, value, actor=identity.current_actor(), expected_version=version, url=url)
    if res.ok:
        s[f"tasks_last_{task.id}"] = node_id
    text.flash_result(res, "Not saved")


def undo(node_id: int) -> None:
    res = responses.withdraw(node_id, actor=identity.current_actor(), url=url)
    s.pop(f"tasks_last_{task.id}", None)
    text.flash_result(res, "Not undone")


def skip(node_id: int) -> None:
    s[f"tasks_skipped_{task.id}"].append(node_id)


def annotate() -> None:
    """The keyboard loop over the personal queue (the next node is one indexed query)."""
    st.subheader(text.esc(f"Annotate: {task.name}"))
    if not task.takes_part(actor):
        st.info("You do not take part in this task.")
        return
    skipped = s.setdefault(f"tasks_skipped_{task.id}", [])
    queue = [
        q
        for q in tasks.next_items(task.id, actor=actor, limit=len(skipped) + 1, url=url)
        if q.node_id not in skipped
    ]
    last = s.get(f"tasks_last_{task.id}")
    st.button(
        "Undo my last response",
        icon=":material/undo:",
        shortcut="Z",
        on_click=undo,
        args=(last,),
        disabled=last is None,
        key="tasks_undo",
    )
    if not queue:
        st.success("Nothing left for you in this task.")
        if skipped:
            st.button("Show the skipped nodes again", on_click=skipped.clear, key="tasks_unskip")
        return
    item = queue[0]
    d = cache.discussion(item.discussion_id)
    node = d.node(item.node_id)
    st.markdown(text.esc(f"{d.dataset} · {d.external_id} · {node.agent} · round {node.round}"))
    st.text(d.question)
    graph.mag_graph(d, node.id, key=f"tasks_graph_{d.id}")
    c = st.columns([1, 1])
    with c[0]:
        st.caption("Answer")
        st.text(node.answer)
        st.caption(
            text.esc(f"gold answer: {d.gold_answer} · automatic label: {text.label_shown(node.auto_label)}")
        )
        st.caption("Reasoning")
        with st.container(border=True):
            st.text(node.reasoning)
    with c[1]:
        shown, hidden = tasks.visible_responses(task.id, node.id, actor=actor, url=url)
        st.caption("Responses")
        if hidden:
            st.info(f"{hidden} response(s) of others stay hidden until you answer.")
        for r in shown:
            st.text(f"{r.annotator}: {r.value}" + (f" · “{r.note}”" if r.note else ""))
        if not shown and not hidden:
            st.caption("No response yet.")
        b = st.columns(4)
        for col, (label, value, key, icon) in zip(
            b,
            [
                ("Correct", "correct", "Y", ":material/check:"),
                ("Incorrect", "incorrect", "N", ":material/close:"),
                ("Unsure", "unsure", "U", ":material/help:"),
            ],
            strict=False,
        ):
            col.button(
                label,
                icon=icon,
                shortcut=key,
                on_click=answer,
                args=(node.id, value, item.version),
                key=f"tasks_{value}",
                width="stretch",
            )
        b[3].button(
            "Skip",
            icon=":material/skip_next:",
            shortcut="K",
            on_click=skip,
            args=(node.id,),
            key="tasks_skip",
        )
    st.page_link(
        ui.PAGES["mag"],
        label="Open in MAG",
        icon=":material/hub:",
        query_params={"d": str(d.id), "n": str(node.id)},
    )


annotate()
