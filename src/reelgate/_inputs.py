"""Turn whatever a caller passes as ``input_reference`` into one :class:`ReferenceImage`.

Accepted: an open file, ``bytes``, a filesystem path (``str`` or ``PathLike``), an ``http(s)://`` or
``data:`` URL, an OpenAI-SDK style ``(filename, content[, content_type])`` tuple, or the JSON object
forms ``{"image_url": ...}`` / ``{"file_id": ...}``. Image bytes are identified and measured with Pillow
(header only), so a reference image whose dimensions do not match ``size`` is refused before upload.
"""

from __future__ import annotations

import base64
import binascii
import io
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeAlias

from reelgate.errors import BadRequestError

InputReference: TypeAlias = (
    IO[bytes] | bytes | bytearray | memoryview | str | os.PathLike[str] | tuple[Any, ...] | Mapping[str, str]
)
"""Everything ``input_reference=`` accepts."""

_IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}
MAX_IMAGE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ReferenceImage:
    """A reference image: uploaded bytes, a URL (``http(s)`` or ``data:``), or a provider file id."""

    content: bytes | None = None
    filename: str | None = None
    content_type: str | None = None
    url: str | None = None
    file_id: str | None = None
    width: int | None = None
    height: int | None = None

    @property
    def dimensions(self) -> str | None:
        """``WxH`` when known (uploaded bytes and data URLs), else None."""
        return f"{self.width}x{self.height}" if self.width and self.height else None


def load_reference(value: object) -> ReferenceImage:
    """Normalize an ``input_reference`` argument, raising :class:`BadRequestError` for anything unusable."""
    if isinstance(value, bytes | bytearray | memoryview):
        return _from_bytes(bytes(value), filename=None)
    if isinstance(value, Mapping):
        return _from_mapping(value)
    if isinstance(value, tuple):
        return _from_tuple(value)
    if isinstance(value, str) and value.startswith(("http://", "https://")):
        return ReferenceImage(url=value)
    if isinstance(value, str) and value.startswith("data:"):
        return _from_data_url(value)
    if isinstance(value, str | os.PathLike):
        return _from_path(Path(value))
    if hasattr(value, "read"):
        data = value.read()
        if not isinstance(data, bytes):
            raise _bad("input_reference must be opened in binary mode ('rb')")
        name = getattr(value, "name", None)
        return _from_bytes(data, filename=os.path.basename(name) if isinstance(name, str) else None)
    raise _bad(
        f"input_reference of type {type(value).__name__} is not supported; pass an open file, bytes, "
        "a path, or an http(s)/data URL"
    )


def _from_path(path: Path) -> ReferenceImage:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise _bad(f"input_reference: no such file {str(path)!r}") from None
    except OSError as exc:
        raise _bad(f"input_reference: cannot read {str(path)!r}: {exc.strerror}") from None
    return _from_bytes(data, filename=path.name)


def _from_tuple(value: tuple[Any, ...]) -> ReferenceImage:
    if len(value) not in (2, 3) or not isinstance(value[1], bytes | bytearray):
        raise _bad("input_reference tuple must be (filename, bytes) or (filename, bytes, content_type)")
    filename = value[0] if isinstance(value[0], str) else None
    return _from_bytes(bytes(value[1]), filename=filename)


def _from_mapping(value: Mapping[str, Any]) -> ReferenceImage:
    image_url, file_id = value.get("image_url"), value.get("file_id")
    if (image_url is None) == (file_id is None) or set(value) - {"image_url", "file_id"}:
        raise _bad("input_reference object must have exactly one of 'image_url' or 'file_id'")
    if file_id is not None:
        return ReferenceImage(file_id=str(file_id))
    if str(image_url).startswith("data:"):
        return _from_data_url(str(image_url))
    return ReferenceImage(url=str(image_url))


def _from_data_url(url: str) -> ReferenceImage:
    image = _from_bytes(decode_data_url(url), filename=None)
    return ReferenceImage(url=url, content_type=image.content_type, width=image.width, height=image.height)


def decode_data_url(url: str) -> bytes:
    """The bytes of a base64 ``data:`` URL (the URL itself is what gets sent upstream)."""
    header, sep, payload = url.partition(",")
    if not sep or not header.endswith(";base64"):
        raise _bad("input_reference data URL must be base64 encoded: data:image/png;base64,...")
    if len(url) > MAX_IMAGE_BYTES:
        raise _bad(f"input_reference data URL is longer than {MAX_IMAGE_BYTES} characters")
    try:
        return base64.b64decode(payload, validate=True)
    except binascii.Error:
        raise _bad("input_reference data URL is not valid base64") from None


def _from_bytes(data: bytes, *, filename: str | None) -> ReferenceImage:
    from PIL import Image, UnidentifiedImageError  # imported on first use: keeps `import reelgate` light

    if not data:
        raise _bad("input_reference is empty")
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
    except (UnidentifiedImageError, OSError):
        kind, width, height = None, 0, 0
    content_type = _IMAGE_TYPES.get(kind or "")
    if content_type is None:
        raise _bad(f"input_reference must be a JPEG, PNG or WebP image (got {kind or 'unrecognized data'})")
    name = filename or f"reference.{_EXTENSIONS[content_type]}"
    return ReferenceImage(content=data, filename=name, content_type=content_type, width=width, height=height)


def _bad(message: str) -> BadRequestError:
    return BadRequestError(message, param="input_reference", code="invalid_input_reference")
