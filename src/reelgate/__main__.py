"""``python -m reelgate``: the ``reelgate`` command line (see :mod:`reelgate.cli`)."""

from reelgate.cli import main

if __name__ == "__main__":
    main()
