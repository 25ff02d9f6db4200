"""How long the local provider's preview render takes, against encoding a still image in the same run.

Usage: ``python benchmarks/local_render.py [--runs N] [--seconds S] [--size WxH] [--fps N]``.

Every figure is the median wall time of ``--runs`` runs (after one small warm-up render) writing to a
temporary directory:

* three scenes through ``render_scene``: a prompt alone (gradient background); a remix of it (a one-step
  source chain); the prompt over a 1920x1080 photo-like JPEG backdrop (decoded, scaled and cropped in
  the run);
* for each, a baseline: encode only: the same number of frames of one static, precomputed image (that
  scene's middle frame) through the same encoder and settings, so the ratio is what drawing the frames,
  the moving content and the stills add (a textured backdrop costs the encoder more in both).

The process's peak RSS growth over all of it is printed at the end (the clip is never held in memory).
"""

from __future__ import annotations

import argparse
import io
import resource
import tempfile
from pathlib import Path

from _timing import median_seconds
from PIL import Image

from reelgate.render import Scene, render_scene
from reelgate.render._scene import SCENE_OPTIONS, _Film
from reelgate.render._video import check_clip, h264_mp4

PROMPT = "A golden retriever surfing a huge wave at sunset, cinematic lighting, slow motion"


def photo_jpeg(width: int, height: int) -> bytes:
    """A photo-sized JPEG with photo-like content (soft colour blobs and a little grain), built untimed."""
    blobs = Image.merge(
        "RGB",
        [Image.effect_noise((16, 9), 80).resize((width, height), Image.Resampling.BICUBIC) for _ in "rgb"],
    )
    grain = Image.effect_noise((width, height), 30).convert("RGB")
    buffer = io.BytesIO()
    Image.blend(blobs, grain, 0.15).save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--fps", type=int, default=24)
    options = parser.parse_args()
    width, height = (int(side) for side in options.size.split("x"))
    seconds, fps, runs = options.seconds, options.fps, options.runs
    count = check_clip(width, height, seconds, fps)
    target = Path(tempfile.mkdtemp()) / "clip.mp4"
    scene = Scene(PROMPT)
    backdrop = photo_jpeg(1920, 1080)

    render_scene(scene, 64, 64, 0.5, target, fps=fps)  # warm up: imports, fonts, the encoder
    rss_before = peak_rss_mib()
    variants = {
        "prompt alone": scene,
        "remix": Scene("make it snowy", source=scene),
        "backdrop (1920x1080 JPEG)": Scene(PROMPT, backdrop=backdrop),
    }
    print(f"{width}x{height}, {seconds:g} s at {fps} fps = {count} frames; libx264 {dict(SCENE_OPTIONS)}")
    print(f"median of {runs} runs each; baseline = encode the scene's middle frame {count} times\n")
    header = ("scene", "baseline", "render_scene", "ratio", "frames/s", "ms/frame over")
    print(f"{header[0]:<27}" + "".join(f"{name:>{len(name) + 3}}" for name in header[1:]))
    for label, variant in variants.items():
        still = _Film.of(variant, width, height, fps, count).frame(count // 2)

        def encode_only(still: Image.Image = still) -> None:
            with h264_mp4(target, width, height, fps, SCENE_OPTIONS) as write:
                for _ in range(count):
                    write(still)

        def render(variant: Scene = variant) -> None:
            render_scene(variant, width, height, seconds, target, fps=fps)

        baseline = median_seconds(runs, encode_only)
        rendered = median_seconds(runs, render)
        print(
            f"{label:<27} {baseline:9.3f}s {rendered:13.3f}s {rendered / baseline:7.2f}x "
            f"{count / rendered:11.0f} {(rendered - baseline) / count * 1000:15.2f}"
        )
    rss_growth = peak_rss_mib() - rss_before
    print(
        f"\npeak RSS growth after the warm-up: {rss_growth:.0f} MiB (process peak {peak_rss_mib():.0f} MiB)"
    )


if __name__ == "__main__":
    main()
