"""Routing video calls over many deployments: load balancing, fallbacks, cooldowns and signed ids.

>>> from reelgate import Router
>>> east = {"model": "azure/sora-2", "api_base": "https://east.example", "api_key": "..."}
>>> west = {"model": "azure/sora-2", "api_base": "https://west.example", "api_key": "..."}
>>> router = Router(
...     model_list=[{"model_name": "sora", "params": east}, {"model_name": "sora", "params": west}],
...     routing_strategy="least-busy",
... )  # doctest: +SKIP
>>> video = router.video_generation("a cat", model="sora")  # doctest: +SKIP
>>> router.video_status(video.id)  # the deployment that made it, its key, no model= needed  # doctest: +SKIP

* :mod:`reelgate.router._config`: the configuration (reelgate's spelling and LiteLLM's), YAML loading;
* :mod:`reelgate.router._state` and :mod:`reelgate.router._strategies`: live statistics, cooldowns and
  the five strategies;
* :mod:`reelgate.router._ids`: the signed video ids;
* :mod:`reelgate.router._router` and :mod:`reelgate.router._routed`: the router and its flows.
"""

from __future__ import annotations

from reelgate.router._config import (
    CooldownPolicy,
    Deployment,
    DeploymentParams,
    RouterConfig,
    RouterConfigError,
)
from reelgate.router._router import Router

__all__ = ["CooldownPolicy", "Deployment", "DeploymentParams", "Router", "RouterConfig", "RouterConfigError"]
