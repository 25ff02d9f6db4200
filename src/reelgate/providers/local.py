"""The local provider: ``local/preview`` and ``local/draft``, rendered offline on this machine.

It speaks the OpenAI ``/videos`` wire format to an in-process server
(:class:`reelgate.local._server.LocalServer`) over the data directory, so its calls go through the
same flows, logs, spans and ledger rows as any upstream, with no network and no API key. It is a
procedural preview renderer for offline development, demos and CI, not an AI model. Prices are 0.

It is the default model when a call names none and no provider credentials are configured
(see :func:`default_model`).
"""

from __future__ import annotations

import os
from typing import ClassVar

from reelgate.errors import BadRequestError
from reelgate.providers._base import Endpoint, Settings
from reelgate.providers._capabilities import LOCAL_MODELS, ModelCapabilities
from reelgate.providers._openai_videos import OpenAIVideosProvider

DEFAULT_LOCAL_MODEL = "local/preview"
BASE_URL = "local://reelgate/v1"

CREDENTIAL_ENV = (
    "OPENAI_API_KEY",
    "AZURE_OPENAI_API_KEY",
    "AZURE_API_KEY",
    "AZURE_OPENAI_AD_TOKEN",
    "AZURE_AD_TOKEN",
    "OPENAI_COMPATIBLE_API_BASE",
)
"""Environment variables that mean a real provider is configured (so no local default)."""


class LocalProvider(OpenAIVideosProvider):
    """Videos rendered by reelgate's offline renderer in a background process."""

    name: ClassVar[str] = "local"

    def endpoint(self, settings: Settings) -> Endpoint:  # noqa: ARG002 - nothing to connect to
        from reelgate.local._server import LocalServer  # imports the validation that imports providers
        from reelgate.local._store import default_root

        return Endpoint(base_url=BASE_URL, handler=LocalServer(default_root()))

    def capabilities(self, model: str) -> ModelCapabilities | None:
        capabilities = LOCAL_MODELS.get(model)
        if capabilities is None:
            known = ", ".join(f"local/{name}" for name in LOCAL_MODELS)
            raise BadRequestError(
                f"model 'local/{model}' does not exist; the local models are: {known}",
                param="model",
                code="model_not_found",
            )
        return capabilities


def default_model(*, has_credentials: bool) -> str | None:
    """``local/preview`` when neither the client nor the environment configures a provider."""
    if has_credentials or any(os.environ.get(name) for name in CREDENTIAL_ENV):
        return None
    return DEFAULT_LOCAL_MODEL
