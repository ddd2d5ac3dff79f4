"""Agent configs: files, validation, costs, and keys that stay out of every config."""

from __future__ import annotations

import json

import pytest

from magdi.agents import AgentConfig, OpenAIAgent, Usage, load_agent_configs, make_agent


def test_yaml_and_json_files_round_trip(tmp_path):
    (tmp_path / "agents.yaml").write_text(
        "agents:\n"
        "  - {name: gpt, model: gpt-4o, api_key_env: OPENAI_API_KEY, price_in_per_1k: 0.005}\n"
        "  - {name: student, kind: local, model: runs/magdi, temperature: 0}\n"
    )
    configs = load_agent_configs(tmp_path / "agents.yaml")
    assert [c.name for c in configs] == ["gpt", "student"] and configs[1].kind == "local"
    (tmp_path / "agents.json").write_text(json.dumps([c.to_dict() for c in configs]))
    assert load_agent_configs(tmp_path / "agents.json") == configs


@pytest.mark.parametrize(
    "item, message",
    [
        ({"name": "x", "model": "m", "api_key": "sk-1"}, "environment variable"),
        ({"name": "x", "model": "m", "modle": "typo"}, "unknown keys"),
        ({"name": "x"}, "needs a model"),
        ({"name": "x", "model": "m", "kind": "grpc"}, "kind"),
        ({"name": "x", "model": "m", "max_concurrency": 0}, "max_concurrency"),
    ],
)
def test_bad_agents_are_rejected(tmp_path, item, message):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([item]))
    with pytest.raises(ValueError, match=message):
        load_agent_configs(path)


def test_duplicate_names_are_rejected(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_text("- {name: a, model: m}\n- {name: a, model: n}\n")
    with pytest.raises(ValueError, match="unique"):
        load_agent_configs(path)


def test_cost_uses_the_prices_per_1k_tokens():
    usage = Usage(calls=2, prompt_tokens=2000, completion_tokens=500)
    assert AgentConfig("a", model="m", price_in_per_1k=0.01, price_out_per_1k=0.03).cost(
        usage
    ) == pytest.approx(0.035)
    assert AgentConfig("a", model="m").cost(usage) is None


def test_the_key_is_read_at_call_time_and_never_kept_in_the_config(monkeypatch):
    monkeypatch.delenv("MAGDI_TEST_UNSET_KEY", raising=False)
    agent = make_agent(
        AgentConfig("a", model="m", base_url="http://127.0.0.1:9/v1", api_key_env="MAGDI_TEST_UNSET_KEY")
    )
    assert isinstance(agent, OpenAIAgent)  # built without the key
    monkeypatch.setenv("MAGDI_TEST_UNSET_KEY", "sk-test-SECRET")
    assert "sk-test-SECRET" not in json.dumps(agent.config.to_dict()) + repr(agent.config)
