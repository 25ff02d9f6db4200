"""Where the ledger's files live, and how a file appears there atomically.

::

    <data_dir>/
      reelgate.duckdb                     views over the files below (read it with read_only=True)
      ledger/
        compact.lock                      held by the one compactor that runs
        calls/  costs/
          seg-0-schema-v1.parquet         zero rows, every column (a glob must always match a file)
          seg-<utc>-<instance>-<seq>.parquet   immutable segments written by flushes
          base-<generation>.parquet       the compacted, de-duplicated past; the highest generation counts
          .<file>.superseded              marks a file a compaction copied; deleted after a grace period

A file is written under a hidden temporary name in the same directory, fsynced, then ``os.replace``-d
to its final name (and the directory fsynced), so a reader sees a whole file or none. No file is ever
replaced under its own name (DuckDB may read a file's footer and its data in two opens, which must be
the same file): a compaction writes a new base generation, then marks the old one superseded.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from reelgate._paths import resolve_data_dir
from reelgate.ledger._schema import SCHEMA_VERSION, Table

LEDGER_DIR = "ledger"
VIEWS_FILE = "reelgate.duckdb"
BASE_GLOB = "base-*.parquet"
SCHEMA_FILE = f"seg-0-schema-v{SCHEMA_VERSION}.parquet"
SEGMENT_GLOB = "seg-*.parquet"
TEMP_SUFFIX = ".tmp"
SUPERSEDED_SUFFIX = ".superseded"
STALE_TEMP_AGE = 3600.0  # a temporary file this old belongs to a process that died mid-write
MARKER_SETTLE = 1.0  # a superseded marker older than this (seconds) existed before a listing began


@dataclass(frozen=True)
class LedgerPaths:
    """The absolute paths of one data directory's ledger."""

    data_dir: Path

    @classmethod
    def resolve(cls, data_dir: str | os.PathLike[str] | None = None) -> LedgerPaths:
        return cls(resolve_data_dir(data_dir).expanduser().absolute())

    @property
    def root(self) -> Path:
        return self.data_dir / LEDGER_DIR

    @property
    def views_file(self) -> Path:
        return self.data_dir / VIEWS_FILE

    @property
    def lock_file(self) -> Path:
        return self.root / "compact.lock"

    def table_dir(self, table: Table) -> Path:
        return self.root / table.name

    def schema_file(self, table: Table) -> Path:
        return self.table_dir(table) / SCHEMA_FILE

    def bases(self, table: Table) -> list[Path]:
        """The table's base files, oldest generation first (normally one; two during a compaction)."""
        return sorted(self.table_dir(table).glob(BASE_GLOB))

    def base_file(self, table: Table) -> Path:
        """The current (highest generation) base file; the zero-row generation 0 if none exists."""
        found = self.bases(table)
        return found[-1] if found else self.table_dir(table) / base_name(0)

    def base_glob(self, table: Table) -> str:
        return (self.table_dir(table) / BASE_GLOB).as_posix()

    def segment_glob(self, table: Table) -> str:
        return (self.table_dir(table) / SEGMENT_GLOB).as_posix()

    def segments(self, table: Table) -> list[Path]:
        """The table's segment files now, sorted by name (the zero-row schema file included)."""
        return sorted(self.table_dir(table).glob(SEGMENT_GLOB))

    def readable_segments(self, table: Table) -> list[Path]:
        """The segments a snapshot reads: all but those superseded a while before this listing.

        A file's marker is written after the file that replaces it was published, so a marker that
        already existed when the listing began guarantees that the listing sees the replacement. (A
        fresher marker proves nothing: an entry created during a listing may or may not appear in it.)
        """
        started = time.time()
        segments: list[Path] = []
        settled: set[str] = set()
        with os.scandir(self.table_dir(table)) as entries:
            for entry in entries:
                name = entry.name
                if name.startswith("seg-") and name.endswith(".parquet"):
                    segments.append(Path(entry.path))
                elif name.startswith(".") and name.endswith(SUPERSEDED_SUFFIX):
                    with contextlib.suppress(OSError):
                        if entry.stat().st_mtime < started - MARKER_SETTLE:
                            settled.add(name[1 : -len(SUPERSEDED_SUFFIX)])
        return sorted(path for path in segments if path.name not in settled)

    def live_segments(self, table: Table) -> list[Path]:
        """The segments a compaction may take: neither the schema file nor already superseded ones."""
        return [p for p in self.segments(table) if p.name != SCHEMA_FILE and not is_superseded(p)]


def base_name(generation: int) -> str:
    return f"base-{generation:012d}.parquet"


def base_generation(path: Path) -> int:
    return int(path.stem.removeprefix("base-"))


def segment_name(instance: str, sequence: int) -> str:
    """A segment file name no other process or flush can produce."""
    return f"seg-{datetime.now(UTC):%Y%m%dT%H%M%S%f}Z-{instance}-{sequence:06d}.parquet"


def temp_path(final: Path) -> Path:
    """A hidden temporary name next to ``final`` (never matched by the readers' globs)."""
    return final.with_name(f".{final.name}.{uuid.uuid4().hex[:12]}{TEMP_SUFFIX}")


def fsync_directory(directory: Path) -> None:
    if os.name == "nt":  # directories cannot be opened for fsync there; NTFS journals the rename
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def publish(temp: Path, final: Path) -> None:
    """Make a fully written temporary file visible under its final name, durably."""
    with open(temp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(temp, final)
    fsync_directory(final.parent)


def _marker(path: Path) -> Path:
    return path.with_name(f".{path.name}{SUPERSEDED_SUFFIX}")


def is_superseded(path: Path) -> bool:
    return _marker(path).exists()


def mark_superseded(paths: list[Path]) -> None:
    """Record that a compaction copied these files elsewhere; :func:`sweep` deletes them after a grace period.

    They stay readable meanwhile (a reader that listed them a moment ago still finds them; the views
    de-duplicate), and compactions no longer take them as input.
    """
    for path in paths:
        with contextlib.suppress(FileExistsError):  # an older mark keeps its time
            _marker(path).touch(exist_ok=False)
    if paths:
        fsync_directory(paths[0].parent)


def sweep(directory: Path, grace: float) -> None:
    """Delete files superseded more than ``grace`` seconds ago (and temporary files left by a crash)."""
    now = time.time()
    for marker in directory.glob(f".*{SUPERSEDED_SUFFIX}"):
        with contextlib.suppress(OSError):
            if marker.stat().st_mtime <= now - grace:
                target = directory / marker.name[1 : -len(SUPERSEDED_SUFFIX)]
                with contextlib.suppress(FileNotFoundError):
                    target.unlink()  # a file still held open on Windows stays, and is retried next time
                marker.unlink()
    for temp in directory.glob(f".*{TEMP_SUFFIX}"):
        with contextlib.suppress(OSError):
            if temp.stat().st_mtime < now - STALE_TEMP_AGE:
                temp.unlink()
