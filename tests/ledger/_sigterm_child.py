"""A process that records events in a loop and acknowledges each one on stdout, for the SIGTERM tests.

Usage: ``python -m tests.ledger._sigterm_child DATA_DIR MODE`` where MODE is ``default`` (SIGTERM
terminates), ``chain`` (an application handler installed first exits with status 3), or ``ignore``
(SIGTERM is ignored: record 500 events, print ``ready``, then wait to be killed).
"""

from __future__ import annotations

import signal
import sys
import time
from decimal import Decimal
from types import FrameType

from reelgate.ledger import Ledger
from tests.ledger._helpers import amount_of, final


def _application_handler(signum: int, frame: FrameType | None) -> None:
    sys.stdout.write("chained\n")
    sys.stdout.flush()
    sys.exit(3)


def main() -> None:
    data_dir, mode = sys.argv[1], sys.argv[2]
    if mode == "chain":
        signal.signal(signal.SIGTERM, _application_handler)
    elif mode == "ignore":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    interval = 3600.0 if mode == "ignore" else 0.02
    ledger = Ledger(data_dir, flush_interval=interval, compact_every=None)
    if mode == "ignore":
        for index in range(500):
            ledger.record_cost(final(f"video_{index}", Decimal("0.5")))
        sys.stdout.write("ready\n")
        sys.stdout.flush()
        time.sleep(60)
        return
    index = 0
    while index < 10_000_000:
        ledger.record_cost(final(f"video_{index}", amount_of(index)))
        sys.stdout.write(f"{index}\n")
        sys.stdout.flush()
        index += 1


if __name__ == "__main__":
    main()
