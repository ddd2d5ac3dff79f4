"""The acting user of this browser session, for the pages to pass to the services."""

from __future__ import annotations

from app.services.auth import LOCAL, Actor


def current_actor() -> Actor | None:
    """Local mode (the default: loopback, no sign-in) has one local user holding every role."""
    return LOCAL
