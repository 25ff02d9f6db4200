"""The provider registry and the ``provider/model`` naming scheme.

``openai/sora-2`` names provider ``openai`` and upstream model ``sora-2``; ``azure/<deployment>`` names
an Azure deployment; ``openai_compatible/<model>`` any server speaking the OpenAI ``/videos`` API;
``local/preview`` and ``local/draft`` reelgate's offline renderer. A bare name is accepted only when
it is a known OpenAI model (``sora-2``), never guessed otherwise.
"""

from __future__ import annotations

from reelgate.errors import BadRequestError
from reelgate.providers._base import (
    CallConfig,
    CreateParams,
    Endpoint,
    ListParams,
    Provider,
    RemixParams,
    Settings,
)
from reelgate.providers._capabilities import OPENAI_MODELS, ModelCapabilities
from reelgate.providers.azure import AzureProvider
from reelgate.providers.local import LocalProvider, default_model
from reelgate.providers.openai import OpenAIProvider
from reelgate.providers.openai_compatible import OpenAICompatibleProvider

__all__ = [
    "PROVIDERS",
    "CallConfig",
    "CreateParams",
    "Endpoint",
    "ListParams",
    "ModelCapabilities",
    "Provider",
    "RemixParams",
    "Settings",
    "default_model",
    "resolve_model",
]

PROVIDERS: dict[str, Provider] = {
    provider.name: provider
    for provider in (OpenAIProvider(), AzureProvider(), OpenAICompatibleProvider(), LocalProvider())
}


def resolve_model(model: str) -> tuple[Provider, str]:
    """Split ``provider/model`` into the provider and the upstream model name (may be empty)."""
    prefix, slash, name = model.partition("/")
    provider = PROVIDERS.get(prefix)
    if provider is not None:
        return provider, name
    if not slash and model in OPENAI_MODELS:
        return PROVIDERS["openai"], model
    known = ", ".join(sorted(PROVIDERS))
    raise BadRequestError(
        f"model {model!r} does not name a provider; use 'provider/model' with one of: {known} "
        "(for example 'openai/sora-2' or 'azure/<deployment>')",
        param="model",
        code="unknown_provider",
    )
