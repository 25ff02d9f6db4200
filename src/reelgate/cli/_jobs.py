"""The steps the video commands share: check where a file will go, wait with a progress bar,
download with a byte bar, and turn the outcome into output or an error.

Waiting honours the server's poll interval (``openai-poll-after-ms``) unless ``--poll-interval`` is
given. Ctrl-C while waiting stops waiting only: the job keeps running upstream, and the error names the
exact command that resumes. A download goes to a temporary sibling file renamed into place at the end,
so an interrupted or failed download leaves no partial file.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reelgate.cli._errors import CliError, ExitCode
from reelgate.cli._output import emit_json, fields, video_fields
from reelgate.cli._progress import Bar
from reelgate.cli._session import Session

if TYPE_CHECKING:
    from reelgate.types import ContentVariant, Video


def planned_output(output: Path | None) -> Path:
    """Where a download will go (``output``, else the current directory for ``<video id>.<ext>``).

    Checked before anything is bought: the directory must exist and be writable.
    """
    target = output if output is not None else Path.cwd()
    directory = target if target.is_dir() else target.parent
    if not directory.is_dir():
        raise CliError(
            f"cannot write {target}: the directory {directory} does not exist",
            code=ExitCode.USAGE,
            hint="create the directory first, or pass another -o/--output",
        )
    if not os.access(directory, os.W_OK):
        raise CliError(
            f"cannot write to {directory}: permission denied",
            code=ExitCode.USAGE,
            hint="pass another -o/--output",
        )
    return target


def wait_for(
    session: Session, video_id: str, model: str | None, *, timeout: float | None, poll_interval: float | None
) -> Video:
    """Poll until the video is terminal, drawing its progress; Ctrl-C leaves it running (exit 130)."""
    from reelgate.errors import WaitTimeoutError

    client = session.client()
    resume = f"resume with: {session.command('wait', video_id, model=model)}"
    try:
        with Bar(video_id, unit="percent", total=100, enabled=session.progress) as bar:
            return client.wait(
                video_id, model, timeout=timeout, poll_interval=poll_interval, on_progress=bar.follow
            )
    except WaitTimeoutError as exc:
        video = exc.video
        raise CliError(
            f"video {video_id} is still {video.status} ({video.progress or 0}%) after {exc.timeout:g} s; "
            "it keeps running",
            hint=resume,
        ) from None
    except KeyboardInterrupt:
        pass
    # Raised here, not in the handler, so that no exception keeps the interrupted wait's frames alive:
    # the abandoned flow is finalized now (its span and metrics end while telemetry is still up).
    raise CliError(
        f"stopped waiting; video {video_id} keeps running",
        code=ExitCode.INTERRUPTED,
        label="interrupted",
        hint=resume,
    )


def download(
    session: Session, video_id: str, model: str | None, target: Path, variant: ContentVariant = "video"
) -> tuple[Path, int]:
    """Stream an asset to ``target`` with a byte progress bar; returns the final path and its size."""
    from reelgate._content import download_paths

    final, partial = download_paths(target, video_id, variant)
    stream = session.client().stream_content(video_id, model, variant=variant)
    written = 0
    try:
        bar = Bar(f"{video_id} {variant}", unit="bytes", enabled=session.progress)
        with stream, partial.open("wb") as file, bar:
            bar.update(total=stream.content_length)
            for chunk in stream:
                file.write(chunk)
                written += len(chunk)
                bar.update(advance=len(chunk))
        os.replace(partial, final)
    except KeyboardInterrupt:
        again = session.command("download", video_id, "-o", str(final), "--variant", variant, model=model)
        raise CliError(
            f"download of {video_id} stopped; nothing was written",
            code=ExitCode.INTERRUPTED,
            label="interrupted",
            hint=f"download it again with: {again}",
        ) from None
    finally:
        partial.unlink(missing_ok=True)
    return final, written


def video_json(video: Video, **extra: Any) -> dict[str, Any]:
    """The video object as JSON data (money as numbers), plus ``extra`` keys."""
    return {**video.model_dump(mode="json"), **extra}


def failure(video: Video) -> CliError:
    """The error for a video that ended ``failed``, ``cancelled`` or ``expired``."""
    detail = f": {video.error.code}: {video.error.message}" if video.error else ""
    return CliError(f"video {video.id} ended {video.status}{detail}")


def settle(video: Video, *, as_json: bool) -> None:
    """Raise the failure of a video that did not complete (after printing it as JSON if asked)."""
    if video.status != "completed":
        if as_json:
            emit_json(video_json(video))
        raise failure(video)


@dataclass(frozen=True)
class Delivery:
    """What generate and remix do once the video is started: wait and download it to ``target``, or not.

    Build it with :meth:`plan` before starting the video, so a bad ``-o`` is refused before any spend.
    """

    wait: bool
    target: Path
    timeout: float | None
    poll_interval: float | None
    as_json: bool

    @classmethod
    def plan(
        cls,
        wait: bool,
        output: Path | None,
        timeout: float | None,
        poll_interval: float | None,
        as_json: bool,
    ) -> Delivery:
        """The delivery for these options (raises when ``output`` cannot be written)."""
        target = planned_output(output) if wait else Path.cwd()
        return cls(wait, target, timeout, poll_interval, as_json)


def deliver(session: Session, video: Video, model: str | None, delivery: Delivery) -> None:
    """After a create or remix: print the new id and estimate, or wait, download and print the outcome."""
    if not delivery.wait:
        if delivery.as_json:
            emit_json(video_json(video))
        else:
            fields([*video_fields(video), ("wait with", session.command("wait", video.id, model=model))])
        return
    video = wait_for(session, video.id, model, timeout=delivery.timeout, poll_interval=delivery.poll_interval)
    settle(video, as_json=delivery.as_json)
    path, size = download(session, video.id, model, delivery.target)
    if delivery.as_json:
        emit_json(video_json(video, output_path=str(path)))
    else:
        fields([*video_fields(video), ("saved", f"{path} ({size:,} bytes)")])
