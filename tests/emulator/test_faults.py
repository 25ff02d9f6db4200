"""Fault injection: rules (config, runtime, admin API) and prompt directives."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from reelgate.emulator import EmulatedServer, FaultRule
from tests.emulator._support import KEY, Emulate, FakeClock, create, error_of


def client(server: EmulatedServer, **kwargs: Any) -> httpx.Client:
    return httpx.Client(base_url=server.api_root, headers={"Authorization": f"Bearer {KEY}"}, **kwargs)


# --- fault rules -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "kind", "code", "message"),
    [
        (429, "requests", "rate_limit_exceeded", "Rate limit reached"),
        (500, "server_error", None, "The server had an error while processing your request."),
        (503, "server_error", None, "The server is overloaded or not ready yet."),
        (502, "server_error", None, "Bad gateway."),
        (400, "invalid_request_error", None, "rejected"),
    ],
)
def test_a_status_rule_answers_the_proper_envelope_once(
    server: EmulatedServer, api: httpx.Client, status: int, kind: str, code: str | None, message: str
) -> None:
    server.emulator.add_fault(FaultRule(route="create", status=status))
    response = api.post("/videos", json={"prompt": "x"})
    assert response.status_code == status
    error = error_of(response)
    assert (error["type"], error["code"]) == (kind, code)
    assert message in error["message"]
    assert "retry-after" not in response.headers
    assert response.headers["x-request-id"].startswith("req_")
    assert api.post("/videos", json={"prompt": "x"}).status_code == 200


def test_retry_after_headers(server: EmulatedServer, api: httpx.Client) -> None:
    server.emulator.add_fault(FaultRule(status=429, retry_after=2))
    server.emulator.add_fault(FaultRule(status=503, retry_after=0.25))
    first = api.get("/videos")
    assert (first.headers["retry-after"], first.headers["retry-after-ms"]) == ("2", "2000")
    second = api.get("/videos")
    assert (second.headers["retry-after"], second.headers["retry-after-ms"]) == ("0", "250")


def test_rules_match_only_their_route_and_count_their_uses(
    server: EmulatedServer, api: httpx.Client, clock: FakeClock
) -> None:
    video_id = create(api)["id"]
    clock.advance(10)
    for route in ("retrieve", "list", "content", "remix", "delete"):
        server.emulator.add_fault(FaultRule(route=route, status=500, times=2))
    calls: dict[str, Callable[[], httpx.Response]] = {
        "retrieve": lambda: api.get(f"/videos/{video_id}"),
        "list": lambda: api.get("/videos"),
        "content": lambda: api.get(f"/videos/{video_id}/content", params={"variant": "thumbnail"}),
        "remix": lambda: api.post(f"/videos/{video_id}/remix", json={"prompt": "y"}),
        "delete": lambda: api.delete(f"/videos/{video_id}"),
    }
    assert api.post("/videos", json={"prompt": "x"}).status_code == 200  # no create rule
    for route, call in calls.items():
        assert [call().status_code for _ in range(2)] == [500, 500], route
        assert call().status_code == 200, route
    assert server.emulator.faults == []


def test_times_none_means_forever_and_star_matches_everything(
    server: EmulatedServer, api: httpx.Client
) -> None:
    server.emulator.add_fault(FaultRule(route="*", status=503, times=None))
    assert [api.get("/videos").status_code for _ in range(5)] == [503] * 5
    assert api.post("/videos", json={"prompt": "x"}).status_code == 503
    server.emulator.clear_faults()
    assert api.get("/videos").status_code == 200


def test_custom_message_and_status_latency(server: EmulatedServer, api: httpx.Client) -> None:
    server.emulator.add_fault(FaultRule(route="list", status=500, message="boom", latency=0.2))
    started = time.perf_counter()
    response = api.get("/videos")
    assert time.perf_counter() - started >= 0.2
    assert error_of(response)["message"] == "boom"


def test_latency_only_create_rule_creates_the_job_before_the_client_times_out(
    server: EmulatedServer, api: httpx.Client
) -> None:
    server.emulator.add_fault(FaultRule(route="create", latency=0.6))
    with pytest.raises(httpx.ReadTimeout):
        api.post("/videos", json={"prompt": "lost response"}, timeout=0.15)
    jobs = list(server.emulator.jobs.values())
    assert [job.prompt for job in jobs] == ["lost response"]
    time.sleep(0.5)  # let the held-back response finish before the next test resets the emulator


def test_latency_only_rule_delays_a_read(server: EmulatedServer, api: httpx.Client) -> None:
    server.emulator.add_fault(FaultRule(route="list", latency=0.2))
    started = time.perf_counter()
    assert api.get("/videos").status_code == 200
    assert time.perf_counter() - started >= 0.2


def test_faults_from_config_are_armed(emulate: Emulate) -> None:
    server = emulate(faults=[FaultRule(route="create", status=429, times=1)])
    with client(server) as api:
        assert api.post("/videos", json={"prompt": "x"}).status_code == 429
        assert api.post("/videos", json={"prompt": "x"}).status_code == 200


def test_admin_api_arms_lists_and_clears_rules(server: EmulatedServer, api: httpx.Client) -> None:
    with httpx.Client(base_url=server.url) as admin:
        armed = admin.post("/_emulator/faults", json=[{"route": "list", "status": 500, "times": None}])
        assert armed.status_code == 200
        assert armed.json()["data"] == [
            {
                "route": "list",
                "status": 500,
                "times": None,
                "retry_after": None,
                "latency": 0.0,
                "message": None,
            }
        ]
        assert admin.post("/_emulator/faults", json={"route": "retrieve", "status": 404}).status_code == 200
        assert len(admin.get("/_emulator/faults").json()["data"]) == 2
        assert api.get("/videos").status_code == 500
        assert admin.delete("/_emulator/faults").json()["data"] == []
        assert api.get("/videos").status_code == 200
        for bad in ([{"route": "nowhere"}], [{"status": 200}], [{"colour": "red"}], "not a rule"):
            response = admin.post("/_emulator/faults", json=bad)
            assert response.status_code == 400, bad
            assert "Invalid fault rules" in error_of(response)["message"]


def test_fault_rule_validation() -> None:
    with pytest.raises(ValueError, match="route"):
        FaultRule(route="upload")
    with pytest.raises(ValueError, match="status"):
        FaultRule(status=302)
    with pytest.raises(ValueError, match="times"):
        FaultRule(times=0)
    with pytest.raises(ValueError, match="negative"):
        FaultRule(latency=-1)


# --- prompt directives -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("directive", "code"), [("fail=moderation", "moderation_blocked"), ("fail=internal", "internal_error")]
)
def test_fail_directive_ends_the_job_failed(
    api: httpx.Client, clock: FakeClock, directive: str, code: str
) -> None:
    video = create(api, prompt=f"a cat @emulator:{directive} please")
    assert video["prompt"] == f"a cat @emulator:{directive} please"
    clock.advance(5)
    assert api.get(f"/videos/{video['id']}").json()["status"] == "in_progress"
    clock.advance(5)
    failed = api.get(f"/videos/{video['id']}").json()
    assert failed["status"] == "failed"
    assert failed["error"]["code"] == code
    assert failed["error"]["message"]
    assert failed["expires_at"] is None
    assert failed["completed_at"] is not None
    content = api.get(f"/videos/{video['id']}/content")
    assert content.status_code == 404
    assert error_of(content)["type"] == "invalid_request_error"


def test_reject_directive_is_a_400_content_policy_violation(
    server: EmulatedServer, api: httpx.Client
) -> None:
    response = api.post("/videos", json={"prompt": "@emulator:reject=policy"})
    assert response.status_code == 400
    error = error_of(response)
    assert (error["code"], error["param"]) == ("content_policy_violation", "prompt")
    assert server.emulator.jobs == {}


@pytest.mark.parametrize(("status", "retry"), [(503, True), (429, True), (500, False)])
def test_error_directive_fails_the_first_attempts_with_that_prompt(
    server: EmulatedServer, api: httpx.Client, status: int, retry: bool
) -> None:
    prompt = f"flaky @emulator:error={status}x2"
    first, second, third = (api.post("/videos", json={"prompt": prompt}) for _ in range(3))
    assert (first.status_code, second.status_code, third.status_code) == (status, status, 200)
    if retry:
        assert first.headers["retry-after-ms"] == "50"
        assert first.headers["retry-after"] == "0"
    else:
        assert "retry-after" not in first.headers
    assert len(server.emulator.jobs) == 1
    assert api.post("/videos", json={"prompt": "other prompt @emulator:error=503"}).status_code == 503


def test_error_directive_without_a_count_fails_once(api: httpx.Client) -> None:
    codes = [api.post("/videos", json={"prompt": "@emulator:error=503"}).status_code for _ in range(2)]
    assert codes == [503, 200]


def test_latency_directive_holds_the_response_after_creating(
    server: EmulatedServer, api: httpx.Client
) -> None:
    started = time.perf_counter()
    response = api.post("/videos", json={"prompt": "slow @emulator:latency=0.3"})
    assert response.status_code == 200
    assert time.perf_counter() - started >= 0.3
    with pytest.raises(httpx.ReadTimeout):
        api.post("/videos", json={"prompt": "lost @emulator:latency=0.5"}, timeout=0.1)
    assert len(server.emulator.jobs) == 2
    time.sleep(0.45)


def test_job_seconds_directive_overrides_the_duration(api: httpx.Client, clock: FakeClock) -> None:
    quick = create(api, prompt="@emulator:job_seconds=2")
    slow = create(api, prompt="@emulator:job_seconds=30")
    clock.advance(2)
    assert api.get(f"/videos/{quick['id']}").json()["status"] == "completed"
    clock.advance(20)
    assert api.get(f"/videos/{slow['id']}").json()["status"] == "in_progress"


def test_directives_apply_to_remix_prompts(api: httpx.Client, clock: FakeClock) -> None:
    source = create(api)
    clock.advance(10)
    remix = api.post(f"/videos/{source['id']}/remix", json={"prompt": "@emulator:fail=moderation"}).json()
    clock.advance(10)
    assert api.get(f"/videos/{remix['id']}").json()["error"]["code"] == "moderation_blocked"


@pytest.mark.parametrize(
    "prompt",
    ["@emulator:explode=yes", "@emulator:fail=sometimes", "@emulator:error=abc", "@emulator:latency=soon"],
)
def test_bad_directives_are_400(api: httpx.Client, prompt: str) -> None:
    response = api.post("/videos", json={"prompt": prompt})
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_emulator_directive"


def test_directive_followed_by_punctuation(api: httpx.Client, clock: FakeClock) -> None:
    video = create(api, prompt="End it (@emulator:fail=moderation).")
    clock.advance(10)
    assert api.get(f"/videos/{video['id']}").json()["status"] == "failed"
