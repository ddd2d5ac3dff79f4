"""How it works: the method, the pages and the keys, in a page's length (the README has the rest)."""

import streamlit as st

from app import ui
from app.ui import identity

st.title("How it works")

st.markdown(
    """
**The method.** In MAGDi (Chen, Saha, Stengel-Eskin, Bansal, 2024) several teacher LLMs discuss a
question over rounds, as in ReConcile: each answers (round 0), then reads the others' answers and
answers again. A discussion is a **MAG**, a multi-agent interaction graph: a node per turn (one agent's
answer in one round) and an edge from each turn to the turns that saw it. A node is **correct** when
its answer means the gold answer (normalised per task: "Yes." is yes, "$18" is 18); a human can
correct any label, and a human label wins (the *effective* label). A small student model is then
distilled from the MAGs at four levels: (1) next-token training on the correct chains, (2) plus the
incorrect ones, (3) plus a contrastive loss that scores correct above incorrect reasoning, (4) plus
node classification by a graph network over the question's MAG (MAGDi).

**The workflow.** Import or *Discuss* discussions → look at them (*Overview*, *Browse*, *MAG*) →
correct labels (*MAG*, *Review queue*, *Bulk label*) → *Train* a student → follow it on *Jobs* →
evaluate and compare students with the teachers (*Compare*, *Experiments*) → *Export* the data.
Training and evaluation run in the background worker (`python -m app worker`), never in the page.
"""
)

ABOUT = {
    "overview": "counts per dataset, labels, accuracy per agent and round, the latest label changes",
    "browse": "filter the discussions (dataset, task, majority, flips, consensus, review, search); "
    "the filter travels with you to MAG, Bulk label, Train and Export",
    "mag": "one discussion as a graph and a round × agent grid; a node's detail, label it, exclude it, "
    "correct the gold answer, its history",
    "review": "the nodes that most likely need a human look, with the reason for each",
    "bulk": "one label for every node with a chosen answer in the filtered discussions, with undo",
    "agreement": "how far annotators agree (alpha, kappa per pair, against the consensus and the "
    "automatic labels), the disagreeing nodes, and the adjudication queue",
    "tasks": "hand out a filter's nodes to several annotators (overlap, others' responses hidden), "
    "progress per annotator, and your own queue with the keyboard",
    "discuss": "let teacher agents discuss a question set (ReConcile) into a new dataset",
    "train": "choose the data, the level and the student; see what it will train on; queue the job",
    "jobs": "progress, curves, logs, downloads; cancel, resume, archive or delete a job",
    "compare": "students' answers beside the teachers', per question and in aggregate; new evaluations",
    "experiments": "level ablations: variants × seeds on one frozen split, with significance tests",
    "import": "upload discussion files (JSONL, MAGDi) into a dataset",
    "datasets": "rename, merge, copy or delete datasets",
    "export": "the store or the filter as JSONL or MAGDi JSON (also for the authors' loader)",
    "admin": "users and their roles, and the audit log (admins)",
}
st.subheader("The pages")
for name, (title, icon, section) in ui.PAGE_INFO.items():
    if name in ABOUT and ui.PAGES[name].is_file() and ui.visible(name, identity.current_actor()):
        left, right = st.columns([1, 4])
        left.page_link(ui.PAGES[name], label=title, icon=icon)
        right.markdown(f"{section} · {ABOUT[name]}")

st.subheader("Keys (MAG page)")
st.table(
    {
        "key": ["Y", "N", "E", "J", "K", "H / L"],
        "does": [
            "label the node correct",
            "label the node incorrect",
            "exclude the node from training, or include it again",
            "next node waiting for review (then the next discussion that has one)",
            "next node",
            "previous / next discussion in the Browse order",
        ],
    }
)
st.caption(
    "Every label change is one history entry with your name and can be undone. The theme follows your "
    "browser's light or dark preference; the menu (⋮, top right) → Settings changes it."
)
