"""The router's configuration: LiteLLM config files load unchanged, and every mistake is named precisely."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from reelgate.errors import ConfigurationError
from reelgate.router._config import (
    ROUTING_STRATEGIES,
    CooldownPolicy,
    Deployment,
    DeploymentParams,
    RouterConfig,
    RouterConfigError,
    build_config,
    config_from_mapping,
    load_yaml,
)

OPENAI_KEY = "sk-proj-openaisecret0123456789"
AZURE_KEY = "azure-secret-value-42"
ID_KEY = "signing-key-that-must-not-leak"

LITELLM_CONFIG = """\
model_list:
  - model_name: sora
    litellm_params:
      model: openai/sora-2
      api_key: os.environ/OPENAI_API_KEY
      rpm: 10
      tpm: 100000
    model_info:
      id: openai-main
      mode: video_generation
  - model_name: sora
    litellm_params:
      model: azure/sora-eastus
      api_base: https://eastus.example.openai.azure.com
      api_key: os.environ/AZURE_OPENAI_API_KEY
      api_version: 2024-02-01
      max_parallel_requests: 4
      weight: 2
      timeout: 90
      tags: [eu, paid]
  - model_name: sora-backup
    litellm_params:
      model: openai_compatible/sora-2
      api_base: http://127.0.0.1:8000/v1

router_settings:
  routing_strategy: latency-based-routing
  fallbacks: [{"sora": ["sora-backup"]}]
  num_retries: 3
  allowed_fails: 2
  cooldown_time: 45
  id_key: os.environ/REELGATE_ID_KEY
  redis_host: localhost
  redis_password: os.environ/REDIS_PASSWORD

litellm_settings:
  drop_params: true
  request_timeout: 120
  content_policy_fallbacks: [{"sora": ["sora-backup"]}]

general_settings:
  master_key: sk-1234

environment_variables:
  REDIS_HOST: localhost
"""


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", OPENAI_KEY)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", AZURE_KEY)
    monkeypatch.setenv("REELGATE_ID_KEY", ID_KEY)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def entry(model_name: str = "sora", **params: Any) -> dict[str, Any]:
    return {"model_name": model_name, "params": {"model": "openai/sora-2", **params}}


def error_of(data: dict[str, Any]) -> str:
    with pytest.raises(RouterConfigError) as caught:
        config_from_mapping(data)
    return str(caught.value)


# --- a LiteLLM file loads --------------------------------------------------------------------------------


@pytest.mark.usefixtures("secrets")
def test_litellm_config_file_loads_into_the_expected_config(tmp_path: Path) -> None:
    config = load_yaml(write(tmp_path, LITELLM_CONFIG))

    first, second, backup = config.deployments
    assert first == Deployment(
        model_name="sora",
        params=DeploymentParams(model="openai/sora-2", api_key=OPENAI_KEY, rpm=10),
        id="openai-main",
    )
    assert second.model_name == "sora"
    assert second.params == DeploymentParams(
        model="azure/sora-eastus",
        api_key=AZURE_KEY,
        api_base="https://eastus.example.openai.azure.com",
        api_version="2024-02-01",  # YAML reads the unquoted date as a date; it stays the text written
        max_parallel_jobs=4,
        weight=2.0,
        timeout=90.0,
        tags=("eu", "paid"),
    )
    assert backup.params.api_base == "http://127.0.0.1:8000/v1"
    assert config.routing_strategy == "latency-based"
    assert dict(config.fallbacks) == {"sora": ("sora-backup",)}
    assert dict(config.content_policy_fallbacks) == {"sora": ("sora-backup",)}
    assert config.num_retries == 3
    assert config.timeout == 120.0  # litellm_settings.request_timeout
    assert config.cooldown == CooldownPolicy(allowed_fails=2, window=60.0, cooldown_time=45.0)
    assert config.id_key == ID_KEY
    assert config.groups() == {"sora": [first, second], "sora-backup": [backup]}


@pytest.mark.usefixtures("secrets")
def test_ignored_litellm_settings_are_listed_by_location_and_not_resolved(tmp_path: Path) -> None:
    # REDIS_PASSWORD is not set: an ignored setting's environment reference is never read
    config = load_yaml(write(tmp_path, LITELLM_CONFIG))

    assert config.ignored == (
        "model_list[0].litellm_params.tpm",
        "router_settings.redis_host",
        "router_settings.redis_password",
        "litellm_settings.drop_params",
        "general_settings.master_key",
        "environment_variables.REDIS_HOST",
    )


def test_environment_variables_section_is_never_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VIDEO_KEY", raising=False)
    path = write(
        tmp_path,
        """\
        model_list:
          - model_name: sora
            litellm_params: {model: openai/sora-2, api_key: os.environ/VIDEO_KEY}
        environment_variables:
          VIDEO_KEY: from-the-file
        """,
    )

    with pytest.raises(RouterConfigError, match="VIDEO_KEY") as caught:
        load_yaml(path)

    assert "listed under environment_variables" in str(caught.value)
    assert "from-the-file" not in str(caught.value)


def test_more_litellm_params_are_accepted_and_ignored() -> None:
    params = {
        "model": "openai/sora-2",
        "max_retries": 0,
        "stream_timeout": 10,
        "organization": "org-1",
        "region_name": "eu",
        "vertex_project": "p",
        "aws_region_name": "eu-west-1",
        "input_cost_per_second": 0.1,
        "output_cost_per_second": 0.1,
        "custom_llm_provider": "openai",
        "order": 1,
        "mock_response": "hi",
    }
    config = config_from_mapping({"model_list": [{"model_name": "sora", "litellm_params": params, "tpm": 1}]})

    assert config.ignored == (
        "model_list[0].tpm",
        *(f"model_list[0].litellm_params.{key}" for key in params if key != "model"),
    )


def test_deployment_level_rpm_as_litellm_routers_read_it() -> None:
    config = config_from_mapping(
        {"model_list": [{"model_name": "sora", "litellm_params": {"model": "openai/sora-2"}, "rpm": 5}]}
    )
    assert config.deployments[0].params.rpm == 5

    message = error_of(
        {
            "model_list": [
                {"model_name": "sora", "litellm_params": {"model": "openai/sora-2", "rpm": 3}, "rpm": 5}
            ]
        }
    )
    assert "model_list[0].rpm: is 5 but litellm_params.rpm is 3" in message


# --- reelgate's own spelling -------------------------------------------------------------------------------


def test_reelgate_spelling_at_the_top_level(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REELGATE_ID_KEY", ID_KEY)
    config = config_from_mapping(
        {
            "model_list": [
                {
                    "model_name": "sora",
                    "params": {"model": "openai/sora-2", "max_parallel_jobs": 2},
                    "id": "a",
                },
                entry("sora-backup", model="local/preview"),
            ],
            "routing_strategy": "least-busy",
            "fallbacks": {"*": ["sora-backup"]},
            "num_retries": 0,
            "timeout": 30,
            "cooldown": {"allowed_fails": 1, "window": 10, "cooldown_time": 5},
            "id_key": "os.environ/REELGATE_ID_KEY",
        }
    )

    assert config.deployments[0].id == "a"
    assert config.deployments[0].params.max_parallel_jobs == 2
    assert config.routing_strategy == "least-busy"
    assert dict(config.fallbacks) == {"*": ("sora-backup",)}
    assert (config.num_retries, config.timeout) == (0, 30.0)
    assert config.cooldown == CooldownPolicy(allowed_fails=1, window=10.0, cooldown_time=5.0)
    assert config.id_key == ID_KEY
    assert config.ignored == ()


def test_build_config_in_code() -> None:
    made = Deployment("sora", DeploymentParams(model="openai/sora-2"), id="made")
    config = build_config(
        model_list=[made, entry("sora-backup")],
        routing_strategy="usage-based-routing-v2",
        fallbacks=[{"sora": "sora-backup"}],
        cooldown=12,
    )

    assert config.deployments[0] is made
    assert config.routing_strategy == "usage-based"
    assert dict(config.fallbacks) == {"sora": ("sora-backup",)}
    assert config.cooldown == CooldownPolicy(cooldown_time=12.0)
    assert build_config(model_list=[entry()], cooldown=CooldownPolicy(3, 5, 7)).cooldown == CooldownPolicy(
        3, 5, 7
    )
    assert build_config(model_list=[entry()]) == RouterConfig(
        deployments=build_config(model_list=[entry()]).deployments
    )


@pytest.mark.parametrize("strategy", [*ROUTING_STRATEGIES, "latency-based-routing", "cost-based-routing"])
def test_every_strategy_spelling_is_normalised(strategy: str) -> None:
    config = build_config(model_list=[entry()], routing_strategy=strategy)
    assert config.routing_strategy in ROUTING_STRATEGIES
    assert config.routing_strategy == strategy.removesuffix("-routing")


def test_litellm_default_fallbacks_and_disable_cooldowns() -> None:
    config = config_from_mapping(
        {
            "model_list": [entry(), entry("backup")],
            "router_settings": {"default_fallbacks": ["backup"], "disable_cooldowns": True},
        }
    )
    assert dict(config.fallbacks) == {"*": ("backup",)}
    assert dict(config.content_policy_fallbacks) == {}
    assert config.cooldown.cooldown_time == 0.0


def test_router_settings_win_over_litellm_settings() -> None:
    config = config_from_mapping(
        {
            "model_list": [entry()],
            "router_settings": {"num_retries": 1},
            "litellm_settings": {"num_retries": 5, "allowed_fails": 7},
        }
    )
    assert config.num_retries == 1
    assert config.cooldown.allowed_fails == 7
    assert config.ignored == ("litellm_settings.num_retries",)


def test_numbers_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SORA_RPM", "12")
    monkeypatch.setenv("SORA_TIMEOUT", "2.5")
    config = build_config(model_list=[entry(rpm="os.environ/SORA_RPM", timeout="os.environ/SORA_TIMEOUT")])
    assert (config.deployments[0].params.rpm, config.deployments[0].params.timeout) == (12, 2.5)


# --- deployment ids ----------------------------------------------------------------------------------------


def test_derived_ids_survive_key_rotation_and_differ_between_deployments() -> None:
    def ids(**keys: str) -> list[str]:
        model_list = [
            entry(api_key=keys["a"]),
            entry(model="azure/sora", api_key=keys["b"], api_base="https://a.example.com"),
            entry(model="azure/sora", api_key=keys["b"], api_base="https://b.example.com"),
            entry("other", api_key=keys["a"]),
        ]
        return [deployment.id for deployment in build_config(model_list=model_list).deployments]

    before, after = ids(a="sk-old-aaaaaaaaaaaa", b="old"), ids(a="sk-new-bbbbbbbbbbbb", b="new")

    assert before == after
    assert len(set(before)) == 4
    assert all(len(ident) == 12 and int(ident, 16) >= 0 for ident in before)


def test_identical_deployments_get_numbered_ids_in_order() -> None:
    config = build_config(
        model_list=[
            entry(api_key="x"),
            entry(api_key="x", weight=2),
            entry(api_key="x", weight=3),
            entry(id="e"),
        ]
    )
    base = config.deployments[0].id
    assert [d.id for d in config.deployments] == [base, f"{base}-2", f"{base}-3", "e"]


def test_deployments_told_apart_only_by_their_keys_need_explicit_ids() -> None:
    """Numbered ids follow the file's order: reordering two accounts would swap their videos' keys."""
    with pytest.raises(RouterConfigError, match="identical to model_list\\[0\\] except for its api_key"):
        build_config(model_list=[entry(api_key="sk-project-1"), entry(api_key="sk-project-2")])
    both = build_config(
        model_list=[entry(api_key="sk-project-1", id="p1"), entry(api_key="sk-project-2", id="p2")]
    )
    assert [d.id for d in both.deployments] == ["p1", "p2"]


@pytest.mark.parametrize(
    ("model_list", "expected"),
    [
        (
            [{**entry(), "id": "same"}, {**entry("b"), "model_info": {"id": "same"}}],
            "model_list[1].model_info.id: id 'same' is already used by model_list[0]",
        ),
        (
            [{**entry(), "id": "one", "model_info": {"id": "two"}}],
            "model_list[0]: conflicting ids: id is 'one', model_info.id is 'two'",
        ),
        ([{**entry(), "id": "has space"}], "model_list[0].id: expected 1 to 64 characters"),
        ([{**entry(), "id": "x" * 65}], "model_list[0].id: expected 1 to 64 characters"),
    ],
)
def test_bad_explicit_ids(model_list: list[dict[str, Any]], expected: str) -> None:
    assert expected in error_of({"model_list": model_list})


def test_model_info_id_may_be_a_number() -> None:
    config = config_from_mapping({"model_list": [{**entry(), "model_info": {"id": 7, "mode": "video"}}]})
    assert config.deployments[0].id == "7"


# --- mistakes are named precisely --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"model_lst": []}, "unknown key 'model_lst' (did you mean 'model_list'?)"),
        (
            {"model_list": [{"model_nme": "x", "litellm_params": {"model": "openai/sora-2"}}]},
            "model_list[0]: unknown key 'model_nme' (did you mean 'model_name'?)",
        ),
        (
            {
                "model_list": [
                    entry(),
                    {"model_name": "b", "litellm_params": {"model": "a/b", "api_bse": "x"}},
                ]
            },
            "model_list[1].litellm_params: unknown key 'api_bse' (did you mean 'api_base'?)",
        ),
        (
            {"model_list": [entry()], "router_settings": {"routing_stratgy": "least-busy"}},
            "router_settings: unknown key 'routing_stratgy' (did you mean 'routing_strategy'?)",
        ),
        (
            {"model_list": [entry()], "cooldown": {"cooldown_tme": 3}},
            "cooldown: unknown key 'cooldown_tme' (did you mean 'cooldown_time'?)",
        ),
        (
            {"model_list": [entry(tpm=5)]},
            "model_list[0].params: unknown key 'tpm' (a LiteLLM setting with no effect here; it is accepted "
            "and ignored only under 'litellm_params')",
        ),
        (
            {"model_list": [entry(max_parallel_requests=5)]},
            "unknown key 'max_parallel_requests' (reelgate calls it 'max_parallel_jobs')",
        ),
        (
            {"model_list": [entry(), {"model_name": "x"}]},
            "model_list[1]: missing required key 'litellm_params'",
        ),
        ({"model_list": [{"params": {"model": "a/b"}}]}, "model_list[0]: missing required key 'model_name'"),
        (
            {"model_list": [{"model_name": "x", "params": {}}]},
            "model_list[0].params: missing required key 'model'",
        ),
        ({"model_list": [entry(model="sora-2")]}, "model_list[0].params.model: expected 'provider/model'"),
        (
            {"model_list": [{**entry(), "litellm_params": {"model": "a/b"}}]},
            "model_list[0]: give either 'params' or 'litellm_params', not both",
        ),
        ({"model_list": []}, "model_list: is empty"),
        ({"model_list": {"sora": {}}}, "model_list: expected a list of deployments, got a mapping"),
        ({"router_settings": {}}, "missing required key 'model_list'"),
        (
            {"model_list": [entry()], "num_retries": 1, "router_settings": {"num_retries": 2}},
            "router_settings: 'num_retries' is set both here and at the top level",
        ),
        (
            {"model_list": [entry(api_base="eastus.example.com")]},
            "params.api_base: expected an http:// or https://",
        ),
    ],
)
def test_mistakes_are_named_where_they_are(data: dict[str, Any], expected: str) -> None:
    assert expected in error_of(data)


def test_errors_are_configuration_errors_with_structured_location() -> None:
    with pytest.raises(ConfigurationError) as caught:
        config_from_mapping({"model_list": [entry(weight=0)]}, source="router.yaml")

    error = caught.value
    assert isinstance(error, RouterConfigError)
    assert str(error) == "router.yaml: model_list[0].params.weight: must be > 0, got 0"
    assert (error.path, error.location, error.detail) == (
        ("model_list", 0, "params", "weight"),
        "model_list[0].params.weight",
        "must be > 0, got 0",
    )


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"rpm": 0}, "params.rpm: must be >= 1, got 0"),
        ({"rpm": 2.5}, "params.rpm: expected a whole number >= 1, got 2.5"),
        ({"rpm": True}, "params.rpm: expected a whole number >= 1, got true/false"),
        ({"max_parallel_jobs": "many"}, "params.max_parallel_jobs: expected a whole number >= 1, got 'many'"),
        ({"weight": -1}, "params.weight: must be > 0, got -1"),
        ({"timeout": "nan"}, "params.timeout: expected a number > 0"),
        ({"timeout": 0}, "params.timeout: must be > 0, got 0"),
        ({"tags": "eu"}, "params.tags: expected a list of strings, got a string"),
        ({"tags": ["eu", 3]}, "params.tags[1]: expected a string, got a number"),
        ({"api_key": 12345}, "params.api_key: expected a string, got a number"),
    ],
)
def test_bad_deployment_values(params: dict[str, Any], expected: str) -> None:
    assert expected in error_of({"model_list": [entry(**params)]})


def test_litellm_name_is_used_in_errors_about_it() -> None:
    message = error_of(
        {"model_list": [{"model_name": "x", "litellm_params": {"model": "a/b", "max_parallel_requests": 0}}]}
    )
    assert "model_list[0].litellm_params.max_parallel_requests: must be >= 1, got 0" in message


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"num_retries": -1}, "router_settings.num_retries: must be >= 0, got -1"),
        ({"timeout": "soon"}, "router_settings.timeout: expected a number > 0, got 'soon'"),
        ({"allowed_fails": 1.5}, "router_settings.allowed_fails: expected a whole number >= 0"),
        ({"cooldown_time": -5}, "router_settings.cooldown_time: must be >= 0, got -5"),
        ({"allowed_fails_window": 0}, "router_settings.allowed_fails_window: must be > 0, got 0"),
        ({"disable_cooldowns": "maybe"}, "router_settings.disable_cooldowns: expected true or false"),
        ({"id_key": ""}, "router_settings.id_key: is empty"),
        (
            {"cooldown": 5, "cooldown_time": 3},
            "router_settings.cooldown: give either 'cooldown' or router_settings.cooldown_time, not both",
        ),
    ],
)
def test_bad_router_numbers(settings: dict[str, Any], expected: str) -> None:
    assert expected in error_of({"model_list": [entry()], "router_settings": settings})


def test_bad_cooldown_argument() -> None:
    with pytest.raises(RouterConfigError, match=r"^cooldown\.window: must be > 0, got -1$"):
        build_config(model_list=[entry()], cooldown={"window": -1})
    with pytest.raises(RouterConfigError, match=r"^cooldown: expected a number >= 0, got true/false$"):
        build_config(model_list=[entry()], cooldown=True)
    with pytest.raises(RouterConfigError, match=r"^allowed_fails: must be >= 0, got -1$"):
        CooldownPolicy(allowed_fails=-1)


def test_bad_strategy_lists_the_valid_ones() -> None:
    with pytest.raises(RouterConfigError) as caught:
        build_config(model_list=[entry()], routing_strategy="least-bussy")

    message = str(caught.value)
    assert message.startswith(
        "routing_strategy: unknown routing strategy 'least-bussy' (did you mean 'least-busy'?)"
    )
    for name in (*ROUTING_STRATEGIES, "latency-based-routing", "usage-based-routing-v2"):
        assert name in message


@pytest.mark.parametrize(
    ("fallbacks", "expected"),
    [
        (
            [{"sora": ["sora-bakup"]}],
            "fallbacks[0].sora[0]: unknown model group 'sora-bakup' (did you mean 'sora-backup'?)",
        ),
        (
            {"nope": ["sora-backup"]},
            "fallbacks: unknown model group 'nope'; the model_list has: sora, sora-backup",
        ),
        ([{"sora": ["sora-backup"], "x": []}], "fallbacks[0]: expected a mapping with one model group"),
        ([{"sora": ["sora-backup"]}, {"sora": []}], "fallbacks[1]: 'sora' has fallbacks twice"),
        ({"sora": ["sora"]}, "fallbacks.sora: 'sora' lists itself as its own fallback"),
        ({"sora": 3}, "fallbacks.sora: expected a list of model groups, got a number"),
        ("sora", "fallbacks: expected a mapping of model group to fallback groups, got a string"),
    ],
)
def test_fallbacks_must_name_model_groups(fallbacks: Any, expected: str) -> None:
    with pytest.raises(RouterConfigError) as caught:
        build_config(model_list=[entry(), entry("sora-backup")], fallbacks=fallbacks)
    assert expected in str(caught.value)


def test_default_fallbacks_and_wildcard_together_is_an_error() -> None:
    message = error_of(
        {
            "model_list": [entry(), entry("b")],
            "router_settings": {"fallbacks": {"*": ["b"]}, "default_fallbacks": ["b"]},
        }
    )
    assert "router_settings.default_fallbacks: '*' already has fallbacks" in message


def test_content_policy_fallbacks_are_checked_too() -> None:
    message = error_of({"model_list": [entry()], "content_policy_fallbacks": [{"sora": ["gone"]}]})
    assert "content_policy_fallbacks[0].sora[0]: unknown model group 'gone'" in message


# --- environment references --------------------------------------------------------------------------------


def test_missing_environment_variable_is_named_with_its_place(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("NOT_THERE", raising=False)
    monkeypatch.setenv("BLANK", "")

    missing = error_of({"model_list": [entry(), entry(api_key="os.environ/NOT_THERE")]})
    blank = error_of({"model_list": [entry()], "router_settings": {"id_key": "os.environ/BLANK"}})
    in_tags = error_of({"model_list": [entry(tags=["a", "os.environ/NOT_THERE"])]})

    assert missing == (
        "config: model_list[1].params.api_key: environment variable 'NOT_THERE' is not set "
        "(referenced as 'os.environ/NOT_THERE')"
    )
    assert "router_settings.id_key: environment variable 'BLANK' is empty" in blank
    assert "model_list[0].params.tags[1]: environment variable 'NOT_THERE' is not set" in in_tags


def test_environment_references_resolve_everywhere_used(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SORA_MODEL", "azure/sora-west")
    monkeypatch.setenv("SORA_BASE", "https://west.example.com")
    monkeypatch.setenv("STRATEGY", "cost-based-routing")
    config = build_config(
        model_list=[entry(model="os.environ/SORA_MODEL", api_base="os.environ/SORA_BASE")],
        routing_strategy="os.environ/STRATEGY",
    )
    assert config.deployments[0].params.model == "azure/sora-west"
    assert config.deployments[0].params.api_base == "https://west.example.com"
    assert config.routing_strategy == "cost-based"


# --- secrets ------------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("secrets")
def test_secrets_never_appear_in_repr(tmp_path: Path) -> None:
    config = load_yaml(write(tmp_path, LITELLM_CONFIG))

    shown = repr(config) + str(config) + repr(config.deployments) + repr(config.deployments[0].params)
    for secret in (OPENAI_KEY, AZURE_KEY, ID_KEY):
        assert secret not in shown
    assert "api_key='***'" in repr(config.deployments[0])
    assert "id_key='***'" in repr(config)


@pytest.mark.parametrize(
    "bad",
    [
        {"api_key": "os.environ/OPENAI_API_KEY", "rpm": -1},
        {"api_key": "os.environ/OPENAI_API_KEY", "api_base": f"https://user:{AZURE_KEY}@"},
        {"api_key": "os.environ/OPENAI_API_KEY", "model": "os.environ/AZURE_OPENAI_API_KEY"},
        {"api_key": AZURE_KEY, "model": AZURE_KEY},  # a literal key, pasted in the wrong place too
        {"model": "openai/sora-2", "weight": "os.environ/REELGATE_ID_KEY"},
    ],
)
@pytest.mark.usefixtures("secrets")
def test_secrets_never_appear_in_errors(bad: dict[str, Any]) -> None:
    message = error_of({"model_list": [entry(**bad)], "id_key": "os.environ/REELGATE_ID_KEY"})
    for secret in (OPENAI_KEY, AZURE_KEY, ID_KEY):
        assert secret not in message


def test_a_wrongly_typed_secret_is_not_echoed() -> None:
    message = error_of({"model_list": [entry()], "id_key": 1234567890123})
    assert message == "config: id_key: expected a string, got a number"


# --- YAML files ---------------------------------------------------------------------------------------------


def test_yaml_errors_name_the_file_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        model_list:
          - model_name: sora
            litellm_params:
              model: openai/sora-2
              api_bse: https://x.example.com
        """,
    )
    with pytest.raises(RouterConfigError) as caught:
        load_yaml(path)
    assert str(caught.value) == (
        f"{path}, line 5: model_list[0].litellm_params: unknown key 'api_bse' (did you mean 'api_base'?)"
    )
    assert caught.value.line == 5


def test_yaml_value_errors_point_at_the_value(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        model_list:
          - model_name: sora
            litellm_params: {model: openai/sora-2}
          - model_name: backup
            litellm_params: {model: openai/sora-2}
        router_settings:
          fallbacks:
            - sora:
                - backup
                - missing
        """,
    )
    with pytest.raises(
        RouterConfigError, match=r", line 10: router_settings\.fallbacks\[0\]\.sora\[1\]: unknown"
    ):
        load_yaml(path)


def test_yaml_syntax_error_names_the_line_but_not_the_text(tmp_path: Path) -> None:
    path = write(tmp_path, f"model_list:\n  - model_name: sora\n    api_key: {OPENAI_KEY}\n  bad: [\n")
    with pytest.raises(RouterConfigError, match=rf"^{path}, line \d+: invalid YAML") as caught:
        load_yaml(path)
    assert OPENAI_KEY not in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "the file is empty"),
        ("- a\n- b\n", "line 1: expected a mapping with a model_list, got a list"),
        (
            "model_list: []\nmodel_list: []\n",
            "line 2: key 'model_list' appears twice in one mapping (first at line 1)",
        ),
        ("a: 1\n---\nb: 2\n", "invalid YAML"),
        ("model_list: !!python/object:os.system {}\n", "invalid YAML"),
    ],
)
def test_bad_yaml_files(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RouterConfigError) as caught:
        load_yaml(path)
    assert str(caught.value).startswith(str(path))
    assert expected in str(caught.value)


def test_unreadable_file(tmp_path: Path) -> None:
    with pytest.raises(RouterConfigError, match=r"missing\.yaml: cannot read the file: No such file"):
        load_yaml(tmp_path / "missing.yaml")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(RouterConfigError, match="not UTF-8"):
        load_yaml(binary)
