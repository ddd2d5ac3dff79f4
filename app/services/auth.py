"""Who is acting, and what they may do: the security boundary of every service.

A service that changes something, starts work or reads a file takes the acting `Actor` and calls
`require` before it does anything. Pages only hide what a role cannot do; they are not trusted.
Roles are ordered: each one may do everything the roles below it may.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum

from db import audit, users
from db.engine import session_scope

IDENTITY_MAX = 200


class Role(IntEnum):
    VIEWER = 1  # browse, MAG, compare
    ANNOTATOR = 2  # + label edits (responses), gold corrections, bulk
    ADJUDICATOR = 3  # + final labels of nodes annotators disagree on (adjudication)
    TRAINER = 4  # + queue, cancel and resume jobs, evaluations, discussions with admin-defined agents
    ADMIN = 5  # + agents, users, datasets, every job, settings

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Actor:
    """The signed-in person: `identity` is stable (the OIDC subject's e-mail, a proxy header's value,
    or "local"); it is what history entries, jobs and audit records carry."""

    identity: str
    role: Role
    display: str = ""

    @property
    def shown(self) -> str:
        return self.display or self.identity

    def may(self, role: Role) -> bool:
        return self.role >= role


LOCAL = Actor("local", Role.ADMIN, "local user")  # local mode: one person on loopback holds every role


class Forbidden(PermissionError):
    """The actor's role does not allow the action; the message says which role it needs."""


def require(actor: Actor | None, role: Role, action: str) -> Actor:
    """The actor, if its role allows `action` (a phrase such as "queue a training job")."""
    if actor is None:
        raise Forbidden(f"sign in to {action}")
    if not actor.may(role):
        raise Forbidden(
            f"{actor.shown} ({actor.role.label}) may not {action}: it needs the {role.label} role"
        )
    return actor


# ---------------------------------------------------------------- users and roles in the store


@dataclass(frozen=True)
class UserInfo:
    identity: str
    display: str
    role: Role
    created_at: datetime
    updated_at: datetime


def configured_admins() -> set[str]:
    """The identities `MAGDI_ADMIN` names (comma-separated): admins from their first sign-in."""
    return {i.strip() for i in os.environ.get("MAGDI_ADMIN", "").split(",") if i.strip()}


def role_named(label: str) -> Role:
    try:
        return Role[label.strip().upper()]
    except KeyError:
        raise ValueError(f"no role {label!r}: one of {', '.join(r.label for r in Role)}") from None


def actor_for(identity: str, display: str = "", url: str | None = None) -> Actor:
    """The signed-in person as an `Actor`, with the role the store holds for them. The first
    sign-in makes the user: a viewer, or an admin when `MAGDI_ADMIN` names the identity. A
    configured admin is also made admin again when the store has no admin left (a way back in)."""
    identity, display = (identity or "").strip(), (display or "").strip()
    if not identity:
        raise ValueError("a signed-in user needs an identity")
    if len(identity) > IDENTITY_MAX:
        raise ValueError(f"an identity has at most {IDENTITY_MAX} characters")
    display = display[:IDENTITY_MAX]
    configured = identity in configured_admins()
    with session_scope(url, write=True) as s:
        user = users.get_user(s, identity)
        if user is None:
            role = Role.ADMIN if configured else Role.VIEWER
            user = users.add_user(s, identity=identity, display=display, role=role.label)
            if user is not None:
                audit.add_entry(
                    s,
                    actor=identity,
                    action="user.created",
                    target=f"user {identity}",
                    detail={"role": role.label, "configured_admin": configured},
                )
                return Actor(identity, role, display)
            user = users.get_user(s, identity)  # another sign-in made it first
        changes: dict = {}
        if display and display != user.display:
            changes["display"] = display
        if configured and user.role != Role.ADMIN.label and not users.count_role(s, Role.ADMIN.label):
            changes["role"] = Role.ADMIN.label
            audit.add_entry(
                s,
                actor=identity,
                action="role.changed",
                target=f"user {identity}",
                detail={"from": user.role, "to": Role.ADMIN.label, "why": "MAGDI_ADMIN, no admin left"},
            )
        if changes:
            users.update_user(s, user, **changes)
        return Actor(identity, role_named(user.role), user.display)


def list_users(*, actor: Actor, url: str | None = None) -> list[UserInfo]:
    require(actor, Role.ADMIN, "list the users")
    with session_scope(url) as s:
        return [
            UserInfo(u.identity, u.display, role_named(u.role), u.created_at, u.updated_at)
            for u in users.list_users(s)
        ]


def set_role(actor: Actor, identity: str, role: Role, *, url: str | None = None) -> UserInfo:
    """Give `identity` the role; admins only, and never the store's last admin away (audited)."""
    require(actor, Role.ADMIN, "change roles")
    role = Role(role)
    with session_scope(url, write=True) as s:
        user = users.get_user(s, identity)
        if user is None:
            raise LookupError(f"no user {identity!r}: a user is made at their first sign-in")
        old = role_named(user.role)
        if old == Role.ADMIN and role != Role.ADMIN and users.count_role(s, Role.ADMIN.label) <= 1:
            raise ValueError(f"{identity} is the last admin: make another user admin first")
        if old != role:
            users.update_user(s, user, role=role.label)
            audit.add_entry(
                s,
                actor=actor.identity,
                action="role.changed",
                target=f"user {identity}",
                detail={"from": old.label, "to": role.label},
            )
        return UserInfo(user.identity, user.display, role, user.created_at, user.updated_at)
