"""Agent configs: files, validation, costs, and keys that stay out of every config."""

from __future__ import annotations

import json

import pytest

from magdi.agents import (
    ENV_NAME,
    AgentConfig,
    OpenAIAgent,
    Usage,
    load_agent_configs,
    looks_like_key,
    make_agent,
)


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


KEY_SHAPED = [
    "hf_abcdefghijklmnopqrstuvwxyzABCDEFGH",
    "ghp_16C7e42F292c6912E7710c838347Ae178B4a",
    "gho_16C7e42F292c6912E7710c838347Ae178B4a",
    "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz",
    "AKIAIOSFODNN7EXAMPLE",
    "ASIAIOSFODNN7EXAMPLE",
    "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
    "sk_test_4eC39HqLyjWDarjtT1zdp7dc",
    "sk-proj-abcdefghijklmnop",
    "gsk_8d2fJq0LmZx4Tn7RvW1c",
    "xoxb-123456789012-abcdefgh",
    "a3f9c0d8e7b6a5f4e3d2c1b0a9f8e7d6",  # hex
    "Zx8Kq2LmN7pR4sTvWyBcDfGhJk",  # base62
    "QWERTYUIOPASDFGHJKLZXCVBNMQWERTYUIOPASDF",  # long, no word breaks
]


@pytest.mark.parametrize("value", KEY_SHAPED)
def test_a_key_where_a_variable_name_belongs_is_refused_without_being_repeated(value):
    with pytest.raises(ValueError, match="must be the NAME of an environment variable") as err:
        AgentConfig("a", model="m", api_key_env=value)
    assert value not in str(err.value) and value[4:12] not in str(err.value)
    assert looks_like_key(value) or not ENV_NAME.match(value)


@pytest.mark.parametrize(
    "name",
    [
        "OPENAI_API_KEY",
        "HF_TOKEN",
        "hf_token",
        "MAGDI_KEY_OPENROUTER_PRODUCTION",
        "MAGDI_KEY_GPT4O_2024_08_06",
    ],
)
def test_variable_names_are_accepted(name):
    assert not looks_like_key(name) and AgentConfig("a", model="m", api_key_env=name).api_key_env == name


def test_agent_names_carry_no_shell_or_yaml_syntax():
    for name in ("gpt-4o", "sim-strong", "Claude 3 (Opus)", "student@run.3", "élève_1"):
        assert AgentConfig(name, model="m").name == name
    for name in (
        "x; touch /tmp/PWNED",
        "$(id)",
        "`id`",
        "a|b",
        "a\nb",
        "x: y",
        "'q'",
        "a/b",
        " lead",
        "a" * 65,
    ):
        with pytest.raises(ValueError, match="use letters, digits"):
            AgentConfig(name, model="m")
