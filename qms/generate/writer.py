"""Fast row writing for the generator: COPY on PostgreSQL, ``executemany`` elsewhere.

Builders append plain tuples (values already in their database text form: ISO dates,
``YYYY-MM-DD HH:MM:SS`` UTC datetimes, JSON as text, decimals as text) to a ``Table``;
``RowSink.flush`` writes every table of the batch in registration order. Primary keys are
assigned by the generator (``IdCursor``) so parents and children can be written in one pass
and a resumed run numbers its rows exactly like an uninterrupted one.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, models
from django.utils import timezone

UTC = dt.UTC


def db_datetime(value: dt.datetime) -> str:
    """An aware datetime as the UTC text both SQLite (Django's format) and PostgreSQL accept."""
    text = value.isoformat(" ")
    if text.endswith("+00:00"):
        return text[:-6]
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ")


def db_json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


_JSON_LISTS: dict[tuple[str, ...], str] = {}


def db_json_list(values: list[str] | tuple[str, ...]) -> str:
    """``db_json`` of a short list of strings, memoised (markets, reason codes …)."""
    key = tuple(values)
    text = _JSON_LISTS.get(key)
    if text is None:
        text = _JSON_LISTS[key] = db_json(list(key))
    return text


def _db_constant(field: models.Field, value: Any) -> Any:
    """A Python default in the text form the builders use."""
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return db_json(value)
    if isinstance(field, models.DateTimeField):
        return db_datetime(value)
    if isinstance(field, models.DateField):
        return value.isoformat()
    if isinstance(field, models.DecimalField):
        return str(Decimal(value))
    if isinstance(field, models.DurationField):
        return value
    return value


class Table:
    """Rows for one model: ``fields`` (attnames, ``id`` first) given by the builder, the
    remaining concrete fields filled with their defaults (``now`` for time stamps)."""

    def __init__(self, model: type[models.Model], fields: Sequence[str], now: dt.datetime) -> None:
        self.model = model
        self.db_table = model._meta.db_table
        concrete = {f.attname: f for f in model._meta.concrete_fields}
        unknown = [f for f in fields if f not in concrete]
        if unknown:
            raise ValueError(f"{model._meta.label} has no field(s) {unknown}")
        self.fields = list(fields)
        extra_names: list[str] = []
        extra_values: list[Any] = []
        for name, field in concrete.items():
            if name in fields:
                continue
            extra_names.append(name)
            extra_values.append(self._default(field, now))
        self.columns: list[str] = [str(concrete[f].column) for f in [*self.fields, *extra_names]]
        self.tail = tuple(extra_values)
        self.rows: list[tuple[Any, ...]] = []

    def _default(self, field: models.Field, now: dt.datetime) -> Any:
        label = f"{self.model._meta.label}.{field.attname}"
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return db_datetime(now)
        if field.has_default():
            default = field.default
            if callable(default):
                if isinstance(field, models.DateTimeField):
                    return db_datetime(now)
                first, second = default(), default()
                if first != second:
                    raise ValueError(f"{label}: its default is not deterministic; set it.")
                return _db_constant(field, first)
            return _db_constant(field, default)
        if field.null:
            return None
        if isinstance(field, (models.CharField, models.TextField)) and field.blank:
            return ""
        raise ValueError(f"{label} has no default; the generator must set it.")

    def add(self, row: tuple[Any, ...]) -> None:
        self.rows.append(row + self.tail if self.tail else row)

    def extend(self, rows: Iterable[tuple[Any, ...]]) -> None:
        tail = self.tail
        self.rows.extend(r + tail for r in rows)


class RowSink:
    """The tables of one generation, written together at the end of every batch."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.tables: dict[str, Table] = {}

    def table(self, model: type[models.Model], fields: Sequence[str]) -> Table:
        key = model._meta.label
        if key not in self.tables:
            self.tables[key] = Table(model, fields, self.now)
        return self.tables[key]

    def pending(self) -> int:
        return sum(len(t.rows) for t in self.tables.values())

    def take(self) -> list[tuple[Table, list[tuple[Any, ...]]]]:
        """Hand over the buffered rows (to be written by ``write_chunks``) and start afresh."""
        out = []
        for table in self.tables.values():
            if table.rows:
                out.append((table, table.rows))
                table.rows = []
        return out

    def flush(self) -> dict[str, int]:
        """Write every buffered row (inside the caller's transaction). Rows written per model."""
        return write_chunks(
            [Chunk(t.model._meta.label, t.db_table, t.columns, rows) for t, rows in self.take()]
        )

    def discard(self) -> None:
        for table in self.tables.values():
            table.rows = []


class Chunk(NamedTuple):
    """Rows of one table, ready to write (and to pickle across processes)."""

    label: str
    db_table: str
    columns: list[str]
    rows: list[tuple[Any, ...]]


def write_chunks(chunks: list[Chunk]) -> dict[str, int]:
    """Write chunks in order (parents first). Rows written per model label."""
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for chunk in chunks:
            write_rows(cursor, chunk.db_table, chunk.columns, chunk.rows)
            counts[chunk.label] = counts.get(chunk.label, 0) + len(chunk.rows)
    return counts


def quote(name: str) -> str:
    return connection.ops.quote_name(name)


def write_rows(
    cursor: Any, db_table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """COPY on PostgreSQL (psycopg 3), one ``executemany`` elsewhere."""
    cols = ", ".join(quote(c) for c in columns)
    if connection.vendor == "postgresql":
        raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
        with raw.copy(f"COPY {quote(db_table)} ({cols}) FROM STDIN") as copy:
            write_row = copy.write_row
            for row in rows:
                write_row(row)
        return
    marks = ", ".join(["%s"] * len(columns))
    # Identifiers come from model metadata and are quoted; values are parameters.
    sql = f"INSERT INTO {quote(db_table)} ({cols}) VALUES ({marks})"  # noqa: S608
    cursor.executemany(sql, rows)


def max_ids(models_: Iterable[type[models.Model]]) -> dict[str, int]:
    """The highest primary key of each model's table (0 when empty)."""
    out: dict[str, int] = {}
    for model in models_:
        value = model._default_manager.aggregate(m=models.Max("pk"))["m"]
        out[model._meta.label] = int(value or 0)
    return out


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """Move PostgreSQL identity sequences past the ids the generator wrote."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models_:
            table = model._meta.db_table
            pk = str(model._meta.pk.column)
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST(m, 1), m > 0) "  # noqa: S608
                f"FROM (SELECT COALESCE(MAX({quote(pk)}), 0) AS m FROM {quote(table)}) AS t",
                [table, pk],
            )


def now_utc() -> dt.datetime:
    return timezone.now()
