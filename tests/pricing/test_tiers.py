"""Sizes and resolutions map to the tier they are billed at, by the shorter side."""

from __future__ import annotations

import pytest

from reelgate.pricing import size_tier


@pytest.mark.parametrize(
    ("size", "tier"),
    [
        ("720x1280", "720p"),
        ("1280x720", "720p"),
        ("1024x1792", "1024p"),
        ("1792x1024", "1024p"),
        ("1080x1920", "1080p"),
        ("1920x1080", "1080p"),
        ("3840x2160", "4k"),
        ("2160x3840", "4k"),
        ("960x960", "960p"),
        ("100x100", "100p"),
        ("1280:720", "720p"),
        (" 1280X720 ", "720p"),
        ("720p", "720p"),
        ("1080P", "1080p"),
        ("4k", "4k"),
        ("4K", "4k"),
        ("2160p", "4k"),
        ("8k", "8k"),
    ],
)
def test_size_and_resolution_to_tier(size: str, tier: str) -> None:
    assert size_tier(size) == tier


@pytest.mark.parametrize(
    "size", [None, "", "big", "0x720", "1280x0", "0p", "0k", "1280x720x3", "p", "16:9", "9:16", "4x3"]
)
def test_no_tier(size: str | None) -> None:
    assert size_tier(size) is None
