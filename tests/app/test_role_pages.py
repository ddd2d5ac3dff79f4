"""Pages as a signed-in user of each role (AppTest): they hide what the role cannot use and say why;
the services refuse it anyway (tests/app/services/test_roles.py)."""

from __future__ import annotations

import pytest

from app.services import jobs
from app.services.auth import Actor, Role
from tests.utils import unescape
from tests.utils.apptest import infos, open_as
from tests.utils.rows import disc_id, node_id
from tests.utils.training import TINY


def test_a_viewer_sees_the_mag_but_cannot_label(demo_store):
    did = disc_id(demo_store, "gsm8k-001")
    query = {"d": str(did), "n": str(node_id(demo_store, "gsm8k-001", "bard", 0))}
    viewer = open_as("mag", "vic@example.org", Role.VIEWER, query)
    assert viewer.button(key="mag_correct").disabled and viewer.button(key="mag_exclude").disabled
    assert "need the annotator role" in infos(viewer)
    annotator = open_as("mag", "ann@example.org", Role.ANNOTATOR, query)
    assert not annotator.button(key="mag_correct").disabled


def test_datasets_and_import_are_the_admins(demo_store):
    for name in ("datasets", "import"):
        at = open_as(name, "tina@example.org", Role.TRAINER)
        assert "admin role" in infos(at) and not at.tabs and not at.main.button
    assert open_as("datasets", "boss@example.org", Role.ADMIN).tabs


def test_export_needs_an_annotator_and_admin_an_admin(demo_store):
    viewer = open_as("export", "vic@example.org", Role.VIEWER)
    assert "needs the annotator role" in infos(viewer) and not viewer.main.button
    assert "needs the annotator role" not in infos(open_as("export", "ann@example.org", Role.ANNOTATOR))
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not even listed
        open_as("admin", "tina@example.org", Role.TRAINER)
    assert "for admins" not in infos(open_as("admin", "boss@example.org", Role.ADMIN))


def test_a_trainer_manages_their_own_jobs_only(demo_store):
    mine = jobs.submit(jobs.train_config(TINY), actor=Actor("tina@example.org", Role.TRAINER))
    theirs = jobs.submit(jobs.train_config(TINY), actor=Actor("tom@example.org", Role.TRAINER))
    own = open_as("jobs", "tina@example.org", Role.TRAINER, {"job": str(mine)})
    assert [b.label for b in own.button if b.key == f"jobs_cancel_{mine}"] == ["Cancel"]
    other = open_as("jobs", "tina@example.org", Role.TRAINER, {"job": str(theirs)})
    assert not [b for b in other.button if b.key == f"jobs_cancel_{theirs}"]
    assert "admin for others'" in infos(other)
    assert "queued by tom@example.org" in " ".join(unescape(c.value) for c in other.caption)
    viewer = open_as("train", "vic@example.org", Role.VIEWER)
    assert "needs the trainer role" in infos(viewer)
    assert not [b for b in viewer.button if b.key == "train_start"]
