"""The local provider through the library: real renders in background processes, kept on disk.

Every test gets its own data directory; videos are rendered by the real worker subprocess at the
smallest size ``local/draft`` allows, so each render takes well under a second of work.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from reelgate import AsyncClient, Client
from reelgate.errors import BadRequestError, ConfigurationError, NotFoundError
from reelgate.ledger import Ledger
from reelgate.reports import sql
from tests._media import assert_playable, image_format

DRAFT = "local/draft"
SMALL = "640x360"


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("REELGATE_DATA_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def ledger(data_dir: Path) -> Ledger:
    return Ledger(data_dir, flush_interval=60)


@pytest.fixture
def client(ledger: Ledger) -> Client:
    return Client(ledger=ledger)


def in_other_process(data_dir: Path, code: str) -> str:
    """Run ``code`` (with ``client = reelgate.Client()``) in a fresh interpreter; its stdout."""
    script = f"import reelgate\nclient = reelgate.Client(ledger=False)\n{code}"
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "REELGATE_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_draft_renders_a_playable_mp4_with_rising_progress(client: Client) -> None:
    video = client.create("a red fox running through snow", DRAFT, seconds=4, size=SMALL)
    assert video.status == "queued"
    assert video.cost is not None
    assert video.cost.amount == 0
    assert video.cost.status == "estimate"
    seen: list[int] = []
    done = client.wait(video.id, on_progress=lambda v: seen.append(v.progress or 0), timeout=60)
    assert done.status == "completed", done.error
    assert done.progress == 100
    assert seen == sorted(seen)
    assert seen[-1] == 100
    assert done.cost is not None
    assert done.cost.status == "final"
    assert done.cost.amount == 0
    assert_playable(client.content(video.id), SMALL, 4.0)


def test_the_default_model_is_local_preview_without_credentials(client: Client) -> None:
    video = client.create("a lighthouse at dusk", seconds=4)
    assert video.model == "preview"
    assert video.size == "1280x720"
    done = client.wait(video.id, timeout=60)
    assert done.status == "completed", done.error
    assert_playable(client.content(video.id), "1280x720", 4.0)


def test_with_provider_credentials_there_is_no_silent_local_default(
    ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-not-used")
    with pytest.raises(BadRequestError, match="needs model="):
        Client(ledger=ledger).create("a cat")


def test_stills_are_a_webp_thumbnail_and_a_jpeg_spritesheet(client: Client) -> None:
    video = client.create("paper boats on a pond", DRAFT, size=SMALL)
    client.wait(video.id, timeout=60, raise_on_failure=True)
    thumbnail = client.content(video.id, variant="thumbnail")
    assert image_format(thumbnail) == "webp"
    assert Image.open(io.BytesIO(thumbnail)).size == (640, 360)
    assert image_format(client.content(video.id, variant="spritesheet")) == "jpeg"


def test_another_process_sees_status_content_list_and_delete(client: Client, data_dir: Path) -> None:
    video = client.create("a windmill in a storm", DRAFT, size=SMALL)
    status = in_other_process(data_dir, f"print(client.wait({video.id!r}, timeout=60).model_dump_json())")
    assert json.loads(status)["status"] == "completed"
    listed = in_other_process(data_dir, "print([v.id for v in client.list().data])")
    assert video.id in listed
    size = in_other_process(data_dir, f"print(len(client.content({video.id!r})))")
    assert int(size) == len(client.content(video.id))
    in_other_process(data_dir, f"print(client.delete({video.id!r}).deleted)")
    with pytest.raises(NotFoundError, match="no local video"):
        client.status(video.id)
    assert video.id not in [v.id for v in client.list().data]


def test_content_before_completion_is_a_clear_404(client: Client) -> None:
    video = client.create("a slow sunrise", "local/preview", seconds=20, size="1920x1080")
    with pytest.raises(NotFoundError, match="not ready yet"):
        client.content(video.id)
    client.delete(video.id)  # stops the render


def test_a_killed_render_ends_failed_with_a_clear_error(client: Client, data_dir: Path) -> None:
    video = client.create("a long slow pan", "local/preview", seconds=20, size="1920x1080")
    pid_file = data_dir / "local" / "videos" / video.id / "worker.pid"
    os.kill(json.loads(pid_file.read_text())["pid"], signal.SIGKILL)
    deadline = time.monotonic() + 10
    while (current := client.status(video.id)).status != "failed" and time.monotonic() < deadline:
        time.sleep(0.05)
    assert current.status == "failed"
    assert current.error is not None
    assert current.error.code == "render_interrupted"
    assert "killed or crashed" in (current.error.message or "")
    assert current.cost is not None
    assert current.cost.amount == 0
    assert current.cost.status == "final"


def test_remix_derives_from_a_completed_source(client: Client) -> None:
    source = client.create("a green meadow", DRAFT, size="360x640", seconds=8)
    with pytest.raises(BadRequestError, match="only a completed video can be remixed"):
        client.remix(source.id, "now at night")
    client.wait(source.id, timeout=60, raise_on_failure=True)
    remix = client.remix(source.id, "the same meadow at night")
    assert remix.remixed_from_video_id == source.id
    assert (remix.size, remix.seconds) == ("360x640", "8")
    done = client.wait(remix.id, timeout=60, raise_on_failure=True)
    assert done.prompt == "the same meadow at night"
    assert_playable(client.content(remix.id), "360x640", 8.0)


def test_list_pages_newest_first_with_a_cursor_that_survives_deletes(client: Client) -> None:
    ids = [client.create(f"clip {n}", DRAFT, size=SMALL).id for n in range(3)]
    first = client.list(limit=2)
    assert [v.id for v in first.data] == [ids[2], ids[1]]
    assert first.has_more
    client.delete(ids[1])  # the cursor's own video is gone: the next page still follows it
    second = client.list(limit=2, after=first.next_after)
    assert [v.id for v in second.data] == [ids[0]]
    assert not second.has_more
    assert [v.id for v in client.list(order="asc").data] == [ids[0], ids[2]]


def test_a_reference_image_must_match_the_size(client: Client, tmp_path: Path) -> None:
    image = tmp_path / "backdrop.png"
    Image.new("RGB", (640, 360), (200, 30, 30)).save(image)
    video = client.create("a red room", DRAFT, size=SMALL, input_reference=image)
    client.wait(video.id, timeout=60, raise_on_failure=True)
    thumbnail = Image.open(io.BytesIO(client.content(video.id, variant="thumbnail"))).convert("RGB")
    pixels = thumbnail.tobytes()
    red = sum(
        1
        for r, g, b in zip(pixels[0::3], pixels[1::3], pixels[2::3], strict=True)
        if r > 150 and g < 90 and b < 90
    )
    assert red > 0.3 * 640 * 360  # the backdrop shows
    with pytest.raises(BadRequestError, match="must match the size"):
        client.create("a red room", DRAFT, size="360x640", input_reference=image)


@pytest.mark.parametrize(
    ("model", "options", "match"),
    [
        ("local/ultra", {}, "the local models are: local/preview, local/draft"),
        (DRAFT, {"size": "1920x1080"}, "allowed values: 640x360"),
        (DRAFT, {"seconds": 5}, "allowed values: 4, 8, 12, 16, 20"),
        (DRAFT, {"input_reference": "/no/such/image.png"}, "no/such/image.png"),
    ],
)
def test_bad_input_is_refused_before_anything_is_recorded(
    client: Client, ledger: Ledger, data_dir: Path, model: str, options: dict[str, object], match: str
) -> None:
    with pytest.raises(BadRequestError, match=match):
        client.create("a cat", model, **options)  # type: ignore[arg-type]
    ledger.flush()
    assert sql("SELECT count(*) AS n FROM calls", data_dir=data_dir)[0]["n"] == 0
    assert client.list().data == []


def test_unknown_ids_are_not_found_and_record_the_failed_call(
    client: Client, ledger: Ledger, data_dir: Path
) -> None:
    with pytest.raises(NotFoundError, match="no local video 'video_0000'"):
        client.status("video_0000")
    ledger.flush()
    rows = sql("SELECT provider, http_status FROM calls", data_dir=data_dir)
    assert rows == [{"provider": "local", "http_status": 404}]


def test_calls_and_costs_reach_the_ledger_once_each(client: Client, ledger: Ledger, data_dir: Path) -> None:
    video = client.create("a ledger entry", DRAFT, size=SMALL)
    polls: list[str] = []
    client.wait(video.id, timeout=60, raise_on_failure=True, on_progress=lambda v: polls.append(v.status))
    ledger.flush()
    costs = sql(
        "SELECT provider, model, amount, cost_status FROM video_costs WHERE video_id = ?",
        params=[video.id],
        data_dir=data_dir,
    )
    assert costs == [{"provider": "local", "model": "draft", "amount": Decimal(0), "cost_status": "final"}]
    calls = sql(
        "SELECT operation, model, count(*) AS n FROM calls WHERE video_id = ? GROUP BY ALL ORDER BY 1",
        params=[video.id],
        data_dir=data_dir,
    )
    assert calls == [
        {"operation": "create_video", "model": "draft", "n": 1},
        {"operation": "get_video", "model": "draft", "n": len(polls)},  # each poll once, not again by wait
    ]


def test_an_unwritable_data_directory_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the data directory should be")
    monkeypatch.setenv("REELGATE_DATA_DIR", str(blocked))
    with pytest.raises(ConfigurationError, match="set REELGATE_DATA_DIR to a writable directory"):
        Client(ledger=False).create("a cat", DRAFT)


@pytest.mark.anyio
async def test_async_client_behaves_the_same(ledger: Ledger) -> None:
    async with AsyncClient(ledger=ledger) as client:
        video = await client.create("an async cat", DRAFT, size=SMALL)
        done = await client.wait(video.id, timeout=60)
        assert done.status == "completed", done.error
        assert_playable(await client.content(video.id), SMALL, 4.0)
        page = await client.list()
        assert [v.id for v in page.data] == [video.id]
        assert (await client.delete(video.id)).deleted


def test_the_readme_example_runs(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## The local provider", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(data_dir)
    exec(compile(example, "README.md", "exec"), {})
    assert_playable((data_dir / "boat.mp4").read_bytes(), "1280x720", 4.0)
    assert_playable((data_dir / "boat-night.mp4").read_bytes(), "1280x720", 4.0)


def test_a_render_declared_dead_never_comes_back(client: Client, data_dir: Path) -> None:
    """Once a reader has recorded ``failed`` (say, from a machine that could not see the worker), the
    worker stops instead of overwriting it with ``completed``: the ledger's final stays true."""
    from reelgate.local._store import JobStore

    video = client.create("a long slow pan", "local/preview", seconds=8, size="1920x1080")
    store = JobStore(data_dir / "local")
    job = store.get(video.id)
    assert job is not None
    store.update(job, status="failed", error={"code": "render_interrupted", "message": "declared dead"})
    pid = json.loads((job.directory / "worker.pid").read_text())["pid"]
    deadline = time.monotonic() + 20
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert client.status(video.id).status == "failed"
    assert not (job.directory / "video.mp4").exists()
