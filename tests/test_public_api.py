"""The public surface: exactly what ``__all__`` says, lazily loaded, with sync and async twins in step."""

from __future__ import annotations

import inspect
import subprocess
import sys

import reelgate
from reelgate import _api
from reelgate._client import AsyncClient, Client

SEED_FUNCTIONS = [
    "video_generation",
    "video_status",
    "video_retrieval",
    "video_content",
    "video_content_stream",
    "video_download",
    "video_remix",
    "video_list",
    "video_delete",
    "video_wait",
]


def test_all_lists_exactly_the_public_names() -> None:
    public = {
        name
        for name, value in vars(reelgate).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert public <= set(reelgate.__all__), "a public name is missing from __all__"
    assert dir(reelgate) == reelgate.__all__
    assert reelgate.__all__ == sorted(reelgate.__all__)
    for name in reelgate.__all__:
        assert getattr(reelgate, name) is not None


def test_every_seed_function_has_an_async_twin() -> None:
    for name in SEED_FUNCTIONS:
        assert name in reelgate.__all__
        assert f"a{name}" in reelgate.__all__


def _signature(function: object) -> list[tuple[str, object, object]]:
    parameters = inspect.signature(function).parameters.values()  # type: ignore[arg-type]
    return [(p.name, p.kind, p.default) for p in parameters if p.name != "self"]


def test_async_functions_mirror_the_sync_ones() -> None:
    for name in SEED_FUNCTIONS:
        sync, asynchronous = getattr(_api, name), getattr(_api, f"a{name}")
        assert _signature(sync) == _signature(asynchronous), name
        assert inspect.signature(sync).parameters.keys() == inspect.signature(asynchronous).parameters.keys()
        expected_coroutine = name != "video_content_stream"
        assert inspect.iscoroutinefunction(asynchronous) is expected_coroutine, name


def test_async_client_mirrors_the_client() -> None:
    methods = [m for m in vars(Client) if not m.startswith("_") and m != "close"]
    assert sorted(methods) == sorted(m for m in vars(AsyncClient) if not m.startswith("_") and m != "aclose")
    for method in methods:
        assert _signature(getattr(Client, method)) == _signature(getattr(AsyncClient, method)), method
    assert _signature(Client.__init__) == _signature(AsyncClient.__init__)


def test_module_functions_take_the_client_methods_parameters() -> None:
    pairs = {
        "video_generation": "create",
        "video_status": "status",
        "video_retrieval": "status",
        "video_content": "content",
        "video_content_stream": "stream_content",
        "video_download": "download",
        "video_remix": "remix",
        "video_list": "list",
        "video_delete": "delete",
        "video_wait": "wait",
    }
    for function, method in pairs.items():
        assert _signature(getattr(_api, function)) == _signature(getattr(Client, method)), function


def test_import_is_light() -> None:
    heavy = ("httpx", "pydantic", "av", "PIL", "starlette")
    code = f"import sys, reelgate; print(','.join(m for m in {heavy!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"import reelgate pulled in: {result.stdout.strip()}"
