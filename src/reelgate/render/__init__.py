"""A tiny offline renderer: real, playable media for emulators and local providers.

Every function is pure and deterministic (the same arguments give the same bytes) and needs only
PyAV and Pillow. The picture is a simple moving pattern whose colours derive from ``seed``:

* :func:`render_mp4`: an H.264 (libx264, yuv420p) MP4 of exactly ``width`` x ``height`` and
  ``round(seconds * fps)`` frames, so the container duration is ``seconds`` within one frame.
* :func:`render_thumbnail_webp`: one frame of that pattern as a WebP image.
* :func:`render_spritesheet_jpeg`: a JPEG grid of small frames sampled across the clip.

>>> mp4 = render_mp4(1280, 720, 4.0, seed=7)
>>> mp4[4:8]
b'ftyp'
"""

from __future__ import annotations

from reelgate.render._images import render_spritesheet_jpeg, render_thumbnail_webp
from reelgate.render._video import render_mp4

__all__ = ["render_mp4", "render_spritesheet_jpeg", "render_thumbnail_webp"]
