"""Exit codes, and how an exception becomes the short message a user sees instead of a traceback.

======  ==========================================================================================
 code   meaning
======  ==========================================================================================
 0      success
 1      the operation failed: the provider failed or could not be reached, the video ended
        ``failed`` / ``cancelled`` / ``expired``, a wait timed out, a file could not be written
 2      bad input or usage: an unknown option or model, a bad size or duration, a missing image
        file, a refused or broken SQL query (typer's own usage errors are 2 as well)
 3      not found: no video with that id (or no price for that model)
 4      configuration or authentication: a missing or rejected API key, a missing base URL, an
        unusable data directory, a broken price override
 130    interrupted with Ctrl-C (a video being waited on keeps running)
======  ==========================================================================================

A user error prints ``error: <what went wrong>`` on stderr, and a ``hint: <what to do>`` line where
the CLI knows something useful to add. Anything not recognised here is a bug and keeps its traceback.
"""

from __future__ import annotations

import errno
import sys
from enum import IntEnum


class ExitCode(IntEnum):
    """The documented exit codes of ``reelgate``."""

    OK = 0
    FAILED = 1
    USAGE = 2
    NOT_FOUND = 3
    CONFIG = 4
    INTERRUPTED = 130


EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 the operation failed (provider error, failed video, timeout); "
    "2 bad input or usage; 3 not found; 4 configuration or authentication; 130 interrupted."
)


class CliError(Exception):
    """A failure to report as ``<label>: <message>`` (plus an optional ``hint:``), exiting with ``code``."""

    def __init__(
        self,
        message: str,
        *,
        code: ExitCode = ExitCode.FAILED,
        hint: str | None = None,
        label: str = "error",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.hint = hint
        self.label = label


_PARAM_HINTS = {
    "model": "pass --model provider/model (for example openai/sora-2) or set REELGATE_MODEL",
    "size": "pass --size as WIDTHxHEIGHT, one the model accepts (for example 1280x720)",
    "seconds": "pass --seconds with a duration the model accepts",
    "input_reference": "pass --image a JPEG, PNG or WebP file with the same size as --size",
    "video_id": "pass the id printed by 'reelgate generate' or shown by 'reelgate list'",
}
_KEYS = "OPENAI_API_KEY, AZURE_OPENAI_API_KEY or OPENAI_COMPATIBLE_API_KEY"
_BASES = "OPENAI_BASE_URL, AZURE_OPENAI_ENDPOINT or OPENAI_COMPATIBLE_API_BASE"
DATA_DIR_HINT = "pass --data-dir PATH (or set REELGATE_DATA_DIR) to a directory you can write"


def _loaded(module: str, name: str) -> type[BaseException] | None:
    """An exception class, if its module was imported (else nothing could have raised it)."""
    found = getattr(sys.modules.get(module), name, None)
    return found if isinstance(found, type) and issubclass(found, BaseException) else None


def _from_library(exc: Exception) -> CliError | None:
    """Map reelgate's own errors (imported on the error path only, to keep startup light)."""
    from reelgate import errors

    if not isinstance(exc, errors.ReelgateError):
        return None
    if isinstance(exc, errors.NotFoundError):
        hint = (
            "'reelgate list' shows the provider's videos (pass the same --model); "
            "a download needs a completed video ('reelgate status ID')"
        )
        return CliError(exc.message, code=ExitCode.NOT_FOUND, hint=hint)
    data_directory_error = _loaded("reelgate.ledger._errors", "DataDirectoryError")
    if data_directory_error is not None and isinstance(exc, data_directory_error):
        return CliError(exc.message, code=ExitCode.CONFIG, hint=DATA_DIR_HINT)
    if isinstance(exc, errors.AuthenticationError | errors.PermissionDeniedError):
        return CliError(exc.message, code=ExitCode.CONFIG, hint=f"check the provider's key ({_KEYS})")
    if isinstance(exc, errors.ConfigurationError):
        return CliError(exc.message, code=ExitCode.CONFIG)
    if isinstance(exc, errors.BadRequestError | errors.UnprocessableEntityError):
        return CliError(exc.message, code=ExitCode.USAGE, hint=_PARAM_HINTS.get(exc.param or ""))
    if isinstance(exc, errors.UnsupportedError | ValueError):
        return CliError(str(exc), code=ExitCode.USAGE)
    if isinstance(exc, errors.APIConnectionError):
        return CliError(exc.message, hint=f"check that the server is up and its base URL ({_BASES})")
    return CliError(exc.message)


def classify(exc: BaseException) -> CliError | None:
    """The user-facing error for ``exc``, or None when it is not a user error (a bug: keep the traceback)."""
    if isinstance(exc, CliError):
        return exc
    if isinstance(exc, KeyboardInterrupt):
        return CliError("stopped by Ctrl-C", code=ExitCode.INTERRUPTED, label="interrupted")
    if not isinstance(exc, Exception):
        return None
    mapped = _from_library(exc) if "reelgate.errors" in sys.modules else None  # else nothing of ours raised
    if mapped is not None:
        return mapped
    if isinstance(exc, ValueError):
        return CliError(str(exc), code=ExitCode.USAGE)
    if isinstance(exc, OSError) and exc.errno != errno.EPIPE:  # a closed pipe is typer's to handle
        return CliError(describe_os_error(exc))
    return None


def describe_os_error(exc: OSError) -> str:
    """``Permission denied: out/cat.mp4`` rather than ``[Errno 13] Permission denied: 'out/cat.mp4'``."""
    reason = exc.strerror or str(exc)
    return f"{reason}: {exc.filename}" if exc.filename else reason
