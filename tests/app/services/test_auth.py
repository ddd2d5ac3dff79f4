import pytest

from app.services.auth import LOCAL, Actor, Forbidden, Role, require


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
