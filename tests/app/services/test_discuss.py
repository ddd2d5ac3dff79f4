"""The Discuss service's agents file and inputs: YAML or JSON round trips, add-or-replace, the
simulated teachers, keys named never shown, convincing samples read line by line."""

import pytest

from app.services import discuss
from magdi.agents import AgentConfig


def test_the_agents_file_round_trips_in_yaml_and_json(tmp_path):
    agents = [
        AgentConfig(name="gpt", model="gpt-4o-mini", api_key_env="OPENAI_API_KEY"),
        AgentConfig(name="local", kind="openai", model="qwen", base_url="http://127.0.0.1:8000/v1"),
    ]
    assert discuss.load_agents(tmp_path / "none.yaml") == []  # no file yet
    for name in ("agents.yaml", "agents.json"):
        path = discuss.save_agents(agents, tmp_path / "sub" / name)
        assert discuss.load_agents(path) == agents
    assert (tmp_path / "sub" / "agents.json").read_text().startswith('{\n "agents": [')


def test_upsert_replaces_by_name_or_adds_and_validates():
    agents = discuss.validate_agents([{"name": "a", "model": "m1"}, {"name": "b", "model": "m2"}])
    replaced = discuss.upsert_agent(agents, {"name": "a", "model": "m3"})
    assert [(c.name, c.model) for c in replaced] == [("a", "m3"), ("b", "m2")]
    added = discuss.upsert_agent(agents, {"name": "c", "kind": "simulated", "model": "weak"})
    assert [c.name for c in added] == ["a", "b", "c"]
    with pytest.raises(ValueError, match="do not put a key in the file"):
        discuss.upsert_agent(agents, {"name": "d", "api_key": "sk-secret"})
    with pytest.raises(ValueError, match="must be the NAME of an environment variable"):
        discuss.upsert_agent(agents, {"name": "d", "model": "m", "api_key_env": "sk-secret-value"})
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
