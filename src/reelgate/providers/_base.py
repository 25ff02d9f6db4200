"""What every provider is: where to send (an :class:`Endpoint`), what it accepts, and one flow per operation.

A provider translates between reelgate's canonical types and one wire format. It never imports
telemetry, pricing or the ledger: the pipeline wraps it. Flows are generators (see
:mod:`reelgate._flow`), so a provider performs no I/O of its own.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from reelgate import _http
from reelgate._flow import Flow, Handler
from reelgate._inputs import ReferenceImage
from reelgate.providers._capabilities import ModelCapabilities
from reelgate.types import ContentVariant, Video, VideoDeleted, VideoList


@dataclass(frozen=True, slots=True)
class Settings:
    """Explicit connection settings from a call or a client; ``None`` falls back to the environment."""

    api_key: str | None = None
    api_base: str | None = None
    api_version: str | None = None


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A resolved upstream: base URL (no trailing slash), auth headers, fixed query parameters."""

    base_url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    handler: Handler | None = None
    """An in-process server that answers instead of the network (the local provider's)."""


@dataclass(frozen=True, slots=True)
class CallConfig:
    """Everything a flow needs to build and send requests for one call."""

    endpoint: Endpoint
    max_retries: int
    timeout: _http.Timeout | None = None
    extra_headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CreateParams:
    """A validated create request, in canonical form (``seconds`` is a string)."""

    model: str
    prompt: str
    seconds: str | None = None
    size: str | None = None
    reference: ReferenceImage | None = None
    extra_body: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RemixParams:
    """A validated remix request."""

    video_id: str
    prompt: str
    seconds: str | None = None
    reference: ReferenceImage | None = None
    extra_body: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ListParams:
    """Cursor pagination parameters."""

    after: str | None = None
    limit: int | None = None
    order: Literal["asc", "desc"] | None = None


class Provider(ABC):
    """One upstream API. Subclasses set ``name`` and implement the endpoint and the flows."""

    name: ClassVar[str]
    remix_parameters: ClassVar[frozenset[str]] = frozenset({"prompt"})
    """Which remix parameters the upstream accepts; the pipeline warns about and drops the others."""

    @abstractmethod
    def endpoint(self, settings: Settings) -> Endpoint:
        """Resolve base URL and credentials from ``settings``, then the environment."""

    def capabilities(self, model: str) -> ModelCapabilities | None:  # noqa: ARG002 - overridden per provider
        """What ``model`` accepts, or None when unknown (then nothing is validated)."""
        return None

    @abstractmethod
    def create(self, config: CallConfig, params: CreateParams) -> Flow[Video]: ...

    @abstractmethod
    def retrieve(self, config: CallConfig, video_id: str) -> Flow[Video]: ...

    @abstractmethod
    def content(self, config: CallConfig, video_id: str, variant: ContentVariant) -> Flow[_http.Response]:
        """End with an unread, successful streaming response for the driver to iterate."""

    @abstractmethod
    def remix(self, config: CallConfig, params: RemixParams) -> Flow[Video]: ...

    @abstractmethod
    def list(self, config: CallConfig, params: ListParams) -> Flow[VideoList]: ...

    @abstractmethod
    def delete(self, config: CallConfig, video_id: str) -> Flow[VideoDeleted]: ...


def first_env(*names: str) -> str | None:
    """The value of the first of ``names`` set (non-empty) in the environment."""
    for name in names:
        value = os.environ.get(name)
        if value:
            return value
    return None
