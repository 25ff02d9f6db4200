"""Cursor pagination of GET /videos: every page walked in both orders, no gaps, no repeats."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelgate.emulator import EmulatedServer
from tests.emulator._support import KEY, FakeClock, create, error_of


def walk(api: httpx.Client, *, limit: int, order: str | None) -> list[str]:
    """Every id, following ``after = last_id`` while ``has_more``."""
    ids: list[str] = []
    params: dict[str, Any] = {"limit": limit}
    if order is not None:
        params["order"] = order
    for _ in range(100):
        page = api.get("/videos", params=params).json()
        assert set(page) == {"object", "data", "first_id", "last_id", "has_more"}
        assert page["object"] == "list"
        assert len(page["data"]) <= limit
        if page["data"]:
            assert page["first_id"] == page["data"][0]["id"]
            assert page["last_id"] == page["data"][-1]["id"]
        else:
            assert page["first_id"] is None
            assert page["last_id"] is None
        ids.extend(video["id"] for video in page["data"])
        if not page["has_more"]:
            return ids
        params["after"] = page["last_id"]
    raise AssertionError("pagination did not end")


@pytest.fixture
def seven(api: httpx.Client, clock: FakeClock) -> list[str]:
    """Seven videos in creation order, some sharing a created_at second."""
    ids = []
    for index in range(7):
        ids.append(create(api, prompt=f"video {index}")["id"])
        clock.advance(0.4)
    return ids


@pytest.mark.parametrize("limit", [1, 2, 3, 7, 20, 100])
def test_walks_every_page_in_both_orders(api: httpx.Client, seven: list[str], limit: int) -> None:
    assert walk(api, limit=limit, order="asc") == seven
    assert walk(api, limit=limit, order="desc") == seven[::-1]
    assert walk(api, limit=limit, order=None) == seven[::-1]  # desc by default


def test_default_limit_is_20(api: httpx.Client, clock: FakeClock) -> None:
    for _ in range(21):
        create(api)
    page = api.get("/videos").json()
    assert len(page["data"]) == 20
    assert page["has_more"] is True


def test_empty_list_has_all_five_keys(api: httpx.Client) -> None:
    assert api.get("/videos").json() == {
        "object": "list",
        "data": [],
        "first_id": None,
        "last_id": None,
        "has_more": False,
    }


def test_limit_zero_is_an_empty_page(api: httpx.Client, seven: list[str]) -> None:
    page = api.get("/videos", params={"limit": 0}).json()
    assert (page["data"], page["first_id"], page["last_id"]) == ([], None, None)


@pytest.mark.parametrize(
    ("params", "param", "code"),
    [
        ({"limit": 101}, "limit", "integer_above_max_value"),
        ({"limit": -1}, "limit", "integer_below_min_value"),
        ({"limit": "many"}, "limit", "invalid_type"),
        ({"order": "sideways"}, "order", "invalid_value"),
        ({"after": "video_never_seen"}, "after", "invalid_value"),
    ],
)
def test_bad_list_parameters_are_400(
    api: httpx.Client, params: dict[str, Any], param: str, code: str
) -> None:
    response = api.get("/videos", params=params)
    assert response.status_code == 400
    error = error_of(response)
    assert (error["param"], error["code"]) == (param, code)


def test_a_deleted_video_still_works_as_a_cursor(api: httpx.Client, seven: list[str]) -> None:
    api.delete(f"/videos/{seven[2]}")
    page = api.get("/videos", params={"order": "asc", "after": seven[2], "limit": 2}).json()
    assert [video["id"] for video in page["data"]] == seven[3:5]
    assert walk(api, limit=3, order="asc") == seven[:2] + seven[3:]


@settings(
    max_examples=15, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    count=st.integers(0, 12),
    limit=st.integers(1, 5),
    asc=st.booleans(),
    steps=st.lists(st.floats(0, 2), max_size=12),
)
def test_pagination_property(
    server: EmulatedServer, clock: FakeClock, count: int, limit: int, asc: bool, steps: list[float]
) -> None:
    server.emulator.reset(server.emulator.config)
    with httpx.Client(base_url=server.api_root, headers={"Authorization": f"Bearer {KEY}"}) as api:
        ids = []
        for index in range(count):
            ids.append(create(api)["id"])
            clock.advance(steps[index] if index < len(steps) else 0.0)
        expected = ids if asc else ids[::-1]
        assert walk(api, limit=limit, order="asc" if asc else "desc") == expected
