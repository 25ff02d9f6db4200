"""Refusing anything but one read-only statement, judged by DuckDB's own parser (never a regex).

Accepted: statements DuckDB parses as ``SELECT`` (which covers ``WITH``, ``FROM``-first, ``VALUES``,
``DESCRIBE``, ``SHOW`` and ``SUMMARIZE``) and ``EXPLAIN [ANALYZE]`` of one. Everything else is refused:
``INSERT``, ``UPDATE``, ``DELETE``, ``CREATE``, ``DROP``, ``ALTER``, ``COPY``, ``ATTACH``, ``DETACH``,
``EXPORT``, ``INSTALL``/``LOAD``, ``SET``, ``PRAGMA``, ``CALL``, ``CHECKPOINT``, several statements...
The query then runs in a sandboxed connection that can read only the ledger directory, as a second fence.
"""

from __future__ import annotations

import duckdb

from reelgate.ledger._errors import ReadOnlyQueryError

ALLOWED = "SELECT, WITH, DESCRIBE, SHOW, SUMMARIZE or EXPLAIN"


def check_read_only(query: str) -> None:
    """Raise :class:`ReadOnlyQueryError` unless ``query`` is exactly one read-only statement."""
    try:
        statements = duckdb.extract_statements(query)
    except duckdb.Error as exc:
        raise ReadOnlyQueryError(f"sql() could not parse the query: {str(exc).splitlines()[0]}") from exc
    if len(statements) != 1:
        raise ReadOnlyQueryError(f"sql() runs exactly one statement ({ALLOWED}); got {len(statements)}")
    statement = statements[0]
    kind = statement.type
    if kind == duckdb.StatementType.EXPLAIN:
        kind = _explained_type(statement.query)
    if kind != duckdb.StatementType.SELECT:
        raise ReadOnlyQueryError(
            f"sql() runs read-only queries only ({ALLOWED}); refused a {kind.name} statement"
        )


def _explained_type(text: str) -> duckdb.StatementType:
    """The type of the statement after ``EXPLAIN`` (and ``ANALYZE`` or options, if any).

    The inner statement is the first suffix of the text, starting at a token after ``EXPLAIN``, that
    parses as one statement on its own.
    """
    for position, _ in duckdb.tokenize(text)[1:]:
        try:
            inner = duckdb.extract_statements(text[position:])
        except duckdb.Error:
            continue
        if len(inner) == 1 and inner[0].type != duckdb.StatementType.EXPLAIN:
            return inner[0].type
        break
    return duckdb.StatementType.INVALID
