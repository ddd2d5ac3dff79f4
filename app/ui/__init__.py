"""Streamlit glue shared by the pages, by concern: `cache` (the cached service calls, the only
module with `st.cache_*`), `state` (the filter, order and page in the URL and the session),
`text` (escaping of data text, messages), `identity` (sign-in and the acting user, whose identity
every edit records).

This module is the page registry; the pages themselves live in ../../pages/.
"""

from __future__ import annotations

from pathlib import Path

from app.services.auth import Actor, Role

ROOT = Path(__file__).resolve().parents[2]
# name -> (file, title, icon, section); pages whose file is missing are left out of the app.
PAGE_INFO = {
    "overview": ("Overview", ":material/dashboard:", "Explore"),
    "browse": ("Browse", ":material/table_rows:", "Explore"),
    "mag": ("MAG", ":material/hub:", "Explore"),
    "review": ("Review queue", ":material/flag:", "Annotate"),
    "bulk": ("Bulk label", ":material/done_all:", "Annotate"),
    "agreement": ("Agreement", ":material/handshake:", "Annotate"),
    "tasks": ("Annotation tasks", ":material/assignment:", "Annotate"),
    "discuss": ("Discuss", ":material/forum:", "Teach"),
    "train": ("Train", ":material/model_training:", "Distil"),
    "jobs": ("Jobs", ":material/work_history:", "Distil"),
    "compare": ("Compare", ":material/compare_arrows:", "Distil"),
    "experiments": ("Experiments", ":material/science:", "Distil"),
    "import": ("Import", ":material/upload:", "Data"),
    "datasets": ("Datasets", ":material/database:", "Data"),
    "export": ("Export", ":material/download:", "Data"),
    "admin": ("Admin", ":material/admin_panel_settings:", "Admin"),
    "help": ("How it works", ":material/help:", "Help"),
}
PAGES = {name: ROOT / "pages" / f"{name}.py" for name in PAGE_INFO}
PAGE_ROLE = {"admin": Role.ADMIN}  # pages listed only for this role and above (the services check too)


def visible(name: str, actor: Actor | None) -> bool:
    """Whether the navigation lists the page for the actor."""
    role = PAGE_ROLE.get(name)
    return role is None or (actor is not None and actor.may(role))
