"""The emulator's responses validate against the official OpenAPI component schemas.

``data/openai-videos-openapi.json`` is OpenAI's description (MIT, see ``data/LICENSE``). OpenAPI 3.1
schemas are JSON Schema 2020-12; ``#/components/schemas/...`` references resolve through a
``referencing`` registry holding the whole document.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from tests.emulator._support import FakeClock, create, png

SPEC_PATH = Path(__file__).parent / "data" / "openai-videos-openapi.json"
SPEC_URI = "urn:openai-videos-openapi"


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SPEC_PATH.read_text())
    return data


@pytest.fixture(scope="module")
def registry(spec: dict[str, Any]) -> Registry[Any]:
    resource: Resource[Any] = Resource.from_contents(spec, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(SPEC_URI, resource)
    return registry


def validator(registry: Registry[Any], name: str) -> Draft202012Validator:
    schema = {"$ref": f"{SPEC_URI}#/components/schemas/{name}"}
    return Draft202012Validator(schema, registry=registry)


def assert_valid(registry: Registry[Any], name: str, instance: Any) -> None:
    errors = sorted(validator(registry, name).iter_errors(instance), key=str)
    assert not errors, "\n".join(f"{list(error.path)}: {error.message}" for error in errors)


def test_the_schemas_are_strict_enough_to_catch_mistakes(registry: Registry[Any]) -> None:
    bad = {"id": "video_1", "object": "video", "status": "done", "progress": 1.5, "seconds": 4}
    assert len(list(validator(registry, "VideoResource").iter_errors(bad))) >= 4


def test_video_in_every_status_matches_video_resource(
    registry: Registry[Any], api: httpx.Client, clock: FakeClock
) -> None:
    image = "data:image/png;base64," + base64.b64encode(png(1280, 720)).decode()
    ok = create(api, model="sora-2-pro", size="1280x720", seconds="12", input_reference={"image_url": image})
    failed = create(api, prompt="@emulator:fail=moderation")
    assert_valid(registry, "VideoResource", ok)
    clock.advance(5)
    assert_valid(registry, "VideoResource", api.get(f"/videos/{ok['id']}").json())
    clock.advance(5)
    completed = api.get(f"/videos/{ok['id']}").json()
    assert completed["status"] == "completed"
    assert_valid(registry, "VideoResource", completed)
    assert_valid(registry, "VideoResource", api.get(f"/videos/{failed['id']}").json())
    remix = api.post(f"/videos/{ok['id']}/remix", json={"prompt": "again"}).json()
    assert_valid(registry, "VideoResource", remix)


def test_list_pages_match_video_list_resource(registry: Registry[Any], api: httpx.Client) -> None:
    assert_valid(registry, "VideoListResource", api.get("/videos").json())
    for _ in range(3):
        create(api)
    assert_valid(registry, "VideoListResource", api.get("/videos", params={"limit": 2}).json())
    assert_valid(registry, "VideoListResource", api.get("/videos", params={"limit": 0}).json())


def test_delete_matches_deleted_video_resource(registry: Registry[Any], api: httpx.Client) -> None:
    video_id = create(api)["id"]
    assert_valid(registry, "DeletedVideoResource", api.delete(f"/videos/{video_id}").json())


def test_error_envelopes_carry_the_four_keys(spec: dict[str, Any], api: httpx.Client) -> None:
    # The spec subset has no ErrorResponse component; check against OpenAI's documented envelope.
    envelope = {
        "type": "object",
        "required": ["error"],
        "properties": {
            "error": {
                "type": "object",
                "required": ["message", "type", "param", "code"],
                "properties": {
                    "message": {"type": "string"},
                    "type": {"type": "string"},
                    "param": {"type": ["string", "null"]},
                    "code": {"type": ["string", "null"]},
                },
            }
        },
    }
    assert "ErrorResponse" not in spec["components"]["schemas"]
    for response in (api.get("/videos/video_x"), api.post("/videos", json={}), api.get("/videos?limit=500")):
        Draft202012Validator(envelope).validate(response.json())
