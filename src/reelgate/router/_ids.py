"""Signed video ids: the id a caller holds names the deployment that owns the video.

A Router spreads video creates over several deployments (two Azure regions with their own keys, say).
Every later call about a video (status, content, remix, delete) must go to the deployment, and use the
credentials, that created it. Instead of keeping that mapping in a table, the id the caller receives
carries it, signed with an HMAC so that nobody can make one up.

Format
------
::

    video_rg1_<base64url without padding of the bytes below>

    version        1 byte    0x01
    layout         1 byte    0x00  the upstream id follows as UTF-8
                             0x01  the upstream id is "video_" + lowercase hex of even length (OpenAI's
                                   and reelgate's local ids): only the bytes the hex spells are stored
    length         1 byte    length of the deployment id in bytes, 1 to 255
    deployment id  UTF-8
    upstream id    the rest, up to the tag
    tag            16 bytes  HMAC-SHA256(key, b"reelgate video id\\x00" + every byte above), truncated
                             to 128 bits

An OpenAI id through a deployment named ``azure-eastus`` gives a 73-character id; ``YXp1cmUtZWFzdHVz``
in it is ``azure-eastus`` in base64, and the last 22 characters are the tag (here for the key
``b"k" * 32``)::

    video_68d7512d07848190b3e45da0ecbebcde
    -> video_rg1_AQEMYXp1cmUtZWFzdHVzaNdRLQeEgZCz5F2g7L683kJulCNgB3K0IjZ5tN3QNxE

The ids are deterministic (the same deployment and upstream id always give the same id, so a video has
one id for its whole life), use only ``[A-Za-z0-9_-]`` and always pass
:func:`reelgate._validation.check_video_id`. :meth:`VideoIdCodec.encode` refuses a pair whose id would be
longer than 512 characters (an upstream id of roughly 290 bytes or more).

``video_rg1_`` cannot begin an OpenAI or local id: those continue with hex digits after ``video_``, and
``r`` is not one. An id without the prefix is not a signed id: :meth:`VideoIdCodec.decode` returns None
for it and leaves what to do with a raw upstream id to the router. An upstream whose own ids happen to
begin with ``video_rg1_`` (another reelgate in front of it, for instance) works through the router, as
its ids are wrapped like any other, but its raw ids are refused by ``decode``.

Threat model
------------
What the signature guarantees: without the key, a caller cannot produce an id that decodes, so reelgate
only ever sends status, content, remix and delete requests to a (deployment, upstream id) pair that it
issued itself when a create or remix went through it. A caller cannot point an id at another deployment,
splice the deployment of one id onto the upstream id of another, or pick an upstream id of their choosing;
any change, truncation or extension of a signed id, and any id signed with another key, is refused with
:class:`InvalidVideoIdError` before any upstream is contacted. A forgery succeeds with probability 2**-128
per attempt; tags are compared in constant time (:func:`hmac.compare_digest`).

What it does not do:

- It does not hide anything. The payload is base64, not encrypted: whoever holds an id can read the
  deployment id and the upstream id in it. Deployment ids therefore must not contain secrets, and they do
  show how deployments are named.
- It does not tie an id to a caller. Like an OpenAI video id, anyone holding a genuine id can use it; ids
  never expire; access control between tenants is a separate matter.
- It vouches for what the upstream returned, nothing more: the upstream id is the one the provider sent.

The key: ids stay valid exactly as long as the key does. Changing the key turns every id issued before into
an invalid one (a 404), and every process and machine answering the same callers must share the key:
configure it (router config or ``REELGATE_ID_KEY``) or share the data directory holding the generated
``id-key`` file. See :func:`load_key`.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import os
import re
import secrets
import stat
import tempfile
from pathlib import Path

from reelgate._paths import resolve_data_dir
from reelgate._warnings import warn_caller
from reelgate.errors import ConfigurationError, ReelgateError

__all__ = [
    "KEY_ENV",
    "KEY_FILE",
    "MIN_KEY_BYTES",
    "SIGNED_PREFIX",
    "InvalidVideoIdError",
    "VideoIdCodec",
    "load_key",
]

SIGNED_PREFIX = "video_rg1_"
KEY_ENV = "REELGATE_ID_KEY"
KEY_FILE = "id-key"
MIN_KEY_BYTES = 16
MAX_VIDEO_ID_CHARS = 512

_VERSION = 1
_LAYOUT_TEXT = 0
_LAYOUT_HEX = 1
_HEX_PREFIX = "video_"
_HEADER_BYTES = 3
_TAG_BYTES = 16
_MAC_CONTEXT = b"reelgate video id\x00"
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")
_LOWER_HEX = re.compile(r"(?:[0-9a-f]{2})+")
_GENERATED_KEY_BYTES = 32
_MAX_KEY_FILE_BYTES = 4096
_SHOWN_ID_CHARS = 80


class InvalidVideoIdError(ReelgateError):
    """A video id that looks signed (it starts with :data:`SIGNED_PREFIX`) but is not genuine.

    It was changed, truncated, or signed by another reelgate installation (another key). The router
    answers it with a 404 :class:`~reelgate.errors.NotFoundError`. The message shows (the start of) the id
    the caller sent and nothing else; ``reason`` (``malformed``, ``unsupported_version`` or ``signature``)
    is for logs.
    """

    def __init__(self, video_id: str, reason: str) -> None:
        shown = video_id if len(video_id) <= _SHOWN_ID_CHARS else video_id[:_SHOWN_ID_CHARS] + "..."
        super().__init__(
            f"video id {shown!r} is not valid (tampered, truncated or from another reelgate installation)"
        )
        self.video_id = video_id
        self.reason = reason


class VideoIdCodec:
    """Encode a (deployment id, upstream id) pair into a signed video id, and back."""

    __slots__ = ("_mac",)

    def __init__(self, key: bytes) -> None:
        if len(key) < MIN_KEY_BYTES:
            raise ValueError(f"the video id key must be at least {MIN_KEY_BYTES} bytes, got {len(key)}")
        self._mac = hmac.new(bytes(key), _MAC_CONTEXT, hashlib.sha256)

    def __repr__(self) -> str:
        return "VideoIdCodec(key=<hidden>)"

    def encode(self, deployment_id: str, upstream_id: str) -> str:
        """The signed id for ``upstream_id`` on ``deployment_id``: same inputs, same id."""
        deployment = deployment_id.encode("utf-8")
        if not 1 <= len(deployment) <= 255:
            raise ValueError(f"a deployment id must be 1 to 255 bytes of UTF-8, got {len(deployment)}")
        if not upstream_id:
            raise ValueError("the upstream video id is empty")
        hex_digits = upstream_id.removeprefix(_HEX_PREFIX)
        if hex_digits != upstream_id and _LOWER_HEX.fullmatch(hex_digits):
            layout, upstream = _LAYOUT_HEX, bytes.fromhex(hex_digits)
        else:
            layout, upstream = _LAYOUT_TEXT, upstream_id.encode("utf-8")
        video_id = self._seal(bytes((_VERSION, layout, len(deployment))) + deployment + upstream)
        if len(video_id) > MAX_VIDEO_ID_CHARS:
            raise ValueError(
                f"upstream id of {len(upstream_id)} characters on deployment {deployment_id!r} would make a "
                f"{len(video_id)}-character video id; the limit is {MAX_VIDEO_ID_CHARS}"
            )
        return video_id

    def decode(self, video_id: str) -> tuple[str, str] | None:
        """``(deployment_id, upstream_id)`` of a genuine signed id, None for an id that is not signed.

        Raises :class:`InvalidVideoIdError` for an id that starts with :data:`SIGNED_PREFIX` but was
        changed, truncated or signed with another key. Nothing else is ever raised, whatever the input.
        """
        if not self.is_signed(video_id):
            return None
        body = video_id[len(SIGNED_PREFIX) :]
        if len(video_id) > MAX_VIDEO_ID_CHARS or not _BASE64URL.fullmatch(body) or len(body) % 4 == 1:
            raise InvalidVideoIdError(video_id, "malformed")
        try:
            sealed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        except (binascii.Error, ValueError):  # not expected after the checks above; never let it escape
            raise InvalidVideoIdError(video_id, "malformed") from None
        if _base64url(sealed) != body:  # unused low bits set in the last character
            raise InvalidVideoIdError(video_id, "malformed")
        if len(sealed) < _HEADER_BYTES + 2 + _TAG_BYTES:
            raise InvalidVideoIdError(video_id, "malformed")
        if sealed[0] != _VERSION:
            raise InvalidVideoIdError(video_id, "unsupported_version")
        message, tag = sealed[:-_TAG_BYTES], sealed[-_TAG_BYTES:]
        if not hmac.compare_digest(tag, self._tag(message)):
            raise InvalidVideoIdError(video_id, "signature")
        try:
            return _parse(message)
        except (ValueError, IndexError):  # signed with this key yet not written by encode
            raise InvalidVideoIdError(video_id, "malformed") from None

    @staticmethod
    def is_signed(video_id: str) -> bool:
        """Whether ``video_id`` claims to be a signed id (genuine or not): it starts with the prefix."""
        return isinstance(video_id, str) and video_id.startswith(SIGNED_PREFIX)

    def _tag(self, message: bytes) -> bytes:
        mac = self._mac.copy()
        mac.update(message)
        return mac.digest()[:_TAG_BYTES]

    def _seal(self, message: bytes) -> str:
        return SIGNED_PREFIX + _base64url(message + self._tag(message))


def _base64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _parse(message: bytes) -> tuple[str, str]:
    """The pair in an authenticated message; ValueError or IndexError when it is not laid out right."""
    layout, length = message[1], message[2]
    deployment, upstream = message[_HEADER_BYTES : _HEADER_BYTES + length], message[_HEADER_BYTES + length :]
    if length == 0 or len(deployment) != length or not upstream:
        raise ValueError("bad lengths")
    if layout == _LAYOUT_HEX:
        return deployment.decode("utf-8"), _HEX_PREFIX + upstream.hex()
    if layout == _LAYOUT_TEXT:
        return deployment.decode("utf-8"), upstream.decode("utf-8")
    raise ValueError("unknown layout")


def load_key(
    configured: str | bytes | None = None, *, data_dir: str | os.PathLike[str] | None = None
) -> bytes:
    """The key that signs video ids.

    In order: ``configured`` (the router's configuration), else the ``REELGATE_ID_KEY`` environment
    variable (an empty value counts as unset), else the ``id-key`` file in the data directory
    (:func:`reelgate._paths.resolve_data_dir`), generated on first use: 32 random bytes written as hex,
    readable by the owner only (0o600). Text keys are used as their UTF-8 bytes and must be at least 16
    bytes long.

    The file is created at most once even when processes race: each writes a complete key to a private
    temporary file and hard-links it into place, which fails if the file already exists, in which case it
    reads the winner's key. If the file is readable by group or others, its permissions are tightened to
    0o600 with a warning (the key may have been read; rotate it if that matters). Any problem raises
    :class:`~reelgate.errors.ConfigurationError` naming the source and what to do; no message ever
    contains the key.
    """
    if configured is not None:
        return _checked_key(configured, "the configured video id key")
    from_environment = os.environ.get(KEY_ENV)
    if from_environment:
        return _checked_key(from_environment, KEY_ENV)
    path = resolve_data_dir(data_dir) / KEY_FILE
    try:
        return _read_key_file(path)
    except FileNotFoundError:
        return _create_key_file(path)


def _checked_key(key: str | bytes, source: str) -> bytes:
    raw = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    if len(raw) < MIN_KEY_BYTES:
        raise ConfigurationError(
            f"{source} is {len(raw)} bytes long; a video id key must be at least {MIN_KEY_BYTES} bytes "
            "(32 random bytes are best, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`)"
        )
    return raw


def _read_key_file(path: Path) -> bytes:
    """The key in an existing file; FileNotFoundError when there is none yet."""
    advice = (
        f"delete it to have a new key generated (ids issued with the old key will stop working), "
        f"or set {KEY_ENV}"
    )
    try:
        with open(path, "rb") as handle:
            _tighten_permissions(path, os.fstat(handle.fileno()).st_mode)
            text = handle.read(_MAX_KEY_FILE_BYTES + 1)
    except FileNotFoundError:
        raise
    except OSError as error:
        raise ConfigurationError(
            f"cannot read the video id key file {path} ({error.strerror or type(error).__name__}); "
            f"make it readable by this user, {advice}"
        ) from None
    try:
        key = bytes.fromhex(text.decode("ascii").strip())
    except ValueError:
        key = b""
    if len(key) < MIN_KEY_BYTES or len(text) > _MAX_KEY_FILE_BYTES:
        raise ConfigurationError(
            f"the video id key file {path} does not hold a key (at least {MIN_KEY_BYTES} bytes as hex "
            f"digits); {advice}"
        )
    return key


def _tighten_permissions(path: Path, mode: int) -> None:
    if os.name == "nt" or not stat.S_ISREG(mode) or not mode & 0o077:
        return
    try:
        os.chmod(path, 0o600)
    except OSError as error:
        raise ConfigurationError(
            f"the video id key file {path} is readable by other users and its permissions cannot be "
            f"changed ({error.strerror or type(error).__name__}); run `chmod 600 {path}` as its owner"
        ) from None
    warn_caller(
        f"the video id key file {path} was readable by other users (mode {stat.S_IMODE(mode):o}); "
        "reelgate set it to 600. If others may have read it, delete it to generate a new key "
        "(ids issued with the old key will stop working)"
    )


def _create_key_file(path: Path) -> bytes:
    """Write a new random key to ``path`` unless another process gets there first; return the key in it."""
    key = secrets.token_bytes(_GENERATED_KEY_BYTES)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temp = tempfile.mkstemp(prefix=f".{KEY_FILE}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise ConfigurationError(
            f"cannot create the video id key file {path} ({error.strerror or type(error).__name__}); "
            f"make {path.parent} writable or set {KEY_ENV}"
        ) from None
    try:
        with os.fdopen(descriptor, "wb") as handle:  # mkstemp: O_CREAT | O_EXCL, mode 0o600
            handle.write(key.hex().encode("ascii") + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temp, path)  # atomic create-if-absent: never replaces a key another process wrote
        except FileExistsError:
            pass  # another process won the race: its key is the key
        except OSError as error:
            raise ConfigurationError(
                f"cannot create the video id key file {path} ({error.strerror or type(error).__name__}); "
                f"the data directory must support hard links, or set {KEY_ENV}"
            ) from None
        _fsync_directory(path.parent)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    return _read_key_file(path)


def _fsync_directory(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not possible everywhere (Windows); the key file is fsynced anyway
        descriptor = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
