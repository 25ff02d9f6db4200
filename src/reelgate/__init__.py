"""reelgate: an observability-first gateway for AI video generation.

The public API is re-exported here and loaded lazily, so ``import reelgate`` stays cheap: httpx,
pydantic and the providers are imported by the first call that needs them.

>>> from reelgate import video_generation, video_wait, video_download
>>> video = video_generation(model="openai/sora-2", prompt="A cat", seconds="8", size="720x1280")
>>> video = video_wait(video.id, model="openai/sora-2")
>>> video_download(video.id, "cat.mp4", model="openai/sora-2")
"""

import importlib as _importlib
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from reelgate._version import __version__

if _TYPE_CHECKING:
    from reelgate._api import (
        avideo_content,
        avideo_content_stream,
        avideo_delete,
        avideo_download,
        avideo_generation,
        avideo_list,
        avideo_remix,
        avideo_retrieval,
        avideo_status,
        avideo_wait,
        video_content,
        video_content_stream,
        video_delete,
        video_download,
        video_generation,
        video_list,
        video_remix,
        video_retrieval,
        video_status,
        video_wait,
    )
    from reelgate._client import AsyncClient, Client
    from reelgate._content import AsyncVideoContentStream, VideoContentStream
    from reelgate.errors import (
        APIConnectionError,
        APIStatusError,
        APITimeoutError,
        AuthenticationError,
        BadRequestError,
        BudgetExceededError,
        ConfigurationError,
        ConflictError,
        ContentPolicyError,
        NoDeploymentAvailableError,
        NotFoundError,
        PermissionDeniedError,
        ProviderServerError,
        RateLimitError,
        ReelgateError,
        UnprocessableEntityError,
        UnsupportedError,
        VideoFailedError,
        WaitTimeoutError,
    )
    from reelgate.router import Router
    from reelgate.types import (
        ContentVariant,
        Cost,
        Usage,
        Video,
        VideoDeleted,
        VideoError,
        VideoList,
        VideoStatus,
    )

_API = (
    "video_generation avideo_generation video_status avideo_status video_retrieval avideo_retrieval "
    "video_content avideo_content video_content_stream avideo_content_stream video_download avideo_download "
    "video_remix avideo_remix video_list avideo_list video_delete avideo_delete video_wait avideo_wait"
)
_ERRORS = (
    "APIConnectionError APIStatusError APITimeoutError AuthenticationError BadRequestError "
    "BudgetExceededError ConfigurationError ConflictError ContentPolicyError NoDeploymentAvailableError "
    "NotFoundError "
    "PermissionDeniedError ProviderServerError RateLimitError ReelgateError UnprocessableEntityError "
    "UnsupportedError VideoFailedError WaitTimeoutError"
)
_TYPES = "ContentVariant Cost Usage Video VideoDeleted VideoError VideoList VideoStatus"

_LOCATIONS: dict[str, str] = {
    **dict.fromkeys(_API.split(), "reelgate._api"),
    **dict.fromkeys(_ERRORS.split(), "reelgate.errors"),
    **dict.fromkeys(_TYPES.split(), "reelgate.types"),
    "Client": "reelgate._client",
    "AsyncClient": "reelgate._client",
    "VideoContentStream": "reelgate._content",
    "AsyncVideoContentStream": "reelgate._content",
    "Router": "reelgate.router",
}

__all__ = sorted([*_LOCATIONS, "__version__"])


def __getattr__(name: str) -> _Any:
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'reelgate' has no attribute {name!r}")
    value = getattr(_importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip __getattr__
    return value


def __dir__() -> list[str]:
    return __all__
