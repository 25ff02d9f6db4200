"""Encode the moving pattern as an H.264 MP4 with PyAV."""

from __future__ import annotations

import io
from fractions import Fraction

import av

from reelgate.render._pattern import background, check_size, draw_frame, palette


def render_mp4(width: int, height: int, seconds: float, *, fps: int = 12, seed: int = 0) -> bytes:
    """A playable H.264 (yuv420p) MP4 of ``width`` x ``height`` lasting ``seconds``.

    The clip has ``round(seconds * fps)`` frames (at least one) with a constant frame rate, so its
    container duration decodes to ``seconds`` within one frame. Both sides must be even (yuv420p).
    """
    check_size(width, height)
    if width % 2 or height % 2:
        raise ValueError(f"H.264 yuv420p needs even sides, got {width}x{height}")
    if seconds <= 0:
        raise ValueError(f"seconds must be positive, got {seconds}")
    if fps < 1:
        raise ValueError(f"fps must be at least 1, got {fps}")
    count = max(1, round(seconds * fps))
    colours = palette(seed)
    base = background(width, height, colours)
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=fps)
        stream.width = width
        stream.height = height
        stream.pix_fmt = "yuv420p"
        stream.codec_context.time_base = Fraction(1, fps)
        stream.options = {"preset": "ultrafast", "tune": "zerolatency", "crf": "28"}
        for index in range(count):
            image = draw_frame(base, colours, index / count)
            frame = av.VideoFrame.from_image(image)  # type: ignore[no-untyped-call]
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buffer.getvalue()
