"""``reelgate --router config.yaml``: model groups by name, and signed ids that need no --model."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.cli.conftest import Cli

CONFIG = """
model_list:
  - model_name: drafts
    litellm_params:
      model: local/draft
    model_info:
      id: local-drafts
router_settings:
  routing_strategy: least-busy
"""


@pytest.fixture
def local(make_cli: Callable[[str | None], Cli]) -> Cli:
    cli = make_cli(None)
    (cli.workdir / "router.yaml").write_text(CONFIG)
    return cli


def test_a_routed_video_is_followed_across_processes_by_its_id_alone(local: Cli) -> None:
    created = local(
        "--router", "router.yaml", "generate", "a cat", "--model", "drafts", "--no-wait", "--json"
    )
    video_id = created.ok().json()["id"]
    assert video_id.startswith("video_rg1_")
    done = local("--router", "router.yaml", "wait", video_id, "--json").ok().json()
    assert done["status"] == "completed"
    local("--router", "router.yaml", "download", video_id, "-o", "cat.mp4").ok()
    assert (local.workdir / "cat.mp4").stat().st_size > 1000

    without = local("status", video_id)
    assert without.returncode == 2
    assert "issued by a reelgate Router" in without.stderr


def test_a_broken_router_config_names_the_place(local: Cli) -> None:
    (local.workdir / "router.yaml").write_text(CONFIG.replace("model_info", "model_infoo"))
    run = local("--router", "router.yaml", "generate", "a cat", "--model", "drafts")
    assert run.returncode == 4
    assert "model_infoo" in run.stderr
    assert "did you mean 'model_info'" in run.stderr
