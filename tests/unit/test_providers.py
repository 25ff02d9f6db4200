"""Endpoints and credentials of the openai, azure and openai_compatible providers."""

from __future__ import annotations

import pytest

from reelgate import Client
from tests.unit._scripted import Scripted, json_reply, video


@pytest.fixture
def upstream() -> Scripted:
    return Scripted(json_reply(video()))


def test_openai_reads_key_base_url_organization_and_project_from_the_environment(
    upstream: Scripted, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    monkeypatch.setenv("OPENAI_API_BASE", "http://legacy.test/v1/")
    monkeypatch.setenv("OPENAI_ORG_ID", "org-1")
    monkeypatch.setenv("OPENAI_PROJECT_ID", "proj-1")
    Client(transport=upstream.transport).status("video_1", "openai/sora-2")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://preferred.test/v1")
    Client(transport=upstream.transport).status("video_1", "openai/sora-2")
    first, second = upstream.requests
    assert str(first.url) == "http://legacy.test/v1/videos/video_1"
    assert str(second.url) == "http://preferred.test/v1/videos/video_1"
    assert first.headers["authorization"] == "Bearer sk-env"
    assert (first.headers["openai-organization"], first.headers["openai-project"]) == ("org-1", "proj-1")


def test_openai_defaults_to_the_public_url(upstream: Scripted) -> None:
    Client(api_key="k", transport=upstream.transport).status("video_1", "openai/sora-2")
    assert str(upstream.requests[0].url) == "https://api.openai.com/v1/videos/video_1"


def test_per_call_settings_override_client_settings_which_override_the_environment(
    upstream: Scripted, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    client = Client(api_key="sk-client", api_base="http://client.test/v1", transport=upstream.transport)
    client.status("video_1", "openai/sora-2")
    client.status("video_1", "openai/sora-2", api_key="sk-call", api_base="http://call.test/v1")
    assert [r.headers["authorization"] for r in upstream.requests] == ["Bearer sk-client", "Bearer sk-call"]
    assert [r.url.host for r in upstream.requests] == ["client.test", "call.test"]


@pytest.mark.parametrize(
    "base",
    [
        "https://res.openai.azure.com",
        "https://res.openai.azure.com/",
        "https://res.openai.azure.com/openai",
        "https://res.openai.azure.com/openai/v1/",
    ],
)
def test_azure_uses_v1_paths_and_the_api_key_header(upstream: Scripted, base: str) -> None:
    Client(api_key="azure-key", api_base=base, transport=upstream.transport).create("a cat", "azure/my-sora")
    request = upstream.requests[0]
    assert str(request.url) == "https://res.openai.azure.com/openai/v1/videos"
    assert request.headers["api-key"] == "azure-key"
    assert "authorization" not in request.headers
    assert upstream.body()["model"] == "my-sora"  # the deployment name


def test_azure_from_the_seed_environment_drops_the_dated_api_version(
    upstream: Scripted, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "your-azure-api-key")
    monkeypatch.setenv("AZURE_OPENAI_API_BASE", "https://your-resource.openai.azure.com/")
    monkeypatch.setenv("AZURE_OPENAI_API_VERSION", "2024-02-15-preview")
    Client(transport=upstream.transport).create("a cat", "azure/sora-2", seconds="8", size="720x1280")
    assert "api-version" not in upstream.requests[0].url.params
    Client(transport=upstream.transport, api_version="preview").status("video_1", "azure/sora-2")
    assert upstream.requests[1].url.params["api-version"] == "preview"


def test_azure_entra_id_token_is_sent_as_bearer(upstream: Scripted, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AZURE_OPENAI_AD_TOKEN", "eyJ-token")
    Client(api_base="https://res.openai.azure.com", transport=upstream.transport).status(
        "video_1", "azure/sora-2"
    )
    assert upstream.requests[0].headers["authorization"] == "Bearer eyJ-token"


def test_openai_compatible_needs_a_base_but_no_key(
    upstream: Scripted, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_COMPATIBLE_API_BASE", "http://gpu-box:8000/v1")
    Client(transport=upstream.transport).create("a cat", "openai_compatible/ltx-video")
    request = upstream.requests[0]
    assert str(request.url) == "http://gpu-box:8000/v1/videos"
    assert "authorization" not in request.headers
    assert upstream.body()["model"] == "ltx-video"


def test_model_names_with_slashes_keep_everything_after_the_provider(upstream: Scripted) -> None:
    Client(api_base="http://h/v1", transport=upstream.transport).create("a", "openai_compatible/org/model-x")
    assert upstream.body()["model"] == "org/model-x"
