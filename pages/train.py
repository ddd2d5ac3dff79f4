"""Train: choose data, level and settings, see what the level trains on, queue a job."""

import streamlit as st

from app import ui
from app.services import jobs
from app.services.auth import Role
from app.services.filters import Filter
from app.ui import cache, identity, state, text

LEVELS = {
    "single-teacher": "Single teacher (one agent, round 0)",
    "1": "1 · multi-teacher",
    "2": "2 · + interaction rounds",
    "3": "3 · + negatives (margin loss)",
    "4": "4 · MAGDi (+ graph structure)",
}
HELP = jobs.config_help()


def default(name):
    return HELP[name][0]


def tip(name):
    return f"{HELP[name][1]} (default: {HELP[name][0]})"


st.title("Train")
text.show_flash()
options = cache.filter_options()

st.subheader("Data")
browse = state.current_filter()
source = st.radio(
    "Discussions",
    ["datasets", "filter"],
    key="train_source",
    horizontal=True,
    format_func={"datasets": "whole datasets", "filter": "the current Browse filter"}.get,
)
if source == "filter":
    data = browse
    text.filter_caption(browse)
else:
    chosen = st.multiselect("Datasets (none: all)", options.datasets, key="train_datasets")
    data = Filter(datasets=tuple(chosen))

st.subheader("Method")
left, right = st.columns(2)
level = left.selectbox(
    "Level", list(LEVELS), index=4, format_func=LEVELS.get, key="train_level", help=tip("level")
)
overrides = {"level": level}
if level == "single-teacher":
    overrides["teacher"] = left.selectbox("Teacher agent", options.agents, key="train_teacher")
if level == "4":
    overrides["node_features"] = left.radio(
        "Node features", ["frozen", "joint"], key="train_nodes", horizontal=True, help=tip("node_features")
    )
model = right.text_input(
    "Student model",
    key="train_model",
    placeholder="offline default: tiny Llama built locally, no download",
    help=tip("model") + " Here: a Hugging Face id, or a folder under the server's models root "
    "(MAGDI_MODELS_ROOT), given from that root.",
)
overrides["precision"] = right.selectbox(
    "Precision", ["fp32", "bf16", "fp16"], key="train_precision", help=tip("precision")
)
overrides["preset"] = right.selectbox(
    "Preset (fields left empty)", ["auto", "paper", "cpu"], key="train_preset", help=tip("preset")
)
nproc = right.number_input(
    "Processes (DDP)", 1, 64, 1, key="train_nproc", help="torchrun with this many processes; one per GPU"
)

with st.expander("LoRA and losses"):
    c = st.columns(4)
    overrides["lora_r"] = c[0].number_input("r", 1, 1024, default("lora_r"), help=tip("lora_r"))
    overrides["lora_alpha"] = c[1].number_input(
        "alpha", 1, 4096, default("lora_alpha"), help=tip("lora_alpha")
    )
    overrides["lora_dropout"] = c[2].number_input(
        "dropout", 0.0, 0.99, default("lora_dropout"), help=tip("lora_dropout")
    )
    overrides["lora_target_modules"] = (
        c[3].text_input(
            "target modules", key="train_lora_targets", placeholder="preset", help=tip("lora_target_modules")
        )
        or None
    )
    c = st.columns(4)
    overrides["alpha"] = c[0].number_input("α · ntp", 0.0, 100.0, default("alpha"), help=tip("alpha"))
    overrides["beta"] = c[1].number_input("β · node", 0.0, 100.0, default("beta"), help=tip("beta"))
    overrides["gamma"] = c[2].number_input("γ · margin", 0.0, 100.0, default("gamma"), help=tip("gamma"))
    overrides["pooling"] = c[3].selectbox("pooling", ["position", "mean", "last"], help=tip("pooling"))
    overrides["mask_prompt"] = st.checkbox(
        "Loss on the answer only (prompt masked)", default("mask_prompt"), help=tip("mask_prompt")
    )

with st.expander("Optimisation"):
    c = st.columns(4)
    overrides["epochs"] = c[0].number_input("epochs", 1, 1000, default("epochs"), help=tip("epochs"))
    max_steps = c[1].number_input("max steps (0: epochs decide)", 0, 10**7, 0, help=tip("max_steps"))
    overrides["max_steps"] = max_steps or None
    overrides["batch_size"] = c[2].number_input(
        "batch (questions)", 1, 1024, default("batch_size"), help=tip("batch_size")
    )
    overrides["grad_accum"] = c[3].number_input(
        "grad. accumulation", 1, 1024, default("grad_accum"), help=tip("grad_accum")
    )
    c = st.columns(4)
    overrides["lr"] = c[0].number_input(
        "learning rate", 0.0, 1.0, default("lr"), format="%.2e", help=tip("lr")
    )
    overrides["warmup_steps"] = c[1].number_input(
        "warm-up steps", 0, 10**6, default("warmup_steps"), help=tip("warmup_steps")
    )
    overrides["schedule"] = c[2].selectbox("schedule", ["linear", "cosine"], help=tip("schedule"))
    overrides["seed"] = c[3].number_input("seed", 0, 2**31 - 1, default("seed"), help=tip("seed"))
    c = st.columns(4)
    overrides["max_length"] = c[0].number_input(
        "max tokens per chain", 8, 32768, default("max_length"), help=tip("max_length")
    )
    overrides["save_every"] = c[1].number_input(
        "checkpoint every (steps)", 0, 10**6, default("save_every"), help=tip("save_every")
    )
    overrides["log_every"] = c[2].number_input(
        "log every (steps)", 1, 10**6, default("log_every"), help=tip("log_every")
    )
    overrides["grad_checkpointing"] = c[3].checkbox(
        "gradient checkpointing", default("grad_checkpointing"), help=tip("grad_checkpointing")
    )
with st.expander("Split and validation"):
    st.caption(
        "The selected questions are split, seeded, into training, validation and test parts when the "
        "job starts; training sees only the first. Validation picks the best step, whose weights the "
        "run keeps; a New evaluation of the job defaults to its test part."
    )
    c = st.columns(4)
    split = {
        "validation": c[0].number_input(
            "validation share", 0.0, 0.9, jobs.DEFAULT_SPLIT["validation"], step=0.05, key="train_split_val"
        ),
        "test": c[1].number_input(
            "test share", 0.0, 0.9, jobs.DEFAULT_SPLIT["test"], step=0.05, key="train_split_test"
        ),
        "seed": int(
            c[2].number_input("split seed", 0, 2**31 - 1, jobs.DEFAULT_SPLIT["seed"], key="train_split_seed")
        ),
    }
    c = st.columns(4)
    overrides["eval_every"] = c[0].number_input(
        "validate every (steps; 0: ten times)", 0, 10**6, default("eval_every"), help=tip("eval_every")
    )
    overrides["val_questions"] = c[1].number_input(
        "questions answered (0: loss only)", 0, 1024, default("val_questions"), help=tip("val_questions")
    )
name = st.text_input("Job name", key="train_name", placeholder="optional")

try:
    overrides["model"] = model.strip() or None  # train_config takes an id or a path inside the models root
    config = jobs.train_config(overrides, data=data, nproc=int(nproc), split=split, url=cache.db_url())
except (ValueError, LookupError) as exc:
    text.notice("error", f"Invalid settings: {exc}")
    st.stop()

st.subheader("Before you start")
t = config["train"]
warmup = (
    f"{t['warmup_ratio']:.0%} of the steps" if t["warmup_steps"] is None else f"{t['warmup_steps']} steps"
)
full = f"; trained in full: {text.esc(', '.join(t['modules_to_save']))}" if t["modules_to_save"] else ""
targets = text.esc(", ".join(t["lora_target_modules"]))
st.caption(
    f"Preset **{t['preset']}** for the fields left empty: lr {t['lr']:g}, warm-up {warmup}, epochs "
    f"{t['epochs'] or 'sized to the data (about 1200 steps)'}, LoRA r {t['lora_r']} (alpha "
    f"{t['lora_alpha']}, dropout {t['lora_dropout']:g}) on {targets}{full}"
)
st.caption("The equivalent command line (the worker runs the job either way):")
st.code(jobs.command_line(config), language="bash")
if st.button("Count what this level trains on", key="train_preview"):
    with st.spinner("Reading the store …"):
        try:
            summary = jobs.preview_training(config, url=cache.db_url())
        except ValueError as exc:
            text.notice("error", str(exc))
            st.stop()
    c = st.columns(3)
    for column, part in zip(c, ("train", "validation", "test")):
        column.metric(f"{part} questions", summary["split"][part])
    c = st.columns(4)
    c[0].metric("questions trained on", summary["questions"])
    c[1].metric("positive chains", summary["chains"])
    c[2].metric("pairs", summary["pairs"])
    c[3].metric("graphs", summary["graphs"])
    st.dataframe([{"level": lv, **counts} for lv, counts in summary["by_level"].items()], hide_index=True)
    if summary["questions_dropped"]:
        text.notice(
            "info", f"{summary['questions_dropped']} question(s) have no correct chain and are left out."
        )

actor = identity.page_for(Role.TRAINER, "Queuing a training job needs the trainer role (an admin gives it).")
if st.button("Start training", type="primary", key="train_start"):
    try:
        job_id = jobs.submit(config, name=name, actor=actor, url=cache.db_url())
    except ValueError as exc:  # nothing to train on: refused before it is queued
        text.notice("error", f"Not queued: {exc}")
        st.stop()
    st.switch_page(ui.PAGES["jobs"], query_params={"job": str(job_id)})
