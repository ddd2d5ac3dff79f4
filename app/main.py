"""MAGDi Studio, the Streamlit entry: `streamlit run app/main.py`.

A frame only: page config, the store (demo set on first start), the annotator's name in the
sidebar and the navigation. The pages live in ../pages/ and their logic in app/.
"""

from __future__ import annotations

import streamlit as st

from app import ui
from app.ui import annotator, cache

st.set_page_config(page_title="MAGDi Studio", page_icon="🕸️", layout="wide")
cache.ensure_store()

sections: dict[str, list] = {}
for name, path in ui.PAGES.items():
    title, icon, section = ui.PAGE_INFO[name]
    sections.setdefault(section, []).append(st.Page(path, title=title, icon=icon, default=name == "overview"))
page = st.navigation(sections)
st.sidebar.caption("MAGDi Studio · teacher discussions → distillation data")
st.sidebar.page_link(ui.PAGES["help"], label="How it works", icon=":material/help:")
annotator.sidebar()
page.run()
