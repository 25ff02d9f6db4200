"""The emulator's state: config, jobs, recorded requests, armed faults, rate-limit windows.

One :class:`Emulator` lives in ``app.state.emulator``. Its methods are safe to call from a test's
thread while the server runs in another (one lock guards every change).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal

from reelgate.emulator._config import EmulatorConfig, FaultRule
from reelgate.emulator._errors import APIError, retry_headers
from reelgate.emulator._jobs import Job, JobStore, new_video_id
from reelgate.emulator._limits import RateDecision, RateLimiter
from reelgate.emulator._record import MAX_RECORDED, RecordedRequest

Provider = Literal["openai", "azure"]
PROVIDERS: tuple[Provider, ...] = ("openai", "azure")


@dataclass
class _ArmedFault:
    rule: FaultRule
    remaining: int | None


class Emulator:
    """The state behind one emulated provider.

    ``provider`` is ``"openai"`` or ``"azure"``. ``config`` is the emulator's own copy of the config
    it was given, read on every request, so changing it takes effect at once; :meth:`reset` undoes
    such changes. ``jobs`` maps id to
    :class:`~reelgate.emulator._jobs.Job`; ``requests`` is the request log (the latest
    :data:`MAX_RECORDED`), oldest first; ``faults`` lists the armed rules.
    """

    def __init__(self, provider: Provider, config: EmulatorConfig) -> None:
        if provider not in PROVIDERS:
            raise ValueError(f"provider must be one of {', '.join(PROVIDERS)}; got {provider!r}")
        self.provider: Provider = provider
        self._initial = config.copy()
        self.config = config.copy()
        self.requests: list[RecordedRequest] = []
        self._store = JobStore()
        self._faults: list[_ArmedFault] = []
        self._limiter = RateLimiter()
        self._directive_attempts: dict[str, int] = {}
        self._lock = threading.RLock()
        for rule in config.faults:
            self.add_fault(rule)

    @property
    def azure(self) -> bool:
        """Whether this is the Azure flavour."""
        return self.provider == "azure"

    @property
    def jobs(self) -> dict[str, Job]:
        """Live jobs by id (deleted ones are gone)."""
        return self._store.jobs

    @property
    def faults(self) -> list[FaultRule]:
        """The armed fault rules, in matching order (each with its original ``times``)."""
        with self._lock:
            return [armed.rule for armed in self._faults]

    def now(self) -> float:
        """The emulator clock."""
        return self.config.clock()

    def add_fault(self, rule: FaultRule) -> None:
        """Arm ``rule`` after the ones already armed."""
        with self._lock:
            self._faults.append(_ArmedFault(rule, rule.times))

    def clear_faults(self) -> None:
        """Disarm every rule."""
        with self._lock:
            self._faults.clear()

    def reset(self, config: EmulatorConfig | None = None) -> None:
        """Start afresh: no jobs, faults, recorded requests, rate-limit windows or directive counts.

        ``config`` goes back to the one the emulator was created with (changes made to it since are
        undone), or, when ``config`` is given, to that one from now on; either way its ``faults``
        are armed, as a new emulator would.
        """
        with self._lock:
            if config is not None:
                self._initial = config.copy()
            self._store.clear()
            self._faults.clear()
            self.requests.clear()
            self._limiter.clear()
            self._directive_attempts.clear()
            self.config = self._initial.copy()
            for rule in self.config.faults:
                self.add_fault(rule)

    def take_fault(self, route: str) -> FaultRule | None:
        """The first armed rule matching ``route``, consuming one of its uses."""
        with self._lock:
            for armed in self._faults:
                if armed.rule.route in ("*", route):
                    if armed.remaining is not None:
                        armed.remaining -= 1
                        if armed.remaining <= 0:
                            self._faults.remove(armed)
                    return armed.rule
        return None

    def directive_should_fail(self, prompt: str, times: int) -> bool:
        """Count one attempt with ``prompt``; whether it is among the first ``times``."""
        with self._lock:
            attempts = self._directive_attempts.get(prompt, 0) + 1
            self._directive_attempts[prompt] = attempts
            return attempts <= times

    def check_rate(self, key_fingerprint: str) -> RateDecision:
        """Count one request for the key (see :class:`RateLimiter`)."""
        with self._lock:
            return self._limiter.check(key_fingerprint, self.config.rpm, self.now())

    def record(self, entry: RecordedRequest) -> None:
        """Append to the request log."""
        with self._lock:
            self.requests.append(entry)
            if len(self.requests) > MAX_RECORDED:
                del self.requests[: len(self.requests) - MAX_RECORDED]

    def clear_requests(self) -> None:
        """Empty the request log."""
        with self._lock:
            self.requests.clear()

    def running_jobs(self) -> list[Job]:
        """Jobs not yet completed or failed."""
        with self._lock:
            now = self.now()
            return [job for job in self._store.jobs.values() if not job.is_finished(now)]

    def create_job(
        self,
        *,
        model: str,
        prompt: str,
        size: str,
        seconds: str,
        duration: float,
        failure: str | None = None,
        remixed_from: str | None = None,
    ) -> Job:
        """Store a new queued job, refusing it (429) when ``max_running_jobs`` are unfinished."""
        with self._lock:
            limit = self.config.max_running_jobs
            running = self.running_jobs()
            if limit is not None and len(running) >= limit:
                wait = min(job.created + job.duration for job in running) - self.now()
                raise APIError(
                    429,
                    f"Too many running tasks. At most {limit} video jobs may be queued or in progress at "
                    "once; wait for one to finish.",
                    kind="requests",
                    code="too_many_running_tasks",
                    headers=retry_headers(max(wait, 0.0)),
                )
            job = Job(
                id=new_video_id(),
                seq=self._store.next_seq(),
                model=model,
                prompt=prompt,
                size=size,
                seconds=seconds,
                created=self.now(),
                duration=duration,
                clock=self.config.clock,
                failure=failure,
                remixed_from_video_id=remixed_from,
                expires_after=86_400 if self.azure else 3_600,
                expires_from_creation=self.azure,
            )
            self._store.add(job)
            return job

    def delete_job(self, video_id: str) -> bool:
        """Forget a job; whether it existed."""
        with self._lock:
            return self._store.delete(video_id)

    def page(self, *, after: str | None, limit: int, descending: bool) -> tuple[list[Job], bool]:
        """A list page (see :meth:`JobStore.page`)."""
        with self._lock:
            return self._store.page(after=after, limit=limit, descending=descending)
