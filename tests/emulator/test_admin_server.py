"""The admin API, the thread server, the app factory and ``python -m reelgate.emulator``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from reelgate.emulator import EmulatedServer, EmulatorConfig, FaultRule, create_app, run_in_thread
from reelgate.emulator._auth import fingerprint, mask_key
from reelgate.emulator._limits import format_duration
from tests.emulator._support import KEY, FakeClock, create

ROOT = Path(__file__).resolve().parents[2]


def test_request_log_records_what_was_sent(
    server: EmulatedServer, api: httpx.Client, clock: FakeClock
) -> None:
    create(api, prompt="logged", seconds="8")
    api.get("/videos", params={"limit": 5, "order": "asc"}, headers={"user-agent": "probe/1"})
    with httpx.Client(base_url=server.url) as admin:
        assert admin.get("/_emulator/health").json() == {"status": "ok", "provider": "openai", "jobs": 1}
        entries = admin.get("/_emulator/requests").json()["data"]
        assert [(entry["method"], entry["path"], entry["route"], entry["status"]) for entry in entries] == [
            ("POST", "/v1/videos", "create", 200),
            ("GET", "/v1/videos", "list", 200),
        ]
        posted, listed = entries
        assert posted["content_type"] == "application/json"
        assert posted["body"] == {"prompt": "logged", "seconds": "8"}
        assert posted["time"] == clock.now
        assert posted["api_key_fingerprint"] == fingerprint(KEY)
        assert "authorization" not in posted["headers"]
        assert listed["query"] == {"limit": "5", "order": "asc"}
        assert listed["headers"]["user-agent"] == "probe/1"
        assert listed["request_id"].startswith("req_")
        assert admin.delete("/_emulator/requests").json() == {"deleted": True}
        assert admin.get("/_emulator/requests").json()["data"] == []


def test_recorded_requests_read_as_attributes_or_as_a_mapping(
    server: EmulatedServer, api: httpx.Client
) -> None:
    api.get("/videos", params={"limit": 1})
    record = server.emulator.requests[-1]
    assert record["path"] == record.path == "/v1/videos"
    assert record["method"] == "GET"
    assert dict(record) == record.as_dict()
    assert record == record.as_dict()
    assert "content_type" in record
    assert set(record) == set(record.as_dict())
    with pytest.raises(KeyError):
        record["authorization"]


def test_multipart_bodies_are_summarised_without_file_bytes(
    server: EmulatedServer, api: httpx.Client
) -> None:
    files: dict[str, Any] = {
        "prompt": (None, "x"),
        "input_reference": ("ref.bin", b"\x00" * 10, "application/octet-stream"),
    }
    api.post("/videos", files=files)
    body = server.emulator.requests[-1].body
    assert body == {
        "prompt": "x",
        "input_reference": {"filename": "ref.bin", "content_type": "application/octet-stream", "size": 10},
    }


def test_reset_drops_jobs_faults_and_the_log(server: EmulatedServer, api: httpx.Client) -> None:
    create(api)
    with httpx.Client(base_url=server.url) as admin:
        admin.post("/_emulator/faults", json=[{"route": "retrieve", "status": 500}])
        assert admin.post("/_emulator/reset").json() == {"reset": True}
        assert admin.get("/_emulator/faults").json()["data"] == []
    assert server.emulator.jobs == {}
    assert server.emulator.requests == []
    assert api.get("/videos").json()["data"] == []


def test_each_emulator_owns_its_config_and_reset_restores_it(clock: FakeClock) -> None:
    shared = EmulatorConfig(clock=clock, faults=[FaultRule(route="list", status=500)])
    first, second = create_app("openai", shared).state.emulator, create_app("azure", shared).state.emulator
    first.config.api_keys = {"sk-only-this-one"}
    first.config.retired_models.add("sora-2")
    assert second.config.api_keys is None
    assert shared.api_keys is None
    assert shared.retired_models == set()
    assert first.config.clock is clock
    first.take_fault("list")
    assert first.faults == []
    first.reset()
    assert first.config.api_keys is None
    assert first.config.retired_models == set()
    assert first.faults == [FaultRule(route="list", status=500)]
    first.reset(EmulatorConfig(rpm=5))
    assert (first.config.rpm, first.faults) == (5, [])
    first.config.rpm = 9
    first.reset()
    assert first.config.rpm == 5


def test_admin_routes_need_no_auth_and_are_not_recorded(server: EmulatedServer) -> None:
    with httpx.Client(base_url=server.url) as admin:
        assert admin.get("/_emulator/health").status_code == 200
        admin.get("/_emulator/requests")
    assert server.emulator.requests == []


def test_run_in_thread_builds_an_app_from_a_provider_name() -> None:
    with run_in_thread("azure", EmulatorConfig(job_seconds=0)) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert server.port > 0
        assert server.api_base == server.url
        assert server.emulator.provider == "azure"
        assert server.emulator is server.app.state.emulator
        response = httpx.post(
            server.api_base + "/openai/v1/videos", json={"prompt": "x"}, headers={"api-key": KEY}
        )
        assert response.json()["status"] == "completed"
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/_emulator/health")


def test_run_in_thread_with_an_app_and_app_state() -> None:
    app = create_app(provider="openai", config=EmulatorConfig(poll_after_ms=7))
    assert app.state.emulator.config.poll_after_ms == 7
    server = run_in_thread(app).start()
    try:
        assert server.api_base == server.url + "/v1"
        assert server.emulator is app.state.emulator
        with pytest.raises(RuntimeError, match="already"):
            server.start()
    finally:
        server.stop()
        server.stop()
    with pytest.raises(ValueError, match="config"):
        run_in_thread(app, EmulatorConfig())


def test_run_in_thread_serves_any_asgi_app() -> None:
    async def hello(_request: Request) -> PlainTextResponse:
        return PlainTextResponse("hello")

    with run_in_thread(Starlette(routes=[Route("/hello", hello)])) as server:
        assert httpx.get(server.url + "/hello").text == "hello"
        assert server.api_base == server.url
        with pytest.raises(AttributeError, match="not an emulator"):
            _ = server.emulator


def test_unknown_provider_is_refused() -> None:
    with pytest.raises(ValueError, match="provider"):
        create_app("gemini")


@pytest.mark.parametrize(
    ("key", "masked"),
    [("sk-abcdefghijklmnopqrstuvwxyz", "sk-ab****yz"), ("sk-1234567", "****67"), ("abc", "****")],
)
def test_mask_key(key: str, masked: str) -> None:
    assert mask_key(key) == masked


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0ms"), (0.012, "12ms"), (1, "1s"), (1.5, "1.5s"), (59.9994, "59.999s"), (60, "1m0s")],
)
def test_format_duration(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text


def test_python_dash_m_serves_and_prints_the_base_url() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    command = [
        sys.executable, "-m", "reelgate.emulator", "--provider", "openai", "--port", "0",
        "--job-seconds", "0", "--api-key", KEY, "--rpm", "100", "--retired-model", "sora-2-2025-10-06",
        "--deployment", "a=sora-2", "--allow-1080p", "--max-running-jobs", "3", "--poll-after-ms", "5",
    ]  # fmt: skip
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env
    ) as process:
        try:
            assert process.stdout is not None
            lines = [process.stdout.readline() for _ in range(3)]
            base = lines[1].split("base URL for clients: ", 1)[1].strip()
            assert base.startswith("http://127.0.0.1:")
            assert base.endswith("/v1")
            headers = {"Authorization": f"Bearer {KEY}"}
            response = httpx.post(base + "/videos", json={"prompt": "x"}, headers=headers)
            assert response.status_code == 200
            assert response.headers["openai-poll-after-ms"] == "5"
            assert response.headers["x-ratelimit-limit-requests"] == "100"
            assert response.json()["status"] == "completed"
            assert httpx.get(base + "/videos", headers={"Authorization": "Bearer nope"}).status_code == 401
        finally:
            process.terminate()
            process.wait(timeout=10)
