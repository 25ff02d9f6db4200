"""Error mapping at one boundary, and retries that never buy a video twice."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

import reelgate
from reelgate import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    Client,
    ConflictError,
    ContentPolicyError,
    NotFoundError,
    PermissionDeniedError,
    ProviderServerError,
    RateLimitError,
    UnprocessableEntityError,
)
from reelgate._retry import RetryPolicy, backoff_delay, retry_after_seconds, should_retry_status
from tests.unit._scripted import Scripted, error_reply, json_reply, video

SECRET = "sk-live-SECRET-0123456789abcdef"


def client_for(upstream: Scripted, **kwargs: object) -> Client:
    return Client(api_key=SECRET, api_base="https://upstream.test/v1", transport=upstream.transport, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "error_type"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (422, UnprocessableEntityError),
        (429, RateLimitError),
        (500, ProviderServerError),
        (502, ProviderServerError),
        (418, APIStatusError),
    ],
)
def test_status_codes_map_to_the_exception_tree(status: int, error_type: type[APIStatusError]) -> None:
    upstream = Scripted(error_reply(status, "upstream says no", code="some_code", param="size"))
    with pytest.raises(error_type) as caught:
        client_for(upstream, max_retries=0).status("video_123", "openai/sora-2")
    error = caught.value
    assert type(error) is error_type
    assert (error.status_code, error.code, error.param, error.request_id) == (
        status,
        "some_code",
        "size",
        "req_abc",
    )
    assert "upstream says no" in str(error)
    assert isinstance(error, reelgate.ReelgateError)


def test_content_policy_rejection_is_its_own_bad_request() -> None:
    upstream = Scripted(error_reply(400, "Your prompt was flagged", code="content_policy_violation"))
    with pytest.raises(ContentPolicyError, match="change the prompt"):
        client_for(upstream).create("something", "openai/sora-2")


def test_rate_limit_error_carries_retry_after() -> None:
    upstream = Scripted(error_reply(429, "slow down", headers={"retry-after-ms": "1500"}))
    with pytest.raises(RateLimitError) as caught:
        client_for(upstream, max_retries=0).status("video_123", "openai/sora-2")
    assert caught.value.retry_after == 1.5


def test_google_and_plain_string_error_envelopes_are_read() -> None:
    google = httpx.Response(
        404, json={"error": {"code": 404, "message": "model is no longer available", "status": "NOT_FOUND"}}
    )
    runway = httpx.Response(400, json={"error": "promptText too long"})
    for reply, message, code in (
        (google, "no longer available", "NOT_FOUND"),
        (runway, "promptText too long", None),
    ):
        with pytest.raises(APIStatusError) as caught:
            client_for(Scripted(reply)).status("video_123", "openai/sora-2")
        assert message in str(caught.value)
        assert caught.value.code == code


def test_an_echoed_secret_never_reaches_the_error_message() -> None:
    upstream = Scripted(error_reply(401, f"Incorrect API key provided: {SECRET}.", code="invalid_api_key"))
    with pytest.raises(AuthenticationError) as caught:
        client_for(upstream).status("video_123", "openai/sora-2")
    assert SECRET not in str(caught.value)
    assert "SECRET-0123" not in repr(caught.value.args)


def test_reads_retry_on_5xx_and_429_then_succeed() -> None:
    upstream = Scripted(error_reply(503), error_reply(429), json_reply(video(status="completed")))
    assert client_for(upstream).status("video_123", "openai/sora-2").status == "completed"
    assert len(upstream.requests) == 3


def test_reads_retry_on_connection_errors() -> None:
    upstream = Scripted(httpx.ReadError("reset"), json_reply(video()))
    client_for(upstream).status("video_123", "openai/sora-2")
    assert len(upstream.requests) == 2


def test_reads_give_up_after_max_retries() -> None:
    upstream = Scripted(error_reply(500))
    with pytest.raises(ProviderServerError):
        client_for(upstream, max_retries=3).status("video_123", "openai/sora-2")
    assert len(upstream.requests) == 4


def test_a_create_that_may_have_started_a_job_is_never_resent() -> None:
    for failure in (error_reply(500), error_reply(502), error_reply(503), httpx.ReadTimeout("slow")):
        upstream = Scripted(failure, json_reply(video()))
        with pytest.raises((ProviderServerError, APITimeoutError)):
            client_for(upstream).create("a cat", "openai/sora-2")
        assert len(upstream.requests) == 1, failure


def test_a_create_that_surely_started_nothing_is_retried() -> None:
    for failure in (
        error_reply(429, headers={"retry-after-ms": "1"}),
        error_reply(503, headers={"retry-after": "0"}),
        httpx.ConnectError("connection refused"),
        httpx.ConnectTimeout("no route"),
    ):
        upstream = Scripted(failure, json_reply(video()))
        assert client_for(upstream).create("a cat", "openai/sora-2").id == "video_123"
        assert len(upstream.requests) == 2, failure


def test_x_should_retry_has_the_last_word() -> None:
    upstream = Scripted(error_reply(500, headers={"x-should-retry": "false"}), json_reply(video()))
    with pytest.raises(ProviderServerError):
        client_for(upstream).status("video_123", "openai/sora-2")
    assert len(upstream.requests) == 1
    upstream = Scripted(error_reply(500, headers={"x-should-retry": "true"}), json_reply(video()))
    client_for(upstream).create("a cat", "openai/sora-2")
    assert len(upstream.requests) == 2


def test_connection_errors_say_what_to_check_and_whether_the_request_arrived() -> None:
    upstream = Scripted(httpx.ConnectError("[Errno 111] Connection refused"))
    with pytest.raises(APIConnectionError) as caught:
        client_for(upstream, max_retries=0).status("video_123", "openai/sora-2")
    assert caught.value.reached_upstream is False
    assert "check api_base" in str(caught.value)
    upstream = Scripted(httpx.ReadTimeout("timed out"))
    with pytest.raises(APITimeoutError) as timed_out:
        client_for(upstream, max_retries=0).create("a cat", "openai/sora-2")
    assert timed_out.value.reached_upstream is True


def test_retry_after_parsing() -> None:
    assert retry_after_seconds({"retry-after-ms": "250"}) == 0.25
    assert retry_after_seconds({"retry-after": "3"}) == 3.0
    in_two_seconds = email.utils.formatdate(time.time() + 2, usegmt=True)
    assert 0 < (retry_after_seconds({"retry-after": in_two_seconds}) or 0) <= 2.0
    assert retry_after_seconds({"retry-after": "600"}) is None  # beyond the cap: fall back to backoff
    assert retry_after_seconds({"retry-after": "soon"}) is None
    assert retry_after_seconds({}) is None


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    delays = [backoff_delay(n) for n in range(8)]
    assert all(0 < d <= 8.0 for d in delays)
    assert delays[-1] > delays[0]
    assert backoff_delay(0, {"retry-after-ms": "40"}) == 0.04


@pytest.mark.parametrize(
    ("policy", "status", "headers", "retry"),
    [
        (RetryPolicy.READ, 408, {}, True),
        (RetryPolicy.READ, 404, {}, False),
        (RetryPolicy.READ, 504, {}, True),
        (RetryPolicy.CREATE, 429, {}, True),
        (RetryPolicy.CREATE, 503, {}, False),
        (RetryPolicy.CREATE, 503, {"retry-after": "1"}, True),
        (RetryPolicy.CREATE, 408, {}, False),
        (RetryPolicy.CREATE, 500, {}, False),
    ],
)
def test_retry_policy_table(policy: RetryPolicy, status: int, headers: dict[str, str], retry: bool) -> None:
    assert should_retry_status(policy, status, headers) is retry
