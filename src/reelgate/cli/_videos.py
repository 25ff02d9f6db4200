"""The video commands: ``generate``, ``status``, ``wait``, ``download``, ``remix``, ``list``, ``delete``.

Each is a thin shell over one :class:`reelgate.Client` method (so every call is traced, logged and
costed like any other). ``--model`` is passed through as given; without it the library chooses
(``REELGATE_MODEL``, else its own default), so the CLI hard-codes no model.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from reelgate.cli._errors import CliError, ExitCode
from reelgate.cli._jobs import Delivery, deliver, download, planned_output, settle, video_json, wait_for
from reelgate.cli._options import option
from reelgate.cli._output import emit_json, emit_table, fields, say, timestamp, video_fields
from reelgate.cli._session import Session

if TYPE_CHECKING:
    from reelgate._options import ConnectionOptions, CreateOptions, RemixOptions

VideoId = Annotated[str, typer.Argument(metavar="ID", help="The video id (as printed by generate or list).")]
Model = Annotated[
    str | None,
    option(
        "provider/model, e.g. openai/sora-2 or azure/<deployment> "
        "(default: REELGATE_MODEL, else the library's default).",
        "--model",
        "-m",
    ),
]
AsJson = Annotated[bool, typer.Option("--json", help="Print the video object as JSON on stdout.")]
Wait = Annotated[
    bool,
    typer.Option(
        "--wait/--no-wait", help="Wait for the video and download it, or print its id and return at once."
    ),
]
Output = Annotated[
    Path | None,
    option(
        "File to write, or an existing directory for <video id>.mp4 (default: the current directory).",
        "--output",
        "-o",
    ),
]
Timeout = Annotated[
    float | None,
    option("Stop waiting after this many seconds (default 1800); the video keeps running.", min=0),
]
PollInterval = Annotated[
    float | None,
    option("Seconds between status polls (default: what the server asks for, else 2).", min=0.01),
]
User = Annotated[str | None, option("Who the video is for: recorded in the ledger for reports, not sent.")]
Tags = Annotated[
    list[str] | None, option("Attribution for reports (repeatable).", "--tag", metavar="KEY=VALUE")
]


def _attribute(options: ConnectionOptions, user: str | None, tags: list[str] | None) -> None:
    if user is not None:
        options["user"] = user
    parsed: dict[str, str] = {}
    for tag in tags or ():
        key, equals, value = tag.partition("=")
        if not equals or not key.strip():
            raise CliError(f"--tag {tag!r} is not KEY=VALUE", code=ExitCode.USAGE, hint="e.g. --tag team=ads")
        parsed[key.strip()] = value
    if parsed:
        options["tags"] = parsed


def generate(
    ctx: typer.Context,
    prompt: Annotated[str, typer.Argument(metavar="PROMPT", help="What the video should show.")],
    model: Model = None,
    seconds: Annotated[int | None, option("Duration in seconds (default: the model's).", min=1)] = None,
    size: Annotated[
        str | None,
        option("WIDTHxHEIGHT, e.g. 1280x720 (default: the model's).", metavar="WxH"),
    ] = None,
    image: Annotated[
        Path | None,
        option("Reference image (JPEG, PNG or WebP, the same size as the video)."),
    ] = None,
    wait: Wait = True,
    output: Output = None,
    timeout: Timeout = None,
    poll_interval: PollInterval = None,
    user: User = None,
    tag: Tags = None,
    as_json: AsJson = False,
) -> None:
    """Generate a video from a prompt, wait for it and save it as an MP4.

    A progress bar follows the job while the provider renders it; then the file is downloaded.
    The default file is ./<video id>.mp4; -o names another file or an existing directory.
    Printed at the end: the id, the status, the cost (estimate, final or unpriced) and the file.
    With --no-wait: the id and the estimate, at once ('reelgate wait ID' picks the job up later).
    Ctrl-C while waiting stops waiting (exit code 130) and leaves the job running.

    Examples:

    reelgate generate "A paper boat on a stream" --model openai/sora-2 --seconds 4 --size 1280x720
    reelgate generate "A cat in a garden" -o cat.mp4
    reelgate generate "A cat in a garden" --image cat.png --size 720x1280
    reelgate generate "A cat in a garden" --no-wait --json
    """
    if image is not None and not image.is_file():
        raise CliError(
            f"--image {image}: no such file", code=ExitCode.USAGE, hint="pass the path of a JPEG, PNG or WebP"
        )
    delivery = Delivery.plan(wait, output, timeout, poll_interval, as_json)
    options: CreateOptions = {}
    if seconds is not None:
        options["seconds"] = seconds
    if size is not None:
        options["size"] = size
    if image is not None:
        options["input_reference"] = image
    _attribute(options, user, tag)
    session = Session.of(ctx)
    deliver(session, session.client().create(prompt, model, **options), model, delivery)


def remix(
    ctx: typer.Context,
    video_id: VideoId,
    prompt: Annotated[str, typer.Argument(metavar="PROMPT", help="What to change.")],
    model: Model = None,
    wait: Wait = True,
    output: Output = None,
    timeout: Timeout = None,
    poll_interval: PollInterval = None,
    user: User = None,
    tag: Tags = None,
    as_json: AsJson = False,
) -> None:
    """Make a new video from a completed one and a new prompt; wait and save it like generate.

    Examples:

    reelgate remix video_123 "Make the cat jump higher" --model openai/sora-2
    reelgate remix video_123 "Night instead of day" --no-wait --json
    """
    delivery = Delivery.plan(wait, output, timeout, poll_interval, as_json)
    options: RemixOptions = {}
    _attribute(options, user, tag)
    session = Session.of(ctx)
    deliver(session, session.client().remix(video_id, prompt, model, **options), model, delivery)


def status(ctx: typer.Context, video_id: VideoId, model: Model = None, as_json: AsJson = False) -> None:
    """Show a video's status, progress and cost.

    Examples:

    reelgate status video_123
    reelgate status video_123 --model azure/sora-2 --json
    """
    video = Session.of(ctx).client().status(video_id, model)
    if as_json:
        emit_json(video_json(video))
    else:
        fields(video_fields(video))


def wait(
    ctx: typer.Context,
    video_id: VideoId,
    model: Model = None,
    timeout: Timeout = None,
    poll_interval: PollInterval = None,
    as_json: AsJson = False,
) -> None:
    """Wait for a video to finish, with a progress bar; exits 1 if it failed.

    Ctrl-C stops waiting (exit code 130) and leaves the video running.

    Examples:

    reelgate wait video_123
    reelgate wait video_123 --model openai/sora-2 --timeout 600 --json
    """
    session = Session.of(ctx)
    video = wait_for(session, video_id, model, timeout=timeout, poll_interval=poll_interval)
    settle(video, as_json=as_json)
    if as_json:
        emit_json(video_json(video))
    else:
        fields([*video_fields(video), ("download with", session.command("download", video_id, model=model))])


def download_video(
    ctx: typer.Context,
    video_id: VideoId,
    output: Output = None,
    variant: Annotated[
        Literal["video", "thumbnail", "spritesheet"],
        typer.Option(help="Which asset: the MP4, a WebP thumbnail or a JPEG spritesheet."),
    ] = "video",
    model: Model = None,
) -> None:
    """Download a completed video (or its thumbnail or spritesheet), with a progress bar.

    The default file is ./<video id>.mp4 (.webp for the thumbnail, .jpg for the spritesheet).

    Examples:

    reelgate download video_123
    reelgate download video_123 -o boat.mp4
    reelgate download video_123 --variant thumbnail -o thumbs/
    """
    session = Session.of(ctx)
    path, size = download(session, video_id, model, planned_output(output), variant)
    fields([("id", video_id), ("variant", variant), ("saved", f"{path} ({size:,} bytes)")])


def list_videos(
    ctx: typer.Context,
    model: Model = None,
    limit: Annotated[int | None, option("How many videos (default: the server's).", min=1)] = None,
    after: Annotated[
        str | None,
        option("Start after this video id (from the previous page)."),
    ] = None,
    order: Annotated[
        Literal["asc", "desc"] | None,
        option("By creation time (default: the server's, newest first)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the page (a list object) as JSON.")] = False,
) -> None:
    """List the provider's videos, one page at a time.

    Examples:

    reelgate list
    reelgate list --model openai/sora-2 --limit 20 --order asc
    reelgate list --after video_123 --json
    """
    session = Session.of(ctx)
    page = session.client().list(model, after=after, limit=limit, order=order)
    if as_json:
        emit_json(page.model_dump(mode="json"))
        return
    if not page.data:
        say("no videos")
    else:
        emit_table(
            ["id", "status", "video", "created (UTC)"],
            (
                [
                    video.id,
                    video.status if video.is_terminal else f"{video.status} {video.progress or 0}%",
                    " ".join(filter(None, (video.model, video.size, video.seconds and f"{video.seconds}s"))),
                    timestamp(video.created_at, "%Y-%m-%d %H:%M") or "",
                ]
                for video in page.data
            ),
            whole={"id", "status"},
        )
    if page.next_after:
        say(f"more: {session.command('list', '--after', page.next_after, model=model)}")


def delete(ctx: typer.Context, video_id: VideoId, model: Model = None) -> None:
    """Delete a video and its files at the provider.

    Examples:

    reelgate delete video_123
    reelgate delete video_123 --model azure/sora-2
    """
    deleted = Session.of(ctx).client().delete(video_id, model)
    say(f"deleted {deleted.id}")
