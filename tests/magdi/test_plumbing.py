"""Files other processes read while they are rewritten, and SIGTERM as a request to stop."""

import os
import signal

import pytest

from magdi.plumbing import replace_atomically, stop_on_sigterm, write_json_atomic


def test_json_is_replaced_whole_and_no_temporary_file_is_left(tmp_path):
    path = tmp_path / "progress.json"
    write_json_atomic(path, {"step": 1, "status": "running"})
    write_json_atomic(path, {"step": 2, "note": "étape"})
    assert path.read_text(encoding="utf-8") == '{\n "step": 2,\n "note": "étape"\n}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["progress.json"]


def test_a_write_that_fails_leaves_the_old_file(tmp_path):
    path = tmp_path / "progress.json"
    write_json_atomic(path, {"step": 1})

    def half(tmp):
        tmp.write_text('{"st')
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        replace_atomically(path, half)
    assert path.read_text() == '{\n "step": 1\n}\n'


def test_sigterm_sets_the_stop_event_then_the_old_handler_is_back():
    before = signal.getsignal(signal.SIGTERM)
    with stop_on_sigterm() as stop:
        assert not stop.is_set()
        os.kill(os.getpid(), signal.SIGTERM)
        assert stop.wait(5)
    assert signal.getsignal(signal.SIGTERM) is before
