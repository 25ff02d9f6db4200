"""Reading create and remix bodies: ``multipart/form-data`` (what the official SDK sends) or JSON.

Multipart values are strings; ``input_reference`` is a file part, or the bracketed fields
``input_reference[image_url]`` / ``input_reference[file_id]``. In JSON ``seconds`` must be a string and
``input_reference`` an object with exactly one of ``image_url`` and ``file_id``. Unknown fields are
ignored. Each reader also returns a summary of the body for the request log.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request

from reelgate.emulator._errors import APIError, invalid_type, json_type_name, missing_parameter

MAX_PROMPT = 32_000
MAX_PART = 25 * 1024 * 1024
_LOG_TEXT = 4096
_FIELDS = ("prompt", "model", "seconds", "size")

INVALID_JSON_MESSAGE = (
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP "
    "library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you "
    "have trouble figuring out how to fix this, please contact us through our help center at "
    "help.openai.com.)"
)


@dataclass(frozen=True)
class Reference:
    """A reference image: uploaded bytes, a URL (``data:`` or http), or a file id."""

    data: bytes | None = None
    content_type: str | None = None
    filename: str | None = None
    image_url: str | None = None
    file_id: str | None = None


@dataclass(frozen=True)
class Body:
    """The fields of a create (or remix) request; ``None`` where absent."""

    prompt: str
    model: str | None
    seconds: str | None
    size: str | None
    reference: Reference | None
    summary: dict[str, Any]


def _loggable(value: Any) -> Any:
    if isinstance(value, str) and len(value) > _LOG_TEXT:
        return f"{value[:_LOG_TEXT]}... ({len(value)} characters)"
    if isinstance(value, dict):
        return {key: _loggable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_loggable(item) for item in value]
    return value


def _check_prompt(value: object) -> str:
    if value is None:
        raise missing_parameter("prompt")
    if not isinstance(value, str):
        raise invalid_type("prompt", "a string", value)
    if not value:
        raise APIError(
            400,
            "Invalid 'prompt': string too short. Expected a string with minimum length 1, but got an empty "
            "string instead.",
            param="prompt",
            code="string_below_min_length",
        )
    if len(value) > MAX_PROMPT:
        raise APIError(
            400,
            f"Invalid 'prompt': string too long. Expected a string with maximum length {MAX_PROMPT}, but got "
            f"a string with length {len(value)} instead.",
            param="prompt",
            code="string_above_max_length",
        )
    return value


def _unsupported_content_type(content_type: str) -> APIError:
    return APIError(
        400,
        f"Unsupported content type: '{content_type}'. This API method only accepts 'application/json' and "
        f"'multipart/form-data' requests, but you specified the header 'Content-Type: {content_type}'. "
        "Please try again with a supported content type.",
        code="unsupported_content_type",
    )


async def _read_json(request: Request) -> dict[str, Any]:
    raw = await request.body()
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise APIError(400, INVALID_JSON_MESSAGE) from None
    if not isinstance(data, dict):
        raise APIError(
            400, f"Invalid type for body: expected an object, but got {json_type_name(data)} instead."
        )
    return data


def _json_text(data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, str):
        if name == "seconds":
            raise invalid_type("seconds", "one of '4', '8', or '12'", value)
        raise invalid_type(name, "a string", value)
    return value


def _json_reference(value: object) -> Reference | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid_type("input_reference", "an object", value)
    return _reference(value.get("image_url"), value.get("file_id"))


def _reference(image_url: object, file_id: object) -> Reference:
    if (image_url is None) == (file_id is None):
        raise APIError(
            400,
            "Invalid 'input_reference': provide exactly one of 'image_url' or 'file_id'.",
            param="input_reference",
            code="invalid_value",
        )
    for name, value in (("image_url", image_url), ("file_id", file_id)):
        if value is not None and (not isinstance(value, str) or not value):
            raise invalid_type(f"input_reference.{name}", "a non-empty string", value)
    return Reference(
        image_url=image_url if isinstance(image_url, str) else None,
        file_id=file_id if isinstance(file_id, str) else None,
    )


async def _form_reference(form: FormData) -> tuple[Reference | None, Any]:
    upload = form.get("input_reference")
    if isinstance(upload, UploadFile):
        data = await upload.read()
        content_type = upload.content_type
        summary = {"filename": upload.filename, "content_type": content_type, "size": len(data)}
        return Reference(data=data, content_type=content_type, filename=upload.filename), summary
    if upload is not None:
        raise APIError(
            400,
            "Invalid type for 'input_reference': expected a file, got a string.",
            param="input_reference",
            code="invalid_type",
        )
    image_url, file_id = form.get("input_reference[image_url]"), form.get("input_reference[file_id]")
    if image_url is None and file_id is None:
        return None, None
    if isinstance(image_url, UploadFile) or isinstance(file_id, UploadFile):
        raise invalid_type("input_reference", "a string", {})
    reference = _reference(image_url, file_id)
    return reference, {"image_url": image_url, "file_id": file_id}


def _form_text(form: FormData, name: str) -> str | None:
    value = form.get(name)
    if isinstance(value, UploadFile):
        raise APIError(
            400, f"Invalid type for '{name}': expected a string, got a file.", param=name, code="invalid_type"
        )
    return value


async def read_body(request: Request, *, prompt_only: bool = False) -> Body:
    """Parse a create body (JSON or form), checking types and the prompt; a 400 for anything wrong.

    ``prompt_only`` (remix) reads just the prompt and ignores every other field.
    """
    content_type = request.headers.get("content-type", "application/json")
    media_type = content_type.split(";", 1)[0].strip().lower()
    if media_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        try:
            return await _read_form(request, prompt_only=prompt_only)
        except HTTPException as exc:  # Starlette's answer to a malformed form
            raise APIError(400, f"Invalid form body: {exc.detail}") from None
    if media_type not in ("application/json", "") and not media_type.endswith("+json"):
        raise _unsupported_content_type(content_type)
    data = await _read_json(request)
    if prompt_only:
        return Body(_check_prompt(data.get("prompt")), None, None, None, None, _loggable(data))
    return Body(
        prompt=_check_prompt(data.get("prompt")),
        model=_json_text(data, "model"),
        seconds=_json_text(data, "seconds"),
        size=_json_text(data, "size"),
        reference=_json_reference(data.get("input_reference")),
        summary=_loggable(data),
    )


async def _read_form(request: Request, *, prompt_only: bool) -> Body:
    names = _FIELDS[:1] if prompt_only else _FIELDS
    async with request.form(max_files=16, max_fields=256, max_part_size=MAX_PART) as form:
        reference, reference_summary = (None, None) if prompt_only else await _form_reference(form)
        values = {name: _form_text(form, name) for name in names}
        summary: dict[str, Any] = {
            key: value for key, value in form.multi_items() if not isinstance(value, UploadFile)
        }
    if reference_summary is not None:
        summary["input_reference"] = reference_summary
    return Body(
        prompt=_check_prompt(values["prompt"]),
        model=values.get("model"),
        seconds=values.get("seconds"),
        size=values.get("size"),
        reference=reference,
        summary=_loggable(summary),
    )


def decode_data_url(url: str) -> tuple[str, bytes]:
    """``(media type, bytes)`` of a base64 ``data:`` URL; a 400 on ``input_reference`` otherwise."""
    header, comma, payload = url.partition(",")
    if not comma or not header.startswith("data:") or not header.endswith(";base64"):
        raise APIError(
            400,
            "Invalid 'input_reference.image_url': expected a URL or a base64 data URL "
            "(data:image/png;base64,...).",
            param="input_reference",
            code="invalid_value",
        )
    try:
        data = base64.b64decode(payload, validate=True)
    except (binascii.Error, ValueError):
        raise APIError(
            400,
            "Invalid 'input_reference.image_url': the data URL is not valid base64.",
            param="input_reference",
            code="invalid_value",
        ) from None
    return header[len("data:") : -len(";base64")].lower(), data
