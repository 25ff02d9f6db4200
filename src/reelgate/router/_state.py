"""The live memory of one router: load, recent latency, request rate, failures and cooldowns.

:class:`RouterState` keeps, for each deployment id it is told about, what the routing strategies
(:mod:`reelgate.router._strategies`) need, behind one lock so any number of threads may share it.
It never does I/O and reads time only from the ``clock`` it is given, so tests drive it with a fake.

What it counts, and the rules it applies:

* **Creates in flight** (:meth:`~RouterState.start` / :meth:`~RouterState.finish`): create requests
  sent and not yet answered. **Jobs in flight** (:meth:`~RouterState.job_started` /
  :meth:`~RouterState.job_finished`): video jobs the upstream accepted that have not reached a terminal
  status. Both are counters that never go below zero, so a duplicate ``finish`` or ``job_finished``
  is harmless. A deployment's *load* (:attr:`DeploymentStats.busy`) is the sum of the two: a create in
  flight becomes a job if it succeeds, and counting it stops concurrent routing decisions from all
  picking the same idle deployment before any of their creates has returned.
* **Requests in the last minute**: every :meth:`~RouterState.start` counts towards the deployment's
  rpm for 60 seconds, whatever its outcome (the upstream counts failed requests too). Starts are kept
  in slots of a quarter of a second, so the memory is bounded (at most 241 slots a deployment) and a
  request may be counted up to that much longer than 60 s: never shorter, so a rate limit is not
  overshot.
* **Latency**: an exponentially weighted moving average of the seconds successful creates took, with
  weight :data:`LATENCY_ALPHA` = 0.3 for each new sample (the first sample is taken as it is). A
  sample's weight halves after about two newer ones, so the average follows a deployment that slows
  down within a few requests without jumping on one outlier. Failed creates are not sampled (a quick
  error must not make a broken deployment look fast). An average older than :data:`LATENCY_TTL`
  seconds is reported as unknown, so a deployment that was once slow and then left alone gets
  measured again instead of being shunned for ever.
* **Cooldown**: when the ``allowed_fails``-th failure within ``window`` seconds is recorded (that is,
  :meth:`~RouterState.failure` is called and, counting that call, ``allowed_fails`` failures lie less
  than ``window`` seconds back), the deployment cools down for ``cooldown_time`` seconds: it is usable
  again once the clock reaches :meth:`~RouterState.cooling_until`. Starting a cooldown clears the
  failure count, so after it the deployment again has ``allowed_fails`` tries. A failure recorded
  while a cooldown runs is part of the same incident (typically a request sent before it began): it
  neither extends the cooldown nor counts towards the next one. :meth:`~RouterState.success` clears
  the failure count, so only failures without a success in between add up (a deployment that fails
  one request in three keeps serving). ``allowed_fails=0`` turns cooldowns off. Note that LiteLLM's
  option of the same name cools down on the failure *after* ``allowed_fails``; here the
  ``allowed_fails``-th failure is the one that does it.

Memory is bounded: a fixed amount per deployment id that has been written to (reading an unknown id
creates nothing and reports zeros).
"""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

__all__ = ["LATENCY_ALPHA", "LATENCY_TTL", "RPM_WINDOW", "DeploymentStats", "RouterState"]

LATENCY_ALPHA = 0.3
"""Weight of the newest sample in the latency moving average."""

LATENCY_TTL = 600.0
"""Seconds after its last sample that a latency average is forgotten (reported as ``None``)."""

RPM_WINDOW = 60.0
"""Seconds a started request counts towards its deployment's requests per minute."""

_RPM_SLOT = 0.25
"""Starts less than this many seconds after a slot opened share it (bounds memory, see module doc)."""

_MAX_FAILURES_KEPT = 1024
"""Failure times kept when cooldowns are off (``allowed_fails=0``), only for reporting."""


@dataclass(frozen=True, slots=True)
class DeploymentStats:
    """A consistent, read-only view of one deployment's statistics at one moment."""

    in_flight_jobs: int
    """Video jobs the upstream accepted that have not finished yet."""
    requests_last_minute: int
    """Creates sent in the last 60 seconds (see the module doc for the precision)."""
    latency: float | None
    """Moving average of successful create latency in seconds; ``None`` when unmeasured or stale."""
    failures_in_window: int
    """Failures counted towards the next cooldown (within the window, since the last success)."""
    cooling_until: float | None
    """Clock time the current cooldown ends, or ``None`` when the deployment is usable now."""
    in_flight_requests: int = 0
    """Create requests sent and not answered yet."""

    @property
    def busy(self) -> int:
        """The deployment's load: jobs running plus creates in flight (each may become a job)."""
        return self.in_flight_jobs + self.in_flight_requests


@dataclass(slots=True)
class _Slot:
    """Starts counted together towards the rpm: the first at ``opened``, the latest at ``last``."""

    opened: float
    last: float
    count: int = 1


@dataclass(slots=True)
class _Deployment:
    """Mutable per-deployment record; only ever touched with the state's lock held."""

    failure_limit: int
    in_flight_requests: int = 0
    in_flight_jobs: int = 0
    rpm_slots: deque[_Slot] = field(default_factory=deque)  # oldest first
    latency: float | None = None
    latency_at: float = -math.inf
    failures: deque[float] = field(init=False)
    cooling_until: float | None = None

    def __post_init__(self) -> None:
        self.failures = deque(maxlen=self.failure_limit)

    def prune(self, now: float, window: float) -> None:
        """Drop what has aged out: rpm slots, failures outside the window, a finished cooldown."""
        slots = self.rpm_slots
        while slots and now - slots[0].last >= RPM_WINDOW:
            slots.popleft()
        failures = self.failures
        while failures and now - failures[0] >= window:
            failures.popleft()
        if self.cooling_until is not None and now >= self.cooling_until:
            self.cooling_until = None


class RouterState:
    """Live, thread-safe memory of one router: jobs in flight, recent create latency, creates per
    minute, failures and cooldowns (rules in the module doc)."""

    def __init__(
        self,
        *,
        allowed_fails: int = 3,
        window: float = 60.0,
        cooldown_time: float = 30.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if allowed_fails < 0:
            raise ValueError(f"allowed_fails must be 0 (never cool down) or more, not {allowed_fails}")
        if not window > 0:
            raise ValueError(f"window must be a positive number of seconds, not {window}")
        if not cooldown_time >= 0:
            raise ValueError(f"cooldown_time must be 0 or more seconds, not {cooldown_time}")
        self.allowed_fails = allowed_fails
        self.window = float(window)
        self.cooldown_time = float(cooldown_time)
        self._clock = clock
        self._lock = threading.Lock()
        self._deployments: dict[str, _Deployment] = {}

    def _record(self, deployment_id: str, now: float) -> _Deployment:
        """The deployment's record, created on first write and pruned as of ``now``; lock held."""
        record = self._deployments.get(deployment_id)
        if record is None:
            record = _Deployment(self.allowed_fails or _MAX_FAILURES_KEPT)
            self._deployments[deployment_id] = record
        else:
            record.prune(now, self.window)
        return record

    def start(self, deployment_id: str) -> None:
        """A create was sent to the deployment: one more request in flight, and one towards its rpm."""
        with self._lock:
            now = self._clock()
            record = self._record(deployment_id, now)
            record.in_flight_requests += 1
            slots = record.rpm_slots
            if slots and now - slots[-1].opened < _RPM_SLOT:
                slots[-1].last = max(slots[-1].last, now)
                slots[-1].count += 1
            else:
                slots.append(_Slot(now, now))

    def finish(self, deployment_id: str, *, latency: float | None, ok: bool) -> None:
        """The create returned: one request fewer in flight (never below zero), and when ``ok`` its
        ``latency`` in seconds joins the moving average. Failures and successes that should count
        towards a cooldown are reported separately, with :meth:`failure` and :meth:`success`."""
        with self._lock:
            now = self._clock()
            record = self._record(deployment_id, now)
            record.in_flight_requests = max(record.in_flight_requests - 1, 0)
            if ok and latency is not None and math.isfinite(latency) and latency >= 0:
                fresh = now - record.latency_at < LATENCY_TTL
                if record.latency is None or not fresh:
                    record.latency = latency
                else:
                    record.latency += LATENCY_ALPHA * (latency - record.latency)
                record.latency_at = now

    def job_started(self, deployment_id: str) -> None:
        """The upstream accepted a video job on the deployment: one more job in flight."""
        with self._lock:
            self._record(deployment_id, self._clock()).in_flight_jobs += 1

    def job_finished(self, deployment_id: str) -> None:
        """A job on the deployment reached a terminal status: one fewer in flight (never below zero)."""
        with self._lock:
            record = self._record(deployment_id, self._clock())
            record.in_flight_jobs = max(record.in_flight_jobs - 1, 0)

    def failure(self, deployment_id: str) -> float | None:
        """Record a failure of the deployment now. Returns the clock time its cooldown ends when this
        failure started one, else ``None`` (also while a cooldown already runs)."""
        with self._lock:
            now = self._clock()
            record = self._record(deployment_id, now)
            if record.cooling_until is not None:
                return None
            record.failures.append(now)
            if self.allowed_fails == 0 or len(record.failures) < self.allowed_fails:
                return None
            record.failures.clear()
            record.cooling_until = now + self.cooldown_time
            return record.cooling_until if self.cooldown_time > 0 else None

    def success(self, deployment_id: str) -> None:
        """Record a success of the deployment: its failure count starts again from zero. A running
        cooldown is not cut short (the success may come from a request sent before it began)."""
        with self._lock:
            self._record(deployment_id, self._clock()).failures.clear()

    def cooling_until(self, deployment_id: str) -> float | None:
        """The clock time the deployment's cooldown ends, or ``None`` when it is usable now."""
        return self.snapshot(deployment_id).cooling_until

    def snapshot(self, deployment_id: str) -> DeploymentStats:
        """The deployment's statistics now; zeros for an id never written to."""
        with self._lock:
            now = self._clock()
            record = self._deployments.get(deployment_id)
            if record is None:
                return DeploymentStats(0, 0, None, 0, None)
            record.prune(now, self.window)
            return DeploymentStats(
                in_flight_jobs=record.in_flight_jobs,
                requests_last_minute=sum(slot.count for slot in record.rpm_slots),
                latency=record.latency if now - record.latency_at < LATENCY_TTL else None,
                failures_in_window=len(record.failures),
                cooling_until=record.cooling_until,
                in_flight_requests=record.in_flight_requests,
            )
