"""The local preview renderer: a prompt's scene as a playable MP4 whose look follows the prompt."""

from __future__ import annotations

import io
import itertools
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import av
import pytest
from PIL import Image, ImageChops, ImageStat

from reelgate.render import Scene, Stills, render_scene
from tests._media import assert_playable, image_format

SURF = "A golden retriever surfing a huge wave at sunset, cinematic lighting"
CITY = "Neon city street in the rain at night with reflections and a lone cyclist"


def decoded(path: Path) -> list[Image.Image]:
    """Every frame of the MP4 at ``path``, decoded to RGB."""
    with av.open(str(path)) as container:
        return [frame.to_image() for frame in container.decode(video=0)]


def middle_frame(scene: Scene, tmp_path: Path, width: int = 320, height: int = 180) -> Image.Image:
    path = tmp_path / f"middle-{sum(1 for _ in tmp_path.iterdir())}.mp4"
    render_scene(scene, width, height, 1.0, path, fps=12)
    frames = decoded(path)
    return frames[len(frames) // 2]


def difference(a: Image.Image, b: Image.Image) -> float:
    """Mean absolute difference per channel, 0 (identical) to 255."""
    return sum(ImageStat.Stat(ImageChops.difference(a, b)).mean) / 3


def share(image: Image.Image, test: Callable[[int, int, int], bool]) -> float:
    """The fraction of ``image``'s pixels for which ``test(r, g, b)`` holds."""
    data = image.convert("RGB").tobytes()
    return sum(1 for pixel in zip(data[0::3], data[1::3], data[2::3], strict=True) if test(*pixel)) / (
        len(data) // 3
    )


def band_height(frame: Image.Image) -> int:
    """The height of the dark caption band over a grey backdrop, read up its left edge (where no text is)."""
    rows = 0
    for y in range(frame.height - 5, 0, -1):  # above the progress bar
        if max(frame.getpixel((2, y))) >= 75:  # type: ignore[arg-type]
            break
        rows += 1
    return rows


def solid(colour: tuple[int, int, int], size: tuple[int, int] = (64, 48), kind: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=kind)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("width", "height", "seconds", "fps"),
    [(320, 180, 1.0, 24), (180, 320, 0.5, 10), (16, 16, 0.25, 24), (1280, 720, 0.5, 24), (96, 64, 2.3, 7)],
)
def test_the_mp4_plays_at_the_asked_size_and_length(
    tmp_path: Path, width: int, height: int, seconds: float, fps: int
) -> None:
    path = tmp_path / "clip.mp4"
    render_scene(Scene(SURF), width, height, seconds, path, fps=fps)
    data = path.read_bytes()
    facts = assert_playable(data, f"{width}x{height}", seconds)
    assert facts.codec == "h264"
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.pix_fmt == "yuv420p"
        assert sum(1 for _ in container.decode(stream)) == round(seconds * fps)


def test_the_path_needs_no_mp4_extension(tmp_path: Path) -> None:
    path = tmp_path / ".video.partial"
    render_scene(Scene(SURF), 64, 64, 0.5, path)
    assert_playable(path.read_bytes(), "64x64", 0.5)


def test_the_same_scene_renders_the_same_frames(tmp_path: Path) -> None:
    scene = Scene(SURF, backdrop=solid((30, 90, 160)))
    first = render_scene(scene, 320, 180, 1.0, tmp_path / "one.mp4")
    second = render_scene(scene, 320, 180, 1.0, tmp_path / "two.mp4")
    assert [frame.tobytes() for frame in decoded(tmp_path / "one.mp4")] == [
        frame.tobytes() for frame in decoded(tmp_path / "two.mp4")
    ]
    assert first == second
    assert (tmp_path / "one.mp4").read_bytes() == (tmp_path / "two.mp4").read_bytes()


def test_another_process_renders_the_same_frames(tmp_path: Path) -> None:
    """The seed comes from the prompt's text, not from Python's per-process salted ``hash()``."""
    render_scene(Scene(CITY), 160, 90, 0.5, tmp_path / "here.mp4")
    code = (
        "import sys; from reelgate.render import Scene, render_scene; "
        "render_scene(Scene(sys.argv[1]), 160, 90, 0.5, sys.argv[2])"
    )
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    subprocess.run(
        [sys.executable, "-c", code, CITY, str(tmp_path / "there.mp4")], check=True, env=environment
    )
    here, there = decoded(tmp_path / "here.mp4"), decoded(tmp_path / "there.mp4")
    assert [frame.tobytes() for frame in here] == [frame.tobytes() for frame in there]


def test_different_prompts_look_clearly_different(tmp_path: Path) -> None:
    prompts = [SURF, CITY, "a cat", "a dog", "x"]
    frames = [middle_frame(Scene(prompt), tmp_path) for prompt in prompts]
    for index, frame in enumerate(frames):
        for other in frames[index + 1 :]:
            assert difference(frame, other) > 8


def test_the_shapes_move(tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    render_scene(Scene(SURF), 160, 90, 1.0, path, fps=6)
    frames = decoded(path)
    assert all(difference(a, b) > 0.5 for a, b in itertools.pairwise(frames))


def test_the_prompt_is_written_on_the_frame(tmp_path: Path) -> None:
    """On a plain grey backdrop, only the caption's letters are near white, on a dark band at the bottom."""
    grey = solid((128, 128, 128))
    for prompt in (SURF, "a cat"):
        frame = middle_frame(Scene(prompt, backdrop=grey), tmp_path, 640, 360)
        band = frame.crop((0, round(360 * 0.9), 640, 360 - 4))

        def white(r: int, g: int, b: int) -> bool:
            return min(r, g, b) > 200

        def dark(r: int, g: int, b: int) -> bool:
            return max(r, g, b) < 75

        assert 0.002 < share(band, white) < 0.4, prompt
        assert share(band, dark) > 0.3, prompt
        above = frame.crop((0, round(360 * 0.3), 640, round(360 * 0.6)))
        assert share(above, white) < 0.005


def test_a_longer_prompt_takes_more_lines(tmp_path: Path) -> None:
    grey = solid((128, 128, 128))
    short = middle_frame(Scene("a cat", backdrop=grey), tmp_path, 640, 360)
    long = middle_frame(Scene(" ".join([SURF] * 20), backdrop=grey), tmp_path, 640, 360)
    assert band_height(long) > 2 * band_height(short) > 0


def test_the_preview_label_is_in_the_corner(tmp_path: Path) -> None:
    frame = middle_frame(Scene("a cat", backdrop=solid((128, 128, 128))), tmp_path, 640, 360)
    corner = frame.crop((0, 0, 200, 24))
    assert share(corner, lambda r, g, b: min(r, g, b) > 180) > 0.02


def test_the_backdrop_fills_the_frame(tmp_path: Path) -> None:
    for kind in ("PNG", "JPEG", "WEBP"):
        frame = middle_frame(Scene(SURF, backdrop=solid((220, 20, 20), kind=kind)), tmp_path)
        assert share(frame, lambda r, g, b: r > 170 and g < 70 and b < 70) > 0.5, kind


def test_the_backdrop_is_scaled_to_cover_and_centre_cropped(tmp_path: Path) -> None:
    tall = Image.new("RGB", (100, 300), (220, 20, 20))
    tall.paste((20, 200, 20), (0, 100, 100, 200))
    tall.paste((20, 20, 220), (0, 200, 100, 300))
    buffer = io.BytesIO()
    tall.save(buffer, format="PNG")
    frame = middle_frame(Scene(SURF, backdrop=buffer.getvalue()), tmp_path)
    assert share(frame, lambda r, g, b: g > 150 and r < 90 and b < 90) > 0.5
    assert share(frame, lambda r, g, b: r > 170 and g < 70 and b < 70) < 0.01
    assert share(frame, lambda r, g, b: b > 170 and r < 70 and g < 70) < 0.01


def test_a_transparent_backdrop_shows_the_gradient_through(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGBA", (64, 36), (0, 0, 0, 0)).save(buffer, format="PNG")
    see_through = middle_frame(Scene(SURF, backdrop=buffer.getvalue()), tmp_path)
    assert difference(see_through, middle_frame(Scene(SURF), tmp_path)) < 1


def test_a_remix_looks_like_its_source(tmp_path: Path) -> None:
    for source_prompt, remix_prompt, unrelated in [
        (SURF, "make it snowy", CITY),
        (CITY, "in daylight", "a cat"),
    ]:
        source = Scene(source_prompt)
        original = middle_frame(source, tmp_path)
        remix = middle_frame(Scene(remix_prompt, source=source), tmp_path)
        other = middle_frame(Scene(unrelated), tmp_path)
        assert difference(remix, original) < difference(other, original)
        assert difference(remix, original) > 2  # but it did change
        assert difference(remix, middle_frame(Scene(remix_prompt), tmp_path)) > difference(remix, original)


def test_a_remix_keeps_the_backdrop_and_chains(tmp_path: Path) -> None:
    source = Scene(SURF, backdrop=solid((220, 20, 20)))
    remix = Scene("make it snowy", source=source)
    again = Scene("now at night", source=remix)
    for scene in (remix, again):
        frame = middle_frame(scene, tmp_path)
        assert share(frame, lambda r, g, b: r > 170 and g < 70 and b < 70) > 0.5
    first, second = middle_frame(remix, tmp_path), middle_frame(again, tmp_path)
    assert 0 < difference(first, second) < difference(first, middle_frame(Scene("now at night"), tmp_path))


def test_a_remix_names_its_source_under_the_caption(tmp_path: Path) -> None:
    grey = solid((128, 128, 128))
    source = Scene("a cat", backdrop=grey)
    plain = middle_frame(Scene("a dog", backdrop=grey), tmp_path, 640, 360)
    remix = middle_frame(Scene("a dog", source=source), tmp_path, 640, 360)

    assert band_height(remix) > band_height(plain) > 0


def test_stills_come_from_the_clip(tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"
    stills = render_scene(Scene(SURF), 320, 180, 1.0, path)
    assert isinstance(stills, Stills)
    assert image_format(stills.thumbnail_webp) == "webp"
    with Image.open(io.BytesIO(stills.thumbnail_webp)) as thumbnail:
        assert (thumbnail.format, thumbnail.size) == ("WEBP", (320, 180))
        frames = decoded(path)
        assert difference(thumbnail.convert("RGB"), frames[len(frames) // 2]) < 4
        assert difference(thumbnail.convert("RGB"), frames[0]) > difference(
            thumbnail.convert("RGB"), frames[len(frames) // 2]
        )
    assert image_format(stills.spritesheet_jpeg) == "jpeg"
    with Image.open(io.BytesIO(stills.spritesheet_jpeg)) as sheet:
        assert (sheet.format, sheet.size) == ("JPEG", (4 * 160, 4 * 90))
        first_tile = sheet.convert("RGB").crop((0, 0, 160, 90))
        assert difference(first_tile, frames[0].resize((160, 90))) < 6


def test_the_spritesheet_grid_follows_the_tile_rule(tmp_path: Path) -> None:
    stills = render_scene(Scene(SURF), 180, 320, 0.25, tmp_path / "clip.mp4", spritesheet_frames=5)
    with Image.open(io.BytesIO(stills.spritesheet_jpeg)) as sheet:
        assert sheet.size == (3 * 90, 2 * 160)
    stills = render_scene(Scene(SURF), 64, 48, 0.25, tmp_path / "clip.mp4")
    with Image.open(io.BytesIO(stills.spritesheet_jpeg)) as sheet:
        assert sheet.size == (4 * 64, 4 * 48)  # tiles never larger than the clip


def test_progress_rises_to_one(tmp_path: Path) -> None:
    seen: list[float] = []
    render_scene(Scene(SURF), 160, 90, 2.0, tmp_path / "clip.mp4", on_progress=seen.append)
    assert len(seen) >= 10
    assert all(0 < value <= 1 for value in seen)
    assert all(a < b for a, b in itertools.pairwise(seen))
    assert seen[-1] == 1.0


def test_an_error_in_progress_stops_the_render_and_removes_the_file(tmp_path: Path) -> None:
    path = tmp_path / "clip.mp4"

    def cancel(fraction: float) -> None:
        if fraction > 0.3:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        render_scene(Scene(SURF), 160, 90, 2.0, path, on_progress=cancel)
    assert not path.exists()


@pytest.mark.parametrize(
    ("width", "height", "seconds", "fps", "message"),
    [
        (14, 16, 1.0, 24, "at least 16x16"),
        (320, 8, 1.0, 24, "at least 16x16"),
        (321, 180, 1.0, 24, "even"),
        (320, 181, 1.0, 24, "even"),
        (320, 180, 0, 24, "seconds"),
        (320, 180, -1.0, 24, "seconds"),
        (320, 180, float("nan"), 24, "seconds"),
        (320, 180, float("inf"), 24, "seconds"),
        (320, 180, 1.0, 0, "fps"),
    ],
)
def test_impossible_clips_are_refused(
    tmp_path: Path, width: int, height: int, seconds: float, fps: int, message: str
) -> None:
    path = tmp_path / "clip.mp4"
    with pytest.raises(ValueError, match=message):
        render_scene(Scene(SURF), width, height, seconds, path, fps=fps)
    assert not path.exists()


def test_a_spritesheet_needs_a_tile(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="frames"):
        render_scene(Scene(SURF), 64, 64, 0.5, tmp_path / "clip.mp4", spritesheet_frames=0)


@pytest.mark.parametrize("backdrop", [b"", b"not an image at all", solid((1, 2, 3))[:60]])
def test_an_undecodable_backdrop_is_refused(tmp_path: Path, backdrop: bytes) -> None:
    path = tmp_path / "clip.mp4"
    with pytest.raises(ValueError, match="backdrop"):
        render_scene(Scene(SURF, backdrop=backdrop), 64, 64, 0.5, path)
    assert not path.exists()
    with pytest.raises(ValueError, match="backdrop"):
        render_scene(Scene("remix", source=Scene(SURF, backdrop=backdrop)), 64, 64, 0.5, path)


def test_unusual_prompts_render(tmp_path: Path) -> None:
    for prompt in (
        "",
        "   ",
        "Café naïve — straße 東京 🎬",
        "x" * 5000,
        "word " * 3000,
        "\ud800 lone surrogate",
    ):
        render_scene(Scene(prompt), 64, 64, 0.25, tmp_path / "clip.mp4")
        assert_playable((tmp_path / "clip.mp4").read_bytes(), "64x64", 0.25)
