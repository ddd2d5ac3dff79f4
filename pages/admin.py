"""Admin: the users and their roles (change one), and the audit log, newest first.

For admins only (the services refuse everyone else; the navigation shows the page to admins).
"""

import json

import pandas as pd
import streamlit as st

from app.services import audit, auth
from app.services.auth import Forbidden, Role
from app.ui import cache, identity, text

ALL = "(all)"
s = st.session_state
st.title("Admin")
text.show_flash()
actor = identity.page_for(Role.ADMIN, "This page is for admins: users, roles and the audit log.")
url = cache.db_url()

st.subheader("Users and roles")
users = auth.list_users(actor=actor, url=url)
if not users:
    st.caption(
        "No user yet. Users appear here at their first sign-in, as viewers (the identities in "
        "MAGDI_ADMIN as admins). In local mode the one local user holds every role."
    )
else:
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "identity": u.identity,
                    "name": u.display,
                    "role": u.role.label,
                    "since (UTC)": f"{u.created_at:%Y-%m-%d %H:%M}",
                    "changed (UTC)": f"{u.updated_at:%Y-%m-%d %H:%M}",
                }
                for u in users
            ]
        ),
        hide_index=True,
    )

    def change_role(identity_: str, role: Role) -> None:
        try:
            auth.set_role(actor, identity_, role, url=url)
        except (ValueError, LookupError, Forbidden) as exc:  # e.g. the last admin
            text.flash("error", str(exc))
            return
        text.flash("success", f"{identity_} is now {role.label}.")

    c = st.columns([3, 2, 2], vertical_alignment="bottom")
    by_identity = {u.identity: u for u in users}
    who = c[0].selectbox("User", list(by_identity), key="admin_user")
    role = c[1].selectbox(
        "Role",
        list(Role),
        index=list(Role).index(by_identity[who].role),
        format_func=lambda r: r.label,
        key=f"admin_role_{who}",
    )
    c[2].button(
        "Change role",
        on_click=change_role,
        args=(who, role),
        disabled=role == by_identity[who].role,
        key="admin_change_role",
        type="primary",
    )
    st.caption(
        "viewer: browse, MAG, compare · annotator: + labels, gold corrections, bulk, export · "
        "trainer: + queue, cancel and resume their jobs, evaluations, discussions · admin: + agents, "
        "users, datasets, import, every job. The last admin keeps the role."
    )

st.subheader("Audit log")
actors, actions = audit.filters(actor=actor, url=url)
c = st.columns(3)
by = c[0].selectbox("Who", [ALL, *actors], key="admin_audit_actor")
action = c[1].selectbox("Action", [ALL, *actions], key="admin_audit_action")
limit = c[2].selectbox("Newest", (100, 500, 2000), key="admin_audit_limit")
entries = audit.entries(
    actor=actor, by=None if by == ALL else by, action=None if action == ALL else action, limit=limit, url=url
)
if not entries:
    st.caption("Nothing recorded yet.")
else:
    st.dataframe(  # cells are shown as text, never as Markdown or HTML
        pd.DataFrame(
            [
                {
                    "at (UTC)": f"{e.at:%Y-%m-%d %H:%M:%S}",
                    "who": e.actor,
                    "action": e.action,
                    "target": e.target,
                    "detail": "" if e.detail is None else json.dumps(e.detail, sort_keys=True),
                }
                for e in entries
            ]
        ),
        hide_index=True,
        key="admin_audit",
    )
    st.caption(text.esc(f"{len(entries):,} entr{'y' if len(entries) == 1 else 'ies'}, newest first"))
