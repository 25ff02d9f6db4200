"""Encode frames as an H.264 MP4 with PyAV: the moving pattern, and the shared encoder and clip checks."""

from __future__ import annotations

import io
import math
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from fractions import Fraction
from typing import BinaryIO

import av
from PIL import Image

from reelgate.render._pattern import background, draw_frame, palette

FrameSink = Callable[[Image.Image], None]
"""Encodes the next frame of a clip (an RGB image of the clip's size)."""

PATTERN_OPTIONS: Mapping[str, str] = {"preset": "ultrafast", "tune": "zerolatency", "crf": "28"}
"""The libx264 options of :func:`render_mp4`."""


def check_clip(width: int, height: int, seconds: float, fps: int, *, min_side: int = 2) -> int:
    """Refuse clips that H.264 yuv420p cannot hold; return the frame count, round(seconds * fps) or 1."""
    if width < min_side or height < min_side:
        raise ValueError(f"frame size must be at least {min_side}x{min_side}, got {width}x{height}")
    if width % 2 or height % 2:
        raise ValueError(f"H.264 yuv420p needs even sides, got {width}x{height}")
    if not (seconds > 0 and math.isfinite(seconds)):
        raise ValueError(f"seconds must be positive and finite, got {seconds}")
    if fps < 1:
        raise ValueError(f"fps must be at least 1, got {fps}")
    return max(1, round(seconds * fps))


@contextmanager
def h264_mp4(
    target: str | os.PathLike[str] | BinaryIO, width: int, height: int, fps: int, options: Mapping[str, str]
) -> Iterator[FrameSink]:
    """Open an MP4 at ``target`` and yield a sink that encodes one frame per call at a constant ``fps``.

    Leaving the block normally flushes the encoder and closes the container; an exception skips the flush.
    """
    file = os.fspath(target) if isinstance(target, (str, os.PathLike)) else target
    with av.open(file, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width = width
        stream.height = height
        stream.pix_fmt = "yuv420p"
        stream.codec_context.time_base = Fraction(1, fps)
        stream.options = dict(options)
        written = 0

        def write(image: Image.Image) -> None:
            nonlocal written
            frame = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]
            frame.pts = written
            written += 1
            for packet in stream.encode(frame):
                container.mux(packet)

        yield write
        for packet in stream.encode(None):
            container.mux(packet)


def render_mp4(width: int, height: int, seconds: float, *, fps: int = 12, seed: int = 0) -> bytes:
    """A playable H.264 (yuv420p) MP4 of ``width`` x ``height`` lasting ``seconds``.

    The clip has ``round(seconds * fps)`` frames (at least one) with a constant frame rate, so its
    container duration decodes to ``seconds`` within one frame. Both sides must be even (yuv420p).
    """
    count = check_clip(width, height, seconds, fps)
    colours = palette(seed)
    base = background(width, height, colours)
    buffer = io.BytesIO()
    with h264_mp4(buffer, width, height, fps, PATTERN_OPTIONS) as write:
        for index in range(count):
            write(draw_frame(base, colours, index / count))
    return buffer.getvalue()
