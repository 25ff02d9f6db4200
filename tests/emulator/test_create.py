"""POST /videos: multipart and JSON bodies, allowed values per model, the reference-image check."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from tests.emulator._support import KEY, Emulate, create, error_of, png


def multipart(
    api: httpx.Client, fields: dict[str, str], files: dict[str, Any] | None = None
) -> httpx.Response:
    parts: dict[str, Any] = {name: (None, value) for name, value in fields.items()}
    parts.update(files or {})
    return api.post("/videos", files=parts)


def test_multipart_without_a_file_is_accepted(api: httpx.Client) -> None:
    fields = {"prompt": "cat", "model": "sora-2", "seconds": "8", "size": "1280x720"}
    response = multipart(api, fields)
    assert response.status_code == 200, response.text
    video = response.json()
    assert (video["prompt"], video["model"], video["seconds"], video["size"]) == (
        "cat",
        "sora-2",
        "8",
        "1280x720",
    )


def test_unknown_fields_are_ignored(api: httpx.Client) -> None:
    assert create(api, quality="standard", characters=[{"id": "char_1"}])["status"] == "queued"
    assert multipart(api, {"prompt": "cat", "something": "else"}).status_code == 200


def test_integer_seconds_in_json_is_400_invalid_type(api: httpx.Client) -> None:
    response = api.post("/videos", json={"prompt": "cat", "seconds": 8})
    assert response.status_code == 400
    assert error_of(response) == {
        "message": "Invalid type for 'seconds': expected one of '4', '8', or '12', but got an integer "
        "instead.",
        "type": "invalid_request_error",
        "param": "seconds",
        "code": "invalid_type",
    }


@pytest.mark.parametrize(
    ("body", "param", "code"),
    [
        ({}, "prompt", "missing_required_parameter"),
        ({"prompt": ""}, "prompt", "string_below_min_length"),
        ({"prompt": "x" * 32_001}, "prompt", "string_above_max_length"),
        ({"prompt": 5}, "prompt", "invalid_type"),
        ({"prompt": "x", "model": 2}, "model", "invalid_type"),
        ({"prompt": "x", "size": [720, 1280]}, "size", "invalid_type"),
        ({"prompt": "x", "input_reference": "data:image/png;base64,AAAA"}, "input_reference", "invalid_type"),
        ({"prompt": "x", "input_reference": {}}, "input_reference", "invalid_value"),
        (
            {"prompt": "x", "input_reference": {"image_url": "a", "file_id": "b"}},
            "input_reference",
            "invalid_value",
        ),
    ],
)
def test_bad_json_fields_are_400(api: httpx.Client, body: dict[str, Any], param: str, code: str) -> None:
    response = api.post("/videos", json=body)
    assert response.status_code == 400
    error = error_of(response)
    assert (error["type"], error["param"], error["code"]) == ("invalid_request_error", param, code)


def test_prompt_of_exactly_32000_characters_is_fine(api: httpx.Client) -> None:
    assert create(api, prompt="y" * 32_000)["status"] == "queued"


def test_invalid_json_and_unsupported_content_types_are_400(api: httpx.Client) -> None:
    broken = api.post("/videos", content=b"{not json", headers={"content-type": "application/json"})
    assert broken.status_code == 400
    assert "could not parse the JSON body" in error_of(broken)["message"]
    text = api.post("/videos", content=b"prompt", headers={"content-type": "text/plain"})
    assert text.status_code == 400
    assert error_of(text)["code"] == "unsupported_content_type"
    array = api.post("/videos", json=["prompt"])
    assert array.status_code == 400
    for content_type in ("multipart/form-data", "multipart/form-data; boundary=zz"):
        malformed = api.post("/videos", content=b"garbage", headers={"content-type": content_type})
        assert malformed.status_code == 400, content_type
        assert error_of(malformed)["type"] == "invalid_request_error"


def test_urlencoded_forms_are_read_like_multipart(api: httpx.Client) -> None:
    response = api.post("/videos", data={"prompt": "hi", "seconds": "8"})
    assert response.status_code == 200
    assert response.json()["seconds"] == "8"


@pytest.mark.parametrize(
    ("model", "seconds", "size"),
    [
        ("sora-2", "4", "720x1280"),
        ("sora-2", "20", "1280x720"),
        ("sora-2-pro", "16", "1792x1024"),
        ("sora-2-pro", "12", "1024x1792"),
        ("sora-2-2025-10-06", "8", "1280x720"),
        ("sora-2-2025-12-08", "12", "720x1280"),
        ("sora-2-pro-2025-10-06", "4", "1024x1792"),
        ("my-local-model", "1", "64x48"),
        ("my-local-model", "60", "4096x16"),
    ],
)
def test_allowed_values(api: httpx.Client, model: str, seconds: str, size: str) -> None:
    video = create(api, model=model, seconds=seconds, size=size)
    assert (video["model"], video["seconds"], video["size"]) == (model, seconds, size)


@pytest.mark.parametrize(
    ("model", "seconds", "size", "param", "fragment"),
    [
        ("sora-2", "5", "720x1280", "seconds", "Supported values are: '4', '8', '12', '16', and '20'."),
        ("sora-2", "4", "1792x1024", "size", "Supported values are: '720x1280' and '1280x720'."),
        ("sora-2-2025-10-06", "4", "1024x1792", "size", "'720x1280' and '1280x720'"),
        ("sora-2-pro", "4", "1920x1080", "size", "'1024x1792', and '1792x1024'"),
        ("sora-2-pro", "4", "640x480", "size", "Invalid value: '640x480'."),
        ("my-local-model", "0", "64x64", "seconds", "between 1 and 60"),
        ("my-local-model", "4.5", "64x64", "seconds", "whole number"),
        ("my-local-model", "4", "63x64", "size", "even sides"),
        ("my-local-model", "4", "big", "size", "WIDTHxHEIGHT"),
        ("my-local-model", "4", "8192x64", "size", "between 16 and 4096"),
    ],
)
def test_disallowed_values_are_400_invalid_value(
    api: httpx.Client, model: str, seconds: str, size: str, param: str, fragment: str
) -> None:
    response = api.post("/videos", json={"prompt": "x", "model": model, "seconds": seconds, "size": size})
    assert response.status_code == 400
    error = error_of(response)
    assert (error["param"], error["code"]) == (param, "invalid_value")
    assert fragment in error["message"]


def test_1080p_needs_the_flag_and_sora_2_pro(emulate: Emulate) -> None:
    server = emulate(allow_1080p=True)
    with httpx.Client(base_url=server.api_root, headers={"Authorization": f"Bearer {KEY}"}) as api:
        assert create(api, model="sora-2-pro", size="1920x1080")["size"] == "1920x1080"
        assert create(api, model="sora-2-pro-2025-10-06", size="1080x1920")["size"] == "1080x1920"
        assert api.post("/videos", json={"prompt": "x", "size": "1920x1080"}).status_code == 400


def test_retired_model_is_404_model_not_found(emulate: Emulate) -> None:
    server = emulate(retired_models={"sora-2-2025-10-06"})
    with httpx.Client(base_url=server.api_root, headers={"Authorization": f"Bearer {KEY}"}) as api:
        response = api.post("/videos", json={"prompt": "x", "model": "sora-2-2025-10-06"})
        assert response.status_code == 404
        assert error_of(response) == {
            "message": "The model 'sora-2-2025-10-06' does not exist or you do not have access to it.",
            "type": "invalid_request_error",
            "param": "model",
            "code": "model_not_found",
        }
        assert create(api, model="sora-2")["status"] == "queued"


# --- the reference image ---------------------------------------------------------------------------

INPAINT = "Inpaint image must match the requested width and height"


@pytest.mark.parametrize(
    ("fmt", "content_type"), [("PNG", "image/png"), ("JPEG", "image/jpeg"), ("WEBP", "image/webp")]
)
def test_reference_file_of_the_right_size_is_accepted(api: httpx.Client, fmt: str, content_type: str) -> None:
    image = png(1280, 720, fmt)
    files = {"input_reference": (f"ref.{fmt.lower()}", image, content_type)}
    response = multipart(api, {"prompt": "cat", "size": "1280x720"}, files)
    assert response.status_code == 200, response.text


def test_reference_file_of_another_size_is_400(api: httpx.Client) -> None:
    files = {"input_reference": ("ref.png", png(720, 1280), "image/png")}
    response = multipart(api, {"prompt": "cat", "size": "1280x720"}, files)
    assert response.status_code == 400
    error = error_of(response)
    assert (error["message"], error["param"]) == (INPAINT, "input_reference")


def test_reference_file_is_checked_against_the_default_size(api: httpx.Client) -> None:
    files = {"input_reference": ("ref.png", png(720, 1280), "image/png")}
    assert multipart(api, {"prompt": "cat"}, files).status_code == 200
    files = {"input_reference": ("ref.png", png(1280, 720), "image/png")}
    assert multipart(api, {"prompt": "cat"}, files).status_code == 400


def test_reference_data_url_in_json(api: httpx.Client) -> None:
    good = "data:image/png;base64," + base64.b64encode(png(720, 1280)).decode()
    bad = "data:image/png;base64," + base64.b64encode(png(1280, 720)).decode()
    assert create(api, input_reference={"image_url": good})["status"] == "queued"
    response = api.post("/videos", json={"prompt": "x", "input_reference": {"image_url": bad}})
    assert response.status_code == 400
    assert error_of(response)["message"] == INPAINT


def test_reference_data_url_in_bracketed_multipart_field(api: httpx.Client) -> None:
    good = "data:image/png;base64," + base64.b64encode(png(1280, 720)).decode()
    bad = "data:image/png;base64," + base64.b64encode(png(64, 64)).decode()
    fields = {"prompt": "x", "size": "1280x720", "input_reference[image_url]": good}
    assert multipart(api, fields).status_code == 200
    response = multipart(api, {**fields, "input_reference[image_url]": bad})
    assert response.status_code == 400
    assert error_of(response)["message"] == INPAINT


def test_http_image_url_and_file_id_are_accepted_unchecked(api: httpx.Client) -> None:
    assert create(api, input_reference={"image_url": "https://example.com/a.png"})["status"] == "queued"
    assert create(api, input_reference={"file_id": "file-123"})["status"] == "queued"
    assert multipart(api, {"prompt": "x", "input_reference[file_id]": "file-123"}).status_code == 200


def test_a_string_in_the_multipart_input_reference_field_is_400(api: httpx.Client) -> None:
    encoded = base64.b64encode(png(720, 1280)).decode()
    response = multipart(api, {"prompt": "x", "input_reference": encoded})
    assert response.status_code == 400
    error = error_of(response)
    assert "expected a file, got a string" in error["message"]
    assert error["param"] == "input_reference"


@pytest.mark.parametrize(
    ("data", "content_type", "code"),
    [
        (png(720, 1280), "application/octet-stream", "unsupported_file"),
        (png(720, 1280, "GIF"), "image/gif", "unsupported_file"),
        (b"definitely not an image", "image/png", "invalid_image"),
    ],
)
def test_reference_files_that_are_not_usable_images_are_400(
    api: httpx.Client, data: bytes, content_type: str, code: str
) -> None:
    response = multipart(api, {"prompt": "x"}, {"input_reference": ("ref", data, content_type)})
    assert response.status_code == 400
    assert error_of(response)["code"] == code


def test_bad_data_urls_are_400(api: httpx.Client) -> None:
    for url in ("data:image/png;base64,!!!", "data:text/plain;base64,aGk=", "data:image/png,raw"):
        response = api.post("/videos", json={"prompt": "x", "input_reference": {"image_url": url}})
        assert response.status_code == 400, url
        assert error_of(response)["param"] == "input_reference"
