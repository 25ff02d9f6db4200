"""Authentication (missing or wrong key, never echoed), the per-key rate limit and the job cap."""

from __future__ import annotations

import httpx
import pytest

from reelgate.emulator import EmulatedServer
from tests.emulator._support import KEY, Emulate, FakeClock, create, error_of

SECRET = "sk-abcdefghijklmnopqrstuvwxyz"


def test_missing_key_is_401_with_openais_wording(server: EmulatedServer) -> None:
    with httpx.Client(base_url=server.api_root) as anonymous:
        for response in (anonymous.get("/videos"), anonymous.post("/videos", json={"prompt": "x"})):
            assert response.status_code == 401
            error = error_of(response)
            assert error["message"].startswith("You didn't provide an API key.")
            assert (error["type"], error["param"], error["code"]) == ("invalid_request_error", None, None)
            assert "x-ratelimit-limit-requests" not in response.headers
        assert anonymous.get("/videos", headers={"Authorization": "Bearer"}).status_code == 401
        assert anonymous.get("/videos", headers={"Authorization": f"Basic {KEY}"}).status_code == 401
        assert anonymous.get("/videos", headers={"api-key": KEY}).status_code == 401  # not on OpenAI


def test_any_key_is_accepted_when_no_keys_are_configured(server: EmulatedServer) -> None:
    with httpx.Client(base_url=server.api_root, headers={"Authorization": "Bearer whatever"}) as api:
        assert api.get("/videos").status_code == 200


def test_wrong_key_is_401_invalid_api_key_and_masked(emulate: Emulate) -> None:
    server = emulate(api_keys={KEY})
    with httpx.Client(base_url=server.api_root, headers={"Authorization": f"Bearer {SECRET}"}) as api:
        response = api.get("/videos")
    assert response.status_code == 401
    error = error_of(response)
    assert error["code"] == "invalid_api_key"
    assert "sk-ab****yz" in error["message"]
    assert SECRET not in response.text
    assert SECRET[5:-2] not in response.text
    with httpx.Client(base_url=server.api_root, headers={"Authorization": f"Bearer {KEY}"}) as api:
        assert api.get("/videos").status_code == 200


@pytest.mark.parametrize("key", ["short", "sk-1234", "sk-12345678"])
def test_short_wrong_keys_are_never_echoed(emulate: Emulate, key: str) -> None:
    server = emulate(api_keys={KEY})
    with httpx.Client(base_url=server.api_root, headers={"Authorization": f"Bearer {key}"}) as api:
        response = api.get("/videos")
    assert response.status_code == 401
    assert key not in response.text


def test_recorded_requests_never_hold_the_key(emulate: Emulate) -> None:
    server = emulate(api_keys={KEY})
    with httpx.Client(base_url=server.api_root) as api:
        api.get("/videos", headers={"Authorization": f"Bearer {KEY}"})
        api.get("/videos", headers={"Authorization": f"Bearer {SECRET}"})
        api.post(
            "/videos", json={"prompt": "x"}, headers={"Authorization": f"Bearer {KEY}", "x-api-key": KEY}
        )
    with httpx.Client(base_url=server.url) as admin:
        log = admin.get("/_emulator/requests")
    assert KEY not in log.text
    assert SECRET not in log.text
    assert repr(server.emulator.requests).count(KEY) == 0
    entries = log.json()["data"]
    assert [entry["status"] for entry in entries] == [200, 401, 200]
    fingerprints = [entry["api_key_fingerprint"] for entry in entries]
    assert fingerprints[0] == fingerprints[2] != fingerprints[1]
    assert fingerprints[0].startswith("sha256:")


def test_rate_limit_headers_on_every_api_response(api: httpx.Client) -> None:
    first, second = api.get("/videos"), api.get("/videos/video_nope")
    assert first.headers["x-ratelimit-limit-requests"] == "10000"
    assert first.headers["x-ratelimit-remaining-requests"] == "9999"
    assert second.headers["x-ratelimit-remaining-requests"] == "9998"
    assert first.headers["x-ratelimit-reset-requests"] == "1m0s"


def test_rpm_limit_is_per_key_with_retry_after(emulate: Emulate, clock: FakeClock) -> None:
    server = emulate(rpm=3)
    with httpx.Client(base_url=server.api_root, headers={"Authorization": f"Bearer {KEY}"}) as api:
        remaining = []
        for _ in range(3):
            remaining.append(api.get("/videos").headers["x-ratelimit-remaining-requests"])
            clock.advance(10)
        assert remaining == ["2", "1", "0"]
        limited = api.get("/videos")
        assert limited.status_code == 429
        error = error_of(limited)
        assert (error["type"], error["code"]) == ("requests", "rate_limit_exceeded")
        assert "Limit 3, Used 3, Requested 1" in error["message"]
        assert limited.headers["retry-after"] == "30"
        assert limited.headers["retry-after-ms"] == "30000"
        assert limited.headers["x-ratelimit-reset-requests"] == "30s"
        assert limited.headers["x-ratelimit-remaining-requests"] == "0"
        other = api.get("/videos", headers={"Authorization": "Bearer sk-another-key"})
        assert other.status_code == 200
        clock.advance(30)
        assert api.get("/videos").status_code == 200


def test_max_running_jobs(emulate: Emulate, clock: FakeClock) -> None:
    server = emulate(max_running_jobs=2)
    with httpx.Client(base_url=server.api_root, headers={"Authorization": f"Bearer {KEY}"}) as api:
        create(api)
        clock.advance(4)
        create(api)
        refused = api.post("/videos", json={"prompt": "third"})
        assert refused.status_code == 429
        assert error_of(refused)["message"].startswith("Too many running tasks")
        assert refused.headers["retry-after"] == "6"
        clock.advance(6)  # the first one completes
        assert create(api)["status"] == "queued"
