"""Agreement: how far the annotators agree, per annotation task or dataset, and the adjudication
queue (`app.services.agreement` says what counts and how the queue is ordered)."""

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app.services import agreement, responses
from app.services.auth import Forbidden, Role
from app.ui import cache, identity, state, text
from magdi.agreement import VALUES, Agreement


def coefficient(value: float | None) -> str:
    return "undefined" if value is None else f"{value:.3f}"


def adjudicate(node_id: int, key: str) -> None:
    s = st.session_state
    label, reason = s[f"{key}_label"] == "correct", s.get(f"{key}_reason", "")
    try:
        result = responses.adjudicate(
            node_id, label, reason=reason, actor=identity.current_actor(), url=cache.db_url()
        )
    except Forbidden as exc:
        text.flash("error", str(exc))
        return
    text.flash("success" if result.ok else "error", f"Node {node_id}: {result.message}.")


st.title("Agreement")
text.show_flash()
actor = identity.current_actor()
tasks = agreement.task_choices(cache.db_url())
datasets = cache.filter_options().datasets
c = st.columns([1, 3])
by = c[0].radio("Scope", ["Dataset", "Task"], horizontal=True, key="agreement_by")
if by == "Task":
    if not tasks:
        st.info("No annotation task yet: pick a dataset, or create a task first.")
        st.stop()
    task_id = c[1].selectbox("Task", list(tasks), format_func=lambda i: tasks[i], key="agreement_task")
    scope = dict(task_id=task_id)
else:
    dataset = c[1].selectbox("Dataset", ["(all)"] + datasets, key="agreement_dataset")
    scope = dict(dataset=None if dataset == "(all)" else dataset)

report = agreement.agreement(actor=actor, url=cache.db_url(), **scope)
st.caption(
    text.esc(f"{report.scope}: {report.nodes:,} node(s) answered by {len(report.annotators)} annotator(s)")
)
if not report.annotators:
    st.info("Nobody has answered a node here yet.")
    st.stop()

m = st.columns(3)
m[0].metric(
    "Krippendorff's alpha",
    coefficient(report.alpha),
    help="Nominal; over the nodes two or more annotators answered. Undefined without overlap, or when "
    "every answer is the same value. 'unsure' and withdrawn responses do not count.",
)
m[1].metric("Annotators", len(report.annotators))
m[2].metric("Disagreeing nodes", len(report.disagreeing))

names = report.annotators
kappa = pd.DataFrame(index=names, columns=names, dtype=float)
for p in report.pairs:
    kappa.loc[p.a, p.b] = kappa.loc[p.b, p.a] = p.agreement.kappa
shown = [text.plot_text(n) for n in names]
heat = go.Figure(
    go.Heatmap(
        z=kappa.values,
        x=shown,
        y=shown,
        zmin=-1,
        zmax=1,
        colorscale="RdBu",
        hovertemplate="%{y} · %{x}: kappa %{z:.3f}<extra></extra>",
    )
)
heat.update_layout(title="Cohen's kappa per pair (blank: undefined)", height=300 + 20 * len(names))
st.plotly_chart(heat, key="agreement_kappa")
st.dataframe(
    pd.DataFrame(
        [
            dict(a=p.a, b=p.b, nodes=p.agreement.n, equal=p.agreement.observed, kappa=p.agreement.kappa)
            for p in report.pairs
        ]
    ),
    hide_index=True,
    key="agreement_pairs",
)


def per_annotator(values: dict[str, Agreement], what: str) -> list[dict]:
    return [
        dict(annotator=n, against=what, nodes=a.n, equal=a.observed, kappa=a.kappa) for n, a in values.items()
    ]


rows = per_annotator(report.with_consensus, "consensus") + per_annotator(report.with_automatic, "automatic")
bars = go.Figure(
    [
        go.Bar(
            name=what,
            x=[text.plot_text(r["annotator"]) for r in rows if r["against"] == what],
            y=[r["equal"] for r in rows if r["against"] == what],
        )
        for what in ("consensus", "automatic")
    ]
)
bars.update_layout(title="Share of each annotator's answers equal to…", yaxis_range=[0, 1], barmode="group")
st.plotly_chart(bars, key="agreement_annotators")
st.dataframe(pd.DataFrame(rows), hide_index=True, key="agreement_with")

st.subheader("Automatic vs human labels")
st.caption(
    "The human label is the adjudicated one, else the consensus. "
    f"Nodes: {report.confusion.n:,}; kappa {coefficient(report.confusion.agreement.kappa)}."
)
st.dataframe(
    pd.DataFrame(
        [[report.confusion.counts[(a, h)] for h in VALUES] for a in VALUES],
        index=[f"automatic {a}" for a in VALUES],
        columns=[f"human {h}" for h in VALUES],
    ),
    key="agreement_confusion",
)


def node_table(nodes: list, key: str):
    table = pd.DataFrame(
        [
            dict(
                dataset=n.dataset,
                discussion=n.discussion,
                where=f"round {n.round} · {n.agent}",
                answer=n.answer,
                automatic=text.label_shown(n.auto_label),
                responses=n.votes,
                consensus=text.label_shown(n.consensus),
                contest=n.contest,
                question=n.question[:120],
            )
            for n in nodes
        ]
    )
    event = st.dataframe(
        table,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key=key,
        column_config={"contest": st.column_config.NumberColumn(format="%.2f")},
    )
    if event.selection.rows:
        n = nodes[event.selection.rows[0]]
        state.open_mag(n.discussion_id, n.node_id)


st.subheader("Disagreeing nodes")
if report.disagreeing:
    st.caption("Select a row to open the node in its MAG.")
    node_table(report.disagreeing, "agreement_disagreeing")
else:
    st.success("The annotators agree on every node they share.")

st.subheader("Adjudication queue")
actor = identity.page_for(
    Role.ADJUDICATOR, "Adjudicating sets a node's final label: that needs the adjudicator role."
)
queue = agreement.adjudication_queue(actor=actor, url=cache.db_url(), **scope)
if not queue:
    st.success("Nothing waits for adjudication.")
    st.stop()
st.caption(
    "Humans disagree, or their consensus contradicts a confident automatic label; most contested first."
)
node_table(queue, "agreement_queue")
by_id = {n.node_id: n for n in queue}
pick = st.selectbox(
    "Node to adjudicate",
    list(by_id),
    format_func=lambda i: (
        f"{by_id[i].discussion} · round {by_id[i].round} · {by_id[i].agent} — {by_id[i].votes}"
    ),
    key="agreement_pick",
)
node = by_id[pick]
st.markdown(f"**Question:** {text.esc(node.question)}  \n**Answer:** {text.esc(node.answer)}")
for who, (value, note) in sorted(node.responses.items()):
    st.markdown(f"- {text.esc(who)}: {text.esc(value)}" + (f" — {text.esc(note)}" if note else ""))
key = f"agreement_adj_{pick}"
with st.form(key):
    st.radio("Final label", VALUES, horizontal=True, key=f"{key}_label")
    st.text_input("Reason", key=f"{key}_reason", placeholder="why this label (required)")
    st.form_submit_button("Adjudicate", type="primary", on_click=adjudicate, args=(pick, key))
