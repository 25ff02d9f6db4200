"""``reelgate emulator``: the bundled OpenAI / Azure emulator in the foreground, until Ctrl-C.

The server itself is ``python -m reelgate.emulator`` (:func:`reelgate.emulator.__main__.main`); this
command only passes its flags on, so both accept the same options.
"""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from reelgate.cli._errors import CliError, describe_os_error
from reelgate.cli._output import err


def emulator(
    ctx: typer.Context,
    provider: Annotated[Literal["openai", "azure"], typer.Option(help="Which API to serve.")] = "openai",
    port: Annotated[
        int, typer.Option(min=0, max=65535, help="Port to listen on (0 picks a free one).")
    ] = 8000,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
) -> None:
    """Serve the offline emulator of the OpenAI or Azure videos API until Ctrl-C.

    It prints the base URL to point clients at.
    Other flags of 'python -m reelgate.emulator' are passed on: --job-seconds, --poll-after-ms,
    --api-key, --retired-model, --allow-1080p, --deployment, --rpm, --max-running-jobs, --fps.

    Examples:

    reelgate emulator --port 8000
    reelgate emulator --provider azure --port 8001 --deployment sora-2
    reelgate emulator --port 0 --job-seconds 5

    Then, in another shell:

    export OPENAI_COMPATIBLE_API_BASE=http://127.0.0.1:8000/v1 OPENAI_COMPATIBLE_API_KEY=sk-anything
    reelgate generate "A paper boat" --model openai_compatible/sora-2
    """
    from reelgate.emulator.__main__ import main as serve

    try:
        serve(["--provider", provider, "--host", host, "--port", str(port), *ctx.args])
    except KeyboardInterrupt:
        err().print("emulator stopped", soft_wrap=True)
    except OSError as exc:
        raise CliError(
            f"cannot serve on {host}:{port}: {describe_os_error(exc)}",
            hint="choose another --port (0 picks a free one)",
        ) from None
