"""What a prompt looks like: its seed, its palette, and the shapes that move across the frame.

Everything here derives from :func:`seed_of`, a SHA-256 of the prompt (stable across processes and
Python versions), drawn through ``random.Random(seed).random()`` only, whose sequence Python keeps stable.
"""

from __future__ import annotations

import colorsys
import hashlib
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw

from reelgate.render._pattern import Colour

ACCENTS = 4
"""How many accent colours a palette has (the shapes' colours)."""

SHAPE_KINDS = ("disc", "ring", "square", "diamond", "triangle")
SUPERSAMPLE = 4
"""Shapes are drawn this many times larger, then scaled down, for smooth edges."""


def seed_of(prompt: str) -> int:
    """A 64-bit seed from the prompt's exact text."""
    digest = hashlib.sha256(prompt.encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big")


class _Draws:
    """Seeded numbers from ``random()`` alone (the one method whose sequence Python promises to keep)."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def between(self, low: float, high: float) -> float:
        return low + (high - low) * self._rng.random()

    def index(self, count: int) -> int:
        return min(count - 1, int(self._rng.random() * count))


@dataclass(frozen=True)
class Palette:
    """A scene's colours: the background gradient and the shapes' accents."""

    top: Colour
    bottom: Colour
    accents: tuple[Colour, ...]

    @classmethod
    def for_prompt(cls, prompt: str) -> Palette:
        """A harmonious palette around a hue chosen by the prompt's seed."""
        draws = _Draws(seed_of(prompt) ^ 0x5EED_C010)
        hue = draws.between(0.0, 1.0)
        scheme = (
            (0.0, 0.06, -0.06, 0.12),
            (0.0, 0.5, 0.08, 0.58),
            (0.0, 1 / 3, 2 / 3, 0.05),
            (0.0, 0.42, 0.58, 0.5),
        )
        offsets = scheme[draws.index(len(scheme))]

        def hsv(h: float, s: float, v: float) -> Colour:
            red, green, blue = colorsys.hsv_to_rgb(h % 1.0, s, v)
            return (round(red * 255), round(green * 255), round(blue * 255))

        if draws.index(3):  # a dark sky with bright shapes
            top = hsv(hue + draws.between(-0.05, 0.05), draws.between(0.55, 0.85), draws.between(0.14, 0.28))
            bottom = hsv(hue + draws.between(0.03, 0.12), draws.between(0.5, 0.8), draws.between(0.42, 0.6))
            shade = (0.55, 0.9, 0.82, 1.0)
        else:  # a pale sky with deep shapes
            top = hsv(hue + draws.between(-0.05, 0.05), draws.between(0.1, 0.3), draws.between(0.88, 0.98))
            bottom = hsv(hue + draws.between(0.03, 0.12), draws.between(0.3, 0.55), draws.between(0.68, 0.85))
            shade = (0.65, 0.95, 0.45, 0.75)
        accents = tuple(
            hsv(hue + offset, draws.between(*shade[:2]), draws.between(*shade[2:])) for offset in offsets
        )
        return cls(top, bottom, accents)

    def toward(self, other: Palette, *, sky: float, shapes: float) -> Palette:
        """This palette moved toward ``other``: its gradient by ``sky``, its accents by ``shapes`` (0..1)."""

        def mix(a: Colour, b: Colour, share: float) -> Colour:
            return (
                round(a[0] + (b[0] - a[0]) * share),
                round(a[1] + (b[1] - a[1]) * share),
                round(a[2] + (b[2] - a[2]) * share),
            )

        return Palette(
            mix(self.top, other.top, sky),
            mix(self.bottom, other.bottom, sky),
            tuple(mix(a, b, shapes) for a, b in zip(self.accents, other.accents, strict=True)),
        )


@dataclass(frozen=True)
class Shape:
    """One moving shape: what it is, how big, and its Lissajous path (in fractions of the frame)."""

    kind: str
    size: float  # diameter, as a fraction of the frame's shorter side
    accent: int
    opacity: float
    centre: tuple[float, float]
    reach: tuple[float, float]  # amplitude of the swing on each axis
    speed: tuple[float, float]  # cycles per second on each axis
    phase: tuple[float, float]

    def at(self, seconds: float, width: int, height: int, side: int) -> tuple[int, int]:
        """The top-left corner, in pixels, of this shape's ``side``-pixel sprite at ``seconds``."""
        x = self.centre[0] + self.reach[0] * math.sin(2 * math.pi * (self.speed[0] * seconds + self.phase[0]))
        y = self.centre[1] + self.reach[1] * math.sin(2 * math.pi * (self.speed[1] * seconds + self.phase[1]))
        return (round(x * width - side / 2), round(y * height - side / 2))


def layout(prompt: str) -> tuple[Shape, ...]:
    """The 4 to 8 shapes of a prompt: their count, kinds, sizes, paths and speeds all come from its seed."""
    draws = _Draws(seed_of(prompt))
    count = 4 + draws.index(5)
    tempo = draws.between(0.08, 0.3)  # the scene's overall pace, in cycles per second
    shapes = []
    for number in range(count):
        ratio = (1.0, 0.5, 1.5, 2.0, 2 / 3)[draws.index(5)]
        speed = tempo * draws.between(0.6, 1.6)
        shapes.append(
            Shape(
                kind=SHAPE_KINDS[draws.index(len(SHAPE_KINDS))],
                size=draws.between(0.08, 0.24),
                accent=number % ACCENTS,
                opacity=draws.between(0.7, 0.95),
                centre=(draws.between(0.3, 0.7), draws.between(0.3, 0.6)),
                reach=(draws.between(0.1, 0.35), draws.between(0.08, 0.3)),
                speed=(speed, speed * ratio),
                phase=(draws.between(0.0, 1.0), draws.between(0.0, 1.0)),
            )
        )
    return tuple(shapes)


def sprite(shape: Shape, side: int, colour: Colour) -> Image.Image:
    """The RGBA picture of ``shape``, ``side`` pixels square, drawn once per clip and pasted every frame."""
    big = side * SUPERSAMPLE
    mask = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(mask)
    last = big - 1
    if shape.kind == "disc":
        draw.ellipse((0, 0, last, last), fill=255)
    elif shape.kind == "ring":
        draw.ellipse((0, 0, last, last), outline=255, width=max(1, big // 7))
    elif shape.kind == "square":
        inset = big // 8
        draw.rounded_rectangle((inset, inset, last - inset, last - inset), radius=big // 6, fill=255)
    elif shape.kind == "diamond":
        draw.polygon(((big / 2, 0), (last, big / 2), (big / 2, last), (0, big / 2)), fill=255)
    else:
        draw.polygon(((big / 2, big * 0.07), (last, big * 0.9), (0, big * 0.9)), fill=255)
    alpha = mask.resize((side, side), Image.Resampling.BOX).point(lambda value: round(value * shape.opacity))
    picture = Image.new("RGBA", (side, side), colour)
    picture.putalpha(alpha)
    return picture
