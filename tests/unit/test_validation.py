"""Bad input is refused before anything is sent, with an error naming the parameter and the allowed values."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from reelgate import BadRequestError, Client, ConfigurationError
from tests.unit._scripted import Scripted, json_reply, video


def image_bytes(width: int, height: int, fmt: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (10, 120, 200)).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.fixture
def upstream() -> Scripted:
    return Scripted(json_reply(video()))


@pytest.fixture
def client(upstream: Scripted) -> Client:
    return Client(api_key="sk-test", api_base="https://upstream.test/v1", transport=upstream.transport)


def refused(client: Client, upstream: Scripted, param: str, **kwargs: Any) -> BadRequestError:
    kwargs.setdefault("prompt", "a cat")
    kwargs.setdefault("model", "openai/sora-2")
    with pytest.raises(BadRequestError) as caught:
        client.create(**kwargs)
    assert caught.value.param == param
    assert caught.value.status_code == 400
    assert upstream.requests == [], "a refused call must send nothing"
    return caught.value


@pytest.mark.parametrize("prompt", ["", "   ", None, 42])
def test_empty_or_non_text_prompt(client: Client, upstream: Scripted, prompt: object) -> None:
    refused(client, upstream, "prompt", prompt=prompt)


def test_prompt_over_32000_characters(client: Client, upstream: Scripted) -> None:
    error = refused(client, upstream, "prompt", prompt="x" * 32_001)
    assert "32,000" in str(error)
    client.create("x" * 32_000, "openai/sora-2")
    assert len(upstream.requests) == 1


def test_seconds_not_allowed_for_the_model_lists_the_allowed_values(
    client: Client, upstream: Scripted
) -> None:
    error = refused(client, upstream, "seconds", seconds=10)
    assert "openai/sora-2" in str(error)
    assert "4, 8, 12, 16, 20" in str(error)


@pytest.mark.parametrize("seconds", ["eight", -4, 0, 4.5, True, "8s"])
def test_seconds_that_are_not_whole_seconds(client: Client, upstream: Scripted, seconds: object) -> None:
    refused(client, upstream, "seconds", seconds=seconds)


def test_pro_sizes_are_refused_for_sora_2_but_accepted_for_pro(client: Client, upstream: Scripted) -> None:
    error = refused(client, upstream, "size", size="1792x1024")
    assert "720x1280, 1280x720" in str(error)
    client.create("a cat", "openai/sora-2-pro", size="1792x1024")
    assert upstream.body()["size"] == "1792x1024"


def test_azure_sora_2_allows_only_4_8_12_seconds(upstream: Scripted) -> None:
    client = Client(api_key="k", api_base="https://res.openai.azure.com", transport=upstream.transport)
    error = refused(client, upstream, "seconds", model="azure/sora-2", seconds="16")
    assert "4, 8, 12" in str(error)


@pytest.mark.parametrize("size", ["720*1280", "big", "0x720", "720x"])
def test_malformed_size(client: Client, upstream: Scripted, size: str) -> None:
    refused(client, upstream, "size", size=size)


def test_reference_image_must_match_the_size(client: Client, upstream: Scripted) -> None:
    error = refused(
        client, upstream, "input_reference", size="1280x720", input_reference=image_bytes(720, 1280)
    )
    assert "720x1280" in str(error)
    assert "1280x720" in str(error)


def test_reference_image_is_checked_against_the_default_size_when_none_given(
    client: Client, upstream: Scripted
) -> None:
    refused(client, upstream, "input_reference", input_reference=image_bytes(1280, 720))
    client.create("a cat", "openai/sora-2", input_reference=image_bytes(720, 1280))
    assert len(upstream.requests) == 1


def test_unknown_models_on_openai_compatible_pass_through_unvalidated(
    client: Client, upstream: Scripted
) -> None:
    client.create("a cat", "openai_compatible/wan-2.5", seconds=7, size="999x333")
    assert upstream.body() == {"prompt": "a cat", "model": "wan-2.5", "seconds": "7", "size": "999x333"}


def test_unknown_provider_prefix(client: Client, upstream: Scripted) -> None:
    error = refused(client, upstream, "model", model="vertex_ai/veo-3")
    assert "azure, local, openai, openai_compatible" in str(error)


def test_bare_known_model_names_mean_openai(client: Client, upstream: Scripted) -> None:
    refused(client, upstream, "model", model="veo-3")
    client.create("a cat", "sora-2")
    assert upstream.requests[0].url.path == "/v1/videos"
    assert upstream.body()["model"] == "sora-2"


def test_missing_model_says_how_to_choose_one(client: Client, upstream: Scripted) -> None:
    with pytest.raises(BadRequestError, match="REELGATE_MODEL") as caught:
        client.status("video_123")
    assert caught.value.param == "model"
    assert upstream.requests == []


def test_default_model_from_the_client_or_the_environment(
    upstream: Scripted, monkeypatch: pytest.MonkeyPatch
) -> None:
    Client(model="openai/sora-2", api_key="k", transport=upstream.transport).status("video_1")
    monkeypatch.setenv("REELGATE_MODEL", "openai/sora-2")
    Client(api_key="k", transport=upstream.transport).status("video_2")
    assert [r.url.path for r in upstream.requests] == ["/v1/videos/video_1", "/v1/videos/video_2"]


def test_remix_without_video_id_says_so(client: Client, upstream: Scripted) -> None:
    with pytest.raises(BadRequestError, match="needs video_id=") as caught:
        client.remix(model="openai/sora-2", prompt="Make the cat jump higher", seconds="8")
    assert caught.value.param == "video_id"
    assert upstream.requests == []


@pytest.mark.parametrize("video_id", ["..", "../files", "video_1/../../x", "video 1", "", "a?b=c"])
def test_video_ids_that_would_change_the_url_are_refused(
    client: Client, upstream: Scripted, video_id: str
) -> None:
    with pytest.raises(BadRequestError) as caught:
        client.status(video_id, "openai/sora-2")
    assert caught.value.param == "video_id"
    assert upstream.requests == []


def test_list_parameters_are_checked(client: Client, upstream: Scripted) -> None:
    with pytest.raises(BadRequestError, match="limit"):
        client.list("openai", limit=-1)
    with pytest.raises(BadRequestError, match="order"):
        client.list("openai", order="sideways")  # type: ignore[arg-type]
    assert upstream.requests == []


def test_missing_credentials_name_the_environment_variable(upstream: Scripted) -> None:
    client = Client(transport=upstream.transport)
    with pytest.raises(ConfigurationError, match="OPENAI_API_KEY"):
        client.status("video_1", "openai/sora-2")
    with pytest.raises(ConfigurationError, match="AZURE_OPENAI_API_BASE"):
        client.status("video_1", "azure/sora-2")
    with pytest.raises(ConfigurationError, match="OPENAI_COMPATIBLE_API_BASE"):
        client.status("video_1", "openai_compatible/x")
    assert upstream.requests == []


class TestInputReference:
    def test_open_file_path_and_pathlike(self, client: Client, upstream: Scripted, tmp_path: Path) -> None:
        path = tmp_path / "cat.jpg"
        path.write_bytes(image_bytes(720, 1280, "JPEG"))
        with path.open("rb") as file:
            client.create("a cat", "openai/sora-2", input_reference=file)
        client.create("a cat", "openai/sora-2", input_reference=str(path))
        client.create("a cat", "openai/sora-2", input_reference=path)
        for request in upstream.requests:
            assert b'filename="cat.jpg"\r\nContent-Type: image/jpeg' in request.content

    def test_sdk_style_tuple_and_webp(self, client: Client, upstream: Scripted) -> None:
        client.create("a cat", "openai/sora-2", input_reference=("ref.webp", image_bytes(720, 1280, "WEBP")))
        assert b'filename="ref.webp"\r\nContent-Type: image/webp' in upstream.requests[0].content

    def test_data_url_is_measured_and_sent_as_image_url(self, client: Client, upstream: Scripted) -> None:
        url = "data:image/png;base64," + base64.b64encode(image_bytes(720, 1280)).decode()
        client.create("a cat", "openai/sora-2", input_reference=url)
        assert upstream.body()["input_reference"] == {"image_url": url}
        wrong = "data:image/png;base64," + base64.b64encode(image_bytes(64, 64)).decode()
        with pytest.raises(BadRequestError, match="must match the size"):
            client.create("a cat", "openai/sora-2", input_reference={"image_url": wrong})

    def test_file_id_object(self, client: Client, upstream: Scripted) -> None:
        client.create("a cat", "openai/sora-2", input_reference={"file_id": "file-123"})
        assert upstream.body()["input_reference"] == {"file_id": "file-123"}

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("/no/such/image.png", "no such file"),
            (b"not an image", "JPEG, PNG or WebP"),
            (b"", "empty"),
            ({"image_url": "https://x", "file_id": "f"}, "exactly one"),
            ("data:image/png,notbase64", "base64"),
            (12345, "not supported"),
        ],
    )
    def test_unusable_references(
        self, client: Client, upstream: Scripted, value: object, message: str
    ) -> None:
        with pytest.raises(BadRequestError, match=message) as caught:
            client.create("a cat", "openai/sora-2", input_reference=value)  # type: ignore[arg-type]
        assert caught.value.param == "input_reference"
        assert upstream.requests == []

    def test_text_mode_file_is_refused(self, client: Client, upstream: Scripted, tmp_path: Path) -> None:
        path = tmp_path / "x.txt"
        path.write_text("hello")
        with path.open() as file, pytest.raises(BadRequestError, match="binary mode"):
            client.create("a cat", "openai/sora-2", input_reference=file)  # type: ignore[arg-type]
