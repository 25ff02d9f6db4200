"""Offline emulators of the OpenAI and Azure OpenAI Videos APIs, with fault injection.

The emulator is the other side of the wire for testing clients (reelgate's providers, the official
SDKs, your own code) without the network. It shares no code with reelgate except the renderer
(:mod:`reelgate.render`), and follows the real APIs: multipart and JSON create, every Video key,
string ``seconds``, 404 for content that is not ready, cursor pagination, delete, remix, OpenAI error
envelopes, and the ``openai-poll-after-ms``, ``x-request-id`` and ``x-ratelimit-*`` headers.

>>> import openai
>>> from reelgate.emulator import EmulatorConfig, FaultRule, create_app, run_in_thread
>>> app = create_app("openai", EmulatorConfig(job_seconds=1.0, poll_after_ms=50))
>>> with run_in_thread(app) as server:          # uvicorn on 127.0.0.1, a free port
...     client = openai.OpenAI(base_url=server.api_base, api_key="sk-test")
...     video = client.videos.create_and_poll(prompt="a cat")
...     app.state.emulator.add_fault(FaultRule(route="retrieve", status=503, times=2))

From a shell: ``python -m reelgate.emulator --provider openai --port 8000`` (``--help`` lists the
flags; they mirror :class:`EmulatorConfig`).

Flavours
    ``openai``: the API under ``/v1``, ``Authorization: Bearer <key>``; ``api_base`` is ``url + "/v1"``.
    ``azure``: the same API under ``/openai/v1`` (``api_base`` is the resource endpoint, ``url``);
    ``api-key: <key>`` or Bearer; any ``api-version`` query is accepted; ``model`` is a deployment
    name looked up in ``EmulatorConfig.deployments`` (unknown: 404 ``video_generation_user_error``)
    and Video objects name its base model; ``seconds`` 4, 8 or 12; ``expires_at`` is
    ``created_at + 86400``; ``apim-request-id`` on responses. Errors use OpenAI's envelope and wording.

Jobs
    ``queued`` for the first 15 % of ``job_seconds``, then ``in_progress`` (progress 15..99), then
    ``completed`` (progress 100, ``completed_at``, and ``expires_at`` = completed_at + 3600 on
    OpenAI). Time comes from ``EmulatorConfig.clock``; nothing runs in the background. A failed job
    has progress 100, ``completed_at`` set, ``expires_at`` null and ``error: {code, message}``.
    Content is a real H.264 MP4 at the job's size and duration (``variant=video``), a WebP
    thumbnail, or a JPEG spritesheet, rendered once per size, duration and variant and cached.

Retries
    Error answers meant to be retried carry ``retry-after`` (whole seconds, rounded, as HTTP wants)
    and ``retry-after-ms`` (exact), which the official SDK prefers.

Prompt directives
    Any client can trigger faults by writing ``@emulator:key=value`` tokens anywhere in a create or
    remix prompt (the prompt is stored unchanged; an unknown key or bad value is a 400 with code
    ``invalid_emulator_directive``):

    ``@emulator:fail=moderation``
        the job ends ``failed`` with ``error.code`` ``moderation_blocked``.
    ``@emulator:fail=internal``
        the job ends ``failed`` with ``error.code`` ``internal_error``.
    ``@emulator:reject=policy``
        the create itself answers 400 ``content_policy_violation`` (input moderation).
    ``@emulator:error=503`` (or ``=429``, ``=500``, any 4xx/5xx; ``=503x2`` for a count)
        the first N create attempts carrying this same prompt fail with that status (N defaults to
        1); later ones succeed. A 429 or 503 carries ``retry-after: 0`` and ``retry-after-ms: 50``.
    ``@emulator:latency=0.5``
        the job is created, then the response is held back 0.5 s (a lost response, if the client
        times out first: the job exists anyway).
    ``@emulator:job_seconds=2``
        this job's duration instead of ``EmulatorConfig.job_seconds``.

Fault rules
    :class:`FaultRule` (``route`` one of ``create``, ``retrieve``, ``list``, ``content``, ``remix``,
    ``delete`` or ``*``; ``status``; ``times``, ``None`` for forever; ``retry_after`` seconds;
    ``latency`` seconds; ``message``). Arm them with ``EmulatorConfig(faults=[...])``,
    ``emulator.add_fault(rule)`` or ``POST /_emulator/faults``. Rules apply after authentication and
    the rate limit, in the order they were armed; the first match consumes one use. A rule with a
    status answers 429 ``rate_limit_exceeded`` (type ``requests``), 500/502/503/504 ``server_error``
    (503: "The server is overloaded or not ready yet."), and so on; a latency-only rule serves the
    request normally and then holds the response back.

Limits
    ``rpm``: per-key requests per minute over a sliding window; over it, 429 ``rate_limit_exceeded``
    with ``retry-after`` and ``retry-after-ms``. Every authenticated API response carries
    ``x-ratelimit-limit-requests``, ``x-ratelimit-remaining-requests`` and
    ``x-ratelimit-reset-requests`` (limit 10000 when ``rpm`` is ``None``). ``max_running_jobs``:
    creating beyond that many unfinished jobs is 429 "Too many running tasks" (code
    ``too_many_running_tasks``).

Admin API (no auth, never recorded)
    ``GET /_emulator/requests`` (the request log: method, path, query, content type, time, route,
    status, headers without credentials, a body summary, and an API key fingerprint, never the key),
    ``DELETE /_emulator/requests``, ``GET``/``POST``/``DELETE /_emulator/faults`` (``POST`` takes a JSON
    rule or list of rules), ``POST /_emulator/reset`` (the same as ``emulator.reset()``) and
    ``GET /_emulator/health``.

State
    ``app.state.emulator`` (also ``server.emulator``) holds ``config`` (its own copy of the config it
    was created with: change it there, it is read on every request), ``jobs`` (id to job),
    ``requests`` (the log; each entry reads as attributes or as a mapping), ``faults``,
    ``add_fault(rule)``, ``clear_faults()`` and ``reset(config=None)``, which drops jobs, faults,
    recorded requests, rate windows and directive counts, and puts the config back as created (or
    adopts ``config``), arming its ``faults`` again.

Choices where the real API is silent
    ``GET /videos?after=<id>`` with an id never seen is a 400 (a deleted id still works as a cursor).
    Delete works in any status. Remix needs a completed source (else 400). An ``http(s)``
    ``image_url`` or a ``file_id`` reference is accepted unchecked (no network, no Files API). Unknown
    models accept any whole ``seconds`` from 1 to 60 and any ``WxH`` size with even sides 16..4096.
    The edits, extensions and characters endpoints are not emulated (404).
"""

from __future__ import annotations

from reelgate.emulator._app import create_app
from reelgate.emulator._config import EmulatorConfig, FaultRule
from reelgate.emulator._emulator import Emulator
from reelgate.emulator._jobs import Job
from reelgate.emulator._record import RecordedRequest
from reelgate.emulator._server import EmulatedServer, run_in_thread

__all__ = [
    "EmulatedServer",
    "Emulator",
    "EmulatorConfig",
    "FaultRule",
    "Job",
    "RecordedRequest",
    "create_app",
    "run_in_thread",
]
