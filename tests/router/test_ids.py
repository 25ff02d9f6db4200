"""Signed video ids: they round-trip, any change to them is caught, and the key behind them is loaded
(or generated exactly once, even by racing processes) without ever showing up in a message."""

from __future__ import annotations

import base64
import os
import stat
import string
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reelgate._validation import check_video_id
from reelgate.errors import ConfigurationError
from reelgate.router._ids import (
    KEY_ENV,
    KEY_FILE,
    SIGNED_PREFIX,
    InvalidVideoIdError,
    VideoIdCodec,
    load_key,
)

KEY = b"reelgate test key, 32 bytes long"
OTHER_KEY = b"another installation's own key!!"
CODEC = VideoIdCodec(KEY)
OPENAI_ID = "video_68d7512d07848190b3e45da0ecbebcde"
LOCAL_ID = "video_18eb781c9c64a0bea3e29c2a1b3131c8"
ID_ALPHABET = string.ascii_letters + string.digits + "_-.:~"  # what check_video_id accepts

deployment_ids = st.from_regex(r"[A-Za-z0-9._-]{1,64}", fullmatch=True)
upstream_ids = st.one_of(
    st.text(alphabet=ID_ALPHABET, min_size=1, max_size=200),
    st.binary(min_size=1, max_size=64).map(lambda raw: "video_" + raw.hex()),  # OpenAI-like ids
)
POSIX_ONLY = pytest.mark.skipif(os.name == "nt", reason="file modes are a POSIX matter")


@pytest.fixture(autouse=True)
def no_key_in_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(KEY_ENV, raising=False)


# --- the codec --------------------------------------------------------------------------------------


@given(deployment_ids, upstream_ids)
def test_round_trip_gives_back_the_pair(deployment_id: str, upstream_id: str) -> None:
    video_id = CODEC.encode(deployment_id, upstream_id)
    assert CODEC.decode(video_id) == (deployment_id, upstream_id)
    assert VideoIdCodec.is_signed(video_id)


@given(deployment_ids, upstream_ids)
def test_encoded_ids_are_valid_url_safe_video_ids(deployment_id: str, upstream_id: str) -> None:
    video_id = CODEC.encode(deployment_id, upstream_id)
    assert check_video_id(video_id, "test") == video_id
    assert video_id.startswith(("video_", SIGNED_PREFIX))
    assert len(video_id) <= 512
    assert set(video_id) <= set(string.ascii_letters + string.digits + "_-")


@given(deployment_ids, upstream_ids)
def test_encoding_is_deterministic(deployment_id: str, upstream_id: str) -> None:
    assert CODEC.encode(deployment_id, upstream_id) == VideoIdCodec(KEY).encode(deployment_id, upstream_id)


@given(deployment_ids, upstream_ids, st.data())
def test_any_single_character_change_is_rejected(
    deployment_id: str, upstream_id: str, data: st.DataObject
) -> None:
    video_id = CODEC.encode(deployment_id, upstream_id)
    position = data.draw(st.integers(0, len(video_id) - 1), label="position")
    replacement = data.draw(st.sampled_from(ID_ALPHABET.replace(video_id[position], "")), label="char")
    changed = video_id[:position] + replacement + video_id[position + 1 :]
    _assert_rejected(changed, prefix_changed=position < len(SIGNED_PREFIX))


@pytest.mark.parametrize("upstream_id", [OPENAI_ID, "task-123"])
def test_every_single_character_change_of_one_id_is_rejected(upstream_id: str) -> None:
    video_id = CODEC.encode("azure-eastus", upstream_id)
    for position, original in enumerate(video_id):
        for replacement in ID_ALPHABET.replace(original, ""):
            changed = video_id[:position] + replacement + video_id[position + 1 :]
            _assert_rejected(changed, prefix_changed=position < len(SIGNED_PREFIX))


def test_the_unused_bits_of_the_last_character_are_checked() -> None:
    """Lenient base64 decoders ignore the low bits of a final partial character; here they must be zero."""
    video_id = CODEC.encode("azure-eastus", OPENAI_ID)
    body = video_id[len(SIGNED_PREFIX) :]
    assert len(body) % 4 == 3  # the last character carries 4 data bits and 2 unused ones
    alphabet = string.ascii_uppercase + string.ascii_lowercase + string.digits + "-_"
    last = alphabet.index(body[-1])
    for low_bits in (1, 2, 3):
        sibling = video_id[:-1] + alphabet[last ^ low_bits]
        assert base64.urlsafe_b64decode(sibling[len(SIGNED_PREFIX) :] + "=") == base64.urlsafe_b64decode(
            body + "="
        )
        _assert_rejected(sibling, prefix_changed=False)


@given(deployment_ids, upstream_ids)
def test_any_truncation_or_extension_is_rejected(deployment_id: str, upstream_id: str) -> None:
    video_id = CODEC.encode(deployment_id, upstream_id)
    for length in range(len(video_id)):
        _assert_rejected(video_id[:length], prefix_changed=length < len(SIGNED_PREFIX))
    for suffix in ("A", "AA", "AAA", "AAAA", "_", "-x"):
        _assert_rejected(video_id + suffix, prefix_changed=False)


@given(deployment_ids, upstream_ids)
def test_an_id_signed_with_another_key_is_rejected(deployment_id: str, upstream_id: str) -> None:
    foreign = VideoIdCodec(OTHER_KEY).encode(deployment_id, upstream_id)
    with pytest.raises(InvalidVideoIdError) as caught:
        CODEC.decode(foreign)
    assert caught.value.reason == "signature"


@pytest.mark.parametrize(
    "raw_id", [OPENAI_ID, LOCAL_ID, "task-123", "video_", "video_rg", "video_rg1", "x", "video_r9"]
)
def test_raw_upstream_ids_are_not_signed_ids(raw_id: str) -> None:
    assert CODEC.decode(raw_id) is None
    assert not VideoIdCodec.is_signed(raw_id)


def test_not_a_string_is_not_a_signed_id() -> None:
    assert CODEC.decode(b"video_rg1_AAAA") is None  # type: ignore[arg-type]
    assert not VideoIdCodec.is_signed(None)  # type: ignore[arg-type]


@given(st.text(max_size=600))
def test_garbage_after_the_prefix_is_invalid(garbage: str) -> None:
    with pytest.raises(InvalidVideoIdError):
        CODEC.decode(SIGNED_PREFIX + garbage)


@given(st.binary(max_size=400))
def test_well_formed_base64_garbage_is_invalid(garbage: bytes) -> None:
    body = base64.urlsafe_b64encode(garbage).decode().rstrip("=")
    with pytest.raises(InvalidVideoIdError):
        CODEC.decode(SIGNED_PREFIX + body)


@given(st.text(max_size=600))
def test_any_text_is_either_not_signed_or_invalid(text: str) -> None:
    try:
        result = CODEC.decode(text)
    except InvalidVideoIdError:
        assert text.startswith(SIGNED_PREFIX)
    else:
        assert result is None
        assert not text.startswith(SIGNED_PREFIX)


@given(st.binary(max_size=400))
def test_correctly_signed_nonsense_never_raises_anything_else(payload: bytes) -> None:
    """Even a message the key really signed (only a bug could produce one) decodes or is refused."""
    video_id = CODEC._seal(bytes([1]) + payload)
    try:
        deployment_id, upstream_id = CODEC.decode(video_id) or ("", "")
    except InvalidVideoIdError:
        return
    assert deployment_id
    assert upstream_id


def test_a_future_version_is_refused() -> None:
    video_id = CODEC._seal(bytes([2, 0, 1]) + b"d" + b"upstream")
    with pytest.raises(InvalidVideoIdError) as caught:
        CODEC.decode(video_id)
    assert caught.value.reason == "unsupported_version"


def test_the_invalid_id_error_names_the_id_and_no_secret() -> None:
    forged = SIGNED_PREFIX + "A" * 600
    with pytest.raises(InvalidVideoIdError) as caught:
        CODEC.decode(forged)
    message = str(caught.value)
    assert "is not valid (tampered, truncated or from another reelgate installation)" in message
    assert len(message) < 200
    assert KEY.decode() not in message
    assert caught.value.video_id == forged


@pytest.mark.parametrize(
    "upstream_id", [OPENAI_ID, LOCAL_ID, "video_ABCDEF", "video_abc", "video_", "video_0", "a", "ü-ñ"]
)
def test_hex_and_text_upstream_ids_both_round_trip_exactly(upstream_id: str) -> None:
    assert CODEC.decode(CODEC.encode("d", upstream_id)) == ("d", upstream_id)


def test_ids_are_short() -> None:
    assert len(CODEC.encode("azure-eastus", OPENAI_ID)) < 80
    assert len(CODEC.encode("local", LOCAL_ID)) < 80


def test_the_payload_is_readable_but_not_forgeable() -> None:
    """Documented behaviour: the deployment id is in the id in plain base64, only the tag protects it."""
    video_id = CODEC.encode("azure-eastus", OPENAI_ID)
    assert base64.urlsafe_b64encode(b"azure-eastus").decode() in video_id
    swapped = video_id.replace(base64.urlsafe_b64encode(b"azure-eastus").decode(), "YXp1cmUtd2VzdHVz")
    assert base64.urlsafe_b64decode("YXp1cmUtd2VzdHVz") == b"azure-westus"
    _assert_rejected(swapped, prefix_changed=False)


def test_encode_refuses_what_it_cannot_sign() -> None:
    for deployment_id, upstream_id in [("", OPENAI_ID), ("d" * 256, OPENAI_ID), ("d", ""), ("d", "x" * 400)]:
        with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
            CODEC.encode(deployment_id, upstream_id)


def test_the_codec_wants_a_long_key_and_hides_it() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        VideoIdCodec(b"too short")
    assert KEY.decode() not in repr(CODEC)


def _assert_rejected(video_id: str, *, prefix_changed: bool) -> None:
    """Never a valid result: None if the prefix itself was broken, InvalidVideoIdError otherwise."""
    if prefix_changed:
        assert CODEC.decode(video_id) is None, video_id
    else:
        with pytest.raises(InvalidVideoIdError):
            CODEC.decode(video_id)


# --- the key ----------------------------------------------------------------------------------------


def test_configured_key_wins_over_environment_and_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, "an environment key of some length")
    (tmp_path / KEY_FILE).write_text("00" * 32)
    assert load_key("a configured key, long enough", data_dir=tmp_path) == b"a configured key, long enough"
    assert load_key(b"\x00" * 16 + b"\xff", data_dir=tmp_path) == b"\x00" * 16 + b"\xff"


def test_environment_key_wins_over_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "an environment key of some length")
    assert load_key(data_dir=tmp_path) == b"an environment key of some length"
    assert not (tmp_path / KEY_FILE).exists()


def test_an_empty_environment_variable_counts_as_unset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(KEY_ENV, "")
    assert len(load_key(data_dir=tmp_path)) == 32


def test_text_keys_are_their_utf8_bytes() -> None:
    assert load_key("ключ-ключ-ключ") == "ключ-ключ-ключ".encode()  # 14 characters, 27 bytes


@pytest.mark.parametrize("configured", ["abc123", b"abc123", "fifteen chars!!", ""])
def test_short_configured_keys_are_refused_without_showing_them(configured: str | bytes) -> None:
    with pytest.raises(ConfigurationError, match="at least 16 bytes") as caught:
        load_key(configured)
    assert "configured" in str(caught.value)
    if configured:
        assert str(configured.decode() if isinstance(configured, bytes) else configured) not in str(
            caught.value
        )


def test_a_short_environment_key_is_refused_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(KEY_ENV, "s3cr3t")
    with pytest.raises(ConfigurationError, match=f"{KEY_ENV} is 6 bytes long.*at least 16 bytes") as caught:
        load_key()
    assert "s3cr3t" not in str(caught.value)


@POSIX_ONLY
def test_the_generated_key_file_is_private_and_stable(tmp_path: Path) -> None:
    data_dir = tmp_path / "not" / "yet" / "there"
    key = load_key(data_dir=data_dir)
    path = data_dir / KEY_FILE
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().strip() == key.hex()
    assert load_key(data_dir=data_dir) == key
    assert sorted(p.name for p in data_dir.iterdir()) == [KEY_FILE]  # no temporary file left behind


def test_the_data_directory_defaults_to_reelgate_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGATE_DATA_DIR", str(tmp_path))
    key = load_key()
    assert (tmp_path / KEY_FILE).read_text().strip() == key.hex()


def test_two_installations_get_different_keys(tmp_path: Path) -> None:
    assert load_key(data_dir=tmp_path / "a") != load_key(data_dir=tmp_path / "b")


def test_a_process_that_loses_the_race_uses_the_winners_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    winner = "ab" * 32
    real_link = os.link

    def link_after_the_winner(source: str, destination: str) -> None:
        descriptor = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(winner + "\n")
        real_link(source, destination)

    monkeypatch.setattr(os, "link", link_after_the_winner)
    assert load_key(data_dir=tmp_path) == bytes.fromhex(winner)
    assert sorted(p.name for p in tmp_path.iterdir()) == [KEY_FILE]


def test_racing_processes_end_with_the_same_key(tmp_path: Path) -> None:
    """Processes start, import, say they are ready, then all load the key at the same moment."""
    script = (
        "import os, pathlib, sys, time\n"
        "from reelgate.router._ids import load_key\n"
        "pathlib.Path(sys.argv[1] + '.ready-' + sys.argv[3]).touch()\n"
        "while not os.path.exists(sys.argv[1]):\n"
        "    time.sleep(0.0005)\n"
        "print(load_key(data_dir=sys.argv[2]).hex())\n"
    )
    environment = {name: value for name, value in os.environ.items() if name != KEY_ENV}
    for attempt in range(3):
        go, data_dir = tmp_path / f"go-{attempt}", tmp_path / f"data-{attempt}"
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", script, str(go), str(data_dir), str(number)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=environment,
            )
            for number in range(6)
        ]
        deadline = time.monotonic() + 60
        while (
            len(list(tmp_path.glob(f"go-{attempt}.ready-*"))) < len(workers) and time.monotonic() < deadline
        ):
            time.sleep(0.01)
        go.touch()
        keys = set()
        for worker in workers:
            out, err = worker.communicate(timeout=60)
            assert worker.returncode == 0, err
            keys.add(out.strip())
        assert keys == {(data_dir / KEY_FILE).read_text().strip()}
        assert sorted(p.name for p in data_dir.iterdir()) == [KEY_FILE]


@pytest.mark.parametrize(
    "content",
    [b"", b"not a key at all, but maybe a secret", b"abcd" * 4, b"\xff\xfe garbage \x00", b"0" * 5000],
)
def test_a_garbled_key_file_is_a_configuration_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / KEY_FILE
    path.write_bytes(content)
    path.chmod(0o600)
    with pytest.raises(ConfigurationError) as caught:
        load_key(data_dir=tmp_path)
    message = str(caught.value)
    assert str(path) in message
    assert "delete it" in message
    assert KEY_ENV in message
    if content:
        assert content.decode("latin-1")[:20] not in message
    assert path.read_bytes() == content  # never replaced behind the user's back


def test_an_unreadable_key_path_is_a_configuration_error(tmp_path: Path) -> None:
    (tmp_path / KEY_FILE).mkdir()
    with pytest.raises(ConfigurationError, match="cannot read the video id key file"):
        load_key(data_dir=tmp_path)


@POSIX_ONLY
def test_a_key_file_readable_by_others_is_tightened_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / KEY_FILE
    path.write_text("cd" * 32 + "\n")
    path.chmod(0o644)
    with pytest.warns(UserWarning, match="readable by other users") as warned:
        assert load_key(data_dir=tmp_path) == bytes.fromhex("cd" * 32)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "cd" * 32 not in str(warned[0].message)
    assert load_key(data_dir=tmp_path) == bytes.fromhex("cd" * 32)  # no second warning (would be an error)


def test_a_file_system_without_hard_links_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: str, destination: str) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    with pytest.raises(ConfigurationError, match=f"hard links, or set {KEY_ENV}"):
        load_key(data_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


@settings(max_examples=25)
@given(key=st.binary(min_size=16, max_size=64))
def test_a_loaded_key_makes_a_working_codec(key: bytes) -> None:
    codec = VideoIdCodec(load_key(key))
    assert codec.decode(codec.encode("azure-eastus", OPENAI_ID)) == ("azure-eastus", OPENAI_ID)
