"""The local provider's preview renderer: a prompt's procedural scene as an H.264 MP4 plus its stills.

Not an AI model: a fast, deterministic picture that visibly follows the prompt (palette, moving shapes,
the prompt itself as a caption) so that offline development, demos and CI get real, playable media.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from reelgate.render._backdrop import background
from reelgate.render._caption import Sticker, caption, label
from reelgate.render._images import Grid, jpeg_bytes, webp_bytes
from reelgate.render._look import Palette, Shape, layout, sprite
from reelgate.render._video import check_clip, h264_mp4

MIN_SIDE = 16
REMIX_SHAPES_SHIFT = 0.5
"""How far a remix moves its source's shape colours toward its own prompt's (0 = not at all, 1 = fully)."""
REMIX_SKY_SHIFT = 0.2
"""The same for the background gradient: less, since it fills most of the frame."""

PROGRESS_REPORTS = 20
"""About how many times ``on_progress`` hears of a clip's frames (fewer for clips of fewer frames)."""

SCENE_OPTIONS: Mapping[str, str] = {"preset": "ultrafast", "tune": "zerolatency", "crf": "23", "threads": "2"}
"""libx264 options: a fixed thread count (sliced threads) makes the output independent of the CPU count."""


@dataclass(frozen=True)
class Scene:
    """What to render: a prompt, optionally a backdrop image, and for a remix the scene it derives from.

    ``backdrop`` is an encoded image (PNG, JPEG, WebP or any format Pillow reads) drawn behind everything,
    scaled to cover the frame and centre-cropped. A remix keeps its source's shapes, motion and backdrop
    (its own backdrop, if it has one, wins), shifts the source's palette toward its own prompt's colours
    and captions its own prompt with a "remix of: ..." line; sources chain (a remix of a remix).
    """

    prompt: str
    backdrop: bytes | None = None
    source: Scene | None = None


@dataclass(frozen=True)
class Stills:
    """The stills of a rendered clip, taken from its own frames."""

    thumbnail_webp: bytes
    """The middle frame at full size, as WebP."""
    spritesheet_jpeg: bytes
    """A JPEG grid of frames sampled evenly across the clip: tiles keep the clip's aspect with their longer
    side 160 pixels (at most the clip's), ``ceil(sqrt(n))`` tiles wide, filled row by row."""


def render_scene(
    scene: Scene,
    width: int,
    height: int,
    seconds: float,
    video_path: str | os.PathLike[str],
    *,
    fps: int = 24,
    on_progress: Callable[[float], None] | None = None,
    spritesheet_frames: int = 16,
) -> Stills:
    """Write an H.264 (libx264, yuv420p) MP4 of exactly ``width`` x ``height`` with ``round(seconds * fps)``
    frames to ``video_path``, and return the stills, taken from the same frames (no second render pass).

    Deterministic: everything derives from a SHA-256 of the prompts, so the same scene and arguments give
    the same frames, stills and, with the same FFmpeg and libx264 build, the same MP4 bytes (the encoder's
    thread count is fixed, not taken from the CPU count; FFmpeg's RGB to YUV conversion may still round
    differently on another CPU type, by a level or so).

    ``spritesheet_frames`` is the number of spritesheet tiles (16 by default, as for
    :func:`~reelgate.render.render_spritesheet_jpeg`). ``on_progress`` hears rising fractions in (0, 1]
    as frames are encoded, about :data:`PROGRESS_REPORTS` times, and 1.0 once the file and stills are
    complete. On any error (including one raised by ``on_progress``) the partial file at ``video_path``
    is removed.

    Raises ValueError for odd or too small sides (at least 16x16), a non-positive ``seconds``, an ``fps``
    below 1, or a backdrop that is not a decodable image.
    """
    count = check_clip(width, height, seconds, fps, min_side=MIN_SIDE)
    grid = Grid.for_clip(width, height, spritesheet_frames)
    film = _Film.of(scene, width, height, fps, count)
    tiles: dict[int, list[int]] = {}
    for tile in range(spritesheet_frames):
        tiles.setdefault(tile * count // spritesheet_frames, []).append(tile)
    sheet = grid.sheet(film.colours.top)
    middle = film.base
    step = max(1, count // PROGRESS_REPORTS)
    try:
        with h264_mp4(video_path, width, height, fps, SCENE_OPTIONS) as write:
            for index in range(count):
                frame = film.frame(index)
                write(frame)
                if index == count // 2:
                    middle = frame
                if index in tiles:
                    small = frame.resize(
                        (grid.tile_width, grid.tile_height), Image.Resampling.BILINEAR, reducing_gap=2.0
                    )
                    for tile in tiles[index]:
                        grid.place(sheet, tile, small)
                if on_progress is not None and (index + 1) % step == 0 and index + 1 < count:
                    on_progress((index + 1) / count)
        stills = Stills(thumbnail_webp=webp_bytes(middle), spritesheet_jpeg=jpeg_bytes(sheet))
    except BaseException:
        with contextlib.suppress(OSError):
            Path(video_path).unlink(missing_ok=True)
        raise
    if on_progress is not None:
        on_progress(1.0)
    return stills


@dataclass(frozen=True)
class _Film:
    """Everything static about a clip, computed once, and the cheap per-frame drawing on top of it."""

    base: Image.Image
    colours: Palette
    movers: tuple[tuple[Shape, Image.Image], ...]
    stickers: tuple[Sticker, ...]
    fps: int
    count: int

    @classmethod
    def of(cls, scene: Scene, width: int, height: int, fps: int, count: int) -> _Film:
        lineage = [scene]
        while lineage[-1].source is not None:
            lineage.append(lineage[-1].source)
        original = lineage[-1]
        colours = Palette.for_prompt(original.prompt)
        for later in reversed(lineage[:-1]):
            colours = colours.toward(
                Palette.for_prompt(later.prompt), sky=REMIX_SKY_SHIFT, shapes=REMIX_SHAPES_SHIFT
            )
        backdrop = next((each.backdrop for each in lineage if each.backdrop is not None), None)
        side = min(width, height)
        movers = tuple(
            (shape, sprite(shape, max(2, round(shape.size * side)), colours.accents[shape.accent]))
            for shape in layout(original.prompt)
        )
        words = caption(scene.prompt, scene.source.prompt if scene.source else None, width, height)
        stickers = (label(width, height),) if words is None else (words, label(width, height))
        return cls(background(backdrop, colours, width, height), colours, movers, stickers, fps, count)

    def frame(self, index: int) -> Image.Image:
        """Frame ``index``: the shapes where they are at that time, the captions, and a progress bar."""
        frame = self.base.copy()
        width, height = frame.size
        for shape, picture in self.movers:
            frame.paste(picture, shape.at(index / self.fps, width, height, picture.width), picture)
        for sticker in self.stickers:
            sticker.apply(frame)
        bar = max(2, height // 120)
        right = round((index + 1) / self.count * width) - 1
        ImageDraw.Draw(frame).rectangle((0, height - bar, right, height - 1), fill=self.colours.accents[0])
        return frame
