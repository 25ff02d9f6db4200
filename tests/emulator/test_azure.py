"""The Azure flavour: /openai/v1 paths, api-key or Bearer auth, deployments, Azure's limits."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.emulator._support import KEY, START, Emulate, FakeClock, create, error_of


@pytest.fixture
def azure(emulate: Emulate) -> httpx.Client:
    server = emulate("azure", deployments={"sora-2": "sora-2", "my-sora": "sora-2", "pro": "sora-2-pro"})
    assert server.api_base == server.url
    assert server.api_root == server.url + "/openai/v1"
    return httpx.Client(base_url=server.api_root, headers={"api-key": KEY}, params={"api-version": "preview"})


def test_api_lives_under_openai_v1_with_api_version_accepted(azure: httpx.Client) -> None:
    with azure:
        response = azure.post("/videos", json={"prompt": "a cat"})
        assert response.status_code == 200
        assert re.fullmatch(r"[0-9a-f-]{36}", response.headers["apim-request-id"])
        assert response.headers["x-request-id"].startswith("req_")
        video_id = response.json()["id"]
        assert azure.get(f"/videos/{video_id}").status_code == 200
        assert azure.get("/videos").json()["data"][0]["id"] == video_id
        assert (
            azure.get(f"/videos/{video_id}", params={"api-version": "2025-04-01-preview"}).status_code == 200
        )
        without_version = httpx.get(f"{azure.base_url}videos/{video_id}", headers={"api-key": KEY})
        assert without_version.status_code == 200
        assert without_version.request.url.query == b""


def test_openai_paths_do_not_exist_on_azure(emulate: Emulate) -> None:
    server = emulate("azure")
    with httpx.Client(base_url=server.url, headers={"api-key": KEY}) as client:
        response = client.get("/v1/videos")
        assert response.status_code == 404
        assert "apim-request-id" in response.headers


def test_auth_by_api_key_or_bearer(emulate: Emulate) -> None:
    server = emulate("azure", api_keys={KEY})
    with httpx.Client(base_url=server.api_root) as client:
        assert client.get("/videos", headers={"api-key": KEY}).status_code == 200
        assert client.get("/videos", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
        assert client.get("/videos").status_code == 401
        wrong = client.get("/videos", headers={"api-key": "azure-wrong-key-0000"})
        assert wrong.status_code == 401
        assert "azure-wrong-key-0000" not in wrong.text


def test_model_is_a_deployment_name(azure: httpx.Client) -> None:
    with azure:
        video = create(azure, model="my-sora")
        assert video["model"] == "sora-2"
        missing = azure.post("/videos", json={"prompt": "x", "model": "sora-2-pro"})
        assert missing.status_code == 404
        assert error_of(missing) == {
            "message": "The API deployment 'sora-2-pro' for this resource does not exist. If you created the "
            "deployment within the last 5 minutes, please wait a moment and try again.",
            "type": "video_generation_user_error",
            "param": None,
            "code": None,
        }


def test_azure_allows_4_8_12_seconds_only(azure: httpx.Client) -> None:
    with azure:
        assert create(azure, seconds="12")["seconds"] == "12"
        too_long = azure.post("/videos", json={"prompt": "x", "seconds": "16"})
        assert too_long.status_code == 400
        assert "Supported values are: '4', '8', and '12'." in error_of(too_long)["message"]
        assert azure.post("/videos", json={"prompt": "x", "size": "1792x1024"}).status_code == 400
        assert create(azure, model="pro", size="1792x1024")["size"] == "1792x1024"


def test_expires_a_day_after_creation(azure: httpx.Client, clock: FakeClock) -> None:
    with azure:
        video_id = create(azure)["id"]
        clock.advance(10)
        video = azure.get(f"/videos/{video_id}").json()
        assert video["status"] == "completed"
        assert video["expires_at"] == int(START) + 86_400
        content = azure.get(f"/videos/{video_id}/content", params={"variant": "thumbnail"})
        assert content.headers["content-type"] == "image/webp"
        deleted = azure.delete(f"/videos/{video_id}", headers={"content-type": "application/json"})
        assert deleted.json() == {"id": video_id, "object": "video.deleted", "deleted": True}
