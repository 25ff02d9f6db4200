"""The moving test pattern: a seeded palette, a gradient background and shapes that move with time."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageOps

Colour = tuple[int, int, int]


@dataclass(frozen=True)
class Palette:
    """The four colours of one pattern, derived from a seed."""

    top: Colour
    bottom: Colour
    bar: Colour
    disc: Colour


def palette(seed: int) -> Palette:
    """The palette for ``seed``: stable across runs and Python versions."""
    rng = random.Random(seed)

    def colour(low: int, high: int) -> Colour:
        return (rng.randint(low, high), rng.randint(low, high), rng.randint(low, high))

    return Palette(top=colour(0, 90), bottom=colour(40, 140), bar=colour(150, 255), disc=colour(120, 255))


def check_size(width: int, height: int) -> None:
    """Refuse sizes no frame can have."""
    if width < 2 or height < 2:
        raise ValueError(f"frame size must be at least 2x2, got {width}x{height}")


def background(width: int, height: int, colours: Palette) -> Image.Image:
    """A vertical gradient from ``colours.top`` to ``colours.bottom`` (computed once per clip)."""
    return gradient(width, height, colours.top, colours.bottom)


def gradient(width: int, height: int, top: Colour, bottom: Colour) -> Image.Image:
    """A ``width`` x ``height`` RGB image fading vertically from ``top`` to ``bottom``."""
    ramp = Image.linear_gradient("L").resize((width, height), Image.Resampling.BILINEAR)
    return ImageOps.colorize(ramp, black=top, white=bottom)


def draw_frame(base: Image.Image, colours: Palette, phase: float) -> Image.Image:
    """The frame at ``phase`` (0 = start, 1 = end of the clip) drawn over a copy of ``base``."""
    frame = base.copy()
    width, height = frame.size
    draw = ImageDraw.Draw(frame)
    bar_width = max(1, width // 10)
    x = round(phase * (width + bar_width)) - bar_width
    draw.rectangle((x, 0, x + bar_width - 1, height - 1), fill=colours.bar)
    radius = max(1, min(width, height) // 8)
    angle = 2 * math.pi * phase
    cx = width / 2 + (width / 2 - radius) * math.sin(angle)
    cy = height / 2 + (height / 2 - radius) * math.sin(2 * angle) * 0.8
    draw.ellipse((cx - radius, cy - radius, cx + radius, cy + radius), fill=colours.disc)
    strip = max(1, height // 40)
    draw.rectangle((0, height - strip, round(phase * (width - 1)), height - 1), fill=colours.bar)
    return frame
