"""The Admin page through AppTest: the users and a role change (audited, shown in the log), the
last admin kept; listed in the navigation for admins only."""

from __future__ import annotations

from app import ui
from app.services import annotate, audit, auth
from app.services.annotate import BulkScope
from app.services.auth import LOCAL, Actor, Role
from app.services.filters import Filter
from tests.utils import unescape
from tests.utils.apptest import open_page


def test_an_admin_changes_a_role_and_reads_the_audit_log(demo_store, monkeypatch):
    monkeypatch.setenv("MAGDI_ADMIN", "boss@example.org")
    auth.actor_for("<b>ann</b>@example.org", "Ann", demo_store)
    auth.actor_for("boss@example.org", "Boss", demo_store)
    annotate.bulk_label(
        BulkScope(Filter(datasets=("gsm8k",)), answer="18"), True, actor=LOCAL, url=demo_store
    )
    at = open_page("admin")
    users = at.dataframe[0].value
    assert list(users["identity"]) == ["<b>ann</b>@example.org", "boss@example.org"]
    assert list(users["role"]) == ["viewer", "admin"]

    at.selectbox(key="admin_user").set_value("<b>ann</b>@example.org").run()
    at.selectbox(key="admin_role_<b>ann</b>@example.org").set_value(Role.TRAINER).run()
    at.button(key="admin_change_role").click().run()
    assert not at.exception
    assert [u.role for u in auth.list_users(actor=LOCAL, url=demo_store)] == [Role.TRAINER, Role.ADMIN]
    log = at.dataframe[1].value
    assert list(log["action"])[:2] == ["role.changed", "bulk.applied"]  # newest first
    assert list(log["who"])[:2] == ["local", "local"]
    assert list(log["target"])[0] == "user <b>ann</b>@example.org"  # as text, in a table

    at.selectbox(key="admin_audit_action").set_value("bulk.applied").run()
    assert list(at.dataframe[1].value["action"]) == ["bulk.applied"]

    at.selectbox(key="admin_user").set_value("boss@example.org").run()
    at.selectbox(key="admin_role_boss@example.org").set_value(Role.VIEWER).run()
    at.button(key="admin_change_role").click().run()
    assert "boss@example.org is the last admin" in " ".join(unescape(e.value) for e in at.error)
    assert auth.actor_for("boss@example.org", "", demo_store).role == Role.ADMIN
    assert len(audit.entries(actor=LOCAL, action="role.changed", url=demo_store)) == 1


def test_the_navigation_lists_the_admin_page_for_admins_only():
    assert ui.visible("admin", LOCAL) and ui.visible("admin", Actor("a@example.org", Role.ADMIN))
    for role in (Role.VIEWER, Role.ANNOTATOR, Role.TRAINER):
        assert not ui.visible("admin", Actor("x@example.org", role))
    assert not ui.visible("admin", None) and ui.visible("browse", Actor("v@example.org", Role.VIEWER))
