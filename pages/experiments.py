"""Experiments: does each level help? Variants × seeds on one frozen split, the paper's table."""

import pandas as pd
import streamlit as st

from app.services import experiments
from app.services.auth import Forbidden, Role
from app.services.filters import Filter
from app.ui import cache, identity, state, text

DEFAULT_VARIANTS = ["1", "2", "3", "4-frozen", "4-joint"]


def create_form() -> None:
    options = cache.filter_options()
    source = st.radio(
        "Discussions",
        ["datasets", "filter"],
        key="experiments_source",
        horizontal=True,
        format_func={"datasets": "whole datasets", "filter": "the current Browse filter"}.get,
    )
    if source == "filter":
        data = state.current_filter()
        text.filter_caption(data)
    else:
        data = Filter(
            datasets=tuple(
                st.multiselect("Datasets (none: all)", options.datasets, key="experiments_datasets")
            )
        )
    with st.form("experiments_new"):
        variants = st.multiselect(
            "Variants", list(experiments.VARIANTS), DEFAULT_VARIANTS, key="experiments_variants"
        )
        teacher = st.selectbox(
            "Teacher (single-teacher variant)",
            [None, *options.agents],
            key="experiments_teacher",
            format_func=lambda a: "—" if a is None else a,
        )
        c = st.columns(4)
        seeds = c[0].number_input("Seeds", 1, 20, 3, key="experiments_seeds")
        steps = c[1].number_input("Training steps", 1, None, 200, key="experiments_steps")
        sc_k = c[2].number_input("Self-consistency k (1: greedy only)", 1, 64, 1, key="experiments_sc_k")
        max_new = c[3].number_input("Max new tokens (0: default)", 0, 4096, 0, key="experiments_max_new")
        c = st.columns(4)
        shares = [
            c[i].number_input(f"{part} share", 0.0, 1.0, value, 0.05, key=f"experiments_{part}")
            for i, (part, value) in enumerate((("train", 0.8), ("validation", 0.1), ("test", 0.1)))
        ]
        split_seed = c[3].number_input("Split seed", 0, None, 0, key="experiments_split_seed")
        student = st.text_input(
            "Student (Hugging Face id or local path; empty: the offline default)", key="experiments_student"
        )
        name = st.text_input("Name", key="experiments_name")
        if not st.form_submit_button("Create experiment", type="primary", key="experiments_create"):
            return
    train = {"max_steps": int(steps), **({"model": student.strip()} if student.strip() else {})}
    split = dict(zip(("train", "validation", "test"), shares), seed=int(split_seed))
    try:
        with st.spinner("Freezing the data…"):
            experiment_id = experiments.create(
                data=data,
                variants=variants,
                seeds=int(seeds),
                train=train,
                teacher=teacher,
                split=split,
                sc_k=int(sc_k),
                max_new_tokens=max_new or None,
                name=name,
                actor=identity.current_actor(),
                url=cache.db_url(),
            )
    except (ValueError, TypeError, LookupError) as exc:
        text.notice("error", str(exc))
        return
    st.session_state["experiments_selected"] = experiment_id
    text.flash(
        "success", f"Created experiment {experiment_id}; a worker (python -m app worker) runs its jobs."
    )
    st.rerun()


def detail(experiment_id: int, shown_status: str) -> None:
    """The experiment's cells, buttons and results; polled (as a fragment) while it runs."""
    url = cache.db_url()
    actor = identity.current_actor()
    trainer = actor is not None and actor.may(Role.TRAINER)  # the services check it again
    try:
        if trainer:  # (the worker advances it too, as each cell's training ends)
            experiments.advance(experiment_id, actor=actor, url=url)
    except (ValueError, LookupError) as exc:  # e.g. a cell's test questions were deleted from the store
        text.notice("error", f"Cannot queue an evaluation: {exc}")
    view = experiments.get(experiment_id, url=url)
    if view.status != shown_status:  # the selector's label and the polling follow the new status
        st.rerun(scope="app")
    st.subheader(text.esc(f"Experiment {view.id} · {view.name or 'unnamed'} · {view.status}"))
    st.progress(view.done / len(view.cells), text=f"{view.done}/{len(view.cells)} cells done")
    buttons = st.columns(4)
    try:
        if (
            trainer
            and view.status == "running"
            and buttons[0].button("Cancel", key=f"experiments_cancel_{view.id}")
        ):
            cancelled = experiments.cancel(view.id, actor=actor, url=url)
            text.flash("info", f"Experiment {view.id}: {cancelled} job(s) cancelled")
            st.rerun(scope="app")
        if (
            trainer
            and view.status in ("failed", "cancelled")
            and buttons[1].button("Resume", key=f"experiments_resume_{view.id}")
        ):
            queued = experiments.resume(view.id, actor=actor, url=url)
            text.flash("info", f"Experiment {view.id}: {len(queued)} job(s) queued")
            st.rerun(scope="app")
    except Forbidden as exc:  # another trainer's experiment
        text.notice("error", str(exc))
    st.dataframe(pd.DataFrame(experiments.for_display(view)), hide_index=True, key="experiments_cells")
    res = experiments.results(view.id, url=url)
    if not res.questions:
        st.info("The table appears as cells finish their evaluation.")
        return
    st.markdown(f"**Results** · {res.questions} test questions · accuracy over every (seed, question)")
    st.caption(text.esc(experiments.settings_text(res.settings)))
    st.dataframe(
        pd.DataFrame(res.rows),
        hide_index=True,
        key="experiments_table",
        column_config={
            c: st.column_config.NumberColumn(format="%.3f")
            for c in (
                "accuracy",
                "ci_low",
                "ci_high",
                "unanswered",
                "test_loss",
                "test_loss_sd",
                "sc_accuracy",
                "sc_ci_low",
                "sc_ci_high",
            )
        }
        | {"token_ratio": st.column_config.NumberColumn("teacher ÷ student tokens", format="%.1f")},
    )
    st.plotly_chart(experiments.figure(res.rows), key="experiments_plot")
    if res.paired:
        st.markdown(
            "**Adjacent levels, paired on the same (seed, question)**: McNemar's exact test; "
            "95% paired bootstrap interval of the difference (b − a), resampling questions"
        )
        st.dataframe(
            pd.DataFrame(res.paired),
            hide_index=True,
            key="experiments_paired",
            column_config={
                c: st.column_config.NumberColumn(format="%.3f") for c in ("difference", "ci_low", "ci_high")
            }
            | {"p_value": st.column_config.NumberColumn("p", format="%.4f")},
        )
    c = st.columns(2)
    c[0].download_button(
        "Download CSV",
        res.to_csv(),
        f"magdi-experiment-{view.id}.csv",
        "text/csv",
        key="experiments_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    c[1].download_button(
        "Download JSON",
        res.to_json(),
        f"magdi-experiment-{view.id}.json",
        "application/json",
        key="experiments_json",
        icon=":material/download:",
        on_click="ignore",
    )
    with st.expander("Settings"):
        st.json(res.settings)


st.title("Experiments")
text.show_flash()
tab_view, tab_new = st.tabs(["Experiments", "New experiment"])
with tab_new:
    if identity.current_actor() is not None and identity.current_actor().may(Role.TRAINER):
        create_form()
    else:
        st.info("Creating an experiment needs the trainer role (an admin gives it).")
with tab_view:
    found = experiments.list_all(url=cache.db_url())
    if not found:
        st.info("No experiment yet: create one in the next tab.")
    else:
        labels = {e.id: f"#{e.id} {e.name} ({e.status}, {e.done}/{len(e.cells)} cells)" for e in found}
        if st.session_state.get("experiments_selected") not in labels:
            st.session_state["experiments_selected"] = found[0].id
        chosen = st.selectbox("Experiment", list(labels), format_func=labels.get, key="experiments_selected")
        status = next(e.status for e in found if e.id == chosen)
        st.fragment(run_every="3s" if status == "running" else None)(detail)(chosen, status)
