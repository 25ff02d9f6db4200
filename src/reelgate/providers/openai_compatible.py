"""Any server that speaks the OpenAI ``/videos`` API (``openai_compatible/<model>``).

``api_base`` is required (the URL that ``/videos`` hangs off, e.g. ``http://localhost:8000/v1``); the
API key is optional, since many self-hosted servers need none. Models are passed through
unvalidated: the server knows what it accepts. Environment: ``OPENAI_COMPATIBLE_API_BASE``,
``OPENAI_COMPATIBLE_API_KEY``.
"""

from __future__ import annotations

from typing import ClassVar

from reelgate.errors import ConfigurationError
from reelgate.providers._base import Endpoint, Settings, first_env
from reelgate.providers._openai_videos import OpenAIVideosProvider


class OpenAICompatibleProvider(OpenAIVideosProvider):
    """A third-party or self-hosted ``/v1/videos`` server."""

    name: ClassVar[str] = "openai_compatible"
    remix_parameters = frozenset({"prompt", "seconds", "input_reference"})

    def endpoint(self, settings: Settings) -> Endpoint:
        base = settings.api_base or first_env("OPENAI_COMPATIBLE_API_BASE")
        if not base:
            raise ConfigurationError(
                "openai_compatible: no api_base; pass api_base='http://host:port/v1' "
                "or set OPENAI_COMPATIBLE_API_BASE"
            )
        api_key = settings.api_key or first_env("OPENAI_COMPATIBLE_API_KEY")
        headers = {"authorization": f"Bearer {api_key}"} if api_key else {}
        return Endpoint(base_url=base.rstrip("/"), headers=headers, secrets=(api_key,) if api_key else ())
