"""The words on a scene's frames: the prompt as a caption (with a remix line) and the preview label.

Text uses Pillow's built-in font (``ImageFont.load_default(size=...)``), sized from the frame height. That
font covers ASCII and a little punctuation only: accented Latin letters are shown without their accents
(``café`` as ``cafe``), and other scripts show the font's missing-glyph box.
"""

from __future__ import annotations

import bisect
import functools
import unicodedata
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageFont

LABEL = "reelgate local preview · procedural, not AI"
ELLIPSIS = "…"
CAPTION_LINES = 3
"""The most lines the prompt takes; a longer prompt is cut with an ellipsis."""

BAND = (0, 0, 0, 150)
TEXT = (255, 255, 255, 255)
SUBTEXT = (215, 215, 215, 255)

_SUBSTITUTES = {"–": "-", "—": "-", "•": "·", "×": "x", "ß": "ss", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O"}

Font = ImageFont.FreeTypeFont


@dataclass(frozen=True)
class Sticker:
    """A static RGBA layer pasted at the same place on every frame."""

    image: Image.Image
    position: tuple[int, int]

    def apply(self, frame: Image.Image) -> None:
        """Blend the layer onto ``frame`` in place."""
        frame.paste(self.image, self.position, self.image)


@functools.cache
def font(size: int) -> Font:
    """Pillow's built-in scalable font at ``size`` pixels."""
    loaded = ImageFont.load_default(size=size)
    if not isinstance(loaded, ImageFont.FreeTypeFont):  # pragma: no cover - Pillow built without FreeType
        raise RuntimeError("the local preview renderer needs Pillow with FreeType support")
    return loaded


@functools.cache
def _has_glyph(char: str) -> bool:
    probe = font(24)
    return char.isspace() or bytes(probe.getmask(char)) != bytes(probe.getmask("\uffff"))


def printable(text: str) -> str:
    """``text`` on one line, its whitespace collapsed, with characters the font lacks replaced if it can."""
    out = []
    for char in " ".join(text.split()):
        if _has_glyph(char):
            out.append(char)
            continue
        plain = _SUBSTITUTES.get(char) or "".join(
            part for part in unicodedata.normalize("NFKD", char) if not unicodedata.combining(part)
        )
        out.append(plain if plain and all(_has_glyph(part) for part in plain) else char)
    return "".join(out)


def _fit(text: str, face: Font, width: float) -> int:
    """How many leading characters of ``text`` fit in ``width`` pixels."""
    return bisect.bisect_right(range(1, len(text) + 1), width, key=lambda count: face.getlength(text[:count]))


def ellipsize(text: str, face: Font, width: float) -> str:
    """``text`` cut (at a word end if one is near) so that it and a trailing ellipsis fit in ``width``."""
    fit = _fit(text, face, width - face.getlength(ELLIPSIS))
    space = text.rfind(" ", 0, fit + 1)
    if space > fit * 3 // 4:
        fit = space
    return text[:fit].rstrip() + ELLIPSIS


def wrap(text: str, face: Font, width: float, lines: int) -> list[str]:
    """``text`` in at most ``lines`` lines of at most ``width`` pixels, the last ending in "…" if cut.

    Lines break between words where they can; a word wider than a line is split between characters.
    """
    done: list[str] = []
    rest = text.strip()
    while rest and len(done) < lines:
        fit = _fit(rest, face, width)
        if fit >= len(rest):
            done.append(rest)
            return done
        space = rest.rfind(" ", 0, fit + 1)  # a space just after the part that fits counts
        head = rest[:space] if space > 0 else rest[: max(1, fit)]
        done.append(head.rstrip())
        rest = rest[len(head) :].lstrip()
    if rest:
        done[-1] = ellipsize(f"{done[-1]} {rest}", face, width)
    return done


def caption(prompt: str, remix_of: str | None, width: int, height: int) -> Sticker | None:
    """The translucent band at the bottom of the frame, with the prompt and, for a remix, its source.

    ``None`` when there is nothing to write (an empty prompt that is not a remix).
    """
    margin = max(2, round(width * 0.04))
    main = font(max(9, round(height * 0.05)))
    small = font(max(8, round(main.size * 0.62)))
    room = width - 2 * margin
    text = printable(prompt[: CAPTION_LINES * width])  # no glyph is under a pixel wide
    rows: list[tuple[str, Font, tuple[int, int, int, int]]] = [
        (line, main, TEXT) for line in (wrap(text, main, room, CAPTION_LINES) if text else [])
    ]
    if remix_of is not None:
        line = f"remix of: {printable(remix_of[:width])}"
        rows.append((line if small.getlength(line) <= room else ellipsize(line, small, room), small, SUBTEXT))
    if not rows:
        return None
    gap = max(1, round(main.size * 0.25))
    heights = [sum(face.getmetrics()) for _, face, _ in rows]
    band_height = sum(heights) + gap * (len(rows) - 1) + 2 * max(2, round(main.size * 0.45))
    band = Image.new("RGBA", (width, band_height), BAND)
    draw = ImageDraw.Draw(band)
    y = (band_height - sum(heights) - gap * (len(rows) - 1)) // 2
    for (line, face, colour), line_height in zip(rows, heights, strict=True):
        draw.text((width / 2, y), line, font=face, fill=colour, anchor="ma")
        y += line_height + gap
    return Sticker(band, (0, height - band_height))


def label(width: int, height: int) -> Sticker:
    """The small "procedural preview" tag in the top-left corner (cut to the frame's width if need be)."""
    face = font(max(8, round(height * 0.028)))
    pad = max(2, round(face.size * 0.4))
    margin = max(2, round(min(width, height) * 0.025))
    text = LABEL
    if face.getlength(text) > width - 2 * (margin + pad):
        text = ellipsize(text, face, width - 2 * (margin + pad))
    ascent, descent = face.getmetrics()
    size = (round(face.getlength(text)) + 2 * pad, ascent + descent + 2 * pad)
    tag = Image.new("RGBA", size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(tag)
    draw.rounded_rectangle((0, 0, size[0] - 1, size[1] - 1), radius=pad, fill=(0, 0, 0, 120))
    draw.text((pad, pad), text, font=face, fill=(255, 255, 255, 220))
    return Sticker(tag, (margin, margin))
