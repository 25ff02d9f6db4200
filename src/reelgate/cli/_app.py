"""The typer application: global options, the list of commands, and the one error boundary.

Every exception a command raises passes through :meth:`_Commands.invoke`, which prints a user error
as one ``error:`` line (plus a ``hint:``) and exits with its documented code (see
:mod:`reelgate.cli._errors`); anything else is a bug and keeps its traceback. Heavy modules (httpx,
DuckDB, PyAV, the emulator, the price table) are imported inside the commands that use them, so
``reelgate --help`` starts quickly.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from reelgate._version import __version__
from reelgate.cli import _emulator, _ledger, _videos
from reelgate.cli._errors import EXIT_CODES_HELP, classify
from reelgate.cli._options import option
from reelgate.cli._output import say, show_error, show_warning
from reelgate.cli._session import LogFormat, LogLevel, Session, set_data_dir


class _Commands(TyperGroup):
    """The command group; its ``invoke`` turns user errors into messages and exit codes."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (Exception, KeyboardInterrupt) as exc:
            error = classify(exc)
            if error is None:
                raise
            show_error(error)
            raise typer.Exit(int(error.code)) from None


app = typer.Typer(
    name="reelgate",
    cls=_Commands,
    epilog=EXIT_CODES_HELP,
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

_VIDEOS, _MONEY, _TOOLS = "Videos", "Costs and prices", "Tools"
_COMMANDS = (
    ("generate", _videos.generate, _VIDEOS),
    ("status", _videos.status, _VIDEOS),
    ("wait", _videos.wait, _VIDEOS),
    ("download", _videos.download_video, _VIDEOS),
    ("remix", _videos.remix, _VIDEOS),
    ("list", _videos.list_videos, _VIDEOS),
    ("delete", _videos.delete, _VIDEOS),
    ("report", _ledger.report, _MONEY),
    ("sql", _ledger.sql, _MONEY),
    ("prices", _ledger.prices, _MONEY),
    ("estimate", _ledger.estimate, _MONEY),
)
for _name, _function, _panel in _COMMANDS:
    app.command(_name, rich_help_panel=_panel)(_function)
app.command(
    "emulator",
    rich_help_panel=_TOOLS,
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
)(_emulator.emulator)


def _show_version(value: bool) -> None:
    if value:
        say(f"reelgate {__version__}")
        raise typer.Exit()


@app.callback()
def _global_options(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None,
        option(
            "Where the cost ledger and logs live: sets REELGATE_DATA_DIR for this run "
            "(default: REELGATE_DATA_DIR, else the user data directory).",
            "--data-dir",
        ),
    ] = None,
    router: Annotated[
        Path | None,
        typer.Option(
            "--router",
            envvar="REELGATE_ROUTER_CONFIG",
            help="A router config file (reelgate's or LiteLLM's YAML): --model may then name one of its "
            "model groups, and its video ids route back to their deployment without --model.",
        ),
    ] = None,
    log_format: Annotated[
        LogFormat,
        typer.Option(
            help="json: append JSON lines to <data dir>/logs/reelgate.jsonl; "
            "console: readable logs on stderr."
        ),
    ] = "json",
    log_level: Annotated[LogLevel, typer.Option(help="The least severe log events written.")] = "info",
    version: Annotated[  # noqa: ARG001 (handled by its eager callback)
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Generate AI videos from the command line; every call is traced, logged and costed.

    Global options go before the command; each command's --help has examples.
    Logs go to <data dir>/logs/reelgate.jsonl (or stderr with --log-format console).
    Spans and metrics are exported only when OTEL_EXPORTER_OTLP_ENDPOINT is set.

    Examples:

    reelgate generate "A paper boat on a stream" --model openai/sora-2 --seconds 4
    reelgate --data-dir ./reelgate-data report --by day
    reelgate --router config.yaml generate "A paper boat" --model sora
    reelgate estimate openai/sora-2-pro --seconds 8 --size 1792x1024
    """
    session = Session(
        log_format=log_format,
        log_level=log_level,
        data_dir=set_data_dir(data_dir) if data_dir is not None else None,
        router=router.expanduser().absolute() if router is not None else None,
    )
    ctx.obj = session
    ctx.call_on_close(session.close)


def run() -> None:
    """Run the command line with ``sys.argv`` (warnings shown as one ``warning:`` line each)."""
    warnings.showwarning = show_warning
    app(prog_name="reelgate")
