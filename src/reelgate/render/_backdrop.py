"""The still background of a scene: the caller's image (scaled to cover, centre-cropped) or a gradient."""

from __future__ import annotations

import io

from PIL import Image, ImageOps

from reelgate.render._look import Palette
from reelgate.render._pattern import gradient


def background(backdrop: bytes | None, colours: Palette, width: int, height: int) -> Image.Image:
    """The ``width`` x ``height`` RGB picture behind everything, drawn once per clip.

    Without a backdrop it is the palette's vertical gradient; a backdrop covers the frame (scaled to fill
    it, the overflow cut evenly from both sides), and shows the gradient through any transparency.
    Raises ValueError when ``backdrop`` is not an image Pillow can decode.
    """
    if backdrop is None:
        return gradient(width, height, colours.top, colours.bottom)
    covered = ImageOps.fit(_decode(backdrop, max(width, height)), (width, height), Image.Resampling.BICUBIC)
    if covered.mode != "RGBA":
        return covered
    base = gradient(width, height, colours.top, colours.bottom)
    base.paste(covered, (0, 0), covered)
    return base


def _decode(data: bytes, side: int) -> Image.Image:
    """The upright image in ``data``, as RGB or (when it has transparency) RGBA."""
    try:
        with Image.open(io.BytesIO(data)) as opened:
            opened.draft("RGB", (side, side))  # a large JPEG decodes at a reduced scale, still >= side
            upright = ImageOps.exif_transpose(opened)
            has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
            return upright.convert("RGBA" if has_alpha else "RGB")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValueError(f"the backdrop is not a decodable image (PNG, JPEG or WebP): {exc}") from exc
