"""Every span, attribute, metric and log event name reelgate emits, in one place.

The OpenTelemetry GenAI conventions are mid-rename (they moved to their own repository in 2026), so
reelgate owns these constants instead of importing them: standard names are used where they exist
(``gen_ai.*``, ``server.*``, ``error.type``), and reelgate's own live under ``reelgate.*``. Video ids,
prompts and user ids never appear in span names or metric attributes.
"""

from __future__ import annotations

from typing import Final

INSTRUMENTATION_NAME: Final = "reelgate"

# -- operations (values of gen_ai.operation.name; span name is "{operation} {model}") -------------
CREATE_VIDEO: Final = "create_video"
GET_VIDEO: Final = "get_video"
DOWNLOAD_VIDEO_CONTENT: Final = "download_video_content"
REMIX_VIDEO: Final = "remix_video"
LIST_VIDEOS: Final = "list_videos"
DELETE_VIDEO: Final = "delete_video"
GENERATE_VIDEO: Final = "generate_video"
"""The parent span of a blocking helper (``video_wait``) whose children are the calls it makes."""
ROUTE_CREATE_VIDEO: Final = "route_create_video"
"""The parent span of a routed create: one ``create_video`` child per deployment tried."""
ROUTE_LIST_VIDEOS: Final = "route_list_videos"
"""The parent span of a routed list: one ``list_videos`` child per deployment read."""

# -- standard attributes ---------------------------------------------------------------------------
GEN_AI_OPERATION_NAME: Final = "gen_ai.operation.name"
GEN_AI_PROVIDER_NAME: Final = "gen_ai.provider.name"
GEN_AI_REQUEST_MODEL: Final = "gen_ai.request.model"
GEN_AI_RESPONSE_MODEL: Final = "gen_ai.response.model"
GEN_AI_RESPONSE_ID: Final = "gen_ai.response.id"
GEN_AI_INPUT_MESSAGES: Final = "gen_ai.input.messages"
"""The prompt, only when content capture is on: ``[{"role": "user", "parts": [{"type": "text", ...}]}]``."""
SERVER_ADDRESS: Final = "server.address"
SERVER_PORT: Final = "server.port"
ERROR_TYPE: Final = "error.type"
URL_FULL: Final = "url.full"
HTTP_URL_OLD: Final = "http.url"

# -- reelgate attributes ---------------------------------------------------------------------------
VIDEO_ID: Final = "reelgate.video.id"
VIDEO_STATUS: Final = "reelgate.video.status"
VIDEO_PROGRESS: Final = "reelgate.video.progress"
VIDEO_SECONDS: Final = "reelgate.video.seconds"
VIDEO_SIZE: Final = "reelgate.video.size"
VIDEO_REMIX_OF: Final = "reelgate.video.remix_of"
COST_AMOUNT: Final = "reelgate.cost.amount"
COST_CURRENCY: Final = "reelgate.cost.currency"
COST_STATUS: Final = "reelgate.cost.status"
PRICING_VERSION: Final = "reelgate.pricing.version"
CONTENT_VARIANT: Final = "reelgate.content.variant"
CONTENT_BYTES: Final = "reelgate.content.bytes"
CONTENT_TYPE: Final = "reelgate.content.type"
POLL_COUNT: Final = "reelgate.poll.count"
LIST_COUNT: Final = "reelgate.list.count"
USER: Final = "reelgate.user"
ROUTER_GROUP: Final = "reelgate.router.group"
"""The model group (the public alias) a routed call asked for."""
ROUTER_DEPLOYMENT: Final = "reelgate.router.deployment"
"""The id of the deployment a call went to."""
ROUTER_STRATEGY: Final = "reelgate.router.strategy"
ROUTER_ATTEMPTS: Final = "reelgate.router.attempts"
"""How many deployments a routed create tried (1 = no fallback)."""
EVENT_ROUTER_FALLBACK: Final = "reelgate.router.fallback"
"""Span event (and log event) when a routed create moves on to another deployment."""
LINK_REASON: Final = "reelgate.link.reason"
"""On span links: ``job_origin`` (to the create span of the video) or ``remix_of`` (to the source's)."""

# -- metrics ---------------------------------------------------------------------------------------
OPERATION_DURATION: Final = "gen_ai.client.operation.duration"
COST_USD: Final = "reelgate.cost.usd"
VIDEO_GENERATED_SECONDS: Final = "reelgate.video.generated"
JOBS_COMPLETED: Final = "reelgate.jobs.completed"
COST_UNPRICED: Final = "reelgate.cost.unpriced"
CONTENT_SIZE: Final = "reelgate.content.size"
POLLS_PER_JOB: Final = "reelgate.poll.count"

OPERATION_DURATION_BUCKETS: Final = (
    0.01,
    0.02,
    0.04,
    0.08,
    0.16,
    0.32,
    0.64,
    1.28,
    2.56,
    5.12,
    10.24,
    20.48,
    40.96,
    81.92,
)
CONTENT_SIZE_BUCKETS: Final = (1e5, 1e6, 1e7, 5e7, 1e8, 5e8, 1e9)
POLL_COUNT_BUCKETS: Final = (1, 2, 5, 10, 20, 50, 100)

# -- log events ------------------------------------------------------------------------------------
EVENT_REQUEST: Final = "request"
EVENT_RESPONSE: Final = "response"
EVENT_STATUS_CHANGED: Final = "job.status_changed"
EVENT_COST_RECORDED: Final = "cost.recorded"
EVENT_ERROR: Final = "error"
EVENT_UNPRICED: Final = "cost.unpriced"
