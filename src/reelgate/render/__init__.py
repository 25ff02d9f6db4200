"""A tiny offline renderer: real, playable media for emulators and local providers.

Everything is deterministic and needs only PyAV and Pillow. Two pictures are offered.

The emulator's simple moving pattern, whose colours derive from ``seed`` (every function is pure: the
same arguments give the same bytes):

* :func:`render_mp4`: an H.264 (libx264, yuv420p) MP4 of exactly ``width`` x ``height`` and
  ``round(seconds * fps)`` frames, so the container duration is ``seconds`` within one frame.
* :func:`render_thumbnail_webp`: one frame of that pattern as a WebP image.
* :func:`render_spritesheet_jpeg`: a JPEG grid of small frames sampled across the clip.

The local provider's procedural preview of a prompt (not an AI model): a :class:`Scene` (a prompt, an
optional backdrop image, and for a remix its source scene) rendered by :func:`render_scene` straight
to an MP4 file, with the palette, the moving shapes and the caption all derived from the prompt. It
returns the clip's :class:`Stills` (a WebP thumbnail and a JPEG spritesheet) taken from the same frames.

>>> mp4 = render_mp4(1280, 720, 4.0, seed=7)
>>> mp4[4:8]
b'ftyp'
"""

from __future__ import annotations

from reelgate.render._images import render_spritesheet_jpeg, render_thumbnail_webp
from reelgate.render._scene import Scene, Stills, render_scene
from reelgate.render._video import render_mp4

__all__ = [
    "Scene",
    "Stills",
    "render_mp4",
    "render_scene",
    "render_spritesheet_jpeg",
    "render_thumbnail_webp",
]
