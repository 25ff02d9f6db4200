"""Still images of the pattern: a WebP thumbnail and a JPEG spritesheet, and the shared still encoders."""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

from PIL import Image

from reelgate.render._pattern import Colour, background, check_size, draw_frame, palette

TILE_LONG_SIDE = 160
"""The longer side, in pixels, of one spritesheet tile (the shorter keeps the frame's aspect)."""


@dataclass(frozen=True)
class Grid:
    """Where the tiles of a spritesheet go: ``frames`` tiles, ``columns`` wide, filled row by row."""

    frames: int
    tile_width: int
    tile_height: int
    columns: int
    rows: int

    @classmethod
    def for_clip(cls, width: int, height: int, frames: int) -> Grid:
        """The grid for ``frames`` tiles of a ``width`` x ``height`` clip.

        Tiles keep the clip's aspect ratio with their longer side :data:`TILE_LONG_SIDE` pixels (never
        larger than the clip itself); the grid is ``ceil(sqrt(frames))`` tiles wide.
        """
        if frames < 1:
            raise ValueError(f"frames must be at least 1, got {frames}")
        scale = min(1.0, TILE_LONG_SIDE / max(width, height))
        columns = math.ceil(math.sqrt(frames))
        return cls(
            frames=frames,
            tile_width=max(1, round(width * scale)),
            tile_height=max(1, round(height * scale)),
            columns=columns,
            rows=math.ceil(frames / columns),
        )

    def sheet(self, fill: Colour) -> Image.Image:
        """An empty sheet of the grid's size, filled with ``fill``."""
        return Image.new("RGB", (self.columns * self.tile_width, self.rows * self.tile_height), fill)

    def place(self, sheet: Image.Image, index: int, tile: Image.Image) -> None:
        """Paste ``tile`` (already tile-sized) as tile number ``index`` of ``sheet``."""
        sheet.paste(
            tile, ((index % self.columns) * self.tile_width, (index // self.columns) * self.tile_height)
        )


def webp_bytes(image: Image.Image) -> bytes:
    """``image`` encoded as a WebP (quick, lossy)."""
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", quality=70, method=0)
    return buffer.getvalue()


def jpeg_bytes(image: Image.Image) -> bytes:
    """``image`` encoded as a JPEG."""
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def render_thumbnail_webp(width: int, height: int, *, seed: int = 0) -> bytes:
    """A ``width`` x ``height`` WebP of the pattern's middle frame."""
    check_size(width, height)
    colours = palette(seed)
    return webp_bytes(draw_frame(background(width, height, colours), colours, 0.5))


def render_spritesheet_jpeg(width: int, height: int, *, seed: int = 0, frames: int = 16) -> bytes:
    """A JPEG grid of ``frames`` small frames sampled evenly across a ``width`` x ``height`` clip.

    Tiles keep the clip's aspect ratio with their longer side :data:`TILE_LONG_SIDE` pixels (never
    larger than the clip itself); the grid is ``ceil(sqrt(frames))`` tiles wide, filled row by row.
    """
    check_size(width, height)
    grid = Grid.for_clip(width, height, frames)
    colours = palette(seed)
    base = background(grid.tile_width, grid.tile_height, colours)
    sheet = grid.sheet(colours.top)
    for index in range(frames):
        grid.place(sheet, index, draw_frame(base, colours, index / frames))
    return jpeg_bytes(sheet)
