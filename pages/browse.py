"""Browse: filter, search, sort and page through discussions; open one as a MAG.

The filter, order and page live in the URL (a refresh or a shared link keeps them) and in the
session (the other pages use the same filter: MAG previous/next, bulk label, export).
"""

import pandas as pd
import streamlit as st

from app.services.browse import PAGE_SIZES, SORTS
from app.services.filters import Filter, widget_rows
from app.ui import cache, state, text

st.title("Browse discussions")
text.show_flash()
opts = cache.filter_options()
f0, v0 = state.current_filter(), state.current_view()
rows = widget_rows()
fields = [(name, spec, f"browse_{spec.key}") for row in rows for name, spec in row]

# Widgets start from the URL / session filter the first time they are drawn on this visit.
initial = {key: spec.shown(getattr(f0, name), opts) for name, spec, key in fields}
initial.update(browse_sort=v0["sort"], browse_desc=v0["desc"], browse_size=v0["size"], browse_page=v0["page"])
for key, value in initial.items():
    st.session_state.setdefault(key, value)


def reset() -> None:
    for key in initial:
        st.session_state.pop(key, None)
    st.session_state["filter"] = Filter()
    st.session_state["view"] = {}
    st.query_params.clear()


s = st.session_state
for row in rows:  # the widgets as the filter declares them (app.services.filters)
    for col, (_, spec) in zip(st.columns([spec.width for _, spec in row]), row):
        key = f"browse_{spec.key}"
        getattr(col, spec.widget)(spec.label, key=key, **spec.widget_args(opts, spec.read(s[key])))
f = Filter(**{name: spec.read(s[key]) for name, spec, key in fields})
if f != st.session_state.get("filter", f0):
    st.session_state["browse_page"] = 1  # a new filter starts at its first page

c = st.columns([2, 1, 1, 1, 2])
c[0].selectbox("Sort by", list(SORTS), format_func=SORTS.get, key="browse_sort")
c[1].toggle("Descending", key="browse_desc")
c[2].selectbox("Per page", PAGE_SIZES, key="browse_size")
c[4].button("Reset filters", on_click=reset, icon=":material/filter_alt_off:")

page = cache.browse(f, sort=s.browse_sort, desc=s.browse_desc, page=s.browse_page, size=s.browse_size)
current = page.offset // page.limit + 1
if current != s.browse_page:  # past the end: the service clamped it
    st.session_state["browse_page"] = current
c[3].number_input("Page", min_value=1, max_value=page.pages, step=1, key="browse_page")
view = dict(sort=s.browse_sort, desc=s.browse_desc, page=s.browse_page, size=s.browse_size)
state.remember(f, view)

text.filter_caption(f, page.total)
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
    text.esc(
        f"Page {current} of {page.pages} · rows {page.offset + 1}–"
        f"{page.offset + len(page.rows)} of {page.total:,} · select a row to open it"
    )
)
if event.selection.rows:
    state.open_mag(int(table.iloc[event.selection.rows[0]]["id"]))

labels = {r["id"]: f"{r['dataset']} · {r['discussion']} — {r['question'][:80]}" for r in page.rows}
c = st.columns([4, 1])
choice = c[0].selectbox("Open discussion", list(labels), format_func=labels.get, label_visibility="collapsed")
if c[1].button("Open MAG", type="primary", icon=":material/hub:"):
    state.open_mag(choice)
