"""The Annotation tasks page through AppTest, signed in: a trainer creates a task, an annotator
works their queue (answer, undo), a viewer is turned away."""

from __future__ import annotations

from app.services import responses, tasks
from app.services.auth import Actor, Role
from tests.utils import unescape
from tests.utils.apptest import infos, open_as

ANN = Actor("ann@example.org", Role.ANNOTATOR)


def test_a_trainer_creates_a_task_and_an_annotator_works_through_it(demo_store):
    trainer = open_as("tasks", "tess@example.org", Role.TRAINER)
    assert "No annotation task yet" in infos(trainer)
    trainer.text_input(key="tasks_new_name").input("first pass")
    trainer.number_input(key="tasks_new_overlap").set_value(2)
    trainer.button(key="tasks_create").click().run()
    assert not trainer.exception and "Task first pass created." in [
        unescape(s.value) for s in trainer.success
    ]
    [task] = tasks.list_tasks(actor=ANN, url=demo_store)
    assert (task.overlap, task.created_by, task.hide_others) == (2, "tess@example.org", True)

    at = open_as("tasks", ANN.identity, Role.ANNOTATOR)
    assert not any(b.key == "tasks_create" for b in at.button) and not any(
        b.key == "tasks_archive" for b in at.button
    )
    [first] = tasks.next_items(task.id, actor=ANN, url=demo_store)
    at.button(key="tasks_incorrect").click().run()
    assert not at.exception
    assert [
        (r.annotator, r.value) for r in responses.responses(first.node_id, actor=ANN, url=demo_store)
    ] == [(ANN.identity, "incorrect")]
    [second] = tasks.next_items(task.id, actor=ANN, url=demo_store)
    assert second.node_id != first.node_id
    assert tasks.progress(task.id, actor=ANN, url=demo_store).by_annotator == {ANN.identity: 1}
    at.button(key="tasks_undo").click().run()  # withdraws the last response: the node is back
    assert responses.responses(first.node_id, actor=ANN, url=demo_store) == []
    assert tasks.next_items(task.id, actor=ANN, url=demo_store)[0].node_id == first.node_id


def test_a_viewer_is_told_tasks_need_the_annotator_role(demo_store):
    at = open_as("tasks", "vic@example.org", Role.VIEWER)
    assert "need the annotator role" in infos(at)
