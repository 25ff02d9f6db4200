"""The seed page's examples, pasted with only the import line changed, run against the emulator.

Each example runs in this process (so the loopback guard applies) from a temporary working directory,
with ``OPENAI_BASE_URL`` / ``AZURE_OPENAI_API_BASE`` pointing at the emulator. The emulator finishes a
job in a fraction of a second, so the examples' 10 s sleeps are shortened to 0.05 s in the text.
"""

from __future__ import annotations

import runpy
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from reelgate import BadRequestError, NotFoundError
from reelgate.emulator import EmulatedServer, EmulatorConfig, run_in_thread
from tests._media import assert_playable

# The seed examples open their reference image without closing it; that leak is in the pasted code.
pytestmark = pytest.mark.filterwarnings("ignore:unclosed file.*image.jpg:ResourceWarning")

SEED_DIR = Path(__file__).resolve().parents[2] / "examples" / "seed"


@pytest.fixture(scope="module")
def fast_openai() -> Iterator[EmulatedServer]:
    with run_in_thread("openai", EmulatorConfig(job_seconds=0.2, poll_after_ms=20)) as server:
        yield server


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fast_openai: EmulatedServer) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENAI_BASE_URL", fast_openai.api_base)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    (tmp_path / "path" / "to").mkdir(parents=True)
    Image.new("RGB", (720, 1280), (240, 200, 40)).save(tmp_path / "path" / "to" / "image.jpg", format="JPEG")
    return tmp_path


def run_example(name: str, tmp_path: Path, replacements: dict[str, str] | None = None) -> None:
    source = (SEED_DIR / name).read_text()
    source = source.replace("time.sleep(10)", "time.sleep(0.05)").replace(
        "asyncio.sleep(10)", "asyncio.sleep(0.05)"
    )
    for old, new in (replacements or {}).items():
        assert old in source
        source = source.replace(old, new)
    script = tmp_path / f"_{name}"
    script.write_text(source)
    runpy.run_path(str(script), run_name="__main__")


@pytest.mark.parametrize("example", ["quickstart.py", "async_usage.py"])
def test_quickstart_examples_produce_a_playable_video(
    example: str, workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_example(example, workdir)
    assert_playable((workdir / "generated_video.mp4").read_bytes(), "720x1280", 8)
    output = capsys.readouterr().out
    assert "Initial Status: queued" in output
    assert "Current Status: completed" in output


def test_reference_image_and_optional_parameters_examples(
    workdir: Path, fast_openai: EmulatedServer, capsys: pytest.CaptureFixture[str]
) -> None:
    fast_openai.emulator.reset()
    run_example("reference_image.py", workdir)
    run_example("optional_parameters.py", workdir)
    assert "Video ID: video_" in capsys.readouterr().out
    uploads = [
        r for r in fast_openai.emulator.requests if r["content_type"].startswith("multipart/form-data")
    ]
    assert len(uploads) == 2


def test_status_example_names_the_unknown_id(workdir: Path) -> None:
    with pytest.raises(NotFoundError, match="video_1234567890"):
        run_example("status_check.py", workdir)


def test_remix_example_says_it_needs_a_video_id(workdir: Path) -> None:
    with pytest.raises(BadRequestError, match="needs video_id="):
        run_example("remix.py", workdir)


def test_azure_example(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with run_in_thread("azure", EmulatorConfig(job_seconds=0.2)) as azure:
        run_example(
            "azure.py",
            workdir,
            {"https://your-resource.openai.azure.com/": azure.api_base},
        )
        assert len(azure.emulator.jobs) == 1
    assert "Video ID: video_" in capsys.readouterr().out
