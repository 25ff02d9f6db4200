"""Every operation through reelgate's clients against the emulator over real loopback HTTP, sync and async."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from reelgate import (
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ContentPolicyError,
    NotFoundError,
    ProviderServerError,
    RateLimitError,
    Video,
    VideoFailedError,
)
from reelgate.emulator import EmulatedServer, FaultRule
from tests._media import assert_playable, image_format

MODEL = "openai/sora-2"


def png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 160, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def caller(make_caller: Callable[..., Any], openai_emulator: EmulatedServer) -> Any:
    return make_caller(model=MODEL, api_key="sk-test", api_base=openai_emulator.api_base)


def creates(server: EmulatedServer) -> int:
    return sum(1 for r in server.emulator.requests if r["method"] == "POST" and r["path"].endswith("/videos"))


def test_full_lifecycle(caller: Any, tmp_path: Path) -> None:
    created = caller.create("a red fox in snow", seconds=4, size="1280x720")
    assert (created.status, created.seconds, created.size) == ("queued", "4", "1280x720")
    progress: list[tuple[str, int | None]] = []
    done = caller.wait(created.id, on_progress=lambda v: progress.append((v.status, v.progress)))
    assert done.status == "completed"
    assert done.progress == 100
    assert progress[-1] == ("completed", 100)
    assert done.completed_at is not None
    assert done.expires_at is not None

    assert_playable(caller.content(done.id), "1280x720", 4)
    assert image_format(caller.content(done.id, variant="thumbnail")) == "webp"
    assert image_format(caller.content(done.id, variant="spritesheet")) == "jpeg"
    assert_playable(caller.stream_content(done.id), "1280x720", 4)
    saved = caller.download(done.id, tmp_path)
    assert saved.name == f"{done.id}.mp4"
    assert_playable(saved.read_bytes(), "1280x720", 4)

    remixed = caller.remix(done.id, "the fox jumps")
    assert remixed.remixed_from_video_id == done.id
    assert caller.wait(remixed.id).status == "completed"

    deleted = caller.delete(done.id)
    assert (deleted.id, deleted.deleted) == (done.id, True)
    with pytest.raises(NotFoundError):
        caller.status(done.id)


def test_list_walks_every_page_in_both_orders(caller: Any) -> None:
    ids = [caller.create(f"clip {n}").id for n in range(5)]
    for order, expected in (("asc", ids), ("desc", ids[::-1])):
        seen: list[str] = []
        after = None
        while True:
            page = caller.list(after=after, limit=2, order=order)
            seen.extend(video.id for video in page.data)
            if page.next_after is None:
                break
            after = page.next_after
        assert seen == expected


def test_reference_image_upload(caller: Any, openai_emulator: EmulatedServer) -> None:
    video = caller.create("a cat", size="720x1280", input_reference=png(720, 1280))
    assert caller.wait(video.id).status == "completed"
    assert openai_emulator.emulator.requests[0]["content_type"].startswith("multipart/form-data")


def test_content_before_completion_is_not_found_and_says_not_ready(caller: Any) -> None:
    video = caller.create("a slow one @emulator:job_seconds=30")
    with pytest.raises(NotFoundError, match="not ready"):
        caller.content(video.id)


def test_failed_job_is_data_or_error_as_asked(caller: Any) -> None:
    video = caller.create("a cat @emulator:fail=moderation")
    failed = caller.wait(video.id)
    assert failed.status == "failed"
    assert failed.error.code == "moderation_blocked"
    with pytest.raises(VideoFailedError) as caught:
        caller.wait(video.id, raise_on_failure=True)
    assert caught.value.code == "moderation_blocked"


def test_input_moderation_is_a_content_policy_error(caller: Any) -> None:
    with pytest.raises(ContentPolicyError):
        caller.create("forbidden @emulator:reject=policy")


def test_retired_model_is_not_found(make_caller: Callable[..., Any], openai_emulator: EmulatedServer) -> None:
    openai_emulator.emulator.config.retired_models = {"sora-2-2025-10-06"}
    caller = make_caller(api_key="sk-test", api_base=openai_emulator.api_base)
    with pytest.raises(NotFoundError, match="sora-2-2025-10-06"):
        caller.create("a cat", "openai/sora-2-2025-10-06")


def test_a_create_refused_with_503_and_retry_after_is_retried_once(
    caller: Any, openai_emulator: EmulatedServer
) -> None:
    video = caller.create("a cat @emulator:error=503x1")
    assert video.status == "queued"
    assert creates(openai_emulator) == 2
    assert len(openai_emulator.emulator.jobs) == 1


def test_a_create_failing_with_500_is_not_resent(caller: Any, openai_emulator: EmulatedServer) -> None:
    with pytest.raises(ProviderServerError):
        caller.create("a cat @emulator:error=500x1")
    assert creates(openai_emulator) == 1


def test_a_create_whose_response_is_lost_is_not_resent(
    make_caller: Callable[..., Any], openai_emulator: EmulatedServer
) -> None:
    openai_emulator.emulator.add_fault(FaultRule(route="create", latency=1.5))
    caller = make_caller(model=MODEL, api_key="sk-test", api_base=openai_emulator.api_base, timeout=0.3)
    with pytest.raises(APITimeoutError):
        caller.create("a cat")
    assert creates(openai_emulator) == 1
    assert len(openai_emulator.emulator.jobs) == 1  # the job exists upstream; reelgate did not buy another


def test_reads_ride_out_transient_faults(caller: Any, openai_emulator: EmulatedServer) -> None:
    video = caller.create("a cat")
    openai_emulator.emulator.add_fault(FaultRule(route="retrieve", status=503, times=1))
    openai_emulator.emulator.add_fault(FaultRule(route="retrieve", status=429, times=1, retry_after=0.05))
    assert caller.status(video.id).id == video.id


def test_rate_limit_error_when_retries_are_exhausted(
    make_caller: Callable[..., Any], openai_emulator: EmulatedServer
) -> None:
    openai_emulator.emulator.add_fault(FaultRule(route="list", status=429, times=None, retry_after=0.01))
    caller = make_caller(model=MODEL, api_key="sk-test", api_base=openai_emulator.api_base, max_retries=1)
    with pytest.raises(RateLimitError) as caught:
        caller.list()
    assert caught.value.retry_after == pytest.approx(0.01)
    assert caught.value.request_id is not None


def test_wrong_key_is_an_authentication_error_without_the_key(
    make_caller: Callable[..., Any], openai_emulator: EmulatedServer
) -> None:
    openai_emulator.emulator.config.api_keys = {"sk-the-right-one"}
    caller = make_caller(model=MODEL, api_key="sk-wrong-key-0123456789", api_base=openai_emulator.api_base)
    with pytest.raises(AuthenticationError) as caught:
        caller.list()
    assert "sk-wrong-key-0123456789" not in str(caught.value)


def test_reelgate_refuses_what_the_emulator_would_refuse_before_sending(
    caller: Any, openai_emulator: EmulatedServer
) -> None:
    with pytest.raises(BadRequestError, match="must match the size"):
        caller.create("a cat", size="1280x720", input_reference=png(720, 1280))
    with pytest.raises(BadRequestError, match="allowed values"):
        caller.create("a cat", seconds="10")
    assert openai_emulator.emulator.requests == []


def test_azure_lifecycle_and_unknown_deployment(
    make_caller: Callable[..., Any], azure_emulator: EmulatedServer
) -> None:
    caller = make_caller(api_key="azure-key", api_base=azure_emulator.api_base, api_version="preview")
    video: Video = caller.create("a cat", "azure/sora-2", seconds=4, size="720x1280")
    assert caller.wait(video.id, "azure/sora-2").status == "completed"
    assert_playable(caller.content(video.id, "azure/sora-2"), "720x1280", 4)
    recorded = azure_emulator.emulator.requests[0]
    assert recorded["path"] == "/openai/v1/videos"
    with pytest.raises(NotFoundError, match="deployment 'nope'"):
        caller.create("a cat", "azure/nope")
