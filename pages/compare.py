"""Compare: students' answers beside the teachers', per question and in aggregate; new evaluations."""

import html

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import ui
from app.services import compare, discuss, files, mag_view
from app.services.auth import Forbidden, Role
from app.ui import cache, identity, state, text
from magdi.formats import FormatError

GREEN, RED, BLUE = "#2e7d32", "#c62828", "#1565c0"


def mark(ok: bool | None) -> str:
    return "" if ok is None else ("✓" if ok else "✗")


def graph(view: compare.QuestionView) -> go.Figure:
    """The teacher MAG (rounds left to right) with the students as extra nodes on the right."""
    nodes, edges = compare.student_graph(view)
    fig = go.Figure()
    for kind, colour, width in (("responds", "#bdbdbd", 1), ("agrees", BLUE, 2)):
        xs, ys = [], []
        for e in (e for e in edges if e["kind"] == kind):
            xs += [nodes[e["source"]]["x"], nodes[e["target"]]["x"], None]
            ys += [nodes[e["source"]]["y"], nodes[e["target"]]["y"], None]
        fig.add_scatter(
            x=xs,
            y=ys,
            mode="lines",
            line=dict(color=colour, width=width),
            hoverinfo="skip",
            name="responds to" if kind == "responds" else "student agrees with",
        )
    for kind, symbol in (("teacher", "circle"), ("student", "star")):
        part = [n for n in nodes if n["kind"] == kind]
        fig.add_scatter(
            x=[n["x"] for n in part],
            y=[n["y"] for n in part],
            mode="markers+text",
            name=kind + "s",
            marker=dict(
                symbol=symbol,
                size=22 if kind == "student" else 18,
                color=[GREEN if n["correct"] else RED for n in part],
            ),
            text=[html.escape(n["short"]) for n in part],
            textposition="top center",
            hovertext=[html.escape(f"{n['name']}: {n['answer']}"[:200]) for n in part],
            hoverinfo="text",
        )
    fig.update_layout(
        height=300,
        margin=dict(l=10, r=10, t=10, b=10),
        legend=dict(orientation="h"),
        xaxis=dict(title="round (students on the right)", dtick=1),
        yaxis=dict(visible=False, autorange="reversed"),
    )
    return fig


def per_question(stamp: tuple, chosen: list[int]) -> None:
    flt = st.radio(
        "Show", list(compare.FILTERS), key="compare_filter", horizontal=True, format_func=compare.FILTERS.get
    )
    views = cache.compare_questions(stamp, chosen, flt)
    st.caption(f"{len(views)} question(s)")
    if not views:
        st.info("No question matches.")
        return
    want = st.session_state.pop("compare_want", None)  # a link named the question (see below)
    if want is not None:
        found = [i for i, x in enumerate(views) if (x.dataset, x.key) == want]
        if found:
            st.session_state["compare_question"] = found[0]
    pick = st.selectbox(
        "Question",
        range(len(views)),
        key="compare_question",
        format_func=lambda i: f"{views[i].dataset} · {views[i].key} · {views[i].question[:90]}",
    )
    v = cache.compare_question(stamp, chosen, views[pick].dataset, views[pick].key)
    st.text(v.question)
    discussion_id = mag_view.find_discussion(v.dataset, v.key, cache.db_url())
    if discussion_id is not None:
        st.page_link(
            ui.PAGES["mag"],
            label="Its teachers' discussion (MAG)",
            icon=":material/hub:",
            query_params={"d": str(discussion_id)},
        )
    if v.options:
        st.text("\n".join(f"{i + 1}. {o}" for i, o in enumerate(v.options)))
    st.markdown(f"**Gold answer:** {text.esc(v.gold_answer)} · task {text.esc(v.task)}")
    left, right = st.columns(2)
    with left:
        st.subheader("Teachers")
        if v.consensus is None:
            st.caption("No stored discussion for this question (a benchmark evaluation).")
        else:
            st.dataframe(
                pd.DataFrame(
                    [
                        {
                            "round": t.round,
                            "agent": t.agent,
                            "answer": t.answer,
                            "read as": t.value or "(unparseable)",
                            "confidence": t.confidence,
                            "label": mark(t.correct),
                            "vs gold": mark(t.matches_gold),
                        }
                        for t in v.teachers
                    ]
                ),
                hide_index=True,
                key="compare_teachers",
            )
            st.caption(
                "label: the turn's effective label (a human correction wins over the automatic one), "
                "what training uses · vs gold: its answer against the gold answer, as the votes and "
                "the students are scored"
            )
            c = v.consensus
            st.markdown(
                text.esc(
                    f"Final answer (round {c.round}): weighted vote {c.weighted or 'none'} "
                    f"{mark(c.weighted_correct)} · majority {c.majority or 'none'} "
                    f"{mark(c.majority_correct)} (vs gold) · {v.teacher_tokens or '?'} teacher tokens"
                )
            )
    with right:
        st.subheader("Students")
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "student": s.label,
                        "answer": s.answer or "(unparseable)",
                        "vs gold": mark(s.correct),
                        "tokens": s.tokens,
                        "agrees with teachers": mark(s.agrees_with_teachers),
                        "same answer as": ", ".join(f"{a} r{r}" for a, r in s.agrees_with),
                    }
                    for s in v.students
                ]
            ),
            hide_index=True,
            key="compare_students",
        )
        for s in v.students:
            if s.agrees_with_teachers is False:
                text.notice("warning", f"{s.label} disagrees with the teachers' final answer.")
        if "students_disagree" in v.flags:
            text.notice("warning", "The students disagree with each other.")
    if v.teachers:
        st.plotly_chart(graph(v), key="compare_graph")
    for s in v.students:
        with st.expander(text.esc(f"{s.label}: {len(s.samples)} sample(s)")):
            for x in s.samples:
                st.caption(
                    text.esc(
                        f"sample {x.index} · read as {x.parsed or '(unparseable)'} · "
                        f"{mark(x.correct)} · {x.tokens} tokens · {x.latency_s:.2f} s"
                    )
                )
                st.text(x.text or "(empty)")


def aggregate(stamp: tuple, chosen: list[int]) -> None:
    rows = cache.compare_aggregate(stamp, chosen)
    table = pd.DataFrame(rows)
    # students and teachers in two tables: each shows only the columns it has (no empty cells)
    students = [r for r in rows if r["level"] != "teachers"]
    teachers = [r for r in rows if r["level"] == "teachers"]
    shares = {
        "accuracy": st.column_config.NumberColumn(format="%.3f"),
        "ci_low": st.column_config.NumberColumn(format="%.3f"),
        "ci_high": st.column_config.NumberColumn(format="%.3f"),
        "student_tokens": st.column_config.NumberColumn("student tokens / question", format="%.1f"),
        "teacher_tokens": st.column_config.NumberColumn("teacher tokens / question", format="%.1f"),
        "token_ratio": st.column_config.NumberColumn("teacher ÷ student tokens", format="%.1f"),
    }
    st.caption("Students, scored against the gold answer")
    st.dataframe(
        pd.DataFrame(students).dropna(axis=1, how="all"),
        hide_index=True,
        key="compare_table",
        column_config=shares,
    )
    if teachers:
        st.caption("The teachers' final answers (last round's votes), scored against the gold answer")
        st.dataframe(
            pd.DataFrame(teachers).dropna(axis=1, how="all"),
            hide_index=True,
            key="compare_teacher_table",
            column_config=shares,
        )
    st.download_button(
        "Download CSV",
        data=compare.aggregate_csv(rows),
        file_name="magdi-compare.csv",
        mime="text/csv",
        key="compare_csv",
        icon=":material/download:",
        on_click="ignore",
    )
    names = [html.escape(f"{r['model']} · {r['level']} · {r['dataset']}") for r in rows]
    left, right = st.columns(2)
    fig = go.Figure(
        go.Bar(
            x=names,
            y=table["accuracy"],
            error_y=dict(
                type="data",
                symmetric=False,
                array=table["ci_high"] - table["accuracy"],
                arrayminus=table["accuracy"] - table["ci_low"],
            ),
        )
    )
    fig.update_layout(
        title="Accuracy (Wilson 95% interval)",
        height=360,
        margin=dict(t=40, b=10),
        yaxis=dict(tickformat=".0%", range=[0, 1.05]),
    )
    left.plotly_chart(fig, key="compare_accuracy")
    ratio = [(n, r["token_ratio"]) for n, r in zip(names, rows) if r["token_ratio"] is not None]
    fig = go.Figure(go.Bar(x=[n for n, _ in ratio], y=[x for _, x in ratio]))
    fig.update_layout(
        title="Token efficiency: teacher tokens ÷ student tokens", height=360, margin=dict(t=40, b=10)
    )
    right.plotly_chart(fig, key="compare_ratio")
    st.caption(
        "Student tokens count every sample (k of them with self-consistency); both sides are "
        "counted with the student's tokenizer. The paper reports up to 9× for MAGDi students."
    )


def launch() -> None:
    """The New evaluation form: only the fields that apply to the chosen student and questions (a
    plain set of widgets, not an st.form, so that a choice redraws the fields it decides)."""
    url = cache.db_url()
    actor = identity.current_actor()
    if actor is None or not actor.may(Role.TRAINER):
        st.info("Queueing an evaluation needs the trainer role.")
        return
    trained = {j.id: f"#{j.id} {j.name}".strip() for j in compare.trained_jobs(url)}
    # with a finished training job, the defaults evaluate the newest one on its own test split
    who = st.radio(
        "Student",
        ["offline", "run", "base"],
        index=1 if trained else 0,
        horizontal=True,
        key="compare_new_who",
        format_func={
            "offline": "offline default",
            "run": "a finished training job",
            "base": "a base model",
        }.get,
    )
    run_job = base = None
    if who == "run":
        if not trained:
            st.info("No training job has finished yet: train one on the Train page first.")
            return
        run_job = st.selectbox("Training job", list(trained), format_func=trained.get, key="compare_new_run")
    elif who == "base":
        base = st.selectbox(
            "Base model",
            files.local_models(),
            index=None,
            accept_new_options=True,
            placeholder="a folder of the models root, or type a Hugging Face id",
            key="compare_new_base",
            help="A folder under the server's models root (MAGDI_MODELS_ROOT), or a Hugging Face id "
            "already in the local cache (nothing is downloaded).",
        )
    sources = ["split", "dataset", "benchmark"] if who == "run" else ["dataset", "benchmark"]
    where = st.radio(
        "Questions",
        sources,
        index=0,
        horizontal=True,
        key=f"compare_new_where_{'run' if who == 'run' else 'other'}",
        format_func={
            "split": "the training job's test split",
            "dataset": "a stored dataset"
            + (", without the training job's questions" if who == "run" else ""),
            "benchmark": "a benchmark file",
        }.get,
    )
    dataset = path = None
    if where == "dataset":
        dataset = st.selectbox("Dataset", cache.filter_options().datasets, key="compare_new_dataset")
    elif where == "benchmark":
        found = discuss.question_files()
        path = st.selectbox(
            "Benchmark file (StrategyQA, GSM8K, ECQA, AQuA, ARC, MATH)",
            found,
            key="compare_new_path",
            help="The files under the folders this server reads from (MAGDI_FILE_ROOTS).",
        )
        if not found:
            st.caption("No question file under the server's file roots.")
    c = st.columns(4)
    sampling = c[0].radio("Decoding", ["greedy", "sampling"], key="compare_new_decoding") == "sampling"
    k = c[1].number_input("Samples (k)", 1, 64, 1, key="compare_new_k") if sampling else 1
    limit = c[2].number_input("Questions (0: all)", 0, None, 0, key="compare_new_limit")
    max_new = c[3].number_input("Max new tokens (0: 300, MATH 600)", 0, 4096, 0, key="compare_new_max")
    label = st.text_input("Label (optional)", key="compare_new_label")
    if not st.button("Queue evaluation", type="primary", key="compare_new_queue"):
        return
    try:
        cfg = compare.eval_job_config(
            run_job=run_job if who == "run" else None,
            base_model=(base or "").strip() or None,
            dataset=dataset,
            benchmark=path if where == "benchmark" else None,
            split="test" if where == "split" else None,
            limit=limit or None,
            sampling=sampling,
            k=int(k),
            max_new_tokens=max_new or None,
            label=label,
            url=url,
        )
        job_id = compare.submit_eval(cfg, actor=actor, name=label, url=url)
    except (ValueError, LookupError, OSError, FormatError, Forbidden) as exc:
        text.notice("error", str(exc))
        return
    text.flash("success", f"Queued evaluation job {job_id}; a worker (python -m app worker) runs it.")
    st.rerun()


st.title("Compare")
text.show_flash()
runs = compare.list_runs(cache.db_url())
labels = {r.id: r.label for r in runs}
# A link (state.compare_query) names evaluations and a question; each link is applied once, so the
# choices made here afterwards stay.
linked = (
    tuple(i for i in (state.to_int(x) for x in st.query_params.get_all("run")) if i in labels),
    st.query_params.get("qds"),
    st.query_params.get("qkey"),
)
if (linked[0] or linked[2]) and linked != st.session_state.get("compare_linked"):
    st.session_state["compare_linked"] = linked
    if linked[0]:
        st.session_state["compare_runs"] = list(linked[0])
    if linked[1] is not None and linked[2] is not None:
        st.session_state["compare_filter"] = "all"
        st.session_state["compare_want"] = (linked[1], linked[2])
if "compare_runs" in st.session_state:  # an evaluation deleted meanwhile is no longer an option
    st.session_state["compare_runs"] = [i for i in st.session_state["compare_runs"] if i in labels]
chosen = st.multiselect(
    "Evaluations",
    list(labels),
    default=None if "compare_runs" in st.session_state else list(labels)[:2],
    format_func=labels.get,
    key="compare_runs",
)
stamp = cache.compare_stamp(runs)
tab_question, tab_aggregate, tab_new = st.tabs(["Per question", "Aggregate", "New evaluation"])
with tab_question:
    if chosen:
        per_question(stamp, chosen)
    else:
        st.info("Choose evaluations above, or queue one.")
with tab_aggregate:
    if chosen:
        aggregate(stamp, chosen)
    else:
        st.info("Choose evaluations above, or queue one.")
with tab_new:
    launch()
    active = [j for j in compare.eval_jobs(cache.db_url()) if j.active or j.status == "failed"][:10]
    if active:
        st.dataframe(
            pd.DataFrame(
                [
                    {
                        "job": j.id,
                        "name": j.name,
                        "status": j.status,
                        "progress": j.progress,
                        "questions": f"{j.step}/{j.total_steps or '?'}",
                        "error": j.error or "",
                    }
                    for j in active
                ]
            ),
            hide_index=True,
            key="compare_jobs",
            column_config={"progress": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0)},
        )
