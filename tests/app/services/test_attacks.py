"""The attacks of someone who reaches the Streamlit port, replayed against the services the pages
call (issue 14): each is refused, and the test checks the harm did not happen (no value sent, no
file written, no file read or echoed). Real store, real files, a real HTTP server on loopback."""

from __future__ import annotations

import dataclasses
import json
import threading
import tomllib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from app.services import compare, discuss, files, jobs, store
from app.services.auth import LOCAL, Actor, Forbidden, Role
from magdi.agents import AgentConfig
from tests.conftest import ROOT

DB_PASSWORD = "pg-password-0123456789-do-not-send"
VIEWER = Actor("vic@example.org", Role.VIEWER)
ANNOTATOR = Actor("ann@example.org", Role.ANNOTATOR)
TRAINER = Actor("tina@example.org", Role.TRAINER)


class _Recorder(BaseHTTPRequestHandler):
    """Answers every POST like a chat-completions API and keeps each request's headers."""

    def do_POST(self) -> None:
        self.server.seen.append({k.lower(): v for k, v in self.headers.items()})  # type: ignore[attr-defined]
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        reply = {"reasoning": "r", "answer": "yes", "confidence_level": 0.9}
        body = json.dumps(
            {
                "id": "x",
                "object": "chat.completion",
                "created": 0,
                "model": "m",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": json.dumps(reply)},
                        "finish_reason": "stop",
                    }
                ],
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def evil():
    """A loopback server standing in for the attacker's URL; `.seen` holds what reached it."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    server.seen = []
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def deployment(sqlite_url, tmp_path, monkeypatch):
    """A server's configuration: its agents file, file roots, runs, and a database password in its
    environment."""
    root = tmp_path / "root"
    root.mkdir()
    monkeypatch.setenv("MAGDI_AGENTS_FILE", str(tmp_path / "config" / "agents.yaml"))
    monkeypatch.setenv("MAGDI_FILE_ROOTS", str(root))
    monkeypatch.setenv("MAGDI_RUNS_DIR", str(tmp_path / "runs"))
    monkeypatch.setenv("MAGDI_DATABASE_PASSWORD", DB_PASSWORD)
    monkeypatch.setenv("MAGDI_KEY_TEST", "sk-test-allowed-key")
    monkeypatch.delenv("MAGDI_KEY_ENV_ALLOW", raising=False)
    return sqlite_url, root, tmp_path


def _discussion(agents: list[AgentConfig], **source) -> dict:
    return {
        "agents": [a.to_dict() for a in agents],
        "source": source or {"synthetic": "yesno", "count": 2, "seed": 0},
        "target_dataset": "out",
        "rounds": 0,
    }


# ---------------------------------------------------------------- 1: the bearer-token leak


def test_an_agent_cannot_send_a_server_variable_as_its_bearer_token(deployment, evil):
    url, _, tmp_path = deployment
    thief = AgentConfig(
        name="thief", model="m", base_url=evil.url, api_key_env="MAGDI_DATABASE_PASSWORD", max_retries=0
    )
    with pytest.raises(ValueError, match="not a variable this server lets agents use"):
        discuss.save_agents([thief], actor=LOCAL, url=url)  # not even an admin
    assert not discuss.agents_file().exists()

    # the same agent written into the agents file by other means: testing or using it is refused
    discuss.agents_file().parent.mkdir(parents=True)
    discuss.agents_file().write_text(yaml.safe_dump({"agents": [thief.to_dict()]}))
    with pytest.raises(ValueError, match="not a variable this server lets agents use"):
        discuss.try_agent(thief, "Q?", "strategyqa", actor=TRAINER)
    with pytest.raises(ValueError, match="not a variable this server lets agents use"):
        discuss.submit(_discussion([thief, dataclasses.replace(thief, name="t2")]), actor=TRAINER, url=url)

    # a trainer's made-up agent (an allowed variable, the attacker's URL) is not an admin's agent
    made_up = AgentConfig(name="made-up", model="m", base_url=evil.url, api_key_env="MAGDI_KEY_TEST")
    with pytest.raises(ValueError, match="not defined so in the agents file"):
        discuss.try_agent(made_up, "Q?", "strategyqa", actor=TRAINER)
    assert evil.seen == [] and jobs.list_all(url=url) == []

    # an admin's agent with an allowed variable is what a trainer can test: it sends that key only
    fine = AgentConfig(name="fine", model="m", base_url=evil.url, api_key_env="MAGDI_KEY_TEST", max_retries=0)
    discuss.save_agents([fine], actor=LOCAL, url=url)
    assert discuss.try_agent(fine, "Q?", "strategyqa", actor=TRAINER).answer == "yes"
    assert [h.get("authorization") for h in evil.seen] == ["Bearer sk-test-allowed-key"]
    assert all(DB_PASSWORD not in json.dumps(h) for h in evil.seen)
    assert DB_PASSWORD not in (tmp_path / "config" / "agents.yaml").read_text()


def test_the_allow_list_is_server_configuration(deployment, monkeypatch):
    url, _, _ = deployment
    monkeypatch.setenv("MAGDI_KEY_ENV_ALLOW", "TEAM_*, VLLM_TOKEN")
    discuss.save_agents([AgentConfig(name="a", model="m", api_key_env="TEAM_OPENAI")], actor=LOCAL, url=url)
    discuss.save_agents([AgentConfig(name="a", model="m", api_key_env="VLLM_TOKEN")], actor=LOCAL, url=url)
    with pytest.raises(ValueError, match=r"allowed: TEAM_\*, VLLM_TOKEN"):
        discuss.save_agents([AgentConfig(name="a", model="m", api_key_env="OPENAI_API_KEY")], actor=LOCAL)


# ---------------------------------------------------------------- 2: the file write


def test_no_page_can_choose_where_the_agents_file_is_written(deployment):
    url, _, tmp_path = deployment
    target = tmp_path / "evil.sh"
    with pytest.raises(TypeError):
        discuss.save_agents([AgentConfig(name="a", model="m")], target, actor=LOCAL)  # no path argument
    with pytest.raises(TypeError):
        discuss.load_agents(target)
    marker = tmp_path / "PWNED"
    for name in (f"x; touch {marker}", f"x`touch {marker}`", f"$(touch {marker})", "a\nb", "x: y", "'q'"):
        with pytest.raises(ValueError, match="agent name"):
            discuss.upsert_agent([], {"name": name, "model": "m"})
    discuss.save_agents([AgentConfig(name="sim x", kind="simulated", model="weak")], actor=LOCAL, url=url)
    written = sorted(
        p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file() and "store" not in p.name
    )
    assert [str(p) for p in written] == ["config/agents.yaml"] and not marker.exists() and not target.exists()


# ---------------------------------------------------------------- 4: the file read


def test_question_files_outside_the_roots_are_refused_unread_and_nothing_is_echoed(deployment):
    url, root, tmp_path = deployment
    discuss.save_agents(discuss.with_simulated_agents([]), actor=LOCAL, url=url)
    agents = discuss.load_agents()[:2]
    secret = tmp_path / "secrets.jsonl"
    secret.write_text(json.dumps({"aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG", "question": "q"}) + "\n")
    (root / "link.jsonl").symlink_to(secret)  # inside the root, leading out of it
    for path in map(str, (secret, root / "link.jsonl", root / ".." / "secrets.jsonl")):
        for read, args, kw in (
            (discuss.preview, (_discussion(agents, file=path, format="auto"), url), {"actor": TRAINER}),
            (
                discuss.submit,
                (_discussion(agents, file=path, format="auto"),),
                {"actor": TRAINER, "url": url},
            ),
            (compare.eval_job_config, (), {"benchmark": path, "url": url}),
            (compare.select_questions, ({"source": {"benchmark": path}, "model": {}}, url), {}),
        ):
            with pytest.raises(files.OutsideRoots) as err:
                read(*args, **kw)
            assert "wJalr" not in str(err.value) and "aws_secret" not in str(err.value)
    assert jobs.list_all(url=url) == []

    # inside the roots, a file of no known format: the error names neither its fields nor values
    inside = root / "odd.jsonl"
    inside.write_text(secret.read_text())
    for read, args, kw in (
        (discuss.preview, (_discussion(agents, file=str(inside), format="auto"), url), {"actor": TRAINER}),
        (compare.eval_job_config, (), {"benchmark": str(inside), "url": url}),
    ):
        with pytest.raises(ValueError, match="cannot tell the format") as err:
            read(*args, **kw)
        assert "wJalr" not in str(err.value) and "aws_secret" not in str(err.value)
    assert discuss.question_files() == [str(inside.resolve())]  # the link leading out is not offered


def test_model_paths_outside_the_models_root_are_refused(deployment, monkeypatch):
    url, _, tmp_path = deployment
    monkeypatch.setenv("MAGDI_MODELS_ROOT", str(tmp_path / "models"))
    with pytest.raises(files.OutsideRoots):
        compare.eval_job_config(base_model=str(tmp_path), dataset="gsm8k", url=url)
    with pytest.raises(files.OutsideRoots):  # a training job, whichever page or script builds it
        jobs.train_config({"model": str(tmp_path)}, url=url)
    (tmp_path / "models" / "tiny").mkdir(parents=True)
    assert jobs.train_config({"model": "tiny"}, url=url)["train"]["model"] == str(
        tmp_path / "models" / "tiny"
    )
    assert jobs.train_config({"model": "org/some-model"}, url=url)["train"]["model"] == "org/some-model"
    with pytest.raises(files.OutsideRoots):  # a config made by hand, as the worker would read it
        compare.select_questions({"source": {"dataset": "gsm8k"}, "model": {"base": "/etc"}}, url)
    local = AgentConfig(name="l", kind="local", model=str(tmp_path))
    with pytest.raises(ValueError, match="agent 'l': .* outside the folders"):
        discuss.save_agents([local], actor=LOCAL, url=url)
    discuss.agents_file().parent.mkdir(parents=True)
    discuss.agents_file().write_text(yaml.safe_dump({"agents": [local.to_dict()]}))  # written by hand
    with pytest.raises(ValueError, match="agent 'l': .* outside the folders"):
        discuss.try_agent(local, "Q?", "strategyqa", actor=TRAINER)


# ---------------------------------------------------------------- roles


def test_discussions_need_the_trainer_role(deployment):
    url, _, _ = deployment
    discuss.save_agents(discuss.with_simulated_agents([]), actor=LOCAL, url=url)
    agents = discuss.load_agents()
    config = _discussion(agents)
    for actor in (VIEWER, ANNOTATOR, None):
        with pytest.raises(Forbidden):
            discuss.submit(config, actor=actor, url=url)
        with pytest.raises(Forbidden):
            discuss.preview(config, url, actor=actor)
        with pytest.raises(Forbidden):
            discuss.try_agent(agents[0], "Q?", "strategyqa", actor=actor)
        with pytest.raises(Forbidden, match="admin"):
            discuss.save_agents([], actor=actor or VIEWER, url=url)
    with pytest.raises(Forbidden, match="admin"):
        discuss.save_agents([], actor=TRAINER, url=url)
    assert jobs.list_all(url=url) == [] and len(discuss.load_agents()) == 3
    assert discuss.try_agent(agents[0], "Is water wet?", "strategyqa", actor=TRAINER).ok
    job_id = discuss.submit(config, actor=TRAINER, url=url)
    assert jobs.get(job_id, url=url).submitted_by == TRAINER.identity


def test_evaluations_need_the_trainer_role(deployment):
    url, _, _ = deployment
    store.load_demo_if_empty(url)
    config = compare.eval_job_config(dataset="gsm8k", limit=2, url=url)
    for actor in (VIEWER, ANNOTATOR, None):
        with pytest.raises(Forbidden):
            compare.submit_eval(config, actor=actor, url=url)
    assert jobs.list_all(url=url) == []
    job_id = compare.submit_eval(config, actor=TRAINER, url=url)
    assert jobs.get(job_id, url=url).submitted_by == TRAINER.identity


# ---------------------------------------------------------------- errors


def test_an_uncaught_error_shows_the_browser_no_details(tmp_path):
    page = tmp_path / "page.py"
    page.write_text('raise RuntimeError("SELECT password FROM users -- /srv/magdi/var/store.db")\n')
    at = AppTest.from_file(str(page)).run()
    [shown] = at.exception
    assert "redacted" in shown.message and "SELECT" not in shown.message + "".join(shown.stack_trace)
    assert tomllib.loads((ROOT / "streamlit_config.toml").read_text())["client"]["showErrorDetails"] == "none"
