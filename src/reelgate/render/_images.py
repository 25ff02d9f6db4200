"""Still images of the pattern: a WebP thumbnail and a JPEG spritesheet."""

from __future__ import annotations

import io
import math

from PIL import Image

from reelgate.render._pattern import background, check_size, draw_frame, palette

TILE_LONG_SIDE = 160
"""The longer side, in pixels, of one spritesheet tile (the shorter keeps the frame's aspect)."""


def render_thumbnail_webp(width: int, height: int, *, seed: int = 0) -> bytes:
    """A ``width`` x ``height`` WebP of the pattern's middle frame."""
    check_size(width, height)
    colours = palette(seed)
    image = draw_frame(background(width, height, colours), colours, 0.5)
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=70, method=0)
    return buffer.getvalue()


def render_spritesheet_jpeg(width: int, height: int, *, seed: int = 0, frames: int = 16) -> bytes:
    """A JPEG grid of ``frames`` small frames sampled evenly across a ``width`` x ``height`` clip.

    Tiles keep the clip's aspect ratio with their longer side :data:`TILE_LONG_SIDE` pixels (never
    larger than the clip itself); the grid is ``ceil(sqrt(frames))`` tiles wide, filled row by row.
    """
    check_size(width, height)
    if frames < 1:
        raise ValueError(f"frames must be at least 1, got {frames}")
    scale = min(1.0, TILE_LONG_SIDE / max(width, height))
    tile_w, tile_h = max(1, round(width * scale)), max(1, round(height * scale))
    columns = math.ceil(math.sqrt(frames))
    rows = math.ceil(frames / columns)
    colours = palette(seed)
    base = background(tile_w, tile_h, colours)
    sheet = Image.new("RGB", (columns * tile_w, rows * tile_h), colours.top)
    for index in range(frames):
        tile = draw_frame(base, colours, index / frames)
        sheet.paste(tile, ((index % columns) * tile_w, (index // columns) * tile_h))
    buffer = io.BytesIO()
    sheet.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()
