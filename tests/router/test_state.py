"""RouterState: cooldown rule, in-flight counting, the sliding rpm window, latency average, threads."""

from __future__ import annotations

import threading

import pytest

from reelgate.router._state import LATENCY_ALPHA, LATENCY_TTL, DeploymentStats, RouterState


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_unknown_deployment_reads_as_zero(clock: FakeClock) -> None:
    state = RouterState(clock=clock)
    assert state.snapshot("nobody") == DeploymentStats(0, 0, None, 0, None, in_flight_requests=0)
    assert state.cooling_until("nobody") is None


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"allowed_fails": -1}, "allowed_fails"),
        ({"window": 0}, "window"),
        ({"cooldown_time": -1}, "cooldown"),
    ],
)
def test_rejects_bad_settings(kwargs: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RouterState(**kwargs)  # type: ignore[arg-type]


def test_the_nth_failure_within_the_window_starts_a_cooldown(clock: FakeClock) -> None:
    state = RouterState(allowed_fails=3, window=60, cooldown_time=30, clock=clock)
    assert state.failure("a") is None
    clock.advance(20)
    assert state.failure("a") is None
    assert state.snapshot("a").failures_in_window == 2
    clock.advance(39.9)  # the first failure is 59.9 s back: still in the window
    assert state.failure("a") == pytest.approx(clock.now + 30)
    assert state.cooling_until("a") == pytest.approx(clock.now + 30)
    assert state.snapshot("a").failures_in_window == 0  # the cooldown took them
    assert state.cooling_until("b") is None  # per deployment


def test_failures_spread_wider_than_the_window_never_cool_down(clock: FakeClock) -> None:
    state = RouterState(allowed_fails=3, window=60, cooldown_time=30, clock=clock)
    for _ in range(10):
        assert state.failure("a") is None
        clock.advance(30)  # only two failures ever lie less than 60 s apart
    assert state.cooling_until("a") is None
    assert state.snapshot("a").failures_in_window == 1


def test_cooldown_ends_after_cooldown_time(clock: FakeClock) -> None:
    state = RouterState(allowed_fails=1, window=60, cooldown_time=30, clock=clock)
    end = state.failure("a")
    assert end == clock.now + 30
    clock.advance(29.9)
    assert state.cooling_until("a") == end
    clock.advance(0.1)
    assert state.cooling_until("a") is None
    assert state.failure("a") == clock.now + 30  # a fresh allowance, spent again


def test_failures_during_a_cooldown_neither_extend_it_nor_count_after(clock: FakeClock) -> None:
    state = RouterState(allowed_fails=2, window=60, cooldown_time=30, clock=clock)
    state.failure("a")
    end = state.failure("a")
    assert end is not None
    clock.advance(10)
    assert state.failure("a") is None
    assert state.failure("a") is None
    assert state.cooling_until("a") == end
    clock.advance(20)
    assert state.cooling_until("a") is None
    assert state.failure("a") is None  # the first of a new streak


def test_success_resets_the_failure_streak(clock: FakeClock) -> None:
    state = RouterState(allowed_fails=2, clock=clock)
    for _ in range(5):
        assert state.failure("a") is None
        state.success("a")
    assert state.snapshot("a").failures_in_window == 0
    assert state.cooling_until("a") is None


def test_success_does_not_cut_a_cooldown_short(clock: FakeClock) -> None:
    state = RouterState(allowed_fails=1, cooldown_time=30, clock=clock)
    end = state.failure("a")
    state.success("a")
    assert state.cooling_until("a") == end


def test_allowed_fails_zero_never_cools_down(clock: FakeClock) -> None:
    state = RouterState(allowed_fails=0, clock=clock)
    for _ in range(50):
        assert state.failure("a") is None
    assert state.cooling_until("a") is None
    assert state.snapshot("a").failures_in_window == 50


def test_in_flight_counts_never_go_negative(clock: FakeClock) -> None:
    state = RouterState(clock=clock)
    state.finish("a", latency=None, ok=False)
    state.job_finished("a")
    state.start("a")
    state.start("a")
    state.job_started("a")
    snap = state.snapshot("a")
    assert (snap.in_flight_requests, snap.in_flight_jobs, snap.busy) == (2, 1, 3)
    for _ in range(3):
        state.finish("a", latency=1.0, ok=True)
        state.job_finished("a")
    snap = state.snapshot("a")
    assert (snap.in_flight_requests, snap.in_flight_jobs) == (0, 0)


def test_rpm_window_slides(clock: FakeClock) -> None:
    state = RouterState(clock=clock)
    for _ in range(5):
        state.start("a")
        clock.advance(10)  # starts at 0, 10, 20, 30, 40; now 50
    assert state.snapshot("a").requests_last_minute == 5
    clock.advance(10)  # 60: the start at 0 is 60 s old
    assert state.snapshot("a").requests_last_minute == 4
    state.start("a")
    clock.advance(25)  # 85: starts at 30, 40 and 60 remain
    assert state.snapshot("a").requests_last_minute == 3
    clock.advance(60)
    assert state.snapshot("a").requests_last_minute == 0


def test_rpm_memory_is_bounded_under_a_flood(clock: FakeClock) -> None:
    state = RouterState(clock=clock)
    for _ in range(20_000):
        state.start("a")
        clock.advance(0.01)  # 200 s of 100 requests a second
    assert state.snapshot("a").requests_last_minute == pytest.approx(6000, abs=25)
    assert len(state._deployments["a"].rpm_slots) <= 241


def test_latency_is_an_ewma_of_successful_creates(clock: FakeClock) -> None:
    state = RouterState(clock=clock)
    state.finish("a", latency=10.0, ok=True)
    assert state.snapshot("a").latency == 10.0  # the first sample as it is
    state.finish("a", latency=20.0, ok=True)
    expected = 10.0 + LATENCY_ALPHA * (20.0 - 10.0)
    assert state.snapshot("a").latency == pytest.approx(expected)
    state.finish("a", latency=0.01, ok=False)  # failures are not sampled
    state.finish("a", latency=None, ok=True)
    assert state.snapshot("a").latency == pytest.approx(expected)
    state.finish("a", latency=2.0, ok=True)
    assert state.snapshot("a").latency == pytest.approx(expected + LATENCY_ALPHA * (2.0 - expected))


def test_stale_latency_is_forgotten_and_remeasured(clock: FakeClock) -> None:
    state = RouterState(clock=clock)
    state.finish("a", latency=30.0, ok=True)
    clock.advance(LATENCY_TTL)
    assert state.snapshot("a").latency is None
    state.finish("a", latency=3.0, ok=True)
    assert state.snapshot("a").latency == 3.0  # not averaged with the stale 30 s


def test_counts_stay_consistent_across_threads() -> None:
    state = RouterState(allowed_fails=0)
    threads, rounds = 16, 500
    barrier = threading.Barrier(threads)

    def worker(index: int) -> None:
        deployment = f"d{index % 4}"
        barrier.wait()
        for _ in range(rounds):
            state.start(deployment)
            state.job_started(deployment)
            state.finish(deployment, latency=1.0, ok=True)
            state.failure(deployment)
        for _ in range(rounds):
            state.job_finished(deployment)

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    for deployment in ("d0", "d1", "d2", "d3"):
        snap = state.snapshot(deployment)
        assert snap.requests_last_minute == threads // 4 * rounds
        assert snap.failures_in_window == min(threads // 4 * rounds, 1024)
        assert (snap.in_flight_requests, snap.in_flight_jobs) == (0, 0)
        assert snap.latency == pytest.approx(1.0)


def test_in_flight_totals_mid_run_across_threads() -> None:
    state = RouterState()
    threads, rounds = 8, 300
    done = threading.Barrier(threads + 1)
    release = threading.Event()

    def worker() -> None:
        for _ in range(rounds):
            state.start("a")
            state.job_started("a")
        done.wait()
        release.wait()
        for _ in range(rounds):
            state.finish("a", latency=None, ok=False)
            state.job_finished("a")

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    done.wait()
    snap = state.snapshot("a")
    assert (snap.in_flight_requests, snap.in_flight_jobs) == (threads * rounds, threads * rounds)
    release.set()
    for thread in pool:
        thread.join()
    snap = state.snapshot("a")
    assert (snap.in_flight_requests, snap.in_flight_jobs) == (0, 0)
