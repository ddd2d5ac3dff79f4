"""Datasets: what each holds, its description and source; rename, copy with labels, merge, delete.

Delete and merge ask for a confirmation that says what goes; delete, merge and rename are refused
while a queued or running job names the dataset (`app.services.datasets`).
"""

import pandas as pd
import streamlit as st

from app.services import datasets
from app.services.auth import Role
from app.ui import cache, identity, text

s = st.session_state
st.title("Datasets")
text.show_flash()
url = cache.db_url()
rows = datasets.list_datasets(url)
if not rows:
    st.info("The store holds no dataset yet: add discussions on the Import page.")
    st.stop()
st.dataframe(
    pd.DataFrame(
        [
            {
                "dataset": d.name,
                "discussions": d.discussions,
                "nodes": d.turns,
                "human labels": d.human,
                "description": d.description or "",
                "source": d.source or "",
                "created (UTC)": f"{d.created_at:%Y-%m-%d %H:%M}",
            }
            for d in rows
        ]
    ),
    hide_index=True,
)
actor = identity.page_for(Role.ADMIN, "Renaming, copying, merging and deleting datasets need the admin role.")
by_name = {d.name: d for d in rows}
if s.get("datasets_selected") not in by_name:
    s["datasets_selected"] = rows[0].name
name = st.selectbox("Dataset", list(by_name), key="datasets_selected")
ds = by_name[name]


def done(message: str, selected: str | None = None) -> None:
    """After a change: say so, forget cached reads (dataset names are cached by import stamp)."""
    text.flash("success", message)
    st.cache_data.clear()
    s.pop("datasets_confirm", None)
    if selected is not None:
        s["datasets_selected"] = selected


def refused(exc: Exception) -> None:
    text.flash("error", str(exc))


def save_details(old: str) -> None:
    try:
        new = datasets.rename(old, s[f"datasets_name_{old}"], actor=actor, url=url)
        datasets.set_details(
            new,
            description=s[f"datasets_description_{old}"],
            source=s[f"datasets_source_{old}"],
            actor=actor,
            url=url,
        )
    except datasets.REFUSALS as exc:
        refused(exc)
        return
    done(f"saved dataset {new!r}", new)


def copy(source: str) -> None:
    try:
        counts = datasets.copy(source, s[f"datasets_copy_name_{source}"], actor=actor, url=url)
    except datasets.REFUSALS as exc:
        refused(exc)
        return
    target = s[f"datasets_copy_name_{source}"].strip()
    done(
        f"copied {counts['discussions']:,} discussion(s), {counts['turns']:,} node(s), {counts['human']:,} "
        f"human label(s) and {counts['history']:,} history entries into {target!r}",
        target,
    )


def merge(source: str, target: str) -> None:
    try:
        moved = datasets.merge(source, target, actor=actor, url=url)
    except datasets.REFUSALS as exc:
        refused(exc)
        return
    done(f"merged {moved:,} discussion(s) of {source!r} into {target!r}; {source!r} is gone", target)


def delete(plan: datasets.DeletePlan) -> None:
    try:
        datasets.delete(plan.name, actor=actor, expected=plan, url=url)
    except datasets.REFUSALS as exc:
        refused(exc)
        s.pop("datasets_confirm", None)
        return
    done(f"deleted dataset {plan.name!r} with {plan.discussions:,} discussion(s)")


def ask(action: str) -> None:
    s["datasets_confirm"] = (action, name)


def cancel() -> None:
    s.pop("datasets_confirm", None)


confirming = s.get("datasets_confirm")
details, copying, merging, deleting = st.tabs(["Details", "Copy", "Merge", "Delete"])

with details:
    with st.form(f"datasets_details_{name}"):
        st.text_input("Name", value=name, key=f"datasets_name_{name}", max_chars=datasets.NAME_MAX)
        st.text_area("Description", value=ds.description or "", key=f"datasets_description_{name}")
        st.text_input(
            "Source",
            value=ds.source or "",
            key=f"datasets_source_{name}",
            help="Where the discussions came from.",
        )
        st.form_submit_button("Save", on_click=save_details, args=(name,), type="primary")

with copying:
    st.caption(
        "A new dataset with copies of every discussion, node, human label, exclusion and history "
        "entry (an undo in one never touches the other)."
    )
    st.text_input(
        "Name of the copy",
        value=f"{name} (copy)",
        key=f"datasets_copy_name_{name}",
        max_chars=datasets.NAME_MAX,
    )
    st.button(
        "Copy with labels", on_click=copy, args=(name,), key="datasets_copy", icon=":material/content_copy:"
    )

with merging:
    others = [n for n in by_name if n != name]
    if not others:
        st.caption("There is no other dataset to merge into.")
    else:
        target = st.selectbox("Merge into", others, key="datasets_merge_target")
        text.notice(
            "info",
            f"The {ds.discussions:,} discussion(s) of {name!r} move into {target!r} with their labels and "
            f"history; {name!r} is then removed. Refused if both hold the same discussion id.",
        )
        if confirming == ("merge", name):
            text.notice("warning", f"Merge {name!r} into {target!r}? {name!r} will be gone.")
            a, b = st.columns(2)
            a.button(
                f"Yes, merge into {text.esc(target)}",
                on_click=merge,
                args=(name, target),
                type="primary",
                key="datasets_merge_yes",
            )
            b.button("Cancel", on_click=cancel, key="datasets_merge_no")
        else:
            st.button("Merge…", on_click=ask, args=("merge",), key="datasets_merge")

with deleting:
    plan = datasets.delete_plan(name, url=url)
    text.notice(
        "warning" if plan.discussions else "info",
        f"Deleting {name!r} removes {plan.discussions:,} discussion(s), {plan.turns:,} node(s), "
        f"{plan.human:,} human label(s), {plan.history:,} history entries and {plan.predictions:,} "
        "node prediction(s)."
        + (
            f" {plan.eval_questions:,} evaluation question(s) keep their text but lose their link."
            if plan.eval_questions
            else ""
        ),
    )
    if plan.jobs:
        st.caption(
            "Jobs that name this dataset (they are kept; their run directories hold their frozen data):"
        )
        st.dataframe(
            pd.DataFrame(
                [{"job": j.id, "kind": j.kind, "status": j.status, "name": j.name} for j in plan.jobs]
            ),
            hide_index=True,
        )
    if plan.blocking:
        text.notice(
            "error",
            f"Refused while {', '.join(map(str, plan.blocking))} uses it: wait until it ends or cancel it.",
        )
    elif confirming == ("delete", name):
        text.notice("warning", f"Delete {name!r} and everything above for good? This cannot be undone.")
        a, b = st.columns(2)
        a.button(
            f"Yes, delete {text.esc(name)}",
            on_click=delete,
            args=(plan,),
            type="primary",
            key="datasets_delete_yes",
        )
        b.button("Cancel", on_click=cancel, key="datasets_delete_no")
    else:
        st.button("Delete…", on_click=ask, args=("delete",), key="datasets_delete", icon=":material/delete:")
