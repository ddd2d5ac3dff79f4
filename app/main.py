"""MAGDi Studio, the Streamlit entry: `streamlit run app/main.py`.

A frame only: page config, the store (demo set on first start), sign-in (nothing but the sign-in
button until someone is signed in, when sign-in is configured), who is signed in in the sidebar and
the navigation. The pages live in ../pages/ and their logic in app/.
"""

from __future__ import annotations

import streamlit as st

from app import ui
from app.ui import cache, identity

st.set_page_config(page_title="MAGDi Studio", page_icon="🕸️", layout="wide")
cache.ensure_store()
actor = identity.gate()

sections: dict[str, list] = {}
for name, path in ui.PAGES.items():
    if not ui.visible(name, actor):
        continue
    title, icon, section = ui.PAGE_INFO[name]
    sections.setdefault(section, []).append(st.Page(path, title=title, icon=icon, default=name == "overview"))
page = st.navigation(sections)
st.sidebar.caption("MAGDi Studio · teacher discussions → distillation data")
st.sidebar.page_link(ui.PAGES["help"], label="How it works", icon=":material/help:")
identity.sidebar(actor)
page.run()
