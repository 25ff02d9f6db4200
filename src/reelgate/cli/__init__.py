"""The ``reelgate`` command line: generate, wait for and download videos; report and query their cost.

Commands (``reelgate <command> --help`` shows each one's options and examples):

* videos: ``generate``, ``status``, ``wait``, ``download``, ``remix``, ``list``, ``delete``
* costs and prices: ``report``, ``sql``, ``prices``, ``estimate``
* tools: ``emulator``

Global options, before the command: ``--data-dir``, ``--log-format json|console``, ``--log-level``,
``--version``. Exit codes are documented in :mod:`reelgate.cli._errors` (0 success, 1 failed, 2 bad
input, 3 not found, 4 configuration or authentication, 130 interrupted).

The same entry point serves the ``reelgate`` console script and ``python -m reelgate``. Importing
this package is cheap; the typer application is built when :func:`main` runs.
"""


def main() -> None:
    """Run ``reelgate`` with the process's command line arguments."""
    from reelgate.cli._app import run

    run()
