"""The routing strategies: weighted randomness, what each one puts first, and what goes last."""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import pytest

from reelgate.router._state import RouterState
from reelgate.router._strategies import STRATEGIES, headroom, order, saturated


@dataclass(frozen=True)
class Dep:
    id: str
    weight: float = 1.0
    rpm: int | None = None
    max_parallel_jobs: int | None = None


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def ids(deployments: list[Dep]) -> list[str]:
    return [d.id for d in deployments]


def first_picks(strategy: str, candidates: list[Dep], state: RouterState, rounds: int) -> Counter[str]:
    rng = random.Random(1234)
    return Counter(order(strategy, candidates, state, rng=rng)[0].id for _ in range(rounds))


def assert_share(count: int, rounds: int, expected: float, sigmas: float = 4.0) -> None:
    sigma = math.sqrt(expected * (1 - expected) / rounds)
    assert abs(count / rounds - expected) <= sigmas * sigma, (count / rounds, expected)


def test_the_strategy_names() -> None:
    assert STRATEGIES == ("simple-shuffle", "least-busy", "latency-based", "cost-based", "usage-based")


def test_unknown_strategy_lists_the_valid_ones() -> None:
    with pytest.raises(ValueError, match="unknown routing strategy 'fastest'") as info:
        order("fastest", [Dep("a")], RouterState(), rng=random.Random(0))
    for name in STRATEGIES:
        assert name in str(info.value)


def test_cost_based_needs_a_price_function() -> None:
    with pytest.raises(ValueError, match="price"):
        order("cost-based", [Dep("a")], RouterState(), rng=random.Random(0))


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_every_strategy_returns_a_permutation(strategy: str) -> None:
    clock = FakeClock()
    state = RouterState(allowed_fails=1, clock=clock)
    candidates = [Dep(f"d{i}", weight=i % 3, rpm=i or None, max_parallel_jobs=2) for i in range(8)]
    for index, candidate in enumerate(candidates):
        for _ in range(index % 3):
            state.start(candidate.id)
        if index % 2:
            state.finish(candidate.id, latency=float(index), ok=True)
    state.failure("d5")
    rng = random.Random(7)
    for _ in range(50):
        result = order(strategy, candidates, state, rng=rng, price=lambda c: Decimal(c.id[1]) or None)
        assert sorted(ids(result)) == sorted(ids(candidates))
    assert order(strategy, [], state, rng=rng, price=lambda c: None) == []


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_order_is_deterministic_given_the_seed(strategy: str) -> None:
    candidates = [Dep(f"d{i}", weight=1 + i) for i in range(6)]
    state = RouterState()
    runs = [
        [ids(order(strategy, candidates, state, rng=rng, price=lambda c: None)) for _ in range(20)]
        for rng in (random.Random(42), random.Random(42))
    ]
    assert runs[0] == runs[1]


def test_simple_shuffle_first_pick_follows_the_weights() -> None:
    rounds = 20_000
    picks = first_picks("simple-shuffle", [Dep("a", weight=3), Dep("b", weight=1)], RouterState(), rounds)
    assert_share(picks["a"], rounds, 0.75)


def test_simple_shuffle_samples_without_replacement() -> None:
    """Weights 2:1:1: ``a`` leads half the time; after ``b``, ``a`` is second with probability 2/3."""
    rounds = 20_000
    candidates = [Dep("a", weight=2), Dep("b", weight=1), Dep("c", weight=1)]
    rng = random.Random(99)
    orders = Counter(
        tuple(ids(order("simple-shuffle", candidates, RouterState(), rng=rng))) for _ in range(rounds)
    )
    expected = {
        ("a", "b", "c"): 0.25,
        ("a", "c", "b"): 0.25,
        ("b", "a", "c"): 1 / 6,
        ("c", "a", "b"): 1 / 6,
        ("b", "c", "a"): 1 / 12,
        ("c", "b", "a"): 1 / 12,
    }
    assert set(orders) == set(expected)
    for permutation, share in expected.items():
        assert_share(orders[permutation], rounds, share)


def test_zero_weight_goes_after_the_weighted_ones() -> None:
    candidates = [Dep("off", weight=0), Dep("on", weight=0.1), Dep("off2", weight=0)]
    rng = random.Random(3)
    for _ in range(200):
        assert ids(order("simple-shuffle", candidates, RouterState(), rng=rng))[0] == "on"


def test_least_busy_picks_the_idle_one() -> None:
    state = RouterState()
    for _ in range(3):
        state.job_started("busy")
    state.job_started("some")
    state.start("pending")  # a create in flight is load too
    state.start("pending")
    candidates = [Dep("busy", weight=100), Dep("pending"), Dep("some"), Dep("idle")]
    result = order("least-busy", candidates, state, rng=random.Random(0))
    assert ids(result) == ["idle", "some", "pending", "busy"]


def test_least_busy_breaks_ties_by_weight() -> None:
    state = RouterState()
    state.job_started("loaded")
    rounds = 20_000
    candidates = [Dep("a", weight=1), Dep("loaded", weight=50), Dep("b", weight=4)]
    picks = first_picks("least-busy", candidates, state, rounds)
    assert picks["loaded"] == 0
    assert_share(picks["b"], rounds, 0.8)


def test_latency_based_tries_the_unmeasured_first_then_the_fastest() -> None:
    state = RouterState()
    state.finish("slow", latency=9.0, ok=True)
    state.finish("fast", latency=1.5, ok=True)
    state.finish("middle", latency=4.0, ok=True)
    candidates = [Dep("slow"), Dep("fast"), Dep("new"), Dep("middle")]
    assert ids(order("latency-based", candidates, state, rng=random.Random(0))) == [
        "new",
        "fast",
        "middle",
        "slow",
    ]
    measured = [c for c in candidates if c.id != "new"]
    assert ids(order("latency-based", measured, state, rng=random.Random(0)))[0] == "fast"


def test_cost_based_picks_the_cheapest_and_puts_unpriced_last() -> None:
    prices = {"cheap": Decimal("0.40"), "dear": Decimal("1.20"), "mid": Decimal("0.80"), "unknown": None}
    candidates = [Dep("unknown", weight=100), Dep("dear"), Dep("cheap"), Dep("mid")]
    result = order(
        "cost-based", candidates, RouterState(), rng=random.Random(0), price=lambda c: prices[c.id]
    )
    assert ids(result) == ["cheap", "mid", "dear", "unknown"]


def test_cost_based_equal_prices_share_by_weight() -> None:
    rounds = 20_000
    candidates = [Dep("a", weight=1), Dep("b", weight=3), Dep("dear", weight=100)]
    rng = random.Random(5)
    picks: Counter[str] = Counter()
    for _ in range(rounds):
        result = order(
            "cost-based",
            candidates,
            RouterState(),
            rng=rng,
            price=lambda c: Decimal(2 if c.id == "dear" else 1),
        )
        picks[result[0].id] += 1
    assert picks["dear"] == 0
    assert_share(picks["b"], rounds, 0.75)


def test_usage_based_picks_the_most_headroom_and_puts_saturated_last() -> None:
    state = RouterState()
    for _ in range(10):
        state.start("rpm-half")  # 10 of 20 rpm: headroom 0.5
    for _ in range(9):
        state.start("rpm-full")  # 9 of 10 rpm, then 10: saturated
    state.start("rpm-full")
    state.job_started("jobs-quarter")  # 1 of 4 jobs: headroom 0.75
    state.job_started("jobs-full")
    state.start("jobs-full")  # 1 job + 1 create in flight of 2: saturated
    candidates = [
        Dep("rpm-full", weight=100, rpm=10),
        Dep("rpm-half", rpm=20),
        Dep("jobs-full", weight=100, max_parallel_jobs=2),
        Dep("jobs-quarter", max_parallel_jobs=4),
        Dep("free", rpm=100, max_parallel_jobs=10),
    ]
    assert headroom(candidates[1], state) == pytest.approx(0.5)
    assert headroom(candidates[4], state) == pytest.approx(1.0)
    assert [saturated(c, state) for c in candidates] == [True, False, True, False, False]
    result = ids(order("usage-based", candidates, state, rng=random.Random(0)))
    assert result[:3] == ["free", "jobs-quarter", "rpm-half"]
    assert set(result[3:]) == {"rpm-full", "jobs-full"}


def test_usage_based_takes_the_tighter_of_two_limits() -> None:
    state = RouterState()
    for _ in range(3):
        state.start("both")  # 3 of 4 rpm (0.25 left) and 3 of 100 jobs (0.97 left)
    state.job_started("half")  # 1 of 2 jobs: 0.5 left
    both = Dep("both", rpm=4, max_parallel_jobs=100)
    half = Dep("half", max_parallel_jobs=2)
    assert headroom(both, state) == pytest.approx(0.25)
    assert ids(order("usage-based", [both, half], state, rng=random.Random(0))) == ["half", "both"]


def test_unlimited_deployments_are_never_saturated() -> None:
    state = RouterState()
    for _ in range(1000):
        state.start("a")
        state.job_started("a")
    assert not saturated(Dep("a"), state)
    assert headroom(Dep("a"), state) == 1.0
    assert saturated(Dep("zero", rpm=0), state)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_deployments_in_cooldown_go_last(strategy: str) -> None:
    clock = FakeClock()
    state = RouterState(allowed_fails=1, cooldown_time=30, clock=clock)
    assert state.failure("back-at-30") == 30
    clock.now = 10
    assert state.failure("back-at-40") == 40
    candidates = [Dep("back-at-40", weight=100), Dep("back-at-30", weight=100), Dep("ok", weight=0.01)]
    result = ids(order(strategy, candidates, state, rng=random.Random(0), price=lambda c: Decimal(0)))
    assert result == ["ok", "back-at-30", "back-at-40"]
    clock.now = 30  # the first cooldown is over
    result = ids(order(strategy, candidates, state, rng=random.Random(0), price=lambda c: Decimal(0)))
    assert result[-1] == "back-at-40"
