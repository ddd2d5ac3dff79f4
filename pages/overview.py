"""Overview: datasets, label distribution, accuracy per agent per round, review backlog, history."""

from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import ui
from app.ui import cache, text

st.title("Overview")
text.show_flash()
data = cache.overview()
if not data.datasets:
    st.info("The store is empty. Import discussions with `python -m app import FILE`.")
    st.stop()

total = {k: sum(r[k] for r in data.datasets) for k in ("discussions", "turns", "human")}
c = st.columns(4)
c[0].metric("Discussions", f"{total['discussions']:,}")
c[1].metric("Nodes (turns)", f"{total['turns']:,}")
c[2].metric("Human labels", f"{total['human']:,}")
c[3].metric("Waiting for review", f"{data.waiting_for_review:,}")
st.page_link(ui.PAGES["review"], label="Open the review queue", icon=":material/flag:")

st.subheader("Datasets")
table = pd.DataFrame(data.datasets)
st.dataframe(
    table[["dataset", "discussions", "turns", "correct", "incorrect", "human", "overridden", "needs_review"]],
    hide_index=True,
    width="stretch",
    column_config={
        "overridden": st.column_config.NumberColumn(help="human labels that disagree with the automatic one")
    },
)

left, right = st.columns(2)
with left:
    st.subheader("Labels")
    fig = go.Figure()
    names = [text.plot_text(d) for d in table["dataset"]]
    for key, name, color in (
        ("auto_correct", "automatic: correct", "#81c784"),
        ("auto_incorrect", "automatic: incorrect", "#e57373"),
        ("human_correct", "human: correct", "#2e7d32"),
        ("human_incorrect", "human: incorrect", "#c62828"),
    ):
        fig.add_bar(x=names, y=table[key], name=name, marker_color=color)
    fig.update_layout(
        barmode="stack", height=340, margin=dict(l=10, r=10, t=10, b=10), legend=dict(orientation="h")
    )
    st.plotly_chart(fig, key="overview_labels")
    st.caption(text.esc(f"{int(table['overridden'].sum())} human label(s) override the automatic one"))
with right:
    st.subheader("Accuracy per agent per round")
    dataset = st.selectbox(
        "Dataset", ["(all)"] + list(table["dataset"]), key="overview_dataset", label_visibility="collapsed"
    )
    rows, at = cache.accuracy(None if dataset == "(all)" else dataset)
    acc = pd.DataFrame(rows)
    fig = go.Figure()
    if not acc.empty:
        for i, (agent, part) in enumerate(acc.groupby("agent", sort=True)):
            colour, dash = text.series_style(i)
            fig.add_scatter(
                x=part["round"],
                y=part["accuracy"],
                mode="lines+markers",
                line=dict(color=colour, dash=dash),
                name=text.plot_text(agent),
                customdata=part["nodes"],
                hovertemplate="round %{x}: %{y:.0%} of %{customdata} nodes",
            )
    fig.update_layout(
        height=300,
        margin=dict(l=10, r=10, t=10, b=10),
        xaxis=dict(title="round", dtick=1),
        yaxis=dict(title="accuracy", tickformat=".0%", range=[0, 1.05]),
    )
    st.plotly_chart(fig, key="overview_accuracy")
    excluded = int(acc["excluded"].sum()) if not acc.empty else 0
    unparsed = int(acc["unparseable"].sum()) if not acc.empty else 0
    c = st.columns([4, 1])
    c[0].caption(
        text.esc(
            f"Does the discussion help? Effective labels (human where set) · "
            f"{excluded} node(s) excluded from training · {unparsed} unparseable "
            f"answer(s) · computed {datetime.fromtimestamp(at):%H:%M:%S} (at most "
            "once a minute)"
        )
    )
    c[1].button(
        "Refresh",
        key="overview_refresh",
        on_click=cache.refresh_accuracy,
        icon=":material/refresh:",
        type="tertiary",
    )

st.subheader("Recent label changes")
if data.recent:
    recent = pd.DataFrame(data.recent)
    recent["node"] = [
        ("gold answer" if a is None else f"round {int(r)} · {a}")
        for a, r in zip(recent["agent"], recent["round"])
    ]
    shown = ["id", "at", "who", "dataset", "discussion", "node", "field", "old", "new", "note"]
    st.dataframe(
        recent[shown].astype({c: object for c in ("old", "new", "note")}).fillna("—"),  # no raw None
        hide_index=True,
        width="stretch",
    )
    changes = {r["id"]: (r, node) for r, node in zip(data.recent, recent["node"])}
    left, right = st.columns([3, 2], vertical_alignment="bottom")
    pick = left.selectbox(
        "Change",
        list(changes),
        key="overview_change",
        format_func=lambda i: (
            f"#{i} · {changes[i][0]['dataset']} · {changes[i][0]['discussion']} · {changes[i][1]}"
        ),
    )
    change = changes[pick][0]
    where = {"d": str(change["discussion_id"])}
    if change["turn_id"] is not None:
        where["n"] = str(change["turn_id"])
    right.page_link(
        ui.PAGES["mag"], label="Open its node on the MAG page", icon=":material/hub:", query_params=where
    )
else:
    st.caption("No label has been changed yet.")
