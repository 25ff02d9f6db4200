"""Media: the downloadable assets (rendered once per size, duration and variant) and image probing.

Reference images are probed with PyAV, not Pillow: the library checks them with Pillow, and an
independent implementation on each side of the wire is the point of an emulator.
"""

from __future__ import annotations

import io
import threading
import zlib
from collections import OrderedDict

import av

from reelgate.render import render_mp4, render_spritesheet_jpeg, render_thumbnail_webp

VARIANTS = {"video": "video/mp4", "thumbnail": "image/webp", "spritesheet": "image/jpeg"}
"""Each downloadable variant and its content type."""

IMAGE_TYPES = ("image/jpeg", "image/png", "image/webp")
_IMAGE_FORMATS = {"jpeg_pipe", "png_pipe", "webp_pipe"}
_CACHE_SIZE = 32

_cache: OrderedDict[tuple[str, int, int, str, int], bytes] = OrderedDict()
_cache_lock = threading.Lock()
_render_locks: dict[tuple[str, int, int, str, int], threading.Lock] = {}


def image_size(data: bytes) -> tuple[int, int]:
    """``(width, height)`` of a JPEG, PNG or WebP image; ``ValueError`` for anything else."""
    try:
        with av.open(io.BytesIO(data)) as container:
            if container.format.name not in _IMAGE_FORMATS or not container.streams.video:
                raise ValueError("not a JPEG, PNG or WebP image")
            context = container.streams.video[0].codec_context
            width, height = int(context.width), int(context.height)
    except av.FFmpegError as exc:
        raise ValueError("not a decodable image") from exc
    if width <= 0 or height <= 0:
        raise ValueError("the image has no dimensions")
    return width, height


def _render(variant: str, width: int, height: int, seconds: str, fps: int) -> bytes:
    seed = zlib.crc32(f"{width}x{height}/{seconds}".encode())
    if variant == "video":
        return render_mp4(width, height, float(seconds), fps=fps, seed=seed)
    if variant == "thumbnail":
        return render_thumbnail_webp(width, height, seed=seed)
    return render_spritesheet_jpeg(width, height, seed=seed)


def media(variant: str, width: int, height: int, seconds: str, fps: int) -> bytes:
    """The bytes of ``variant`` for a clip, rendered on first use and then cached (blocking call)."""
    key = (variant, width, height, seconds, fps)
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
        lock = _render_locks.setdefault(key, threading.Lock())
    with lock:
        with _cache_lock:
            if key in _cache:
                return _cache[key]
        data = _render(variant, width, height, seconds, fps)
        with _cache_lock:
            _cache[key] = data
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
            _render_locks.pop(key, None)
    return data
