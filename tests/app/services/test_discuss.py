"""The Discuss service's agents file and inputs: YAML or JSON round trips, add-or-replace, the
simulated teachers, keys named never shown, convincing samples read line by line, and who may
change, test and use the agents."""

import pytest

from app.services import audit, discuss
from app.services.auth import LOCAL, Actor, Forbidden, Role
from magdi.agents import AgentConfig

TRAINER = Actor("tina@example.org", Role.TRAINER)


def test_the_agents_file_round_trips_in_yaml_and_json(tmp_path, monkeypatch, sqlite_url):
    agents = [
        AgentConfig(name="gpt", model="gpt-4o-mini", api_key_env="OPENAI_API_KEY"),
        AgentConfig(name="local", kind="openai", model="qwen", base_url="http://127.0.0.1:8000/v1"),
    ]
    for name in ("agents.yaml", "agents.json"):
        monkeypatch.setenv("MAGDI_AGENTS_FILE", str(tmp_path / "sub" / name))
        assert discuss.load_agents() == []  # no file yet
        path = discuss.save_agents(agents, actor=LOCAL)
        assert path == tmp_path / "sub" / name and discuss.load_agents() == agents
    assert (tmp_path / "sub" / "agents.json").read_text().startswith('{\n "agents": [')


def test_only_admins_change_agents_and_each_change_is_audited(tmp_path, monkeypatch, sqlite_url):
    monkeypatch.setenv("MAGDI_AGENTS_FILE", str(tmp_path / "agents.yaml"))
    agent = AgentConfig(name="gpt", model="gpt-4o-mini", api_key_env="OPENAI_API_KEY")
    for role in (Role.VIEWER, Role.ANNOTATOR, Role.TRAINER):
        with pytest.raises(Forbidden, match="needs the admin role"):
            discuss.save_agents([agent], actor=Actor(f"{role.label}@example.org", role))
    assert not (tmp_path / "agents.yaml").exists()
    discuss.save_agents([agent], actor=LOCAL)
    discuss.save_agents([AgentConfig(name="gpt", model="gpt-4o")], actor=LOCAL)
    discuss.save_agents([], actor=LOCAL)
    log = audit.entries(actor=LOCAL)
    assert [(e.action, e.target, e.actor) for e in reversed(log)] == [
        ("agent.added", "agent gpt", "local"),
        ("agent.changed", "agent gpt", "local"),
        ("agent.removed", "agent gpt", "local"),
    ]
    assert log[1].detail["fields"] == ["api_key_env", "model"] and log[1].detail["api_key_env"] is None


def test_upsert_replaces_by_name_or_adds_and_validates():
    agents = discuss.validate_agents([{"name": "a", "model": "m1"}, {"name": "b", "model": "m2"}])
    replaced = discuss.upsert_agent(agents, {"name": "a", "model": "m3"})
    assert [(c.name, c.model) for c in replaced] == [("a", "m3"), ("b", "m2")]
    added = discuss.upsert_agent(agents, {"name": "c", "kind": "simulated", "model": "weak"})
    assert [c.name for c in added] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="do not put a key in the file"):
        discuss.upsert_agent(agents, {"name": "d", "api_key": "sk-secret"})
    with pytest.raises(ValueError, match="must be the NAME of an environment variable") as err:
        discuss.upsert_agent(agents, {"name": "d", "model": "m", "api_key_env": "sk-secret-value"})
    assert "sk-secret" not in str(err.value)
    with pytest.raises(ValueError, match="an openai agent needs a model name"):
        discuss.upsert_agent(agents, {"name": "d"})
    with pytest.raises(ValueError, match="agent names must be unique"):
        discuss.validate_agents([{"name": "a", "model": "m"}, {"name": "a", "model": "m"}])


def test_the_simulated_teachers_join_once():
    mine = [AgentConfig(name="sim-strong", model="gpt")]  # a name of theirs already taken
    agents = discuss.with_simulated_agents(mine)
    assert [(c.name, c.kind) for c in agents] == [
        ("sim-strong", "openai"),
        ("sim-average", "simulated"),
        ("sim-weak", "simulated"),
    ]
    assert discuss.with_simulated_agents(agents) == agents


def test_a_key_is_named_never_shown(monkeypatch):
    monkeypatch.setenv("MAGDI_TEST_KEY", "sk-very-secret")
    assert (
        discuss.key_status(AgentConfig(name="a", model="m", api_key_env="MAGDI_TEST_KEY"))
        == "$MAGDI_TEST_KEY is set"
    )
    monkeypatch.delenv("MAGDI_TEST_KEY")
    assert (
        discuss.key_status(AgentConfig(name="a", model="m", api_key_env="MAGDI_TEST_KEY"))
        == "$MAGDI_TEST_KEY is NOT set"
    )
    assert discuss.key_status(AgentConfig(name="a", model="m")) == "no key"


def test_convincing_samples_are_json_lines():
    assert discuss.parse_few_shot('{"q": 1}\n\n  \n{"q": 2}\n') == [{"q": 1}, {"q": 2}]
    with pytest.raises(ValueError, match="convincing samples, line 3: malformed JSON"):
        discuss.parse_few_shot('{"q": 1}\n\n{"q": \n')
