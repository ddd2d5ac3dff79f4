"""Jobs: the queue, a job's live curves, log, config and artifacts; cancel, resume, compare."""

from datetime import UTC, datetime

import plotly.graph_objects as go
import streamlit as st

from app import ui
from app.services import jobs, store
from app.services.auth import Role
from app.ui import cache, identity, state, text

LOSSES = ("loss", "ntp", "margin", "node", "val_loss")  # val_loss: next-token loss on validation questions


def may_manage(job: jobs.JobView) -> bool:
    """Whether the acting user may cancel, resume, archive or delete the job (the service checks
    it again): trainers their own jobs, admins every job."""
    actor = identity.current_actor()
    if actor is None or not actor.may(Role.TRAINER):
        return False
    return actor.may(Role.ADMIN) or job.submitted_by == actor.identity


def eta(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes, secs = divmod(int(seconds), 60)
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes >= 60 else f"{minutes}m{secs:02d}s"


def curves(
    runs: dict[str, list[dict]], keys: tuple[str, ...], title: str, resumed_at: list[int] = ()
) -> go.Figure:
    """Lines per run and key; `resumed_at`: the steps where a later attempt took over (dotted)."""
    fig = go.Figure()
    for step in resumed_at:
        fig.add_vline(x=step, line_dash="dot", line_color="#757575", annotation_text="resumed")
    for label, records in runs.items():
        for key in keys:
            points = [(r["step"], r[key]) for r in records if r.get(key) is not None]
            if points:
                x, y = zip(*points)
                name = key if len(runs) == 1 else f"{label} · {key}"
                fig.add_trace(go.Scatter(x=x, y=y, mode="lines+markers", name=name))
    fig.update_layout(title=title, xaxis_title="step", height=320, margin=dict(t=40, b=10))
    return fig


st.title("Jobs")
text.show_flash()
show_archived = st.toggle(
    "Archived jobs", key="jobs_archived", help="list the archived jobs instead of the others (restore them)"
)
all_jobs = jobs.list_all(archived=show_archived, url=cache.db_url())
if not all_jobs:
    if show_archived:
        st.info("No archived jobs.")
    else:
        st.info(
            "No jobs yet. Start one on the Train page; `python -m app worker` runs them "
            "(the run command starts one beside the app)."
        )
    st.stop()


@st.fragment(run_every="2s" if any(j.active for j in all_jobs) else None)
def job_table() -> None:
    """The queue, redrawn every 2 s while a job is queued or running (its step, progress and ETA
    as the detail below shows them)."""
    listed = jobs.list_all(archived=show_archived, url=cache.db_url())
    if [j.status for j in listed] != [j.status for j in all_jobs]:  # a job started, ended or came
        st.rerun(scope="app")
    st.dataframe(
        [
            {
                "job": j.id,
                "name": j.name,
                "kind": j.kind,
                "status": j.status,
                "progress": j.progress,
                "step": f"{j.step}/{j.total_steps or '?'}",
                "ETA": eta(j.eta_s) if j.status == "running" else "",
                "attempt": j.attempt,
                "labels rev.": "-" if j.label_revision is None else str(j.label_revision),
                "created": j.created_at,
            }
            for j in listed
        ],
        hide_index=True,
        key="jobs_table",
        column_config={"progress": st.column_config.ProgressColumn(min_value=0.0, max_value=1.0)},
    )
    queued = sum(j.status == "queued" for j in listed)
    with st.container():  # present either way: the job's tabs below keep their place
        if queued:
            st.caption(f"{queued} job(s) waiting in the queue.")


job_table()

ids = [j.id for j in all_jobs]
# The URL decides which job shows (a link, Train's switch, Resume's new attempt): a keyed
# selectbox ignores `index` once it has a value, so its state is set from the URL instead, and
# choosing a job writes the URL first.
wanted = state.to_int(st.query_params.get("job"))
st.session_state["jobs_selected"] = wanted if wanted in ids else ids[0]


def _select_job() -> None:
    st.query_params["job"] = str(st.session_state["jobs_selected"])


current = st.selectbox(
    "Job",
    ids,
    key="jobs_selected",
    on_change=_select_job,
    format_func=lambda i: next(f"#{j.id} {j.name} ({j.status})" for j in all_jobs if j.id == i),
)
st.query_params["job"] = str(current)
shown = next(j for j in all_jobs if j.id == current)


@st.fragment(run_every="2s" if shown.active else None)  # a finished job needs no polling
def job_detail(job_id: int) -> None:
    job = jobs.get(job_id, url=cache.db_url())
    if job.status != shown.status:  # the table above and the polling follow the new status
        st.rerun(scope="app")
    st.subheader(text.esc(f"Job {job.id} · {job.kind} · {job.status}"))
    # What comes and goes with the job's status sits in containers, so the tabs keep their place
    # in the page; otherwise a rerun briefly shows the old tabs beside the new ones.
    with st.container():
        if job.active:
            st.progress(
                job.progress,
                text=f"step {job.step}/{job.total_steps or '?'}"
                + (f" · ETA {eta(job.eta_s)}" if job.eta_s else ""),
            )
            if job.heartbeat_at:
                beat = job.heartbeat_at.replace(tzinfo=job.heartbeat_at.tzinfo or UTC)
                st.caption(
                    f"last heartbeat {int((datetime.now(UTC) - beat).total_seconds())}"
                    f" s ago · worker {text.esc(job.worker or '-')}"
                )
        if job.error:  # the exception's message first; the log's last lines folded below it
            st.error(text.esc(job.headline))
            if job.error.strip() != job.headline:
                with st.expander("Traceback and the log's last lines"):
                    st.code(job.error, language=None)
    st.caption(text.esc(f"queued by {job.submitted_by}"))
    if not may_manage(job):
        st.info(
            "Cancelling, resuming, archiving and deleting need the trainer role for your own jobs, "
            "admin for others'."
        )
    buttons = st.columns(4)
    if job.active and not job.cancel_requested and may_manage(job):
        if buttons[0].button("Cancel", key=f"jobs_cancel_{job.id}"):
            actor = identity.current_actor()
            text.flash("info", f"Job {job.id}: {jobs.cancel(job.id, actor=actor, url=cache.db_url())}")
            st.rerun()
    if (
        job.resumable
        and may_manage(job)
        and buttons[1].button(
            "Resume",
            key=f"jobs_resume_{job.id}",
            help="a new attempt; it continues from the last checkpoint when there is one",
        )
    ):
        new_id = jobs.resume(job.id, actor=identity.current_actor(), url=cache.db_url())
        st.query_params["job"] = str(new_id)
        text.flash("success", f"Queued job {new_id}, a new attempt of job {job.id}.")
        st.rerun(scope="app")
    with st.container():
        records = jobs.metrics(job, url=cache.db_url())
        resumed_at, _ = jobs.attempt_span(job, url=cache.db_url())
        if records:
            left, right = st.columns(2)
            left.plotly_chart(
                curves({f"#{job.id}": records}, LOSSES, "losses", resumed_at), key=f"jobs_loss_{job.id}"
            )
            right.plotly_chart(
                curves({f"#{job.id}": records}, ("tokens_per_s",), "throughput (tokens/s)"),
                key=f"jobs_tps_{job.id}",
            )
            if any(r.get("val_accuracy") is not None for r in records):
                left.plotly_chart(
                    curves({f"#{job.id}": records}, ("val_accuracy",), "validation accuracy (greedy)"),
                    key=f"jobs_val_{job.id}",
                )
        elif job.kind == "train":
            st.caption("No metrics yet.")
    info, log = st.tabs(["Run", "Log"])
    with info:
        c = st.columns(3)
        c[0].metric("label revision", job.label_revision if job.label_revision is not None else "-")
        c[1].metric("attempt", job.attempt)
        c[2].metric("data hash", (job.data_hash or "-")[:12])
        split = (job.data_summary or {}).get("split")
        if split:
            c = st.columns(3)
            for column, part in zip(c, ("train", "validation", "test")):
                column.metric(f"{part} questions", split.get(part, "-"))
        final = jobs.final_metrics(job, url=cache.db_url())
        if final:
            c = st.columns(3)
            c[0].metric("kept step", final["best_step"], help=f"best by {final['criterion']}")
            for column, name in zip(c[1:], ("val_loss", "test_loss")):
                column.metric(name.replace("_", " "), "-" if final[name] is None else f"{final[name]:.4f}")
        if job.data_summary:
            st.caption("Training data")
            st.json({k: v for k, v in job.data_summary.items() if k != "by_level"}, expanded=False)
        st.caption("Config")
        st.json(job.config, expanded=False)
        st.caption(text.esc(f"Run directory: {job.run_dir or '(not started)'}"))
        artifacts = jobs.artifacts(job)
        if artifacts:
            st.dataframe([{"file": name, "bytes": size} for name, size in artifacts], hide_index=True)
    with log:
        st.code(jobs.log_tail(job, url=cache.db_url()) or "(empty)", language=None)


def links(job: jobs.JobView) -> None:
    """To the job's data on Browse, its evaluations on Compare, a discussion job's new dataset."""
    url = cache.db_url()
    if job.kind == "train" and job.config.get("data") is not None:
        st.page_link(
            ui.PAGES["browse"],
            label="Its data on Browse (the filter it froze; what matches now)",
            icon=":material/table_rows:",
            query_params=job.config["data"],
        )
    evaluations = jobs.evaluation_ids(job.id, url=url)
    if evaluations:
        st.page_link(
            ui.PAGES["compare"],
            label=f"Its evaluations on Compare ({len(evaluations)})",
            icon=":material/compare_arrows:",
            query_params=state.compare_query(evaluations),
        )
    target = job.config.get("target_dataset") if job.kind == "discuss" else None
    if target and target in store.dataset_names(url):
        st.page_link(
            ui.PAGES["browse"],
            label=f"Its new dataset {text.esc(target)} on Browse",
            icon=":material/table_rows:",
            query_params={"ds": target},
        )


def downloads(job: jobs.JobView) -> None:
    """The run's artifacts, each built when its button is clicked."""
    found = jobs.downloads(job, url=cache.db_url())
    if not found:
        return
    st.caption("Download")
    columns = st.columns(len(found))
    for column, d in zip(columns, found):
        if jobs.too_large(d):
            column.caption(
                text.esc(
                    f"{d.label}: {d.size / 2**20:,.0f} MiB, too large here; copy it from the run directory"
                )
            )
            continue
        column.download_button(
            d.label,
            data=d.build,
            file_name=d.file_name,
            mime=d.mime,
            key=f"jobs_download_{job.id}_{d.file_name}",
            icon=":material/download:",
            on_click="ignore",
        )


def manage(job: jobs.JobView) -> None:
    """Archive / restore, and delete after a confirmation that says what goes."""
    if job.active or not may_manage(job):
        return
    url = cache.db_url()
    actor = identity.current_actor()
    left, right = st.columns(2)
    if job.archived_at is None:
        if left.button(
            "Archive", key=f"jobs_archive_{job.id}", help="hide it (and its attempts); nothing is deleted"
        ):
            try:
                done = jobs.archive(job.id, actor=actor, url=url)
            except ValueError as exc:  # it was resumed meanwhile
                text.notice("error", str(exc))
                return
            text.flash("success", f"Archived job(s) {', '.join(map(str, done))}: listed under Archived jobs.")
            st.query_params.pop("job", None)
            st.rerun(scope="app")
    elif left.button("Restore", key=f"jobs_restore_{job.id}"):
        done = jobs.archive(job.id, False, actor=actor, url=url)
        text.flash("success", f"Restored job(s) {', '.join(map(str, done))}.")
        st.rerun(scope="app")
    confirm_key = f"jobs_confirm_delete_{job.id}"
    if right.button("Delete…", key=f"jobs_delete_{job.id}"):
        st.session_state[confirm_key] = True
    if not st.session_state.get(confirm_key):
        return
    plan = jobs.removal(job.id, url=url)
    if plan.blockers:
        text.notice("warning", f"Job {job.id} cannot be deleted: " + "; ".join(plan.blockers) + ".")
        return
    goes = [f"job(s) {', '.join(map(str, plan.jobs))} (every attempt of the run)"]
    if plan.evaluations:
        goes.append(f"{plan.evaluations} stored evaluation(s), gone from Compare")
    if job.kind == "predict":
        goes.append("its node scores (the Review queue's classifier suggestions)")
    if plan.run_dir:
        goes.append(f"the run directory {plan.run_dir}")
    text.notice("warning", "Deleting removes for good: " + "; ".join(goes) + ".")
    yes, no = st.columns(2)
    if yes.button("Delete for good", type="primary", key=f"jobs_delete_yes_{job.id}"):
        try:
            removed = jobs.delete(job.id, actor=actor, url=url)
        except ValueError as exc:  # something started using it since the warning was drawn
            text.notice("error", str(exc))
            return
        st.session_state.pop(confirm_key, None)
        st.query_params.pop("job", None)
        kept = (
            ""
            if removed or not plan.run_dir
            else " Its run directory was kept (not made by this store's worker)."
        )
        text.flash("success", f"Deleted job(s) {', '.join(map(str, plan.jobs))}.{kept}")
        st.rerun(scope="app")
    if no.button("Keep it", key=f"jobs_delete_no_{job.id}"):
        st.session_state.pop(confirm_key, None)
        st.rerun()


job_detail(current)
links(shown)
downloads(shown)
manage(shown)

st.subheader("Compare runs")
train_jobs = [j for j in all_jobs if j.kind == "train" and j.run_dir]
if "jobs_compare" in st.session_state:  # a job deleted or archived meanwhile is no longer an option
    comparable = {j.id for j in train_jobs}
    st.session_state["jobs_compare"] = [i for i in st.session_state["jobs_compare"] if i in comparable]
chosen = st.multiselect("Jobs", [j.id for j in train_jobs], key="jobs_compare", format_func=lambda i: f"#{i}")
metric = st.selectbox("Curve", LOSSES + ("val_accuracy", "tokens_per_s", "lr"), key="jobs_compare_metric")
if chosen:
    runs = {f"#{j.id}": jobs.metrics(j, url=cache.db_url()) for j in train_jobs if j.id in chosen}
    st.plotly_chart(curves(runs, (metric,), metric), key="jobs_compare_chart")
