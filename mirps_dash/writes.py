"""Validated, all-or-nothing, versioned and audited writes of reported indicator values.

A file goes through three steps, the same from the shell and (later) from the Data page:
`parse` reads it and reports every problem with row, column and a message key; `preview` says what would
be new, changed or unchanged; `apply` writes it in one transaction after checking, for every row, that the
actor may write that country's figures and that nobody changed the value since it was read (version).
A refused attempt is written to the audit log even though nothing else is written.
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import sys
import time
from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, insert, select, update

from mirps_dash import access, intake
from mirps_dash.intake import Problem, Rejected
from mirps_dash.schema import AuditEntry, Commitment, Indicator, IndicatorValue, IndicatorValueHistory

FIRST_PERIOD = 2000
# Template headers in either language map onto the same fields.
HEADERS = {
    "indicator_code": ("indicator_code", "codigo_indicador", "código_indicador"),
    "period": ("period", "periodo"),
    "value": ("value", "valor"),
    "version": ("version", "versión", "version_leida"),
    "comment": ("comment", "comentario"),
    "status": ("status", "estado"),  # in exports; read back but not written (imports are always "submitted")
}
REQUIRED = ("indicator_code", "period", "value")
NUMBER = re.compile(r"^-?[\d.,\s]+$")


@dataclass(frozen=True)
class ValueRow:
    row: int
    indicator_code: str
    period: int
    value: float
    version: int | None
    comment: str | None


def parse_number(text: str) -> float | None:
    """A value as people type it: 1234.5, 1234,5, 1.234,5 or 1,234.5. None when it is not a number or is
    ambiguous ("1,234" could be either)."""
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if not text or not NUMBER.match(text):
        return None
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        text = text.replace(thousands, "").replace(decimal, ".")
    elif "," in text:
        whole, _, fraction = text.rpartition(",")
        if text.count(",") > 1 or len(fraction) == 3:
            return None
        text = f"{whole}.{fraction}"
    elif text.count(".") > 1:
        return None
    try:
        return float(text)
    except ValueError:
        return None


def _ascii_digits(text: str) -> bool:
    """Digits int() reads: str.isdigit() also accepts "²", which int() refuses with an exception."""
    return text.isascii() and text.isdigit()


def parse(
    raw: bytes, known_codes: set[str], today: date | None = None, file_name: str = "upload.csv"
) -> list[ValueRow]:
    """Every row of an indicator-values file (CSV or XLSX), or `Rejected` listing every problem found."""
    today = today or date.today()
    table = intake.read_table(raw, file_name)
    header = table.header
    columns: dict[str, int] = {}
    problems: list[Problem] = []
    for index, name in enumerate(header):
        field_name = next((key for key, names in HEADERS.items() if name in names), None)
        if field_name is None:
            problems.append(Problem(1, name or f"#{index + 1}", "unexpected_column"))
        elif field_name in columns:
            problems.append(Problem(1, name, "duplicate_column"))
        else:
            columns[field_name] = index
    problems += [Problem(1, name, "missing_column") for name in REQUIRED if name not in columns]
    if problems:
        raise Rejected(problems)
    rows: list[ValueRow] = []
    seen: dict[tuple[str, int], int] = {}
    for number, cells in table.rows:
        if len(cells) != len(header):
            problems.append(Problem(number, None, "wrong_cell_count", {"expected": len(header), "found": len(cells)}))
            continue
        cell = {name: cells[index].strip() for name, index in columns.items()}
        before = len(problems)
        code = cell["indicator_code"]
        if code not in known_codes:
            problems.append(Problem(number, "indicator_code", "unknown_indicator", {"value": code[:60]}))
        period = int(cell["period"]) if _ascii_digits(cell["period"]) else None
        if period is None or not FIRST_PERIOD <= period <= today.year:
            problems.append(Problem(number, "period", "bad_period", {"value": cell["period"][:20], "last": today.year}))
        value = parse_number(cell["value"])
        if value is None or math.isnan(value) or math.isinf(value):
            problems.append(Problem(number, "value", "not_a_number", {"value": cell["value"][:30]}))
        elif value < 0:
            problems.append(Problem(number, "value", "negative", {"value": cell["value"][:30]}))
        version_text = cell.get("version", "")
        if version_text and not _ascii_digits(version_text):
            problems.append(Problem(number, "version", "bad_version", {"value": version_text[:20]}))
        if len(problems) > before:
            continue
        key = (code, period)
        if key in seen:
            problems.append(Problem(number, "indicator_code", "duplicate_row", {"first_row": seen[key]}))
            continue
        seen[key] = number
        comment = cell.get("comment") or None
        rows.append(ValueRow(number, code, period, value, int(version_text) if version_text else None, comment))
    if problems:
        raise Rejected(problems)
    if not rows:
        raise Rejected([Problem(None, None, "no_rows")])
    return rows


@dataclass(frozen=True)
class Preview:
    new: list[ValueRow]
    changed: list[tuple[ValueRow, float]]
    unchanged: list[ValueRow]


def _indicators(connection) -> dict[str, tuple[int, str]]:
    """indicator code -> (indicator id, country)."""
    rows = connection.execute(
        select(Indicator.code, Indicator.id, Commitment.country_iso3).join(
            Commitment, Commitment.id == Indicator.commitment_id
        )
    )
    return {code: (indicator_id, country) for code, indicator_id, country in rows}


def known_codes(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(_indicators(connection))


def _current(connection, ids: set[int]) -> dict[tuple[int, int], tuple[int, float, int]]:
    """(indicator id, period) -> (value row id, value, version)."""
    if not ids:
        return {}
    rows = connection.execute(
        select(
            IndicatorValue.indicator_id,
            IndicatorValue.period,
            IndicatorValue.id,
            IndicatorValue.value,
            IndicatorValue.version,
        ).where(IndicatorValue.indicator_id.in_(ids))
    )
    return {(r.indicator_id, r.period): (r.id, r.value, r.version) for r in rows}


def preview(engine: Engine, rows: list[ValueRow]) -> Preview:
    with engine.connect() as connection:
        indicators = _indicators(connection)
        current = _current(connection, {indicators[r.indicator_code][0] for r in rows})
    new, changed, unchanged = [], [], []
    for row in rows:
        existing = current.get((indicators[row.indicator_code][0], row.period))
        if existing is None:
            new.append(row)
        elif existing[1] == row.value:
            unchanged.append(row)
        else:
            changed.append((row, existing[1]))
    return Preview(new, changed, unchanged)


def _audit(engine: Engine, actor: access.Actor, action: str, outcome: str, detail: str) -> None:
    with engine.begin() as connection:
        connection.execute(
            insert(AuditEntry).values(username=actor.username, action=action, outcome=outcome, detail=detail[:4000])
        )


def apply(engine: Engine, actor: access.Actor, rows: list[ValueRow], reason: str | None = None) -> Preview:
    """Write `rows` as submitted values in one transaction, or nothing at all.

    Every row is checked first: a refused row (role or country) or a version conflict writes nothing, is
    logged in the audit log, and raises. A value changed by someone else between this check and the write
    is caught by the version in the UPDATE itself."""
    action = "import_indicator_values"
    with engine.connect() as connection:
        indicators = _indicators(connection)
        current = _current(connection, {indicators[r.indicator_code][0] for r in rows})
    for row in rows:
        try:
            access.check_write(actor, indicators[row.indicator_code][1])
        except access.Refused as refusal:
            _audit(engine, actor, action, "refused", f"row {row.row}: {refusal}")
            raise
    conflicts = [
        Problem(row.row, "version", "conflict", {"expected": row.version, "found": existing[2]})
        for row in rows
        if (existing := current.get((indicators[row.indicator_code][0], row.period)))
        and row.version is not None
        and row.version != existing[2]
    ]
    if conflicts:
        _audit(engine, actor, action, "rejected", f"{len(conflicts)} version conflict(s)")
        raise Rejected(conflicts)
    try:
        result = _write(engine, actor, rows, indicators, current, reason)
    except Rejected:
        _audit(engine, actor, action, "rejected", "a value changed while the file was being written")
        raise
    return result


def _test_only_pause() -> None:
    """Test-only: MIRPS_TEST_SLOW_WRITE_SECONDS holds the write transaction open, after every row is written
    and before the commit, so a test can kill the process there and see that nothing was kept."""
    seconds = os.environ.get("MIRPS_TEST_SLOW_WRITE_SECONDS")
    if seconds:
        print("test hook: rows written, transaction open", file=sys.stderr, flush=True)
        time.sleep(float(seconds))


def _write(engine, actor, rows, indicators, current, reason) -> Preview:
    new, changed, unchanged = [], [], []
    with engine.begin() as connection:
        for row in rows:
            indicator_id = indicators[row.indicator_code][0]
            existing = current.get((indicator_id, row.period))
            if existing is not None and existing[1] == row.value:
                unchanged.append(row)
                continue
            version = 1 if existing is None else existing[2] + 1
            if existing is None:
                connection.execute(
                    insert(IndicatorValue).values(
                        indicator_id=indicator_id,
                        period=row.period,
                        value=row.value,
                        status="submitted",
                        reported_by=actor.username,
                        version=version,
                        is_illustrative=False,
                    )
                )
                new.append(row)
            else:
                written = connection.execute(
                    update(IndicatorValue)
                    .where(IndicatorValue.id == existing[0], IndicatorValue.version == existing[2])
                    .values(
                        value=row.value,
                        status="submitted",
                        reported_by=actor.username,
                        version=version,
                        validated_by=None,
                        validated_at=None,
                    )
                )
                if written.rowcount != 1:
                    raise Rejected([Problem(row.row, "version", "conflict", {"expected": existing[2], "found": "?"})])
                changed.append((row, existing[1]))
            connection.execute(
                insert(IndicatorValueHistory).values(
                    indicator_id=indicator_id,
                    period=row.period,
                    version=version,
                    old_value=None if existing is None else existing[1],
                    new_value=row.value,
                    status="submitted",
                    changed_by=actor.username,
                    reason=row.comment or reason,
                )
            )
        _test_only_pause()
        connection.execute(
            insert(AuditEntry).values(
                username=actor.username,
                action="import_indicator_values",
                outcome="ok",
                detail=f"{len(new)} new, {len(changed)} changed, {len(unchanged)} unchanged",
            )
        )
    return Preview(new, changed, unchanged)


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # the same as exports.FORMULA_PREFIXES


def _neutralise(value):
    """Text a spreadsheet would run as a formula gets an apostrophe, as `exports.neutralise` does; kept here
    so the command line need not load the chart libraries that `exports` imports (a test keeps them equal)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def export_csv(engine: Engine) -> str:
    """Every reported value in the import format (indicator_code, period, value, version, status)."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                Indicator.code,
                IndicatorValue.period,
                IndicatorValue.value,
                IndicatorValue.version,
                IndicatorValue.status,
            )
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .order_by(Indicator.code, IndicatorValue.period)
        ).all()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["indicator_code", "period", "value", "version", "status"])
    writer.writerows([_neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue()
