"""Users and their roles (`app.services.auth`). The caller owns the transaction."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from db.models import User, utcnow


def get_user(session: Session, identity: str) -> User | None:
    return session.execute(select(User).where(User.identity == identity)).scalar_one_or_none()


def add_user(session: Session, *, identity: str, display: str, role: str) -> User | None:
    """The new user, or None when another sign-in made this identity first (nothing added)."""
    user = User(identity=identity, display=display, role=role)
    try:
        with session.begin_nested():
            session.add(user)
    except IntegrityError:
        return None
    return user


def list_users(session: Session) -> list[User]:
    return list(session.execute(select(User).order_by(User.identity)).scalars())


def count_role(session: Session, role: str) -> int:
    return session.execute(select(func.count()).select_from(User).where(User.role == role)).scalar_one()


def update_user(session: Session, user: User, **values) -> None:
    for name, value in values.items():
        setattr(user, name, value)
    user.updated_at = utcnow()
    session.add(user)
    session.flush()
