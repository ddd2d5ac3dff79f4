"""Browse: filter, search, sort and page through discussions; open one as a MAG.

The filter, order and page live in the URL (a refresh or a shared link keeps them) and in the
session (the other pages use the same filter: MAG previous/next, bulk label, export).
"""

import pandas as pd
import streamlit as st

from app import ui
from app.services.explore import PAGE_SIZES, SORTS, Filter

TRI = {"any": None, "yes": True, "no": False}
MAJ = {"any": None, "right": True, "wrong": False}
FLIP = {"any": None, "right → wrong": "right_wrong", "wrong → right": "wrong_right"}


def _key(d: dict, value):
    return next(k for k, v in d.items() if v == value)


st.title("Browse discussions")
ui.show_flash()
opts = ui.filter_options()
f0, v0 = ui.current_filter(), ui.current_view()

# Widgets start from the URL / session filter the first time they are drawn on this visit.
initial = {
    "browse_ds": [d for d in f0.datasets if d in opts.datasets],
    "browse_task": f0.task or "(any)",
    "browse_agent": f0.agent or "(any)",
    "browse_q": f0.search,
    "browse_maj": _key(MAJ, f0.majority_correct),
    "browse_r0": _key(TRI, f0.round0_disagree),
    "browse_human": _key(TRI, f0.has_human),
    "browse_review": _key(TRI, f0.needs_review),
    "browse_flip": _key(FLIP, f0.flip),
    "browse_cons": (
        "any"
        if f0.consensus_round is None
        else "never"
        if f0.consensus_round < 0
        else f"round {f0.consensus_round}"
    ),
    "browse_sort": v0["sort"],
    "browse_desc": v0["desc"],
    "browse_size": v0["size"],
    "browse_page": v0["page"],
}
for key, value in initial.items():
    st.session_state.setdefault(key, value)


def reset() -> None:
    for key in initial:
        st.session_state.pop(key, None)
    st.session_state["filter"] = Filter()
    st.session_state["view"] = {}
    st.query_params.clear()


tasks = ["(any)"] + sorted(set(opts.tasks) | ({f0.task} if f0.task else set()))
agents = ["(any)"] + sorted(set(opts.agents) | ({f0.agent} if f0.agent else set()))
cons = ["any", "never"] + [f"round {r}" for r in range(opts.max_round + 1)]
if st.session_state["browse_cons"] not in cons:
    cons.append(st.session_state["browse_cons"])

c = st.columns([2, 1, 1, 3])
c[0].multiselect("Dataset", opts.datasets, key="browse_ds")
c[1].selectbox("Task", tasks, key="browse_task")
c[2].selectbox("Agent takes part", agents, key="browse_agent")
c[3].text_input(
    "Search questions and reasoning",
    key="browse_q",
    placeholder="all words must appear, e.g. muffins cookies",
)
c = st.columns(6)
c[0].selectbox("Final majority", list(MAJ), key="browse_maj")
c[1].selectbox("Round-0 disagreement", list(TRI), key="browse_r0")
c[2].selectbox("Consensus reached", cons, key="browse_cons")
c[3].selectbox("Answer flips", list(FLIP), key="browse_flip")
c[4].selectbox("Human corrections", list(TRI), key="browse_human")
c[5].selectbox("Needs review", list(TRI), key="browse_review")

s = st.session_state
cons_value = (
    None if s.browse_cons == "any" else (-1 if s.browse_cons == "never" else int(s.browse_cons.split()[-1]))
)
f = Filter(
    datasets=tuple(s.browse_ds),
    task=None if s.browse_task == "(any)" else s.browse_task,
    agent=None if s.browse_agent == "(any)" else s.browse_agent,
    majority_correct=MAJ[s.browse_maj],
    round0_disagree=TRI[s.browse_r0],
    consensus_round=cons_value,
    flip=FLIP[s.browse_flip],
    has_human=TRI[s.browse_human],
    needs_review=TRI[s.browse_review],
    search=s.browse_q.strip(),
)
if f != st.session_state.get("filter", f0):
    st.session_state["browse_page"] = 1  # a new filter starts at its first page

c = st.columns([2, 1, 1, 1, 2])
c[0].selectbox("Sort by", list(SORTS), format_func=SORTS.get, key="browse_sort")
c[1].toggle("Descending", key="browse_desc")
c[2].selectbox("Per page", PAGE_SIZES, key="browse_size")
c[4].button("Reset filters", on_click=reset, icon=":material/filter_alt_off:")

page = ui.browse(f, sort=s.browse_sort, desc=s.browse_desc, page=s.browse_page, size=s.browse_size)
current = page.offset // page.limit + 1
if current != s.browse_page:  # past the end: the service clamped it
    st.session_state["browse_page"] = current
c[3].number_input("Page", min_value=1, max_value=page.pages, step=1, key="browse_page")
view = dict(sort=s.browse_sort, desc=s.browse_desc, page=s.browse_page, size=s.browse_size)
ui.remember(f, view)

ui.filter_caption(f, page.total)
if not page.rows:
    st.info("No discussion matches this filter.")
    st.stop()

table = pd.DataFrame(page.rows)
event = st.dataframe(
    table,
    key="browse_table",
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    column_order=[
        "dataset",
        "discussion",
        "task",
        "question",
        "gold",
        "agents",
        "rounds",
        "majority",
        "round0_disagree",
        "consensus",
        "flips",
        "human",
        "review",
    ],
    column_config={
        "question": st.column_config.TextColumn("question", width="large"),
        "task": st.column_config.TextColumn("task", width="small"),
        "gold": st.column_config.TextColumn("gold", width="small"),
        "agents": st.column_config.NumberColumn("agents", width="small"),
        "rounds": st.column_config.NumberColumn("rounds", width="small"),
        "majority": st.column_config.TextColumn("majority", width="small"),
        "round0_disagree": st.column_config.CheckboxColumn("r0 split", width="small"),
        "consensus": st.column_config.NumberColumn(
            "consensus", width="small", help="first round all agents agree"
        ),
        "flips": st.column_config.TextColumn("flips", width="small"),
        "human": st.column_config.NumberColumn("human", width="small", help="nodes with a human label"),
        "review": st.column_config.NumberColumn("review", width="small", help="nodes waiting for review"),
    },
)
st.caption(
    ui.esc(
        f"Page {current} of {page.pages} · rows {page.offset + 1}–"
        f"{page.offset + len(page.rows)} of {page.total:,} · select a row to open it"
    )
)
if event.selection.rows:
    ui.open_mag(int(table.iloc[event.selection.rows[0]]["id"]))

labels = {r["id"]: f"{r['dataset']} · {r['discussion']} — {r['question'][:80]}" for r in page.rows}
c = st.columns([4, 1])
choice = c[0].selectbox("Open discussion", list(labels), format_func=labels.get, label_visibility="collapsed")
if c[1].button("Open MAG", type="primary", icon=":material/hub:"):
    ui.open_mag(choice)
