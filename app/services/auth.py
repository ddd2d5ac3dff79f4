"""Who is acting, and what they may do: the security boundary of every service.

A service that changes something, starts work or reads a file takes the acting `Actor` and calls
`require` before it does anything. Pages only hide what a role cannot do; they are not trusted.
Roles are ordered: each one may do everything the roles below it may.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Role(IntEnum):
    VIEWER = 1  # browse, MAG, compare
    ANNOTATOR = 2  # + label edits, gold corrections, bulk
    TRAINER = 3  # + queue, cancel and resume jobs, evaluations, discussions with admin-defined agents
    ADMIN = 4  # + agents, users, datasets, every job, settings

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
