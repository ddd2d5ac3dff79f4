import pytest

from app.services import audit
from app.services.auth import LOCAL, Actor, Forbidden, Role, actor_for, list_users, require, set_role


def test_roles_are_ordered_and_each_includes_the_ones_below():
    annotator = Actor("ann@example.org", Role.ANNOTATOR)
    assert require(annotator, Role.VIEWER, "browse") is annotator
    assert require(annotator, Role.ANNOTATOR, "relabel a node") is annotator
    with pytest.raises(
        Forbidden, match=r"ann@example.org \(annotator\) may not queue a job: it needs the trainer"
    ):
        require(annotator, Role.TRAINER, "queue a job")


def test_nobody_signed_in_is_refused_and_local_mode_holds_every_role():
    with pytest.raises(Forbidden, match="sign in to relabel"):
        require(None, Role.VIEWER, "relabel")
    assert all(LOCAL.may(r) for r in Role)


def test_a_first_sign_in_makes_a_viewer_and_the_configured_identity_an_admin(db_url, monkeypatch):
    monkeypatch.setenv("MAGDI_ADMIN", "boss@example.org, other-boss@example.org")
    assert actor_for("ann@example.org", "Ann", db_url) == Actor("ann@example.org", Role.VIEWER, "Ann")
    assert actor_for("boss@example.org", "", db_url).role == Role.ADMIN
    assert actor_for("ann@example.org", "Ann B.", db_url) == Actor("ann@example.org", Role.VIEWER, "Ann B.")
    boss = actor_for("boss@example.org", "", db_url)
    assert [(u.identity, u.role) for u in list_users(actor=boss, url=db_url)] == [
        ("ann@example.org", Role.VIEWER),
        ("boss@example.org", Role.ADMIN),
    ]
    created = audit.entries(actor=boss, action="user.created", url=db_url)
    assert [(e.actor, e.detail["role"]) for e in created] == [
        ("boss@example.org", "admin"),
        ("ann@example.org", "viewer"),
    ]
    with pytest.raises(ValueError, match="needs an identity"):
        actor_for("  ", "", db_url)


def test_a_configured_admin_who_signed_in_before_is_made_admin_when_none_is_left(sqlite_url, monkeypatch):
    assert actor_for("boss@example.org", "", sqlite_url).role == Role.VIEWER  # before MAGDI_ADMIN was set
    monkeypatch.setenv("MAGDI_ADMIN", "boss@example.org")
    assert actor_for("boss@example.org", "", sqlite_url).role == Role.ADMIN


def test_roles_are_changed_by_admins_only_audited_and_never_the_last_admin_away(db_url, monkeypatch):
    monkeypatch.setenv("MAGDI_ADMIN", "boss@example.org")
    boss = actor_for("boss@example.org", "Boss", db_url)
    ann = actor_for("ann@example.org", "", db_url)
    with pytest.raises(Forbidden, match="needs the admin role"):
        set_role(ann, "ann@example.org", Role.ADMIN, url=db_url)
    with pytest.raises(Forbidden):
        list_users(actor=ann, url=db_url)
    with pytest.raises(ValueError, match="last admin"):
        set_role(boss, "boss@example.org", Role.TRAINER, url=db_url)
    assert set_role(boss, "ann@example.org", Role.ADMIN, url=db_url).role == Role.ADMIN
    assert actor_for("ann@example.org", "", db_url).role == Role.ADMIN
    ann = actor_for("ann@example.org", "", db_url)
    assert set_role(ann, "boss@example.org", Role.ANNOTATOR, url=db_url).role == Role.ANNOTATOR
    with pytest.raises(LookupError, match="no user"):
        set_role(ann, "nobody@example.org", Role.VIEWER, url=db_url)
    changes = audit.entries(actor=ann, action="role.changed", url=db_url)
    assert [(e.actor, e.target, e.detail) for e in changes] == [
        ("ann@example.org", "user boss@example.org", {"from": "admin", "to": "annotator"}),
        ("boss@example.org", "user ann@example.org", {"from": "viewer", "to": "admin"}),
    ]
    assert audit.filters(actor=ann, url=db_url)[0] == ["ann@example.org", "boss@example.org"]
    with pytest.raises(Forbidden, match="read the audit log"):
        audit.entries(actor=Actor("x", Role.TRAINER), url=db_url)
