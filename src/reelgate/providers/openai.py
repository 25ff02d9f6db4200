"""OpenAI's Videos API (``openai/<model>``): bearer auth against ``https://api.openai.com/v1``.

The API itself shut down on 2026-09-24; its wire format lives on, so this provider stays first-class
for servers and emulators that speak it. Environment: ``OPENAI_API_KEY``, ``OPENAI_BASE_URL`` (or
``OPENAI_API_BASE``), ``OPENAI_ORG_ID``, ``OPENAI_PROJECT_ID``.
"""

from __future__ import annotations

from typing import ClassVar

from reelgate.errors import ConfigurationError
from reelgate.providers._base import Endpoint, Settings, first_env
from reelgate.providers._capabilities import OPENAI_MODELS, ModelCapabilities
from reelgate.providers._openai_videos import OpenAIVideosProvider

DEFAULT_BASE_URL = "https://api.openai.com/v1"


class OpenAIProvider(OpenAIVideosProvider):
    """``openai/sora-2``, ``openai/sora-2-pro`` and their snapshots."""

    name: ClassVar[str] = "openai"

    def endpoint(self, settings: Settings) -> Endpoint:
        api_key = settings.api_key or first_env("OPENAI_API_KEY")
        if not api_key:
            raise ConfigurationError("openai: no API key; set OPENAI_API_KEY or pass api_key=")
        base = settings.api_base or first_env("OPENAI_BASE_URL", "OPENAI_API_BASE") or DEFAULT_BASE_URL
        headers = {"authorization": f"Bearer {api_key}"}
        organization, project = first_env("OPENAI_ORG_ID"), first_env("OPENAI_PROJECT_ID")
        if organization:
            headers["openai-organization"] = organization
        if project:
            headers["openai-project"] = project
        return Endpoint(base_url=base.rstrip("/"), headers=headers, secrets=(api_key,))

    def capabilities(self, model: str) -> ModelCapabilities | None:
        return OPENAI_MODELS.get(model)
