"""Discuss: teacher agents discuss a question set (ReConcile) into a dataset, as background jobs.

Agents live in the server's agents file (MAGDI_AGENTS_FILE, var/agents.yaml by default); admins
define them, trainers test them and start discussions. A key is never entered here, only the name of
the environment variable that holds it. Jobs run in the worker (`python -m app worker`).
"""

import streamlit as st

from app.services import discuss, jobs
from app.services.auth import Forbidden, Role
from app.ui import cache, identity, text
from magdi.agents import AgentConfig
from magdi.benchmarks import FORMATS
from magdi.synthetic import KINDS as SYNTHETIC

s = st.session_state
FIELDS = {
    f: AgentConfig.__dataclass_fields__[f]
    for f in (
        "name",
        "kind",
        "model",
        "base_url",
        "api_key_env",
        "temperature",
        "max_tokens",
        "timeout_s",
        "max_retries",
        "max_concurrency",
        "price_in_per_1k",
        "price_out_per_1k",
    )
}
TASKS = ["strategyqa", "gsm8k", "ecqa", "aqua", "math", "arc", "commonsenseqa", "svamp"]
NEW = "(new agent)"

st.title("Discuss")
text.show_flash()
actor = identity.current_actor()
is_admin = actor is not None and actor.may(Role.ADMIN)
is_trainer = actor is not None and actor.may(Role.TRAINER)
url = cache.db_url()
try:
    agents = discuss.load_agents()
except (OSError, ValueError) as exc:
    text.notice("error", f"The agents file cannot be read: {exc}")
    st.stop()
by_name = {a.name: a for a in agents}

# ---------------------------------------------------------------- agents

st.subheader("Agents")
if agents:
    st.dataframe(
        [
            {
                "name": a.name,
                "kind": a.kind,
                "model": a.model,
                "base URL": a.base_url or "",
                "key": discuss.key_status(a),
                "temperature": a.temperature,
                "max tokens": a.max_tokens,
                "concurrency": a.max_concurrency,
            }
            for a in agents
        ],
        hide_index=True,
    )
else:
    st.info("No agent yet: add one below." if is_admin else "No agent yet: an admin defines them.")
st.caption(
    "A key is read from its environment variable at each request, here and in the worker "
    "(which needs the variable too); it is never stored."
)


def _load_form() -> None:
    """Put the chosen agent's values (or the defaults) into the form's widgets."""
    chosen = by_name.get(s["ag_pick"])
    for name, f in FIELDS.items():
        value = getattr(chosen, name) if chosen else (f.default if name != "name" else "")
        s[f"ag_{name}"] = "" if value is None and name in ("base_url", "api_key_env") else value


def _save(configs: list, done: str, *, clear_form: bool = False) -> None:
    """Write the agents and rerun with `done` flashed, or say why they were not written."""
    try:
        discuss.save_agents(configs, actor=actor, url=url)
    except (ValueError, Forbidden) as exc:
        text.notice("error", str(exc))
        return
    text.flash("success", done)
    if clear_form:
        del s["ag_name"]  # an empty form on the next run
    s.pop("job_agents", None)  # the discussion's agents: all of them again
    s.pop("ag_remove_pending", None)
    st.rerun()


def edit_agents() -> None:
    """The agents form (admins: the services refuse anyone else)."""
    if "ag_name" not in s:
        s["ag_pick"] = NEW
        _load_form()
    st.selectbox("Edit", [NEW, *by_name], key="ag_pick", on_change=_load_form)
    with st.form("discuss_agent_form"):
        c = st.columns(3)
        c[0].text_input("Name", key="ag_name", help=FIELDS["name"].metadata["help"])
        c[1].selectbox(
            "Kind", ["openai", "local", "simulated"], key="ag_kind", help=FIELDS["kind"].metadata["help"]
        )
        c[2].text_input("Model", key="ag_model", help=FIELDS["model"].metadata["help"])
        c = st.columns(2)
        c[0].text_input("Base URL", key="ag_base_url", help=FIELDS["base_url"].metadata["help"])
        c[1].text_input(
            "Key: name of the environment variable",
            key="ag_api_key_env",
            placeholder="e.g. OPENAI_API_KEY",
            help=FIELDS["api_key_env"].metadata["help"],
        )
        c = st.columns(4)
        c[0].number_input("Temperature", min_value=0.0, max_value=2.0, step=0.1, key="ag_temperature")
        c[1].number_input("Max tokens", min_value=1, step=64, key="ag_max_tokens")
        c[2].number_input("Timeout (s)", min_value=1.0, step=10.0, key="ag_timeout_s")
        c[3].number_input(
            "Retries", min_value=0, step=1, key="ag_max_retries", help=FIELDS["max_retries"].metadata["help"]
        )
        c = st.columns(3)
        c[0].number_input(
            "Concurrency",
            min_value=1,
            step=1,
            key="ag_max_concurrency",
            help=FIELDS["max_concurrency"].metadata["help"],
        )
        c[1].number_input("Price / 1k prompt tokens", min_value=0.0, format="%.4f", key="ag_price_in_per_1k")
        c[2].number_input(
            "Price / 1k completion tokens", min_value=0.0, format="%.4f", key="ag_price_out_per_1k"
        )
        save = st.form_submit_button("Save agent", type="primary")
    if save:
        item = {name: s[f"ag_{name}"] for name in FIELDS}
        for name in ("base_url", "api_key_env"):
            item[name] = item[name].strip() or None
        try:
            changed = discuss.upsert_agent(agents, item)
        except ValueError as exc:
            text.notice("error", str(exc))
        else:
            _save(changed, f"Saved agent {item['name']}.", clear_form=True)
    if st.button(
        "Add the three simulated teachers",
        key="ag_add_simulated",
        help="Offline teachers (strong, average, weak) for synthetic questions: pick "
        "'synthetic questions' below to run a discussion without any model or key.",
    ):
        _save(
            discuss.with_simulated_agents(agents),
            "Added the simulated teachers sim-strong, sim-average and sim-weak.",
        )
    if agents:
        c = st.columns([3, 1])
        gone = c[0].selectbox("Remove an agent", list(by_name), key="ag_remove", label_visibility="collapsed")
        if c[1].button("Remove agent", key="ag_remove_button"):
            s["ag_remove_pending"] = gone  # asked first: removing rewrites the agents file
        pending = s.get("ag_remove_pending")
        if pending in by_name:
            text.notice("warning", f"Remove agent {pending} from the agents file? Its settings are lost.")
            c = st.columns([1, 1, 3])
            if c[0].button("Yes, remove it", key="ag_remove_confirm", type="primary"):
                _save([a for a in agents if a.name != pending], f"Removed agent {pending}.")
            if c[1].button("Keep it", key="ag_remove_cancel"):
                s.pop("ag_remove_pending", None)
                st.rerun()


if is_admin:
    edit_agents()
else:
    st.caption("Only an admin adds, changes or removes agents.")

# ---------------------------------------------------------------- test an agent

st.subheader("Test an agent")
if not is_trainer:
    st.caption("Testing an agent needs the trainer role.")
elif agents:
    c = st.columns([1, 1, 3])
    who = c[0].selectbox("Agent", list(by_name), key="try_agent")
    trial_task = c[1].selectbox("Task", TASKS, key="try_task", accept_new_options=True)
    question = c[2].text_area(
        "Question", "Is the Pacific Ocean larger than the Atlantic Ocean?", key="try_question", height=68
    )
    options = st.text_area("Options (one per line; none for open questions)", key="try_options", height=68)
    if st.button("Ask", key="try_ask"):
        with st.spinner(f"Asking {who}…"):
            try:
                s["try_result"] = discuss.try_agent(
                    by_name[who],
                    question,
                    trial_task,
                    [o for o in options.splitlines() if o.strip()] or None,
                    actor=actor,
                )
            except (ValueError, Forbidden) as exc:  # an agent the server does not allow
                s["try_result"] = discuss.AgentTrial(False, error=str(exc))
    trial = s.get("try_result")
    if trial is not None and not trial.ok:
        text.notice("error", trial.error or "no reply")
    elif trial is not None:
        answer = "unparseable" if trial.answer is None else trial.answer
        confidence = "—" if trial.confidence is None else f"{trial.confidence:g}"
        text.notice(
            "success" if trial.answer is not None else "warning",
            f"Answer: {answer} · confidence {confidence} · {trial.prompt_tokens} + "
            f"{trial.completion_tokens} tokens · {trial.latency_s:.2f} s",
        )
        st.text(trial.reasoning)
        with st.expander("Raw reply"):
            st.code(trial.raw, language=None, wrap_lines=True)
else:
    st.caption("Add an agent to test it.")

# ---------------------------------------------------------------- start a job

st.subheader("Start a discussion")


def start_form() -> None:
    """The discussion's source, settings and Start button (trainers)."""
    kind = st.radio(
        "Questions from",
        ["dataset", "file", "synthetic"],
        horizontal=True,
        key="job_source",
        format_func={
            "dataset": "a stored dataset",
            "file": "a question or benchmark file",
            "synthetic": "synthetic questions",
        }.get,
    )
    if kind == "dataset":
        source = {"dataset": st.selectbox("Dataset", cache.filter_options().datasets, key="job_dataset")}
    elif kind == "synthetic":
        c = st.columns(3)
        source = {
            "synthetic": c[0].selectbox(
                "Kind",
                SYNTHETIC,
                key="job_synthetic",
                help="arithmetic (gsm8k), yes/no (strategyqa) or "
                "multiple choice (ecqa), with step-by-step solutions",
            ),
            "count": int(c[1].number_input("How many", 1, 10_000, 20, key="job_synthetic_count")),
            "seed": int(c[2].number_input("Generator seed", value=0, step=1, key="job_synthetic_seed")),
        }
    else:
        found = discuss.question_files()
        c = st.columns([3, 1])
        source = {
            "file": c[0].selectbox(
                "File",
                found,
                key="job_file",
                help="The question and benchmark files under the folders this server reads from "
                "(MAGDI_FILE_ROOTS).",
            ),
            "format": c[1].selectbox(
                "Format", ["auto", *FORMATS], key="job_format", help="auto: told from the file's records"
            ),
        }
        if not found:
            st.caption("No question file under the server's file roots.")
            source = {}
    c = st.columns(3)
    target = c[0].text_input("Into the dataset", key="job_target", help="Created if needed.")
    task = c[1].text_input(
        "Task",
        key="job_task",
        placeholder="the source's",
        help="Answer format of the discussion (strategyqa, ecqa, gsm8k, aqua, math, …).",
    )
    job_name = c[2].text_input("Job name", key="job_name", placeholder="optional")
    c = st.columns(4)
    rounds = c[0].number_input(
        "Rounds after round 0",
        0,
        10,
        3,
        key="job_rounds",
        help="Discussion stops earlier when all agents agree.",
    )
    n = c[1].number_input("Questions (0: all)", 0, value=10, key="job_sample")
    seed = c[2].number_input(
        "Random sample seed",
        value=None,
        step=1,
        key="job_seed",
        help="Empty: the first questions of the source.",
    )
    parallel = c[3].number_input("Questions at once", 1, 64, 1, key="job_parallel")
    chosen = st.multiselect("Agents", list(by_name), default=list(by_name), key="job_agents")
    samples = st.text_area(
        "Convincing samples (optional)",
        key="job_few_shot",
        height=100,
        placeholder='{"question": "Is fire cold?", "reasoning": "Fire burns, so it is hot.", "answer": "no"}',
        help="ReConcile's human-written example explanations, shown before every question: one JSON "
        "object per line with question, reasoning, answer (and options).",
    )
    config = {
        "agents": [by_name[a].to_dict() for a in chosen],
        "source": source,
        "target_dataset": target,
        "task": task.strip() or None,
        "rounds": int(rounds),
        "sample": None if kind == "synthetic" else int(n) or None,  # synthetic: its own count
        "seed": None if seed is None else int(seed),
        "parallel": int(parallel),
    }
    try:
        config["few_shot"] = discuss.parse_few_shot(samples)
        questions = discuss.preview(config, url, actor=actor)
    except (OSError, LookupError, ValueError, Forbidden) as exc:
        text.notice("warning", str(exc))
    else:
        st.caption(
            text.esc(
                f"{len(questions):,} question(s), e.g. “{questions[0].question[:200]}”"
                if questions
                else "The source has no questions."
            )
        )
        if st.button("Start", type="primary", key="job_start", disabled=not questions):
            job_id = discuss.submit(config, actor=actor, name=job_name.strip(), url=url)
            text.flash("success", f"Queued job {job_id}; the worker (python -m app worker) runs it.")
            st.rerun()


if is_trainer:
    start_form()
else:
    st.caption("Starting a discussion needs the trainer role.")

# ---------------------------------------------------------------- jobs

st.subheader("Discussion jobs")
active = any(j.active for j in jobs.list_all(kind="discuss", url=url))


def _cancel(job_id: int) -> None:
    try:
        text.flash("info", f"Job {job_id}: {jobs.cancel(job_id, actor=actor, url=url)}.")
    except (ValueError, LookupError, Forbidden) as exc:
        text.flash("error", str(exc))


def _resume(job_id: int) -> None:
    try:
        text.flash("info", f"Queued job {jobs.resume(job_id, actor=actor, url=url)}, resuming job {job_id}.")
    except (ValueError, LookupError, Forbidden) as exc:
        text.flash("error", str(exc))


@st.fragment(run_every=5 if active else None)
def job_list() -> None:
    current = discuss.list_jobs(url)
    if not current:
        st.caption("No discussion job yet.")
    for r in current:
        j = r.job
        with st.container(border=True):
            c = st.columns([4, 1])
            eta = f" · ETA {j.eta_s:.0f} s" if j.eta_s is not None and j.status == "running" else ""
            c[0].markdown(
                text.esc(
                    f"#{j.id} {j.name} — {j.status}: {j.step}/{j.total_steps or '?'} "
                    f"questions{eta} · {r.new_turns} new turns"
                    + (f" · {r.failed_questions} incomplete" if r.failed_questions else "")
                )
            )
            c[0].progress(min(1.0, j.progress))
            if j.active:
                c[1].button(
                    "Cancel",
                    key=f"cancel_{j.id}",
                    on_click=_cancel,
                    args=(j.id,),
                    disabled=j.cancel_requested,
                )
            elif j.resumable:
                c[1].button("Resume", key=f"resume_{j.id}", on_click=_resume, args=(j.id,))
            with st.container():  # comes and goes; the container keeps the Log expander in place
                if r.usage:
                    st.dataframe([{"agent": a, **u} for a, u in r.usage.items()], hide_index=True)
                    if r.cost is not None:
                        st.caption(f"Cost so far: {r.cost:.4f}")
                if j.error:
                    st.text(j.error)
            with st.expander("Log"):
                st.code(jobs.log_tail(j, url=cache.db_url()) or "(empty)", language=None)


job_list()
