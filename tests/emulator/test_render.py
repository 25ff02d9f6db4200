"""The offline renderer: real, decodable media of exactly the asked size and duration, quickly."""

from __future__ import annotations

import io
import time

import av
import pytest
from PIL import Image

from reelgate.render import render_mp4, render_spritesheet_jpeg, render_thumbnail_webp


def probe(data: bytes) -> tuple[int, int, float, int, str, str | None]:
    """(width, height, duration, decoded frames, codec, pixel format) of an MP4."""
    with av.open(io.BytesIO(data), mode="r") as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        assert container.duration is not None
        return (
            stream.codec_context.width,
            stream.codec_context.height,
            container.duration / 1_000_000,
            frames,
            stream.codec_context.name,
            stream.codec_context.pix_fmt,
        )


@pytest.mark.parametrize(
    ("width", "height", "seconds", "fps"),
    [(1280, 720, 4.0, 12), (720, 1280, 4.0, 12), (64, 48, 1.5, 10), (320, 240, 0.25, 24), (96, 64, 8.0, 12)],
)
def test_mp4_has_the_exact_size_and_duration(width: int, height: int, seconds: float, fps: int) -> None:
    data = render_mp4(width, height, seconds, fps=fps)
    got_width, got_height, duration, frames, codec, pix_fmt = probe(data)
    assert (got_width, got_height) == (width, height)
    assert frames == round(seconds * fps)
    assert abs(duration - seconds) <= 1 / fps
    assert (codec, pix_fmt) == ("h264", "yuv420p")
    assert data[4:8] == b"ftyp"


def test_mp4_is_deterministic_and_seeded() -> None:
    assert render_mp4(64, 64, 1.0, seed=3) == render_mp4(64, 64, 1.0, seed=3)
    assert render_mp4(64, 64, 1.0, seed=3) != render_mp4(64, 64, 1.0, seed=4)


def test_the_pattern_moves() -> None:
    with av.open(io.BytesIO(render_mp4(64, 64, 1.0, fps=4)), mode="r") as container:
        frames = [bytes(frame.planes[0]) for frame in container.decode(video=0)]
    assert len(set(frames)) == len(frames)


def test_a_720p_clip_renders_well_under_a_second() -> None:
    render_mp4(64, 64, 0.5)  # warm the encoder up
    timings = []
    for seed in (1, 2):  # the better of two, so a busy machine does not make it flaky
        started = time.perf_counter()
        render_mp4(1280, 720, 4.0, seed=seed)
        timings.append(time.perf_counter() - started)
    assert min(timings) < 0.9


@pytest.mark.parametrize(
    ("width", "height", "seconds"), [(65, 64, 1.0), (64, 63, 1.0), (64, 64, 0), (1, 1, 1)]
)
def test_mp4_refuses_impossible_clips(width: int, height: int, seconds: float) -> None:
    with pytest.raises(ValueError, match=r"even|positive|at least"):
        render_mp4(width, height, seconds)


def test_thumbnail_is_a_webp_of_the_size() -> None:
    data = render_thumbnail_webp(1280, 720, seed=1)
    assert data[:4] == b"RIFF"
    assert data[8:12] == b"WEBP"
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("WEBP", (1280, 720))
    assert data == render_thumbnail_webp(1280, 720, seed=1)


def test_spritesheet_is_a_jpeg_grid_of_tiles() -> None:
    data = render_spritesheet_jpeg(1280, 720, frames=16)
    assert data[:3] == b"\xff\xd8\xff"
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert image.size == (4 * 160, 4 * 90)
    with Image.open(io.BytesIO(render_spritesheet_jpeg(720, 1280, frames=5))) as image:
        assert image.size == (3 * 90, 2 * 160)
    with pytest.raises(ValueError, match="frames"):
        render_spritesheet_jpeg(64, 64, frames=0)
