"""Routing strategies: in which order a router tries the deployments of a model group.

:func:`order` returns every candidate deployment, best first; the router sends the create to the first
and falls back down the list. Each strategy ranks by one measure from :class:`RouterState`, and
deployments that rank equal are put in weighted random order: a sample without replacement in which
each is drawn with probability proportional to its ``weight`` (weights of 3 and 1 put the first ahead
75 % of the time). Deployments with a weight of zero (or below) follow all the others among their
equals, in uniform random order. Randomness comes only from the ``rng`` passed in, one draw per
candidate, so a seeded :class:`random.Random` makes the order reproducible.

The strategies (:data:`STRATEGIES`):

* ``simple-shuffle``: weighted random order and nothing else. The cheapest and, with equal
  deployments, the fairest; weights express capacity or preference.
* ``least-busy``: fewest jobs first, counting the video jobs running upstream plus the creates still
  in flight (each of which becomes a job if it succeeds), so that bursts of concurrent requests
  spread out instead of all landing on the deployment that was idle a moment ago.
* ``latency-based``: fastest recent create first, by the moving average the state keeps (see
  :mod:`reelgate.router._state` for its weight and expiry). Deployments with no measurement yet go
  first, so that every deployment gets measured rather than the first one measured winning for ever.
* ``cost-based``: cheapest first, by ``price(candidate)``, the price of the requested video (its
  seconds and size) on that deployment from the pricing table. Deployments without a price (``None``)
  go last: their cost is unknown, not zero.
* ``usage-based``: most headroom first. A deployment's headroom is its least spare fraction over the
  limits it declares: ``1 - used/limit`` for ``rpm`` (creates sent in the last 60 seconds) and for
  ``max_parallel_jobs`` (jobs running plus creates in flight); a deployment with no limits has headroom
  1. A deployment at or over any of its limits is :func:`saturated` and goes last, still listed so the
  router can report it; the router skips those for this strategy.

Every strategy puts deployments in cooldown after all usable ones (soonest to recover first), so the
list is always a full permutation of the candidates, and a router that forgot to filter by
:meth:`RouterState.cooling_until` would still try the healthy ones first.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Protocol, TypeVar

from reelgate.router._state import DeploymentStats, RouterState

__all__ = ["STRATEGIES", "Candidate", "headroom", "order", "saturated"]

STRATEGIES: tuple[str, ...] = ("simple-shuffle", "least-busy", "latency-based", "cost-based", "usage-based")


class Candidate(Protocol):
    """What the strategies need to know about a deployment (the router adapts its deployments)."""

    @property
    def id(self) -> str: ...
    @property
    def weight(self) -> float: ...
    @property
    def rpm(self) -> int | None: ...
    @property
    def max_parallel_jobs(self) -> int | None: ...


C = TypeVar("C", bound=Candidate)

# A rank: tuples of numbers compared element by element, lower is better.
_Rank = tuple[float | Decimal, ...]


def _headroom(candidate: Candidate, stats: DeploymentStats) -> float:
    spare = [1.0]
    for limit, used in (
        (candidate.rpm, stats.requests_last_minute),
        (candidate.max_parallel_jobs, stats.busy),
    ):
        if limit is not None:
            spare.append(1.0 - used / limit if limit > 0 else 0.0)
    return min(spare)


def headroom(candidate: Candidate, state: RouterState) -> float:
    """The candidate's least spare fraction over its ``rpm`` and ``max_parallel_jobs`` limits: 1.0 with
    no limits or nothing used, 0 or below at or over a limit."""
    return _headroom(candidate, state.snapshot(candidate.id))


def saturated(candidate: Candidate, state: RouterState) -> bool:
    """Whether the candidate is at or over its ``rpm`` or ``max_parallel_jobs`` limit right now."""
    return headroom(candidate, state) <= 0


def _weighted_key(weight: float, rng: random.Random) -> tuple[int, float]:
    """A random sort key (lower first) whose order over a set of candidates is a weighted sample
    without replacement: Efraimidis and Spirakis' ``u ** (1/w)``, taken as ``-log(u) / w`` so tiny
    weights do not underflow. Non-positive or non-finite weights sort after every positive one,
    uniformly among themselves."""
    draw = -math.log(1.0 - rng.random())  # an exponential variate; 1 - random() is never 0
    if weight > 0 and math.isfinite(weight):
        return (0, draw / weight)
    return (1, draw)


def _rank_function(
    strategy: str, price: Callable[[C], Decimal | None] | None
) -> Callable[[C, DeploymentStats], _Rank]:
    """How ``strategy`` ranks one candidate given its statistics."""
    if strategy == "simple-shuffle":
        return lambda _c, _s: ()
    if strategy == "least-busy":
        return lambda _c, stats: (stats.busy,)
    if strategy == "latency-based":
        return lambda _c, stats: (0,) if stats.latency is None else (1, stats.latency)
    if strategy == "cost-based":
        if price is None:
            raise ValueError("the cost-based strategy needs a price function")
        priced = price

        def by_cost(candidate: C, _stats: DeploymentStats) -> _Rank:
            amount = priced(candidate)
            return (1,) if amount is None else (0, amount)

        return by_cost
    if strategy == "usage-based":

        def by_headroom(candidate: C, stats: DeploymentStats) -> _Rank:
            spare = _headroom(candidate, stats)
            return (1 if spare <= 0 else 0, -spare)

        return by_headroom
    raise ValueError(f"unknown routing strategy {strategy!r}; choose one of: {', '.join(STRATEGIES)}")


def order(
    strategy: str,
    candidates: Sequence[C],
    state: RouterState,
    *,
    rng: random.Random,
    price: Callable[[C], Decimal | None] | None = None,
) -> list[C]:
    """All candidates, best first (the router tries them in this order, falling back down the list).

    Raises :class:`ValueError` for a strategy not in :data:`STRATEGIES`, or for ``cost-based``
    without a ``price`` function."""
    rank = _rank_function(strategy, price)
    keyed: list[tuple[_Rank, _Rank, tuple[int, float], int]] = []
    for position, candidate in enumerate(candidates):
        stats = state.snapshot(candidate.id)
        health: _Rank = (0,) if stats.cooling_until is None else (1, stats.cooling_until)
        keyed.append((health, rank(candidate, stats), _weighted_key(candidate.weight, rng), position))
    keyed.sort()  # the position makes every key distinct: candidates themselves are never compared
    return [candidates[position] for *_, position in keyed]
