"""The Router's configuration: deployments, routing strategy, fallbacks, retries and cooldowns.

A configuration is built in code with :func:`build_config`, from an already parsed mapping with
:func:`config_from_mapping`, or from a YAML file with :func:`load_yaml`. A LiteLLM proxy
``config.yaml`` loads unchanged; reelgate's own spelling is accepted too. Example::

    model_list:
      - model_name: sora                     # the name clients ask for (a "model group")
        litellm_params:                      # LiteLLM's spelling; reelgate's is "params"
          model: openai/sora-2               # provider/model, as everywhere in reelgate
          api_key: os.environ/OPENAI_API_KEY # read from the environment at load time
          rpm: 10                            # creates per minute this deployment accepts
        model_info:
          id: openai-main                    # a stable deployment id (derived when absent)
      - model_name: sora
        litellm_params:
          model: azure/sora-eastus
          api_base: https://eastus.example.openai.azure.com
          api_key: os.environ/AZURE_OPENAI_API_KEY
          max_parallel_requests: 4           # LiteLLM's name for max_parallel_jobs
          weight: 2
      - model_name: sora-backup
        params:
          model: openai_compatible/sora-2
          api_base: http://127.0.0.1:8000/v1

    router_settings:
      routing_strategy: latency-based-routing  # LiteLLM spelling of "latency-based"
      fallbacks: [{"sora": ["sora-backup"]}]   # or a plain mapping {"sora": ["sora-backup"]}
      num_retries: 2
      timeout: 60
      allowed_fails: 3                         # failures within allowed_fails_window seconds...
      cooldown_time: 30                        # ...take a deployment out of rotation this long
      id_key: os.environ/REELGATE_ID_KEY       # HMAC key for signed video ids

The file's top-level keys are ``model_list`` (required), ``router_settings``, ``litellm_settings``
(where LiteLLM also reads ``num_retries``, ``request_timeout``, ``fallbacks``,
``content_policy_fallbacks``, ``default_fallbacks``, ``allowed_fails`` and ``cooldown_time``; a value
under ``router_settings`` wins), ``general_settings`` and ``environment_variables`` (accepted and
ignored: reelgate never sets environment variables from a file). reelgate's own form may put the router
settings at the top level instead, with the names of :func:`build_config` (``routing_strategy``,
``fallbacks``, ``content_policy_fallbacks``, ``num_retries``, ``timeout``, ``cooldown``, ``id_key``).

Settings that LiteLLM documents but that mean nothing for video (token limits, Redis, caching,
callbacks, cloud credentials of providers reelgate does not call, ...) are accepted, ignored, and
listed by location in :attr:`RouterConfig.ignored` so that the caller can warn once. The lists are
explicit (see ``_LITELLM_IGNORED_PARAMS`` and ``_LITELLM_IGNORED_ROUTER_SETTINGS``): any other key is
a mistake and raises :class:`RouterConfigError` naming it, with the closest valid key. Every error
names the exact place (``model_list[2].litellm_params: unknown key 'api_bse' (did you mean
'api_base'?)``, with the file and line for :func:`load_yaml`) and never contains a credential.

A string of the form ``os.environ/NAME`` anywhere in a deployment's params or in the router settings
that reelgate uses is replaced by the environment variable's value when the configuration is built; an
unset or empty variable is an error. Keys that are ignored are not resolved.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import hashlib
import json
import math
import os
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple, NoReturn, TypeVar
from urllib.parse import urlsplit

import yaml

from reelgate._redact import MASK, redact
from reelgate.errors import ConfigurationError

__all__ = [
    "ROUTING_STRATEGIES",
    "CooldownPolicy",
    "Deployment",
    "DeploymentParams",
    "RouterConfig",
    "RouterConfigError",
    "build_config",
    "config_from_mapping",
    "load_yaml",
]

ROUTING_STRATEGIES: tuple[str, ...] = (
    "simple-shuffle",
    "least-busy",
    "latency-based",
    "cost-based",
    "usage-based",
)
"""The canonical strategy names; :attr:`RouterConfig.routing_strategy` is always one of them."""

_STRATEGY_ALIASES: Mapping[str, str] = {
    "latency-based-routing": "latency-based",
    "cost-based-routing": "cost-based",
    "usage-based-routing": "usage-based",
    "usage-based-routing-v2": "usage-based",
}
"""LiteLLM's spellings of the same strategies."""

# --- what the file may contain ------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_PARAM_KEYS = (
    "model",
    "api_key",
    "api_base",
    "api_version",
    "rpm",
    "max_parallel_jobs",
    "weight",
    "timeout",
    "tags",
    "id",
)
_LITELLM_PARAM_RENAMES: Mapping[str, str] = {"max_parallel_requests": "max_parallel_jobs"}

_LITELLM_IGNORED_PARAMS = _words(
    # limits and routing knobs of LiteLLM's token-based world
    "tpm itpm otpm order cooldown_time num_retries max_retries stream_timeout tag_regex max_budget "
    "budget_duration default_api_key_tpm_limit default_api_key_rpm_limit keepalive_seconds "
    "allow_client_keepalive_override max_file_size_mb "
    # provider selection and credentials for providers reelgate does not call
    "custom_llm_provider organization region_name watsonx_region_name litellm_credential_name "
    "configurable_clientside_auth_params provider_affinity_header azure_ad_token tenant_id client_id "
    "client_secret azure_scope azure_username azure_password gcs_bucket_name bucket_name "
    # proxy and SDK behaviour
    "drop_params mock_response model_info litellm_trace_id use_in_pass_through use_litellm_proxy "
    "use_chat_completions_api merge_reasoning_content_in_choices base_model "
    # chat-completion request parameters, meaningless for video
    "temperature top_p max_tokens max_completion_tokens frequency_penalty presence_penalty stop seed n "
    "response_format reasoning_effort extra_headers headers extra_body"
)
"""``litellm_params`` keys LiteLLM documents that have no effect here: accepted and listed as ignored."""

_LITELLM_IGNORED_PARAM_PREFIXES = ("aws_", "s3_", "vertex_", "input_cost_per_", "output_cost_per_")
"""Families of ``litellm_params`` keys (AWS, S3 and Vertex credentials, per-unit prices) also ignored."""

_ENTRY_KEYS = ("model_name", "litellm_params", "params", "model_info", "id", "rpm")
_LITELLM_IGNORED_ENTRY_KEYS = frozenset({"tpm"})
"""LiteLLM's Router also reads ``tpm``/``rpm`` beside ``litellm_params``; ``rpm`` is used, ``tpm`` not."""

_SETTINGS = (
    "routing_strategy",
    "fallbacks",
    "content_policy_fallbacks",
    "default_fallbacks",
    "num_retries",
    "timeout",
    "cooldown",
    "allowed_fails",
    "cooldown_time",
    "allowed_fails_window",
    "disable_cooldowns",
    "id_key",
)
"""Router settings reelgate uses, at the top level or under ``router_settings``.

``cooldown`` and ``allowed_fails_window`` are reelgate's own (LiteLLM counts failures per minute, which
is the default window); ``id_key`` is reelgate's key for signing video ids.
"""

_COOLDOWN_SETTINGS = ("allowed_fails", "cooldown_time", "allowed_fails_window", "disable_cooldowns")

_LITELLM_IGNORED_ROUTER_SETTINGS = _words(
    # model groups, caching and scheduling
    "model_group_alias routing_groups default_litellm_params assistants_config search_tools guardrail_list "
    "ignore_invalid_deployments redis_url redis_host redis_port redis_password cache_responses cache_kwargs "
    "caching_groups client_ttl polling_interval default_priority "
    # reliability and routing knobs reelgate does not have
    "max_fallbacks stream_timeout default_max_parallel_requests context_window_fallbacks retry_after "
    "retry_policy model_group_retry_policy model_group_affinity_config allowed_fails_policy max_retries "
    "enable_pre_call_checks optional_pre_call_checks routing_strategy_args enable_tag_filtering "
    "tag_filtering_match_any tag_routing_prefix weights "
    # budgets, alerting and logging
    "provider_budget_config alerting_config router_general_settings set_verbose debug_level"
)
"""LiteLLM ``router_settings`` (its Router's constructor arguments) that have no effect here."""

_LITELLM_SETTINGS_USED: Mapping[str, str] = {
    "num_retries": "num_retries",
    "request_timeout": "timeout",
    "fallbacks": "fallbacks",
    "content_policy_fallbacks": "content_policy_fallbacks",
    "default_fallbacks": "default_fallbacks",
    "allowed_fails": "allowed_fails",
    "cooldown_time": "cooldown_time",
}
"""``litellm_settings`` keys that LiteLLM's Router also honours, and the setting each one feeds.

Every other ``litellm_settings`` key (it sets arbitrary LiteLLM module attributes) is ignored.
"""

_SECTIONS = ("model_list", "router_settings", "litellm_settings", "general_settings", "environment_variables")

_ENV_PREFIX = "os.environ/"
_ID_PATTERN = re.compile(r"[A-Za-z0-9._-]{1,64}")
_PLAIN_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_ID_DIGEST_CHARS = 12

_PathPart = str | int
_Path = tuple[_PathPart, ...]
_T = TypeVar("_T")

# --- errors -------------------------------------------------------------------------------------------


def _format_path(path: Iterable[_PathPart]) -> str:
    """``("model_list", 2, "litellm_params")`` -> ``model_list[2].litellm_params``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif _PLAIN_NAME.fullmatch(part):
            text += f".{part}" if text else part
        else:
            text += f"[{part!r}]"
    return text


class RouterConfigError(ConfigurationError):
    """A router configuration is invalid; the message names the exact place and never a secret.

    ``path`` locates the offending value (``("model_list", 2, "litellm_params")``), ``location`` is
    the same as text, ``key`` is the offending key inside that mapping when the problem is a key,
    ``detail`` is the message without the location, and ``source`` and ``line`` say which file and line
    when the configuration came from one.
    """

    def __init__(
        self,
        detail: str,
        *,
        path: Iterable[_PathPart] = (),
        key: str | None = None,
        source: str | None = None,
        line: int | None = None,
    ) -> None:
        self.detail = detail
        self.path: _Path = tuple(path)
        self.key = key
        self.source = source
        self.line = line
        self.location = _format_path(self.path)
        origin = f"{source}, line {line}" if source and line else source
        super().__init__(redact(": ".join(part for part in (origin, self.location, detail) if part)))

    def _within(self, prefix: _Path) -> RouterConfigError:
        return RouterConfigError(self.detail, path=prefix + self.path, key=self.key)

    def _from(self, source: str, line: int | None) -> RouterConfigError:
        return RouterConfigError(self.detail, path=self.path, key=self.key, source=source, line=line)


def _fail(detail: str, *path: _PathPart, key: str | None = None) -> NoReturn:
    raise RouterConfigError(detail, path=path, key=key)


@contextmanager
def _at(*prefix: _PathPart) -> Iterator[None]:
    """Errors raised inside are located below ``prefix`` (their paths are relative)."""
    try:
        yield
    except RouterConfigError as exc:
        raise exc._within(prefix) from None


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"a {type(value).__name__}"


def _show(value: Any) -> str:
    """A value for a message: numbers and short strings as written, anything else by its kind."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(value)
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    return _kind(value)


def _closest(word: str, candidates: Iterable[str]) -> str:
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean {matches[0]!r}?)" if matches else ""


def _check_keys(
    mapping: Mapping[Any, Any],
    known: Sequence[str],
    *,
    ignorable: Collection[str] = (),
    prefixes: tuple[str, ...] = (),
    hint: Callable[[str], str | None] = lambda _key: None,
) -> list[str]:
    """Raise for the first key that is neither known nor ignorable; return the ignorable ones."""
    ignored: list[str] = []
    for key in mapping:
        if not isinstance(key, str):
            _fail(f"keys must be strings, got {_show(key)}")
        if key in known:
            continue
        if key in ignorable or key.startswith(prefixes):
            ignored.append(key)
            continue
        explained = hint(key)
        why = f" ({explained})" if explained else _closest(key, [*known, *ignorable])
        _fail(f"unknown key {key!r}{why or '; expected one of: ' + ', '.join(known)}", key=key)
    return ignored


# --- value checks (errors are relative to the value; callers locate them with _at) ---------------------


def _from_text(value: Any) -> Any:
    """A number written as text (as every environment reference is) becomes a number."""
    if isinstance(value, str):
        for convert in (int, float):
            try:
                return convert(value.strip())
            except ValueError:
                pass
    return value


def _whole(value: Any, *, minimum: int) -> int:
    value = _from_text(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(f"expected a whole number >= {minimum}, got {_show(value)}")
    if value < minimum:
        _fail(f"must be >= {minimum}, got {value}")
    return value


def _count(value: Any) -> int:
    return _whole(value, minimum=1)


def _non_negative_int(value: Any) -> int:
    return _whole(value, minimum=0)


def _number(value: Any, *, zero_ok: bool) -> float:
    value = _from_text(value)
    bound = ">= 0" if zero_ok else "> 0"
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        _fail(f"expected a number {bound}, got {_show(value)}")
    if value < 0 or (value == 0 and not zero_ok):
        _fail(f"must be {bound}, got {value}")
    return float(value)


def _positive(value: Any) -> float:
    return _number(value, zero_ok=False)


def _non_negative(value: Any) -> float:
    return _number(value, zero_ok=True)


def _text(value: Any) -> str:
    """A non-blank string. The value itself never appears in the message (it may be a secret)."""
    if not isinstance(value, str):
        _fail(f"expected a string, got {_kind(value)}")
    if not value.strip():
        _fail("is empty")
    return value


def _optional(check: Callable[[Any], _T]) -> Callable[[Any], _T | None]:
    return lambda value: None if value is None else check(value)


def _model(value: Any) -> str:
    text = _text(value)
    prefix, _, name = text.partition("/")
    if not prefix or not name.strip() or text != text.strip() or any(char.isspace() for char in prefix):
        _fail(
            f"expected 'provider/model' (for example 'openai/sora-2' or 'azure/<deployment>'), "
            f"got {_show(value)}"
        )
    return text


def _url(value: Any) -> str:
    text = _text(value)
    try:
        parts = urlsplit(text)
        valid = parts.scheme in {"http", "https"} and bool(parts.hostname)
    except ValueError:
        valid = False
    if not valid:
        _fail("expected an http:// or https:// URL")  # not echoed: a URL can carry credentials
    return text


def _version(value: Any) -> str:
    if isinstance(value, datetime.date):  # YAML reads an unquoted 2024-02-01 as a date
        return value.isoformat()
    return _text(value)


def _tags(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        _fail(f"expected a list of strings, got {_kind(value)}")
    tags: list[str] = []
    for index, tag in enumerate(value):
        with _at(index):
            tags.append(_text(tag))
    return tuple(tags)


def _deployment_id(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _ID_PATTERN.fullmatch(value):
        _fail(f"expected 1 to 64 characters of A-Z a-z 0-9 . _ -, got {_show(value)}")
    return value


def _flag(value: Any) -> bool:
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    if not isinstance(value, bool):
        _fail(f"expected true or false, got {_show(value)}")
    return value


def _strategy(value: Any) -> str:
    name = _text(value).strip().lower()
    canonical = name if name in ROUTING_STRATEGIES else _STRATEGY_ALIASES.get(name)
    if canonical is None:
        _fail(
            f"unknown routing strategy {_show(value)}"
            f"{_closest(name, [*ROUTING_STRATEGIES, *_STRATEGY_ALIASES])}"
            f"; choose one of: {', '.join(ROUTING_STRATEGIES)} (LiteLLM's "
            f"{', '.join(_STRATEGY_ALIASES)} are accepted too)"
        )
    return canonical


def _validate_fields(instance: Any, checks: Iterable[tuple[str, Callable[[Any], Any]]]) -> None:
    """Check (and normalise) each named field of a frozen dataclass, locating errors by field name."""
    for name, check in checks:
        with _at(name):
            object.__setattr__(instance, name, check(getattr(instance, name)))


def _masked_repr(instance: Any, secrets: Collection[str] = ()) -> str:
    parts = []
    for item in dataclasses.fields(instance):
        value = getattr(instance, item.name)
        if item.name in secrets and value is not None:
            shown = repr(MASK)
        elif isinstance(value, Mapping):
            shown = repr(dict(value))
        else:
            shown = repr(value)
        parts.append(f"{item.name}={shown}")
    return f"{type(instance).__name__}({', '.join(parts)})"


# --- the configuration --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DeploymentParams:
    """How to reach one deployment. Validated on construction; ``api_key`` never shows in the repr."""

    model: str
    """``provider/model``, e.g. ``openai/sora-2`` or ``azure/<deployment>``."""
    api_key: str | None = None
    api_base: str | None = None
    api_version: str | None = None
    rpm: int | None = None
    """Creates per minute this deployment accepts."""
    max_parallel_jobs: int | None = None
    """Videos this deployment may render at once."""
    weight: float = 1.0
    timeout: float | None = None
    """Seconds per upstream request."""
    tags: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _validate_fields(
            self,
            (
                ("model", _model),
                ("api_key", _optional(_text)),
                ("api_base", _optional(_url)),
                ("api_version", _optional(_version)),
                ("rpm", _optional(_count)),
                ("max_parallel_jobs", _optional(_count)),
                ("weight", _positive),
                ("timeout", _optional(_positive)),
                ("tags", _tags),
            ),
        )

    def __repr__(self) -> str:
        return _masked_repr(self, ("api_key",))


@dataclass(frozen=True, slots=True)
class Deployment:
    """One deployment of a model group: clients ask for ``model_name``, the router picks by ``id``."""

    model_name: str
    params: DeploymentParams
    id: str
    """Stable and URL-safe: explicit in the configuration, or derived from what the deployment is."""

    def __post_init__(self) -> None:
        if not isinstance(self.params, DeploymentParams):
            raise RouterConfigError(f"expected DeploymentParams, got {_kind(self.params)}", path=("params",))
        _validate_fields(self, (("model_name", _text), ("id", _deployment_id)))

    def __repr__(self) -> str:
        return _masked_repr(self)  # the params mask their api_key


@dataclass(frozen=True, slots=True)
class CooldownPolicy:
    """``allowed_fails`` failures within ``window`` seconds take a deployment out for ``cooldown_time``.

    ``cooldown_time`` 0 disables cooldowns (LiteLLM's ``disable_cooldowns: true``).
    """

    allowed_fails: int = 3
    window: float = 60.0
    cooldown_time: float = 30.0

    def __post_init__(self) -> None:
        _validate_fields(
            self,
            (("allowed_fails", _non_negative_int), ("window", _positive), ("cooldown_time", _non_negative)),
        )


def _no_fallbacks() -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType({})


@dataclass(frozen=True, slots=True)
class RouterConfig:
    """A validated router configuration; build it with :func:`build_config` or the loaders.

    ``fallbacks`` and ``content_policy_fallbacks`` map a model group (or ``"*"``, any group) to the
    groups to try next, in order. ``ignored`` lists, by location, the LiteLLM settings that were
    accepted but have no effect (``model_list[0].litellm_params.tpm``), for the caller to warn about.
    """

    deployments: tuple[Deployment, ...]
    routing_strategy: str = "simple-shuffle"
    fallbacks: Mapping[str, tuple[str, ...]] = field(default_factory=_no_fallbacks)
    content_policy_fallbacks: Mapping[str, tuple[str, ...]] = field(default_factory=_no_fallbacks)
    num_retries: int = 2
    timeout: float | None = None
    cooldown: CooldownPolicy = CooldownPolicy()
    id_key: str | None = None
    ignored: tuple[str, ...] = ()

    def groups(self) -> dict[str, list[Deployment]]:
        """Model group name -> its deployments, both in configuration order."""
        groups: dict[str, list[Deployment]] = {}
        for deployment in self.deployments:
            groups.setdefault(deployment.model_name, []).append(deployment)
        return groups

    def __repr__(self) -> str:
        return _masked_repr(self, ("id_key",))


# --- building -----------------------------------------------------------------------------------------


class _Given(NamedTuple):
    """A setting's raw value and where it was written."""

    value: Any
    path: _Path


class _Entry(NamedTuple):
    model_name: str
    params: DeploymentParams
    explicit_id: str | None
    id_path: _Path
    ignored: list[_Path]


@dataclass(slots=True)
class _Env:
    """The names under the file's environment_variables (for hints), and every secret met while building.

    Values read from the environment and literal keys are masked in any error raised while building.
    """

    listed: Collection[str] = ()
    secrets: list[str] = field(default_factory=list)

    def keep_secret(self, value: Any) -> None:
        """Mask a literal key (a reference is masked once resolved, and its name is no secret)."""
        if isinstance(value, str) and not value.startswith(_ENV_PREFIX):
            self.secrets.append(value)


def _resolve_env(value: Any, env: _Env) -> Any:
    """Replace every ``os.environ/NAME`` string inside ``value`` with the variable's value."""
    if isinstance(value, str):
        if not value.startswith(_ENV_PREFIX):
            return value
        name = value[len(_ENV_PREFIX) :]
        if not name:
            _fail(f"{_ENV_PREFIX!r} must be followed by the name of an environment variable")
        resolved = os.environ.get(name)
        if not resolved:
            state = "is not set" if resolved is None else "is empty"
            hint = (
                "; it is listed under environment_variables, which reelgate does not apply: "
                "set it in the environment instead"
                if name in env.listed
                else ""
            )
            _fail(f"environment variable {name!r} {state} (referenced as '{_ENV_PREFIX}{name}'){hint}")
        env.secrets.append(resolved)
        return resolved
    if isinstance(value, Mapping):
        resolved_mapping: dict[Any, Any] = {}
        for key, item in value.items():
            with _at(str(key)):
                resolved_mapping[key] = _resolve_env(item, env)
        return resolved_mapping
    if isinstance(value, list | tuple):
        items = []
        for index, item in enumerate(value):
            with _at(index):
                items.append(_resolve_env(item, env))
        return items
    return value


def _litellm_only(key: str) -> str | None:
    if key in _LITELLM_PARAM_RENAMES:
        return f"reelgate calls it {_LITELLM_PARAM_RENAMES[key]!r}"
    if key in _LITELLM_IGNORED_PARAMS or key.startswith(_LITELLM_IGNORED_PARAM_PREFIXES):
        return "a LiteLLM setting with no effect here; it is accepted and ignored only under 'litellm_params'"
    return None


def _parse_params(raw: Any, *, litellm: bool, env: _Env) -> tuple[DeploymentParams, str | None, list[str]]:
    """Parse ``params``/``litellm_params``: the params, an explicit id, and the ignored keys."""
    if not isinstance(raw, Mapping):
        _fail(f"expected a mapping of deployment settings, got {_kind(raw)}")
    if litellm:
        ignored = _check_keys(
            raw,
            (*_PARAM_KEYS, *_LITELLM_PARAM_RENAMES),
            ignorable=_LITELLM_IGNORED_PARAMS,
            prefixes=_LITELLM_IGNORED_PARAM_PREFIXES,
        )
    else:
        ignored = _check_keys(raw, _PARAM_KEYS, hint=_litellm_only)
    values: dict[str, Any] = {}
    written_as: dict[str, str] = {}
    for key, value in raw.items():
        name = _LITELLM_PARAM_RENAMES.get(key, key)
        if key in ignored or value is None:
            continue
        if name in written_as:
            _fail(f"give either {written_as[name]!r} or {key!r}, not both", key=key)
        written_as[name] = key
        if name == "api_key":
            env.keep_secret(value)
        with _at(key):
            values[name] = _resolve_env(value, env)
    if "model" not in values:
        _fail("missing required key 'model' (for example 'openai/sora-2')")
    explicit_id = None
    if "id" in values:
        with _at("id"):
            explicit_id = _deployment_id(values.pop("id"))
    try:
        params = DeploymentParams(**values)
    except RouterConfigError as exc:  # name the key as the user wrote it (max_parallel_requests)
        head = exc.path[0] if exc.path else None
        if isinstance(head, str) and head in written_as:
            raise RouterConfigError(exc.detail, path=(written_as[head], *exc.path[1:]), key=exc.key) from None
        raise
    return params, explicit_id, ignored


def _parse_entry(item: Any, env: _Env) -> _Entry:
    if not isinstance(item, Mapping):
        _fail(f"expected a mapping with model_name and litellm_params, got {_kind(item)}")
    ignored: list[_Path] = [
        (key,) for key in _check_keys(item, _ENTRY_KEYS, ignorable=_LITELLM_IGNORED_ENTRY_KEYS)
    ]
    if item.get("model_name") is None:
        _fail("missing required key 'model_name' (the name clients ask for)")
    with _at("model_name"):
        model_name = _text(item["model_name"])
    spellings = [key for key in ("litellm_params", "params") if key in item]
    if len(spellings) != 1:
        _fail(
            "give either 'params' or 'litellm_params', not both"
            if spellings
            else "missing required key 'litellm_params' (or reelgate's 'params') with the deployment's model"
        )
    section = spellings[0]
    with _at(section):
        params, params_id, params_ignored = _parse_params(
            item[section], litellm=section == "litellm_params", env=env
        )
    ignored += [(section, key) for key in params_ignored]
    ids = _explicit_ids(item, section, params_id)
    if len({value for value, _ in ids}) > 1:
        _fail("conflicting ids: " + ", ".join(f"{_format_path(path)} is {value!r}" for value, path in ids))
    if item.get("rpm") is not None:
        with _at("rpm"):
            rpm = _count(_resolve_env(item["rpm"], env))
            if params.rpm is None:
                params = dataclasses.replace(params, rpm=rpm)
            elif params.rpm != rpm:
                _fail(f"is {rpm} but {section}.rpm is {params.rpm}; give it once")
    explicit_id, id_path = ids[0] if ids else (None, ())
    return _Entry(model_name, params, explicit_id, id_path, ignored)


def _explicit_ids(item: Mapping[str, Any], section: str, params_id: str | None) -> list[tuple[str, _Path]]:
    """The ids written for one entry (``id``, ``<params>.id``, ``model_info.id``) with their paths."""
    ids: list[tuple[str, _Path]] = []
    if item.get("id") is not None:
        with _at("id"):
            ids.append((_deployment_id(item["id"]), ("id",)))
    if params_id is not None:
        ids.append((params_id, (section, "id")))
    model_info = item.get("model_info")
    if model_info is not None:
        if not isinstance(model_info, Mapping):
            _fail(f"expected a mapping, got {_kind(model_info)}", "model_info")
        if model_info.get("id") is not None:
            with _at("model_info", "id"):
                ids.append((_deployment_id(model_info["id"]), ("model_info", "id")))
    return ids


def _derived_id(model_name: str, params: DeploymentParams) -> str:
    """What the deployment is (never its key, so rotating a key keeps ids), hashed to 12 hex digits."""
    material = json.dumps(
        ["reelgate-deployment/1", model_name, params.model, params.api_base, params.api_version]
    )
    return hashlib.sha256(material.encode()).hexdigest()[:_ID_DIGEST_CHARS]


def _parse_model_list(raw: Any, where: _Path, env: _Env) -> tuple[tuple[Deployment, ...], list[str]]:
    """The deployments (ids assigned) and the ignored keys, by location."""
    if isinstance(raw, str | bytes | Mapping) or not isinstance(raw, Iterable):
        _fail(f"expected a list of deployments, got {_kind(raw)}", *where)
    items = list(raw)
    if not items:
        _fail("is empty: list at least one deployment", *where)
    parsed: list[Deployment | _Entry] = []
    ignored: list[str] = []
    for index, item in enumerate(items):
        if isinstance(item, Deployment):
            parsed.append(item)
            continue
        with _at(*where, index):
            entry = _parse_entry(item, env)
        parsed.append(entry)
        ignored += [_format_path((*where, index, *path)) for path in entry.ignored]
    owners: dict[str, int] = {}
    for index, item in enumerate(parsed):
        explicit, id_path = (
            (item.id, ()) if isinstance(item, Deployment) else (item.explicit_id, item.id_path)
        )
        if explicit is None:
            continue
        if explicit in owners:
            first = _format_path((*where, owners[explicit]))
            _fail(f"id {explicit!r} is already used by {first}; ids must be unique", *where, index, *id_path)
        owners[explicit] = index
    deployments: list[Deployment] = []
    for index, item in enumerate(parsed):
        if isinstance(item, Deployment):
            deployments.append(item)
            continue
        ident = item.explicit_id
        if ident is None:  # identical deployments get -2, -3, ... in configuration order
            base = ident = _derived_id(item.model_name, item.params)
            copy = 1
            while ident in owners:
                twin = parsed[owners[ident]]
                if not isinstance(twin, Deployment) and twin.params.api_key != item.params.api_key:
                    # told apart only by their keys: a numbered id would follow the file's order, so
                    # reordering it would send one account's videos to the other's key
                    _fail(
                        f"deployment is identical to {_format_path((*where, owners[ident]))} except for "
                        "its api_key; give both an explicit id (params.id or model_info.id) so their "
                        "videos always route back to the right account",
                        *where,
                        index,
                    )
                copy += 1
                ident = f"{base}-{copy}"
            owners[ident] = index
        deployments.append(Deployment(model_name=item.model_name, params=item.params, id=ident))
    return tuple(deployments), ignored


def _group(name: Any, groups: Collection[str]) -> str:
    if not isinstance(name, str) or name not in groups:
        known = ", ".join(sorted(groups))
        _fail(f"unknown model group {_show(name)}{_closest(str(name), groups)}; the model_list has: {known}")
    return name


def _targets(value: Any, groups: Collection[str]) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list | tuple):
        _fail(f"expected a list of model groups, got {_kind(value)}")
    targets: list[str] = []
    for index, name in enumerate(items):
        with _at(index):
            target = _group(name, groups)
            if target in targets:
                _fail(f"{target!r} is listed twice")
            targets.append(target)
    return tuple(targets)


def _fallbacks(value: Any, groups: Collection[str]) -> dict[str, tuple[str, ...]]:
    """LiteLLM's ``[{"sora": ["sora-backup"]}]`` or a plain mapping, with every group checked."""
    pairs: list[tuple[_Path, Any, Any]] = []
    if isinstance(value, Mapping):
        pairs = [((), source, targets) for source, targets in value.items()]
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            if not isinstance(item, Mapping) or len(item) != 1:
                _fail("expected a mapping with one model group, such as {'sora': ['sora-backup']}", index)
            ((source, targets),) = item.items()
            pairs.append(((index,), source, targets))
    else:
        _fail(f"expected a mapping of model group to fallback groups, got {_kind(value)}")
    result: dict[str, tuple[str, ...]] = {}
    for path, source, targets in pairs:
        if source != "*":
            try:
                _group(source, groups)
            except RouterConfigError as exc:
                raise RouterConfigError(exc.detail, path=path, key=str(source)) from None
        if source in result:
            _fail(f"{source!r} has fallbacks twice; give them once", *path, key=str(source))
        with _at(*path, str(source)):
            result[source] = _targets(targets, groups)
            if source in result[source]:
                _fail(f"{source!r} lists itself as its own fallback")
    return result


def _cooldown(value: Any) -> CooldownPolicy:
    if isinstance(value, CooldownPolicy):
        return value
    if isinstance(value, Mapping):
        _check_keys(value, ("allowed_fails", "window", "cooldown_time"))
        return CooldownPolicy(**{key: item for key, item in value.items() if item is not None})
    return CooldownPolicy(cooldown_time=_non_negative(value))


def _cooldown_from(settings: Mapping[str, _Given]) -> CooldownPolicy:
    flat = [settings[name] for name in _COOLDOWN_SETTINGS if name in settings]
    if "cooldown" in settings:
        if flat:
            others = ", ".join(_format_path(given.path) for given in flat)
            _fail(f"give either 'cooldown' or {others}, not both", *settings["cooldown"].path)
        return _checked(settings["cooldown"], _cooldown)
    values: dict[str, Any] = {}
    if "allowed_fails" in settings:
        values["allowed_fails"] = _checked(settings["allowed_fails"], _non_negative_int)
    if "allowed_fails_window" in settings:
        values["window"] = _checked(settings["allowed_fails_window"], _positive)
    if "cooldown_time" in settings:
        values["cooldown_time"] = _checked(settings["cooldown_time"], _non_negative)
    if "disable_cooldowns" in settings and _checked(settings["disable_cooldowns"], _flag):
        values["cooldown_time"] = 0.0
    return CooldownPolicy(**values)


def _checked(given: _Given, check: Callable[[Any], _T]) -> _T:
    with _at(*given.path):
        return check(given.value)


def _build(model_list: _Given, settings: Mapping[str, _Given], listed: Collection[str]) -> RouterConfig:
    """The one place every way of configuring ends; no error it raises shows a secret it met."""
    env = _Env(listed)
    if "id_key" in settings:
        env.keep_secret(settings["id_key"].value)
    try:
        return _assemble(model_list, settings, env)
    except RouterConfigError as exc:
        raise RouterConfigError(redact(exc.detail, env.secrets), path=exc.path, key=exc.key) from None


def _assemble(model_list: _Given, raw_settings: Mapping[str, _Given], env: _Env) -> RouterConfig:
    """Parse, resolve, check and assemble."""
    deployments, ignored = _parse_model_list(model_list.value, model_list.path, env)
    groups = {deployment.model_name for deployment in deployments}
    settings = {
        name: _Given(_checked(given, lambda value: _resolve_env(value, env)), given.path)
        for name, given in raw_settings.items()
        if given.value is not None
    }

    def setting(name: str, check: Callable[[Any], _T], default: _T) -> _T:
        return _checked(settings[name], check) if name in settings else default

    def fallbacks_of(value: Any) -> dict[str, tuple[str, ...]]:
        return _fallbacks(value, groups)

    fallbacks: dict[str, tuple[str, ...]] = setting("fallbacks", fallbacks_of, {})
    content_policy_fallbacks: dict[str, tuple[str, ...]] = setting(
        "content_policy_fallbacks", fallbacks_of, {}
    )
    if "default_fallbacks" in settings:
        with _at(*settings["default_fallbacks"].path):
            if "*" in fallbacks:
                _fail("'*' already has fallbacks under fallbacks; give them in one place")
            fallbacks["*"] = _targets(settings["default_fallbacks"].value, groups)
    return RouterConfig(
        deployments=deployments,
        routing_strategy=setting("routing_strategy", _strategy, "simple-shuffle"),
        fallbacks=MappingProxyType(fallbacks),
        content_policy_fallbacks=MappingProxyType(content_policy_fallbacks),
        num_retries=setting("num_retries", _non_negative_int, 2),
        timeout=setting("timeout", _positive, None),
        cooldown=_cooldown_from(settings),
        id_key=setting("id_key", _text, None),
        ignored=tuple(ignored),
    )


_FallbackSpec = Mapping[str, Sequence[str] | str] | Sequence[Mapping[str, Sequence[str] | str]]


def build_config(
    *,
    model_list: Iterable[Mapping[str, Any] | Deployment],
    routing_strategy: str = "simple-shuffle",
    fallbacks: _FallbackSpec | None = None,
    content_policy_fallbacks: _FallbackSpec | None = None,
    num_retries: int = 2,
    timeout: float | None = None,
    cooldown: CooldownPolicy | Mapping[str, float] | float | None = None,
    id_key: str | None = None,
) -> RouterConfig:
    """Build and validate a configuration in code (the same rules as a file's).

    ``model_list`` entries are :class:`Deployment` objects or mappings as in a file (``model_name``
    with ``params`` or ``litellm_params``). ``fallbacks`` is a mapping of model group to fallback groups
    or LiteLLM's list of single-key mappings. ``cooldown`` is a :class:`CooldownPolicy`, a mapping of its
    fields, or a number of seconds (``cooldown_time``). ``os.environ/NAME`` strings are resolved.
    """
    given = {
        "routing_strategy": routing_strategy,
        "fallbacks": fallbacks,
        "content_policy_fallbacks": content_policy_fallbacks,
        "num_retries": num_retries,
        "timeout": timeout,
        "cooldown": cooldown,
        "id_key": id_key,
    }
    settings = {name: _Given(value, (name,)) for name, value in given.items()}
    return _build(_Given(model_list, ("model_list",)), settings, ())


def _section(data: Mapping[str, Any], name: str) -> Mapping[Any, Any]:
    value = data.get(name)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        _fail(f"expected a mapping, got {_kind(value)}", name)
    return value


def _settings_of(data: Mapping[str, Any]) -> tuple[dict[str, _Given], list[str]]:
    """Merge the router settings of a file: top level or router_settings, over litellm_settings."""
    router_settings = _section(data, "router_settings")
    litellm_settings = _section(data, "litellm_settings")
    with _at("router_settings"):
        ignored = [
            _format_path(("router_settings", key))
            for key in _check_keys(router_settings, _SETTINGS, ignorable=_LITELLM_IGNORED_ROUTER_SETTINGS)
        ]
    settings: dict[str, _Given] = {}
    for key, value in litellm_settings.items():
        name = _LITELLM_SETTINGS_USED.get(str(key))
        if name is None:
            ignored.append(_format_path(("litellm_settings", str(key))))
        elif value is not None:
            settings[name] = _Given(value, ("litellm_settings", key))
    for name in _SETTINGS:
        top, nested = data.get(name), router_settings.get(name)
        if top is not None and nested is not None:
            _fail(f"{name!r} is set both here and at the top level; keep one", "router_settings", key=name)
        if top is None and nested is None:
            continue
        if name in settings:  # router_settings (or the top level) wins over litellm_settings
            ignored.append(_format_path(settings[name].path))
        settings[name] = (
            _Given(top, (name,)) if top is not None else _Given(nested, ("router_settings", name))
        )
    return settings, ignored


def _from_mapping(data: Any) -> RouterConfig:
    if not isinstance(data, Mapping):
        _fail(f"expected a mapping with a model_list, got {_kind(data)}")
    _check_keys(data, (*_SECTIONS, *_SETTINGS))
    if data.get("model_list") is None:
        _fail("missing required key 'model_list' (the deployments to route between)")
    settings, ignored = _settings_of(data)
    listed: list[str] = []
    for name in ("general_settings", "environment_variables"):
        keys = [str(key) for key in _section(data, name)]
        ignored += [_format_path((name, key)) for key in keys]
        if name == "environment_variables":
            listed = keys
    config = _build(_Given(data["model_list"], ("model_list",)), settings, frozenset(listed))
    return dataclasses.replace(config, ignored=config.ignored + tuple(ignored))


def config_from_mapping(data: Mapping[str, Any], *, source: str = "config") -> RouterConfig:
    """Build a configuration from a whole config file's parsed contents; ``source`` prefixes errors."""
    try:
        return _from_mapping(data)
    except RouterConfigError as exc:
        raise exc._from(source, None) from None


# --- YAML ---------------------------------------------------------------------------------------------


def _line_of(node: yaml.Node, path: _Path, key: str | None) -> int:
    """The 1-based line of the node at ``path`` (of ``key``'s key node when given), or the nearest."""
    steps: list[_PathPart] = [*path, key] if key is not None else list(path)
    line = node.start_mark.line
    for number, step in enumerate(steps):
        found: tuple[yaml.Node, yaml.Node] | None = None
        if isinstance(node, yaml.MappingNode):
            found = next(
                ((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(step)),
                None,
            )
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
            found = (node.value[step], node.value[step])
        if found is None:
            break
        if key is not None and number == len(steps) - 1:
            return found[0].start_mark.line + 1
        node = found[1]
        line = node.start_mark.line
    return line + 1


def _duplicate_key(root: yaml.Node) -> tuple[str, int, int] | None:
    """The first key written twice in one mapping (YAML would silently keep the last): key, lines."""
    pending, seen = [root], set()
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            first_lines: dict[str, int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode) and key.value != "<<":
                    if key.value in first_lines:
                        return key.value, first_lines[key.value], key.start_mark.line + 1
                    first_lines[key.value] = key.start_mark.line + 1
                pending.append(value)
        elif isinstance(node, yaml.SequenceNode):
            pending.extend(node.value)
    return None


def _parse_yaml(text: str, source: str) -> tuple[yaml.Node | None, Any]:
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:  # the problem only: the context would quote the file (and its keys)
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise RouterConfigError(
            f"invalid YAML: {exc.problem or 'cannot parse'}", source=source, line=line
        ) from None
    except yaml.YAMLError:
        raise RouterConfigError("invalid YAML", source=source) from None
    finally:
        loader.dispose()
    if node is not None and (duplicate := _duplicate_key(node)) is not None:
        key, first, second = duplicate
        raise RouterConfigError(
            f"key {key!r} appears twice in one mapping (first at line {first}); YAML keeps only the last",
            source=source,
            line=second,
        )
    return node, data


def load_yaml(path: str | os.PathLike[str]) -> RouterConfig:
    """Load a LiteLLM-style (or reelgate) ``config.yaml``; errors name the file and line."""
    source = os.fspath(path)
    try:
        text = Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise RouterConfigError(f"cannot read the file: {exc.strerror or exc}", source=source) from None
    except UnicodeDecodeError:
        raise RouterConfigError("cannot read the file: it is not UTF-8 text", source=source) from None
    node, data = _parse_yaml(text, source)
    if data is None:
        raise RouterConfigError("the file is empty; it needs a model_list", source=source)
    try:
        return _from_mapping(data)
    except RouterConfigError as exc:
        line = _line_of(node, exc.path, exc.key) if node is not None else None
        raise exc._from(source, line) from None
