"""Azure OpenAI's Sora 2 (``azure/<deployment>``) on the v1 API: ``{resource}/openai/v1/videos``.

The model is the *deployment name*. Auth is the ``api-key`` header, or a Microsoft Entra ID token sent
as ``Authorization: Bearer`` (``AZURE_OPENAI_AD_TOKEN``, or your own header in ``extra_headers``).
The v1 API needs no ``api-version``; only the values v1 understands (``preview``, ``latest``) are
sent, and a dated version such as ``2024-02-15-preview`` (from older configurations) is not.
Environment: ``AZURE_OPENAI_API_KEY`` (or ``AZURE_API_KEY``), ``AZURE_OPENAI_API_BASE`` (or
``AZURE_API_BASE``, ``AZURE_OPENAI_ENDPOINT``), ``AZURE_OPENAI_API_VERSION`` (or ``AZURE_API_VERSION``).
"""

from __future__ import annotations

from typing import ClassVar

from reelgate.errors import ConfigurationError
from reelgate.providers._base import Endpoint, Settings, first_env
from reelgate.providers._capabilities import AZURE_MODELS, ModelCapabilities
from reelgate.providers._openai_videos import OpenAIVideosProvider

V1_API_VERSIONS = frozenset({"preview", "latest"})


class AzureProvider(OpenAIVideosProvider):
    """Sora 2 deployments on an Azure OpenAI or Foundry resource."""

    name: ClassVar[str] = "azure"

    def endpoint(self, settings: Settings) -> Endpoint:
        base = settings.api_base or first_env(
            "AZURE_OPENAI_API_BASE", "AZURE_API_BASE", "AZURE_OPENAI_ENDPOINT"
        )
        if not base:
            raise ConfigurationError(
                "azure: no endpoint; set AZURE_OPENAI_API_BASE (https://<resource>.openai.azure.com) "
                "or pass api_base="
            )
        api_key = settings.api_key or first_env("AZURE_OPENAI_API_KEY", "AZURE_API_KEY")
        token = None if api_key else first_env("AZURE_OPENAI_AD_TOKEN", "AZURE_AD_TOKEN")
        if api_key:
            headers, secrets = {"api-key": api_key}, (api_key,)
        elif token:
            headers, secrets = {"authorization": f"Bearer {token}"}, (token,)
        else:
            raise ConfigurationError(
                "azure: no credential; set AZURE_OPENAI_API_KEY (or AZURE_OPENAI_AD_TOKEN for Entra ID) "
                "or pass api_key="
            )
        version = settings.api_version or first_env("AZURE_OPENAI_API_VERSION", "AZURE_API_VERSION")
        params = {"api-version": version} if version in V1_API_VERSIONS else {}
        return Endpoint(base_url=v1_base_url(base), headers=headers, params=params, secrets=secrets)

    def capabilities(self, model: str) -> ModelCapabilities | None:
        return AZURE_MODELS.get(model)


def v1_base_url(base: str) -> str:
    """``https://r.openai.azure.com/`` → ``https://r.openai.azure.com/openai/v1`` (idempotent)."""
    base = base.rstrip("/")
    if base.endswith("/openai/v1"):
        return base
    if base.endswith("/openai"):
        return base + "/v1"
    return base + "/openai/v1"
