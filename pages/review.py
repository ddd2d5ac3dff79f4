"""Review queue: the nodes that wait for review, ranked, one click from their MAG.

"Waits for review" has one definition, shared by the Overview count, Browse's filter, the MAG
page's ⚑ and J: flagged by the rules (unparseable, confident but wrong, split at the last round),
or suggested by the newest predict job's node classifier; never once a human labelled the node.
Rank: unparseable answers, confident but wrong, flagged by the rules, then classifier suggestions.
"""

import pandas as pd
import streamlit as st

from app.services import predictions
from app.services.auth import Role
from app.services.review import REASONS
from app.ui import cache, identity, state, text


def score_nodes(train_job: int, same_data: bool) -> None:
    try:
        job_id = predictions.submit_predictions(
            train_job, actor=identity.current_actor(), same_data=same_data, url=cache.db_url()
        )
    except ValueError as exc:
        text.flash("error", str(exc))
        return
    text.flash(
        "success",
        f"Queued predict job {job_id}: once the worker has run it, the nodes its "
        "classifier disagrees with join the queue.",
    )


st.title("Review queue")
text.show_flash()
opts = cache.filter_options()
c = st.columns([2, 1, 1])
dataset = c[0].selectbox("Dataset", ["(all)"] + opts.datasets, key="review_dataset")
size = c[1].selectbox("Per page", (25, 50, 100), index=1, key="review_size")
items, total = cache.review_queue(
    None if dataset == "(all)" else dataset, st.session_state.get("review_page", 1), size
)
pages = max(1, -(-total // size))
if st.session_state.get("review_page", 1) > pages:
    st.session_state["review_page"] = pages
c[2].number_input("Page", 1, pages, key="review_page")
classifier = predictions.current_classifier(url=cache.db_url())
st.caption(
    text.esc(
        f"{total:,} node(s) wait for review · ranked: unparseable answer > confident but wrong > "
        "agents split at the last round > suggested by the node classifier"
    )
)
if classifier is not None:
    text.notice(
        "info",
        f"Suggestions marked “classifier” come from the node classifier of job "
        f"{classifier.train_job} (scored by job {classifier.job_id}): {classifier.quality}. "
        "They count as waiting for review everywhere until a human labels the node.",
    )
with st.expander("Node classifier", icon=":material/psychology:"):
    st.caption(
        f"The queue uses the node predictions of job {classifier.job_id}."
        if classifier
        else "No node predictions yet: score the nodes with a trained level-4 job."
    )
    trained = {j.id: j for j in predictions.classifier_jobs(url=cache.db_url())}
    actor = identity.current_actor()
    trainer = actor is not None and actor.may(Role.TRAINER)  # the service checks it again
    c = st.columns([3, 2, 2])
    pick = c[0].selectbox(
        "Trained level-4 job",
        list(trained),
        key="review_classifier",
        format_func=lambda j: f"job {j}" + (f" · {trained[j].name}" if trained[j].name else ""),
    )
    same = c[1].checkbox(
        "Only its training data",
        key="review_same_data",
        help="Score the discussions the job trained on, not every stored one.",
    )
    c[2].button(
        "Score nodes with a trained classifier",
        key="review_score",
        on_click=score_nodes,
        args=(pick, same),
        disabled=pick is None or not trainer,
        icon=":material/psychology:",
    )
    if not trainer:
        st.info("Scoring nodes queues a job: that needs the trainer role.")
if not items:
    st.success("Nothing waits for review.")
    st.stop()

table = pd.DataFrame(
    [
        dict(
            node=i.node_id,
            dataset=i.dataset,
            discussion=i.discussion,
            where=f"round {i.round} · {i.agent}",
            answer=i.answer,
            normalised="(unparseable)" if i.answer_norm is None else i.answer_norm,
            confidence=i.confidence,
            label=text.label_shown(i.label),
            source="human" if i.human_label is not None else "automatic",
            why="; ".join(REASONS[r] for r in i.reasons),
            flagged_by=" + ".join(
                by
                for by, hit in (
                    ("rules", any(r != "classifier_disagrees" for r in i.reasons)),
                    ("classifier", "classifier_disagrees" in i.reasons),
                )
                if hit
            ),
            score=i.score,
            classifier=i.p_correct,
            question=i.question[:120],
        )
        for i in items
    ]
)
event = st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="review_table",
    column_config={
        "confidence": st.column_config.NumberColumn(format="%.2f"),
        "classifier": st.column_config.NumberColumn(
            "P(correct)", format="%.2f", help="The node classifier's probability that the node is correct"
        ),
        "node": None,
    },
)
if event.selection.rows:
    item = items[event.selection.rows[0]]
    state.open_mag(item.discussion_id, item.node_id)

by_id = {i.node_id: i for i in items}
c = st.columns([4, 1])
choice = c[0].selectbox(
    "Open node",
    list(by_id),
    label_visibility="collapsed",
    format_func=lambda n: (
        f"{by_id[n].dataset} · {by_id[n].discussion} · round {by_id[n].round} · {by_id[n].agent}"
    ),
)
if c[1].button("Open in MAG", type="primary", icon=":material/hub:", key="review_open"):
    state.open_mag(by_id[choice].discussion_id, choice)
st.caption(
    "The MAG page's “To review” button (J) walks the nodes waiting for review inside the "
    "current Browse filter."
)
