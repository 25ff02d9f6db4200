"""Checks made before any request is sent, so that no money is spent on a call that cannot succeed.

Each failure is a :class:`~reelgate.errors.BadRequestError` whose ``param`` names the offending
parameter and whose message lists the allowed values.
"""

from __future__ import annotations

import re

from reelgate._inputs import ReferenceImage
from reelgate.errors import BadRequestError
from reelgate.providers._capabilities import ModelCapabilities

MAX_PROMPT_CHARS = 32_000
_SIZE = re.compile(r"^[1-9][0-9]{1,4}x[1-9][0-9]{1,4}$")
_VIDEO_ID = re.compile(r"^[A-Za-z0-9_\-.:~]{1,512}$")


def check_prompt(prompt: object) -> str:
    """A prompt is a non-blank string of at most 32,000 characters."""
    if not isinstance(prompt, str) or not prompt.strip():
        raise BadRequestError("prompt must be a non-empty string", param="prompt", code="invalid_prompt")
    if len(prompt) > MAX_PROMPT_CHARS:
        raise BadRequestError(
            f"prompt is {len(prompt):,} characters; the limit is {MAX_PROMPT_CHARS:,}",
            param="prompt",
            code="prompt_too_long",
        )
    return prompt


def normalize_seconds(seconds: object) -> str | None:
    """Accept ``8`` or ``"8"`` (a whole, positive number of seconds) and return ``"8"``."""
    if seconds is None:
        return None
    text = str(seconds).strip() if isinstance(seconds, int | str) and not isinstance(seconds, bool) else ""
    if not text.isdigit() or int(text) <= 0:
        raise BadRequestError(
            f"seconds={seconds!r} is not a whole number of seconds; pass e.g. seconds=8 or seconds='8'",
            param="seconds",
            code="invalid_seconds",
        )
    return str(int(text))


def check_size(size: object) -> str | None:
    """A size is ``WIDTHxHEIGHT``, e.g. ``1280x720``."""
    if size is None:
        return None
    if not isinstance(size, str) or not _SIZE.match(size):
        raise BadRequestError(
            f"size={size!r} is not WIDTHxHEIGHT (for example '1280x720')", param="size", code="invalid_size"
        )
    return size


def check_video_id(video_id: object, operation: str) -> str:
    """A video id is required, and must be safe to put in a URL path."""
    if not video_id:
        raise BadRequestError(
            f"{operation} needs video_id= (the id returned when the video was created)",
            param="video_id",
            code="missing_video_id",
        )
    if not isinstance(video_id, str) or not _VIDEO_ID.match(video_id) or video_id in (".", ".."):
        raise BadRequestError(
            f"video_id={video_id!r} is not a valid video id", param="video_id", code="invalid_video_id"
        )
    return video_id


def check_capabilities(
    model_label: str,
    capabilities: ModelCapabilities | None,
    *,
    seconds: str | None,
    size: str | None,
    reference: ReferenceImage | None,
) -> None:
    """Refuse seconds, size and reference-image dimensions the model does not accept."""
    if capabilities is not None:
        if seconds is not None and seconds not in capabilities.seconds:
            raise _not_allowed("seconds", seconds, model_label, capabilities.seconds)
        if size is not None and size not in capabilities.sizes:
            raise _not_allowed("size", size, model_label, capabilities.sizes)
    expected = size or (capabilities.default_size if capabilities else None)
    actual = reference.dimensions if reference else None
    if expected and actual and actual != expected:
        raise BadRequestError(
            f"input_reference is {actual} but the video size is {expected}; the reference image must "
            f"match the size exactly (resize the image or pass size='{actual}' if the model allows it)",
            param="input_reference",
            code="reference_size_mismatch",
        )


def _not_allowed(param: str, value: str, model_label: str, allowed: tuple[str, ...]) -> BadRequestError:
    return BadRequestError(
        f"{param}={value!r} is not supported by {model_label}; allowed values: {', '.join(allowed)}",
        param=param,
        code=f"unsupported_{param}",
    )
