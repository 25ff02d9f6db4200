"""The router against three emulators on 127.0.0.1: who gets each create, fallbacks, cooldowns, and
every later call reaching the deployment that owns the video, with its own key.

Deployments: ``east`` and ``west`` serve the group ``sora``; ``backup`` serves ``sora-backup``. Each
emulator records every request with a fingerprint of the key it carried, which is how the tests know
who was called with which credentials.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from reelgate import AsyncClient, Client, Router
from reelgate.emulator import EmulatedServer, EmulatorConfig, FaultRule, run_in_thread
from reelgate.errors import (
    APITimeoutError,
    BadRequestError,
    ContentPolicyError,
    NoDeploymentAvailableError,
    NotFoundError,
    ProviderServerError,
)
from reelgate.ledger import Ledger
from reelgate.reports import sql
from tests._media import assert_playable
from tests.conftest import Telemetry
from tests.integration.conftest import AsyncCaller, SyncCaller

NAMES = ("east", "west", "backup")
KEYS = {name: f"sk-test-{name}-key" for name in NAMES}
ID_KEY = "a-test-key-of-at-least-16-bytes"


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[str, EmulatedServer]]:
    config = EmulatorConfig(job_seconds=0.2, poll_after_ms=20)
    with (
        run_in_thread("openai", config) as east,
        run_in_thread("openai", config) as west,
        run_in_thread("openai", config) as backup,
    ):
        yield {"east": east, "west": west, "backup": backup}


@pytest.fixture
def emulators(servers: dict[str, EmulatedServer]) -> dict[str, EmulatedServer]:
    for server in servers.values():
        server.emulator.reset()
    return servers


_OPEN: list[Client] = []


def open_client(**config: Any) -> Client:
    """A client closed when the test ends."""
    client = Client(**config)
    _OPEN.append(client)
    return client


@pytest.fixture(autouse=True)
def _close_clients() -> Iterator[None]:
    yield
    while _OPEN:
        _OPEN.pop().close()


def fingerprint(key: str) -> str:
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()[:12]


def calls(server: EmulatedServer, route: str | None = None) -> list[Any]:
    return [r for r in server.emulator.requests if route is None or r.route == route]


def deployment(name: str, server: EmulatedServer, group: str = "sora", **params: Any) -> dict[str, Any]:
    return {
        "model_name": group,
        "params": {
            "model": "openai/sora-2",
            "api_base": server.api_base,
            "api_key": KEYS[name],
            "id": name,
            **params,
        },
    }


def make_router(emulators: dict[str, EmulatedServer], tmp_path: Path, **settings: Any) -> Router:
    weights = settings.pop("weights", {})
    extra = settings.pop("params", {})
    model_list = [
        deployment("east", emulators["east"], weight=weights.get("east", 1), **extra.get("east", {})),
        deployment("west", emulators["west"], weight=weights.get("west", 1), **extra.get("west", {})),
        deployment("backup", emulators["backup"], group="sora-backup", **extra.get("backup", {})),
    ]
    settings.setdefault("fallbacks", {"sora": ["sora-backup"]})
    settings.setdefault("num_retries", 0)
    return Router(model_list=model_list, id_key=ID_KEY, data_dir=tmp_path, seed=7, **settings)


def one_job_each(emulators: dict[str, EmulatedServer], tmp_path: Path) -> Router:
    """``sora`` over east and west, each allowed one job at a time, no fallback group."""
    limit = {"max_parallel_jobs": 1}
    return make_router(emulators, tmp_path, params={"east": limit, "west": limit}, fallbacks={})


@pytest.fixture
def router(emulators: dict[str, EmulatedServer], tmp_path: Path) -> Iterator[Router]:
    with make_router(emulators, tmp_path) as router:
        yield router


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger(tmp_path, flush_interval=60)


def owner_of(emulators: dict[str, EmulatedServer]) -> str:
    """The one emulator that received a create."""
    [name] = [name for name, server in emulators.items() if calls(server, "create")]
    return name


# -- choosing -----------------------------------------------------------------------------------


def test_simple_shuffle_follows_the_weights(emulators: dict[str, EmulatedServer], tmp_path: Path) -> None:
    router = make_router(emulators, tmp_path, weights={"east": 3, "west": 1})
    client = open_client(router=router, ledger=False)
    creates = 400
    for _ in range(creates):
        client.create("a cat", "sora")
    east = len(calls(emulators["east"], "create"))
    assert east + len(calls(emulators["west"], "create")) == creates
    # 75 % expected; binomial sigma is ~2.2 %, so +-9 % is over 4 sigma
    assert 0.66 < east / creates < 0.84
    assert calls(emulators["backup"]) == []


def test_least_busy_prefers_the_deployment_with_fewer_running_jobs(
    emulators: dict[str, EmulatedServer], tmp_path: Path
) -> None:
    # the weights favour east 1000:1, so only the strategy can send the second create to west
    router = make_router(
        emulators, tmp_path, routing_strategy="least-busy", weights={"east": 1000, "west": 1}
    )
    client = open_client(router=router, ledger=False)
    first = client.create("a long one @emulator:job_seconds=30", "sora")
    assert owner_of(emulators) == "east"
    client.create("another long one @emulator:job_seconds=30", "sora")
    assert len(calls(emulators["west"], "create")) == 1  # east has a job running, west none
    client.delete(first.id)


def test_latency_based_prefers_the_faster_deployment(
    emulators: dict[str, EmulatedServer], tmp_path: Path
) -> None:
    emulators["east"].emulator.add_fault(FaultRule(route="create", latency=0.15, times=None))
    router = make_router(emulators, tmp_path, routing_strategy="latency-based")
    client = open_client(router=router, ledger=False)
    for _ in range(8):
        client.create("a cat", "sora")
    # both get measured first (unmeasured go first); then the fast one takes the rest
    assert len(calls(emulators["east"], "create")) == 1
    assert len(calls(emulators["west"], "create")) == 7


def test_cost_based_picks_the_cheapest_model_for_the_request(
    emulators: dict[str, EmulatedServer], tmp_path: Path
) -> None:
    router = make_router(
        emulators, tmp_path, routing_strategy="cost-based", params={"east": {"model": "openai/sora-2-pro"}}
    )
    client = open_client(router=router, ledger=False)
    for _ in range(5):
        client.create("a cat", "sora", seconds=8, size="1280x720")
    assert calls(emulators["east"], "create") == []  # sora-2-pro: $0.30/s; sora-2: $0.10/s
    assert len(calls(emulators["west"], "create")) == 5


def test_usage_based_respects_rpm_and_parallel_job_limits(
    emulators: dict[str, EmulatedServer], tmp_path: Path
) -> None:
    router = make_router(
        emulators,
        tmp_path,
        routing_strategy="usage-based",
        params={"east": {"rpm": 2}, "west": {"max_parallel_jobs": 1}},
        fallbacks={},
    )
    client = open_client(router=router, ledger=False)
    for _ in range(3):
        client.create("a long one @emulator:job_seconds=30", "sora")
    assert (len(calls(emulators["east"], "create")), len(calls(emulators["west"], "create"))) == (2, 1)
    with pytest.raises(NoDeploymentAvailableError, match="rpm or max_parallel_jobs") as refused:
        client.create("one too many", "sora")
    assert set(refused.value.deployments) == {"east", "west"}


def test_deployments_that_cannot_serve_the_request_are_never_chosen(
    emulators: dict[str, EmulatedServer], tmp_path: Path
) -> None:
    router = make_router(emulators, tmp_path, params={"east": {"model": "openai/sora-2-pro"}})
    client = open_client(router=router, ledger=False)
    for _ in range(6):
        client.create("a wide one", "sora", size="1792x1024")  # only sora-2-pro has it
    assert len(calls(emulators["east"], "create")) == 6
    with pytest.raises(BadRequestError, match="no deployment of 'sora' can make this video"):
        client.create("too long", "sora", seconds=60)
    assert sum(len(calls(server)) for server in emulators.values()) == 6


# -- falling back -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (FaultRule(route="create", status=429, times=None), "RateLimitError"),
        (FaultRule(route="create", status=500, times=None), "ProviderServerError"),
    ],
)
def test_a_failed_create_falls_back_and_only_the_job_that_started_is_charged(
    emulators: dict[str, EmulatedServer],
    router: Router,
    ledger: Ledger,
    tmp_path: Path,
    fault: FaultRule,
    error: str,
) -> None:
    for name in ("east", "west"):
        emulators[name].emulator.add_fault(fault)
    video = open_client(router=router, ledger=ledger).create("a cat", "sora", seconds=4)
    assert router.owner(video.id)[0].id == "backup"  # type: ignore[index]
    assert video.cost is not None
    assert video.cost.amount == Decimal("0.40")
    ledger.flush()
    rows = sql("SELECT deployment, http_status, error_type FROM calls ORDER BY ts", data_dir=tmp_path)
    assert [row["deployment"] for row in rows][-1] == "backup"
    assert sorted(row["http_status"] for row in rows) == sorted([fault.status, fault.status, 200])
    costs = sql("SELECT video_id, amount FROM video_costs", data_dir=tmp_path)
    assert costs == [{"video_id": video.id, "amount": Decimal("0.400000")}]


def test_a_retired_model_falls_back(emulators: dict[str, EmulatedServer], router: Router) -> None:
    for name in ("east", "west"):
        emulators[name].emulator.config.retired_models = {"sora-2"}
    video = open_client(router=router, ledger=False).create("a cat", "sora")
    assert router.owner(video.id)[0].id == "backup"  # type: ignore[index]


def test_a_lost_create_response_is_not_sent_again_to_the_same_deployment(
    emulators: dict[str, EmulatedServer], tmp_path: Path
) -> None:
    router = make_router(emulators, tmp_path, timeout=0.3, num_retries=2, fallbacks={})
    for name in ("east", "west"):
        emulators[name].emulator.add_fault(FaultRule(route="create", latency=1.0, times=None))
    with pytest.raises(APITimeoutError):
        open_client(router=router, ledger=False).create("a cat", "sora")
    # each deployment got exactly one create (its job may exist): no silent re-send anywhere
    assert len(calls(emulators["east"], "create")) == 1
    assert len(calls(emulators["west"], "create")) == 1


def test_content_policy_does_not_fall_back_unless_configured(
    emulators: dict[str, EmulatedServer], tmp_path: Path
) -> None:
    router = make_router(emulators, tmp_path)
    with pytest.raises(ContentPolicyError):
        open_client(router=router, ledger=False).create("@emulator:reject=policy a cat", "sora")
    assert sum(len(calls(server, "create")) for server in emulators.values()) == 1

    configured = make_router(emulators, tmp_path, content_policy_fallbacks={"sora": ["sora-backup"]})
    for server in emulators.values():
        server.emulator.reset()
    with pytest.raises(ContentPolicyError):  # the backup refuses the same prompt too...
        open_client(router=configured, ledger=False).create("@emulator:reject=policy a cat", "sora")
    assert len(calls(emulators["backup"], "create")) == 1  # ...but it was asked


def test_bad_requests_do_not_fall_back(emulators: dict[str, EmulatedServer], router: Router) -> None:
    emulators["east"].emulator.add_fault(FaultRule(route="create", status=400, times=None))
    emulators["west"].emulator.add_fault(FaultRule(route="create", status=400, times=None))
    with pytest.raises(BadRequestError):
        open_client(router=router, ledger=False).create("a cat", "sora")
    assert calls(emulators["backup"]) == []


# -- cooling down -------------------------------------------------------------------------------


def test_a_failing_deployment_cools_down_then_is_tried_again(
    emulators: dict[str, EmulatedServer], tmp_path: Path
) -> None:
    router = make_router(
        emulators,
        tmp_path,
        weights={"east": 1000, "west": 1},
        cooldown={"allowed_fails": 2, "window": 60, "cooldown_time": 0.6},
    )
    emulators["east"].emulator.add_fault(FaultRule(route="create", status=503, times=None))
    client = open_client(router=router, ledger=False)
    for _ in range(6):
        client.create("a cat", "sora")
    assert len(calls(emulators["east"], "create")) == 2  # then skipped while cooling
    emulators["east"].emulator.clear_faults()
    import time

    time.sleep(0.7)
    client.create("a cat", "sora")
    assert len(calls(emulators["east"], "create")) == 3


def test_all_deployments_cooling_is_a_clear_error(
    emulators: dict[str, EmulatedServer], tmp_path: Path
) -> None:
    router = make_router(
        emulators, tmp_path, cooldown={"allowed_fails": 1, "cooldown_time": 30}, fallbacks={}
    )
    for name in ("east", "west"):
        emulators[name].emulator.add_fault(FaultRule(route="create", status=503, times=None))
    client = open_client(router=router, ledger=False)
    with pytest.raises(ProviderServerError):
        client.create("a cat", "sora")
    sent = sum(len(calls(server)) for server in emulators.values())
    with pytest.raises(NoDeploymentAvailableError, match="cooling down") as refused:
        client.create("a cat", "sora")
    assert set(refused.value.deployments) == {"east", "west"}
    assert refused.value.retry_after is not None
    assert 25 < refused.value.retry_after <= 30
    assert sum(len(calls(server)) for server in emulators.values()) == sent  # nothing sent


# -- owners ---------------------------------------------------------------------------------------


@pytest.fixture(params=["sync", "async"])
def caller(request: pytest.FixtureRequest, router: Router) -> Iterator[Any]:
    if request.param == "async":
        yield AsyncCaller(router=router, ledger=False)
        return
    sync = SyncCaller(router=router, ledger=False)
    yield sync
    sync.client.close()


def test_every_call_about_a_video_reaches_its_owner_with_its_key(
    emulators: dict[str, EmulatedServer], caller: Any
) -> None:
    video = caller.create("a cat", "sora")
    owner = owner_of(emulators)
    assert video.id.startswith("video_")
    assert caller.status(video.id).id == video.id  # the same id on every call
    done = caller.wait(video.id, poll_interval=0.02)
    assert done.status == "completed"
    assert done.id == video.id
    assert len(caller.content(video.id, variant="thumbnail")) > 100
    remix = caller.remix(video.id, "the same cat at night")
    assert remix.remixed_from_video_id == video.id
    assert caller.delete(video.id).id == video.id
    seen = calls(emulators[owner])
    assert {r.route for r in seen} >= {"create", "retrieve", "content", "remix", "delete"}
    assert {r.api_key_fingerprint for r in seen} == {fingerprint(KEYS[owner])}
    others = [name for name in NAMES if name != owner]
    assert all(calls(emulators[name]) == [] for name in others)


@pytest.mark.parametrize("mangle", ["tamper", "truncate", "other-key"])
def test_forged_ids_are_not_found_without_any_request(
    emulators: dict[str, EmulatedServer], router: Router, tmp_path: Path, mangle: str
) -> None:
    client = open_client(router=router, ledger=False)
    video = client.create("a cat", "sora")
    for server in emulators.values():
        server.emulator.requests.clear()
    if mangle == "tamper":
        position = len(video.id) // 2
        forged = video.id[:position] + ("A" if video.id[position] != "A" else "B") + video.id[position + 1 :]
    elif mangle == "truncate":
        forged = video.id[:-3]
    else:
        other = Router(
            model_list=[deployment("east", emulators["east"])],
            id_key="another-key-16-bytes!",
            data_dir=tmp_path,
        )
        forged = other.codec.encode("east", router.owner(video.id)[1])  # type: ignore[index]
    for call in (client.status, client.delete, lambda i: client.content(i), lambda i: client.remix(i, "x")):
        with pytest.raises(NotFoundError, match="nothing was sent upstream"):
            call(forged)
    assert all(calls(server) == [] for server in emulators.values())


def test_a_raw_upstream_id_with_an_explicit_model_still_works(
    emulators: dict[str, EmulatedServer], router: Router
) -> None:
    video = open_client(router=router, ledger=False).create("a cat", "sora")
    route, upstream_id = router.owner(video.id)  # type: ignore[misc]
    server = emulators[route.id]
    direct = open_client(ledger=False, api_key=KEYS[route.id], api_base=server.api_base)
    assert direct.status(upstream_id, "openai/sora-2").id == upstream_id
    with pytest.raises(BadRequestError, match="not an id this router issued"):
        open_client(router=router, ledger=False).status(upstream_id, "sora")


def test_a_merged_list_pages_across_deployments_with_a_round_trip_cursor(
    emulators: dict[str, EmulatedServer], router: Router
) -> None:
    client = open_client(router=router, ledger=False)
    made = {client.create(f"clip {n}", "sora").id for n in range(7)}
    seen: list[str] = []
    page = client.list("sora", limit=3)
    while True:
        seen += [video.id for video in page.data]
        assert len(page.data) <= 3
        if page.next_after is None:
            break
        page = client.list("sora", limit=3, after=page.next_after)
    assert len(seen) == len(set(seen)) == 7
    assert set(seen) == made
    created = [client.status(video_id).created_at for video_id in seen]
    assert created == sorted(created, reverse=True)
    with pytest.raises(BadRequestError, match="not a cursor"):
        client.list("sora", after=seen[0])


@pytest.mark.anyio
async def test_async_routed_create_falls_back_like_sync(
    emulators: dict[str, EmulatedServer], router: Router
) -> None:
    emulators["east"].emulator.add_fault(FaultRule(route="create", status=429, times=None))
    emulators["west"].emulator.add_fault(FaultRule(route="create", status=429, times=None))
    async with AsyncClient(router=router, ledger=False) as client:
        video = await client.create("a cat", "sora")
        assert router.owner(video.id)[0].id == "backup"  # type: ignore[index]
        assert (await client.status(video.id)).id == video.id


def test_the_router_itself_offers_the_seed_functions(
    emulators: dict[str, EmulatedServer], router: Router
) -> None:
    video = router.video_generation("a cat", model="sora")
    assert router.video_wait(video.id, poll_interval=0.02).status == "completed"
    assert len(router.video_retrieval(video.id)) > 1000
    router.close()


def test_a_litellm_config_file_loads_and_routes(
    emulators: dict[str, EmulatedServer], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("EAST_KEY", KEYS["east"])
    monkeypatch.setenv("REELGATE_ID_KEY", ID_KEY)
    config = tmp_path / "config.yaml"
    config.write_text(
        f"""
model_list:
  - model_name: sora
    litellm_params:
      model: openai/sora-2
      api_base: {emulators["east"].api_base}
      api_key: os.environ/EAST_KEY
      rpm: 100
    model_info:
      id: east
router_settings:
  routing_strategy: simple-shuffle
  num_retries: 0
"""
    )
    router = Router.from_yaml(config, data_dir=tmp_path)
    video = open_client(router=router, ledger=False).create("a cat", "sora")
    assert router.owner(video.id)[0].id == "east"  # type: ignore[index]
    assert [r.api_key_fingerprint for r in calls(emulators["east"])] == [fingerprint(KEYS["east"])]
    assert KEYS["east"] not in repr(router.config)


def test_no_secret_reaches_the_ledger(
    emulators: dict[str, EmulatedServer], router: Router, ledger: Ledger, tmp_path: Path
) -> None:
    client = open_client(router=router, ledger=ledger)
    video = client.create("a cat", "sora")
    client.wait(video.id, poll_interval=0.02)
    ledger.flush()
    dump = json.dumps(sql("SELECT * FROM calls", data_dir=tmp_path), default=str)
    dump += json.dumps(sql("SELECT * FROM cost_events", data_dir=tmp_path), default=str)
    assert all(key not in dump for key in KEYS.values())
    assert ID_KEY not in dump


def test_each_attempt_is_a_child_span_of_the_routed_create(
    emulators: dict[str, EmulatedServer], router: Router, telemetry: Telemetry
) -> None:
    for name in ("east", "west"):
        emulators[name].emulator.add_fault(FaultRule(route="create", status=503, times=None))
    video = open_client(router=router, ledger=False).create("a cat", "sora")
    parent = telemetry.span("route_create_video sora")
    attempts = [span for span in telemetry.spans() if span.name == "create_video sora-2"]
    assert len(attempts) == 3
    assert all(span.parent is not None and span.parent.span_id == parent.context.span_id for span in attempts)
    assert [span.attributes["reelgate.router.deployment"] for span in attempts][-1] == "backup"  # type: ignore[index]
    assert parent.attributes["reelgate.router.attempts"] == 3  # type: ignore[index]
    assert parent.attributes["reelgate.router.deployment"] == "backup"  # type: ignore[index]
    fallbacks = [event for event in parent.events if event.name == "reelgate.router.fallback"]
    assert len(fallbacks) == 2
    assert video.id.startswith("video_rg1_")


def test_the_readme_offline_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("Offline, with two local deployments", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.setenv("REELGATE_DATA_DIR", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    exec(compile(example, "README.md", "exec"), {})
    assert_playable((tmp_path / "lighthouse.mp4").read_bytes(), "1280x720", 4.0)
    assert (tmp_path / "id-key").stat().st_mode & 0o077 == 0  # the generated signing key is private


def test_a_timed_out_create_falls_back_to_another_deployment(
    emulators: dict[str, EmulatedServer], tmp_path: Path
) -> None:
    router = make_router(emulators, tmp_path, timeout=0.3, num_retries=2, weights={"east": 1000, "west": 1})
    emulators["east"].emulator.add_fault(FaultRule(route="create", latency=1.0, times=None))
    video = open_client(router=router, ledger=False).create("a cat", "sora")
    assert router.owner(video.id)[0].id == "west"  # type: ignore[index]
    assert len(calls(emulators["east"], "create")) == 1  # its job may exist: it was not asked twice


def test_a_router_id_without_the_router_says_how_to_use_it(
    emulators: dict[str, EmulatedServer], router: Router
) -> None:
    video = open_client(router=router, ledger=False).create("a cat", "sora")
    with pytest.raises(BadRequestError, match="issued by a reelgate Router"):
        open_client(ledger=False, api_key="sk-x").status(video.id, "openai/sora-2")


def test_a_create_that_returns_a_finished_video_is_costed_once_by_its_provider(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reelgate.local._server as local_server

    def cannot_start(job: Any) -> int:
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(local_server, "start_worker", cannot_start)
    monkeypatch.setenv("REELGATE_DATA_DIR", str(tmp_path))
    ledger = Ledger(tmp_path, flush_interval=60)
    router = Router(model_list=[{"model_name": "p", "params": {"model": "local/draft"}}], data_dir=tmp_path)
    client = open_client(router=router, ledger=ledger)
    video = client.create("a cat", "p")
    assert video.status == "failed"
    assert client.status(video.id).status == "failed"  # the final cost is the first status read's
    ledger.flush()
    events = sql("SELECT kind, provider, operation, amount FROM cost_events ORDER BY kind", data_dir=tmp_path)
    assert events == [
        {"kind": "estimate", "provider": "local", "operation": "create_video", "amount": Decimal("0.000000")},
        {"kind": "final", "provider": "local", "operation": "get_video", "amount": Decimal("0.000000")},
    ]


def test_deployments_sharing_an_account_are_listed_once_with_their_own_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REELGATE_DATA_DIR", str(tmp_path))
    model_list = [
        {"model_name": "p", "params": {"model": "local/draft"}},
        {"model_name": "p", "params": {"model": "local/preview"}},
    ]
    with (
        Router(model_list=model_list, data_dir=tmp_path) as router,
        Router(model_list=model_list, data_dir=tmp_path) as reader,
    ):
        made = [router.video_generation(f"clip {n}", model="p", size="640x360") for n in range(4)]
        listed = reader.video_list(model="p").data
        assert sorted(video.id for video in listed) == sorted(video.id for video in made)
        # the reader started none of them, so listing them must not count them as its load
        assert all(reader.state.snapshot(route.id).in_flight_jobs == 0 for route in reader.routes("p"))
        for video in made:
            router.video_delete(video.id)


def test_jobs_this_process_never_sees_end_stop_counting_after_a_while(
    emulators: dict[str, EmulatedServer], tmp_path: Path
) -> None:
    router = one_job_each(emulators, tmp_path)
    client = open_client(router=router, ledger=False)
    client.create("a long one @emulator:job_seconds=30", "sora")
    client.create("a long one @emulator:job_seconds=30", "sora")
    with pytest.raises(NoDeploymentAvailableError):
        client.create("a third", "sora")
    import time

    router.expire_jobs(now=time.monotonic() + 31 * 60)  # e.g. another process polled them to the end
    client.create("a third", "sora")


def test_concurrent_creates_do_not_overshoot_max_parallel_jobs(
    emulators: dict[str, EmulatedServer], tmp_path: Path
) -> None:
    import threading

    router = one_job_each(emulators, tmp_path)
    client = open_client(router=router, ledger=False)
    outcomes: list[str] = []

    def create() -> None:
        try:
            client.create("a long one @emulator:job_seconds=30", "sora")
            outcomes.append("created")
        except NoDeploymentAvailableError:
            outcomes.append("refused")

    threads = [threading.Thread(target=create) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes.count("created") == 2  # one per deployment, never more
    assert sum(len(calls(server, "create")) for server in emulators.values()) == 2


def test_a_revoked_key_on_one_deployment_falls_back(
    emulators: dict[str, EmulatedServer], router: Router
) -> None:
    for name in ("east", "west"):
        emulators[name].emulator.add_fault(FaultRule(route="create", status=401, times=None))
    video = open_client(router=router, ledger=False).create("a cat", "sora")
    assert router.owner(video.id)[0].id == "backup"  # type: ignore[index]


def test_a_fallback_group_that_cannot_serve_does_not_hide_the_real_error(
    emulators: dict[str, EmulatedServer], tmp_path: Path
) -> None:
    router = make_router(
        emulators,
        tmp_path,
        params={"east": {"model": "openai/sora-2-pro"}, "west": {"model": "openai/sora-2-pro"}},
    )
    for name in ("east", "west"):
        emulators[name].emulator.add_fault(FaultRule(route="create", status=503, times=None))
    with pytest.raises(ProviderServerError):  # not "sora-backup cannot make 1792x1024"
        open_client(router=router, ledger=False).create("a wide one", "sora", size="1792x1024")


def test_a_cursor_is_signed_and_has_no_length_limit(router: Router) -> None:
    payload = b'{"' + b"x" * 5000 + b'":null}'
    cursor = router.sign_cursor(payload)
    assert router.open_cursor(cursor) == payload
    assert router.open_cursor(cursor[:-2] + ("A" if cursor[-2] != "A" else "B") + cursor[-1]) is None
