"""Decode what a download produced, with PyAV, to check what a user would check: size and duration."""

from __future__ import annotations

import io
from dataclasses import dataclass

import av


@dataclass(frozen=True)
class VideoFacts:
    width: int
    height: int
    duration: float
    frame_duration: float
    codec: str


def inspect_mp4(data: bytes) -> VideoFacts:
    """Decode every frame (so a truncated or corrupt file fails) and report what was decoded."""
    with av.open(io.BytesIO(data), format="mp4") as container:
        stream = container.streams.video[0]
        frames = list(container.decode(stream))
        rate = float(stream.average_rate or stream.guessed_rate or 0)
        first = frames[0]
        last = frames[-1]
        frame_duration = 1 / rate if rate else 0.0
        duration = float((last.pts - first.pts) * stream.time_base) + frame_duration
        return VideoFacts(first.width, first.height, duration, frame_duration, stream.codec_context.name)


def assert_playable(data: bytes, size: str, seconds: float) -> VideoFacts:
    facts = inspect_mp4(data)
    assert f"{facts.width}x{facts.height}" == size
    assert abs(facts.duration - seconds) <= facts.frame_duration + 1e-6, facts
    return facts


def image_format(data: bytes) -> str:
    """``webp``, ``jpeg`` or ``png`` from the file signature."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    if data[:8] == b"\x89PNG\r\n\x1a\n":
        return "png"
    return "unknown"
