"""Prompt directives: ``@emulator:key=value`` tokens that let any client trigger faults.

The grammar and every key are documented in the package docstring. Unknown keys and bad values are
a 400 (code ``invalid_emulator_directive``) so a typo never passes silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from reelgate.emulator._errors import APIError

DIRECTIVE = re.compile(r"@emulator:([A-Za-z_]+)=([A-Za-z0-9_.]*[A-Za-z0-9_])")
_ERROR_VALUE = re.compile(r"([45]\d\d)(?:x(\d+))?")
FAILURES = ("moderation", "internal")
REJECTIONS = ("policy",)


@dataclass(frozen=True)
class Directives:
    """What a prompt asked the emulator to do (all defaults mean "nothing special")."""

    fail: str | None = None
    reject: str | None = None
    error_status: int | None = None
    error_times: int = 1
    latency: float = 0.0
    job_seconds: float | None = None


def _bad(token: str, reason: str) -> APIError:
    return APIError(
        400,
        f"Invalid emulator directive '{token}': {reason}",
        param="prompt",
        code="invalid_emulator_directive",
    )


def _seconds(token: str, value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise _bad(token, "expected a number of seconds") from None
    if not 0 <= seconds <= 3600:
        raise _bad(token, "expected a number of seconds between 0 and 3600")
    return seconds


def parse_directives(prompt: str) -> Directives:
    """Read every ``@emulator:key=value`` token in ``prompt`` (the last one of a key wins)."""
    result = Directives()
    for match in DIRECTIVE.finditer(prompt):
        token, key, value = match.group(0), match.group(1).lower(), match.group(2)
        if key == "fail":
            if value not in FAILURES:
                raise _bad(token, f"fail must be one of {', '.join(FAILURES)}")
            result = replace(result, fail=value)
        elif key == "reject":
            if value not in REJECTIONS:
                raise _bad(token, f"reject must be one of {', '.join(REJECTIONS)}")
            result = replace(result, reject=value)
        elif key == "error":
            error = _ERROR_VALUE.fullmatch(value)
            if error is None:
                raise _bad(token, "expected an HTTP error status, optionally with a count, e.g. 503 or 503x2")
            times = max(1, int(error.group(2) or 1))
            result = replace(result, error_status=int(error.group(1)), error_times=times)
        elif key == "latency":
            result = replace(result, latency=_seconds(token, value))
        elif key == "job_seconds":
            result = replace(result, job_seconds=_seconds(token, value))
        else:
            raise _bad(token, "unknown key (known: fail, reject, error, latency, job_seconds)")
    return result
