"""The reference-image check: an uploaded or ``data:`` image must be exactly the requested size.

An ``http(s)`` URL cannot be fetched (the emulator never leaves the machine) and a ``file_id`` has
no Files API behind it, so both are accepted unchecked.
"""

from __future__ import annotations

from reelgate.emulator._bodies import Reference, decode_data_url
from reelgate.emulator._errors import APIError
from reelgate.emulator._media import IMAGE_TYPES, image_size


def _unsupported(content_type: str | None) -> APIError:
    return APIError(
        400,
        f"Invalid file 'input_reference': unsupported mimetype ('{content_type}'). Supported file formats "
        "are 'image/jpeg', 'image/png', and 'image/webp'.",
        param="input_reference",
        code="unsupported_file",
    )


def check_reference(reference: Reference | None, width: int, height: int) -> None:
    """Raise a 400 unless ``reference`` is absent, unverifiable, or an image of ``width`` x ``height``."""
    if reference is None:
        return
    if reference.data is not None:
        content_type, data = reference.content_type, reference.data
    elif reference.image_url is not None and reference.image_url.startswith("data:"):
        content_type, data = decode_data_url(reference.image_url)
    else:
        return
    content_type = (content_type or "").split(";", 1)[0].strip().lower() or None
    if content_type not in IMAGE_TYPES:
        raise _unsupported(content_type)
    try:
        actual = image_size(data)
    except ValueError:
        raise APIError(
            400,
            "Invalid file 'input_reference': the image could not be decoded.",
            param="input_reference",
            code="invalid_image",
        ) from None
    if actual != (width, height):
        raise APIError(
            400,
            "Inpaint image must match the requested width and height",
            param="input_reference",
            code="invalid_value",
        )
