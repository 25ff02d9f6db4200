"""``python -m reelgate.emulator``: serve an emulated provider with uvicorn and print its base URL."""

from __future__ import annotations

import argparse
import socket
import sys
from collections.abc import Sequence

import uvicorn

from reelgate.emulator._app import create_app
from reelgate.emulator._config import EmulatorConfig


def _deployments(values: Sequence[str]) -> dict[str, str]:
    result: dict[str, str] = {}
    for value in values:
        name, _, model = value.partition("=")
        result[name] = model or name
    return result


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m reelgate.emulator", description=__doc__)
    parser.add_argument("--provider", choices=("openai", "azure"), default="openai")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--job-seconds", type=float, default=3.0, help="wall time from create to completed")
    parser.add_argument("--poll-after-ms", type=int, default=500, help="the openai-poll-after-ms header")
    parser.add_argument("--api-key", action="append", default=[], help="accept only these keys (repeatable)")
    parser.add_argument("--retired-model", action="append", default=[], help="answer 404 for it (repeatable)")
    parser.add_argument("--allow-1080p", action="store_true", help="sora-2-pro accepts 1080x1920, 1920x1080")
    parser.add_argument(
        "--deployment", action="append", default=[], help="Azure: NAME[=MODEL] deployment (repeatable)"
    )
    parser.add_argument("--rpm", type=int, default=None, help="requests per minute per key")
    parser.add_argument("--max-running-jobs", type=int, default=None, help="unfinished jobs allowed at once")
    parser.add_argument("--fps", type=int, default=12, help="frame rate of the rendered MP4s")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Parse flags, bind the port, print the base URL, serve until interrupted."""
    args = _parser().parse_args(argv)
    config = EmulatorConfig(
        job_seconds=args.job_seconds,
        poll_after_ms=args.poll_after_ms,
        api_keys=set(args.api_key) or None,
        retired_models=set(args.retired_model),
        allow_1080p=args.allow_1080p,
        rpm=args.rpm,
        max_running_jobs=args.max_running_jobs,
        fps=args.fps,
    )
    if args.deployment:
        config.deployments = _deployments(args.deployment)
    app = create_app(args.provider, config)
    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((args.host, args.port))
    sock.listen(2048)  # connections made right after the URL is printed wait in the backlog
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    url = f"http://{host}:{port}"
    base = url + "/v1" if args.provider == "openai" else url
    sys.stdout.write(
        f"reelgate emulator ({args.provider}) listening on {url}\n"
        f"base URL for clients: {base}\n"
        f"admin API: {url}/_emulator/health\n"
    )
    sys.stdout.flush()
    uvicorn.Server(uvicorn.Config(app, log_level="info")).run(sockets=[sock])


if __name__ == "__main__":
    main()
