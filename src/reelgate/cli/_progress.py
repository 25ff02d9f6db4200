"""Progress bars on stderr: the job's own ``progress`` while waiting, bytes while downloading.

A bar is drawn only when the session allows it (stderr is a terminal and logs are not printed there);
otherwise :class:`Bar` does nothing, so pipes and log files stay clean. A bar never writes to stdout,
and it is transient: the summary printed afterwards says how things ended.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal

from reelgate.cli._output import err

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from reelgate.types import Video

Unit = Literal["percent", "bytes"]


def _progress(unit: Unit) -> Progress:
    from rich import progress as rp

    columns: list[Any] = [rp.SpinnerColumn(), rp.TextColumn("{task.description}"), rp.BarColumn()]
    if unit == "percent":
        columns += [rp.TaskProgressColumn(), rp.TimeElapsedColumn()]
    else:
        columns += [rp.DownloadColumn(), rp.TransferSpeedColumn(), rp.TimeRemainingColumn()]
    return rp.Progress(*columns, console=err(), transient=True)


class Bar:
    """One progress bar (a no-op when not ``enabled``); a context manager."""

    def __init__(self, description: str, *, unit: Unit, enabled: bool, total: float | None = None) -> None:
        self._description = description
        self._unit = unit
        self._total = total
        self._enabled = enabled
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Bar:
        if self._enabled:
            self._progress = _progress(self._unit)
            self._progress.start()
            self._task = self._progress.add_task(self._description, total=self._total)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None

    def update(
        self,
        *,
        completed: float | None = None,
        advance: float | None = None,
        total: float | None = None,
        description: str | None = None,
    ) -> None:
        """Move the bar; arguments left as None keep their current value."""
        if self._progress is not None and self._task is not None:
            self._progress.update(
                self._task, completed=completed, advance=advance, total=total, description=description
            )

    def follow(self, video: Video) -> None:
        """An ``on_progress`` callback for ``Client.wait``: the video's status and reported progress."""
        done = 100 if video.is_terminal else video.progress or 0
        self.update(completed=done, description=f"{video.id} {video.status}")
