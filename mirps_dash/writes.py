"""Validated, all-or-nothing, versioned and audited writes of reported indicator values.

A file goes through three steps, the same from the shell and (later) from the Data page:
`parse` reads it and reports every problem with row, column and a message key; `preview` says what would
be new, changed or unchanged; `apply` writes it in one transaction after checking, for every row, that the
actor may write that country's figures and that nobody changed the value since it was read (version).
A refused attempt is written to the audit log even though nothing else is written.

Writers of one country's period take turns: every write of reported values runs in a transaction that
first holds that country and period against every other writer (`serialised`: an advisory lock on
PostgreSQL, the database's write lock on SQLite), then checks again, inside it, what was checked before
(lock, versions). Approving, returning and publishing name the versions the reviewer was shown
(`review_batch`) and move nothing when any of them changed.
"""

from __future__ import annotations

import math
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime

import polars as pl
from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from mirps_dash import access, datastamp, intake, queries, safecells
from mirps_dash.intake import Problem, Rejected
from mirps_dash.schema import AuditEntry, Commitment, Indicator, IndicatorValue, IndicatorValueHistory, PeriodLock

FIRST_PERIOD = 2000
# Template headers in either language map onto the same fields.
HEADERS = {
    "indicator_code": ("indicator_code", "codigo_indicador", "código_indicador"),
    "period": ("period", "periodo"),
    "value": ("value", "valor"),
    "version": ("version", "versión", "version_leida"),
    "comment": ("comment", "comentario"),
    "status": ("status", "estado"),  # in exports; read back but not written (imports are always "submitted")
    "indicator_name": ("indicator", "indicador", "indicator_name", "nombre_indicador"),  # templates; not read
    # Exports and templates of illustrative values say so on each such row; read back but not written (a value
    # a team imports is its own).
    "illustrative": ("illustrative", "ilustrativo"),
}
ILLUSTRATIVE = {"es": "ilustrativo", "en": "illustrative"}
# Template headers in the user's language, in the order a template lists them.
TEMPLATE_HEADERS = {
    "es": ("codigo_indicador", "indicador", "periodo", "valor", "version", "comentario"),
    "en": ("indicator_code", "indicator", "period", "value", "version", "comment"),
}
REQUIRED = ("indicator_code", "period", "value")


@dataclass(frozen=True)
class ValueRow:
    row: int
    indicator_code: str
    period: int
    value: float
    version: int | None
    comment: str | None


AMBIGUOUS = re.compile(r"-?[1-9][0-9]{0,2}[.,][0-9]{3}")
# Digits are ASCII digits: Python's \d, int() and float() also read Arabic-Indic, full-width and other digits.
DIGITS = re.compile(r"[0-9]+")
SPACES = re.compile("[ \u00a0\u202f]")  # a space, a no-break space and the narrow one some locales group with
GROUPED = {mark: re.compile(rf"[0-9]{{1,3}}(?:{re.escape(mark)}[0-9]{{3}})+") for mark in ". ,"}


def is_ambiguous(text: str) -> bool:
    """ "1,234" and "1.234": a thousand and some, or one and a fraction, depending on who typed it."""
    return bool(AMBIGUOUS.fullmatch(text.strip()))


def parse_number(text: str) -> float | None:
    """A value as people type it: 1234.5, 1234,5, 1.234,5, 1,234.5 or 1 234,5 (spaces only between groups
    of three digits). None when it is not a number, is written in other digits than 0-9, or is ambiguous
    ("1,234" or "1.234" could be either)."""
    text = text.strip()
    if is_ambiguous(text):
        return None
    body = SPACES.sub(" ", text.removeprefix("-"))
    point = max(body.rfind("."), body.rfind(","))
    whole, mark, fraction = (body[:point], body[point], body[point + 1 :]) if point >= 0 else (body, "", "")
    if mark and not DIGITS.fullmatch(fraction):
        return None
    if DIGITS.fullmatch(whole) or (whole == "" and fraction):
        if mark == "," and len(fraction) == 3:
            return None  # "1234,567": a decimal comma, or a thousands separator typed without its dot
    elif not any(GROUPED[separator].fullmatch(whole) for separator in ". ," if separator != mark):
        return None  # "5 5", "1.234.567" (thousands only), "12,34.5"
    value = float(f"{whole.translate(str.maketrans('', '', '., '))}.{fraction or 0}")
    return -value if text.startswith("-") and value else value


def _ascii_digits(text: str) -> bool:
    """Digits 0-9 only: str.isdigit() also accepts "²", which int() refuses, and "٢", which int() reads."""
    return bool(DIGITS.fullmatch(text))


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
            code = "ambiguous_number" if is_ambiguous(cell["value"]) else "not_a_number"
            problems.append(Problem(number, "value", code, {"value": cell["value"][:30]}))
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


RESTORE_LOCK_KEY = 0x4D49525053  # "MIRPS": writers hold it shared, a restore alone (`backup.restore`)


def _lock_key(country: str) -> int:
    """A country's three letters as the first half of a PostgreSQL advisory lock key (the period is the other)."""
    return int.from_bytes(country.encode()[:3].ljust(3, b" "), "big")


@contextmanager
def serialised(engine: Engine, scopes: Iterable[tuple[str, int]]) -> Iterator:
    """A write transaction that holds every (country, period) of `scopes` against every other writer of them
    until it commits or rolls back, so what is checked inside it stays true until the write is kept.

    PostgreSQL: transaction-scoped advisory locks, taken in one order (no deadlock between two writers), after
    a shared hold on the key a restore takes alone. SQLite: `BEGIN IMMEDIATE`, the database's one write lock,
    taken before the first read rather than at the first write."""
    with engine.begin() as connection:
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        elif connection.dialect.name == "postgresql":
            connection.execute(select(func.pg_advisory_xact_lock_shared(RESTORE_LOCK_KEY)))
            for country, period in sorted(set(scopes)):
                connection.execute(select(func.pg_advisory_xact_lock(_lock_key(country), int(period))))
        yield connection


def _conflict(row: int | None, expected: int | None, found: int | None) -> Problem:
    """The version conflict every write path reports the same way; 0 stands for "no value yet"."""
    return Problem(row, "version", "conflict", {"expected": expected or 0, "found": found or 0})


def apply(engine: Engine, actor: access.Actor, rows: list[ValueRow], reason: str | None = None) -> Preview:
    """Write `rows` as submitted values in one transaction, or nothing at all.

    Every row is checked first: a refused row (role or country) or a version conflict writes nothing, is
    logged in the audit log, and raises. Inside the write transaction, holding the countries' periods, the
    locks and the versions read here are checked again: an approval or another import committed since
    then is a `Rejected` (locked, or the usual version conflict), never a raw database error."""
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
    with engine.connect() as connection:
        locked = _locked(connection)
    refused_locks = [
        Problem(row.row, "period", "locked", {"period": row.period})
        for row in rows
        if (indicators[row.indicator_code][1], row.period) in locked
    ]
    if refused_locks:
        _audit(engine, actor, action, "rejected", f"{len(refused_locks)} row(s) in approved, locked periods")
        raise Rejected(refused_locks)
    conflicts = [
        _conflict(row.row, row.version, existing[2])
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
    except Rejected as rejected:
        codes = sorted({p.code for p in rejected.problems})
        _audit(engine, actor, action, "rejected", f"changed while the file was being written: {', '.join(codes)}")
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
    """The write itself, holding every (country, period) it touches; `current` is what `apply` checked."""
    scopes = {(indicators[row.indicator_code][1], row.period) for row in rows}
    try:
        with serialised(engine, scopes) as connection:
            _check_unchanged(connection, rows, indicators, current)
            result = _write_rows(connection, actor, rows, indicators, current, reason)
            datastamp.bump(connection)
    except IntegrityError as error:  # a unique key taken by a writer that did not wait its turn
        raise Rejected([_conflict(row.row, row.version, None) for row in rows[:1]]) from error
    return result


def _check_unchanged(connection, rows, indicators, current) -> None:
    """Inside the write: no row's period was approved and no row's value moved since `apply` read them."""
    locked = _locked(connection)
    problems = [
        Problem(row.row, "period", "locked", {"period": row.period})
        for row in rows
        if (indicators[row.indicator_code][1], row.period) in locked
    ]
    now = _current(connection, {indicators[r.indicator_code][0] for r in rows})
    for row in rows:
        key = (indicators[row.indicator_code][0], row.period)
        before, after = current.get(key), now.get(key)
        if (before and before[2]) != (after and after[2]):
            problems.append(_conflict(row.row, before and before[2], after and after[2]))
    if problems:
        raise Rejected(problems)


def _write_rows(connection, actor, rows, indicators, current, reason) -> Preview:
    new, changed, unchanged = [], [], []
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
                    is_illustrative=False,  # a value a team reports is theirs, not the demo's
                )
            )
            if written.rowcount != 1:
                raise Rejected([_conflict(row.row, existing[2], None)])
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


def export_csv(engine: Engine) -> str:
    """Every reported value in the import format (indicator_code, period, value, version, status), safe to
    open in a spreadsheet (`safecells`, light enough for the command line); where there are illustrative
    values, an `illustrative` column says which rows are."""
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                Indicator.code,
                IndicatorValue.period,
                IndicatorValue.value,
                IndicatorValue.version,
                IndicatorValue.status,
                IndicatorValue.is_illustrative,
            )
            .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
            .order_by(Indicator.code, IndicatorValue.period)
        ).all()
    # Values as text the import reads back the same (`intake.number_text`): not "1e-05", not an ambiguous "1.234".
    header = ["indicator_code", "period", "value", "version", "status"]
    mark = ILLUSTRATIVE["en"] if any(row[-1] for row in rows) else None
    rows = [
        (code, period, intake.number_text(value), *rest, *([mark if illustrative else ""] if mark else []))
        for code, period, value, *rest, illustrative in rows
    ]
    return safecells.csv_text(header + (["illustrative"] if mark else []), rows)


def illustrative_values(engine: Engine, country: str) -> set[tuple[str, int]]:
    """(indicator code, period) of `country`'s illustrative values, which a template marks."""
    with engine.connect() as connection:
        return set(
            connection.execute(
                select(Indicator.code, IndicatorValue.period)
                .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
                .join(Commitment, Commitment.id == Indicator.commitment_id)
                .where(Commitment.country_iso3 == country, IndicatorValue.is_illustrative.is_(True))
            ).all()
        )


def marked_template(engine: Engine, rows: list[list], country: str, lang: str) -> list[list]:
    """`template_rows` with an "illustrative" column on every row of an illustrative value, where there is one."""
    header, *body = rows
    marked = illustrative_values(engine, country)
    if not any((row[0], row[2]) in marked for row in body):
        return rows
    mark = ILLUSTRATIVE[lang]
    return [[*header, mark], *([*row, mark if (row[0], row[2]) in marked else ""] for row in body)]


def _locked(connection) -> set[tuple[str, int]]:
    return {(r.country_iso3, r.period) for r in connection.execute(select(PeriodLock.country_iso3, PeriodLock.period))}


def locked_periods(engine: Engine) -> set[tuple[str, int]]:
    """(country, period) pairs approved by the PPT; their values cannot change until an admin unlocks them."""
    with engine.connect() as connection:
        return _locked(connection)


@dataclass(frozen=True)
class ReviewValue:
    """One value of a batch as the reviewer is shown it."""

    id: int
    indicator_id: int
    indicator_code: str
    name_es: str
    name_en: str
    value: float
    status: str
    version: int


@dataclass(frozen=True)
class Batch:
    """A country's period as the reviewer sees it: every value with its status and version."""

    country: str
    period: int
    values: tuple[ReviewValue, ...]

    @property
    def versions(self) -> dict[int, int]:
        """What approving, returning or publishing is given back: value id -> the version shown."""
        return {value.id: value.version for value in self.values}


def _batch_values(connection, country: str, period: int) -> list[ReviewValue]:
    rows = connection.execute(
        select(
            IndicatorValue.id,
            IndicatorValue.indicator_id,
            Indicator.code,
            Indicator.name_es,
            Indicator.name_en,
            IndicatorValue.value,
            IndicatorValue.status,
            IndicatorValue.version,
        )
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(Commitment, Commitment.id == Indicator.commitment_id)
        .where(Commitment.country_iso3 == country, IndicatorValue.period == period)
        .order_by(Indicator.code)
    ).all()
    return [ReviewValue(*row) for row in rows]


def review_batch(engine: Engine, actor: access.Actor, country: str, period: int) -> Batch:
    """What the reviewer is shown before approving, returning or publishing a country's period; its
    `versions` go back with the decision, which moves nothing if any value changed in between."""
    _checked(engine, actor, "read", lambda: _check_read_country(actor, country))
    with engine.connect() as connection:
        return Batch(country, period, tuple(_batch_values(connection, country, period)))


def _check_read_country(actor: access.Actor, country: str) -> None:
    access.check_read(actor, ("submitted",))
    if actor.role == "ntt" and actor.country_iso3 != country:
        raise access.Refused(f"{actor.username} (ntt {actor.country_iso3}) may not read {country}")


def _changed_since(seen: dict[int, int], values: list[ReviewValue]) -> list[Problem]:
    """Each value whose version differs from the one the reviewer was shown, or that appeared or went since."""
    now = {value.id: value for value in values}
    problems = []
    for value in values:
        if seen.get(value.id) != value.version:
            shown = seen.get(value.id, "—")
            detail = {"indicator": value.indicator_code, "seen": shown, "now": value.version}
            problems.append(Problem(None, value.indicator_code, "changed_since_review", detail))
    for value_id in sorted(set(seen) - set(now)):
        detail = {"indicator": f"#{value_id}", "seen": seen[value_id], "now": "—"}
        problems.append(Problem(None, None, "changed_since_review", detail))
    return problems


def _move(
    engine: Engine,
    actor: access.Actor,
    country: str,
    period: int,
    action: str,
    source: tuple[str, ...],
    target: str,
    comment: str | None,
    seen: Mapping[int, int],
) -> int:
    """Move every value of a country's period from `source` statuses to `target`, with history and audit,
    in one transaction that holds the period against other writers; only if the period's values are exactly
    those `seen` (value id -> version) by the reviewer, else `Rejected` and audited. Returns how many moved."""
    try:
        seen = {int(value_id): int(version) for value_id, version in dict(seen).items()}
    except (TypeError, ValueError):
        seen = {}  # not what a review gives: nothing matches, so nothing moves
    try:
        with serialised(engine, {(country, period)}) as connection:
            values = _batch_values(connection, country, period)
            problems = _changed_since(seen, values)
            if problems:
                raise Rejected(problems)
            rows = [value for value in values if value.status in source]
            for row in rows:
                changes = {"status": target, "version": row.version + 1}
                if target in ("approved", "published"):
                    changes |= {"validated_by": actor.username, "validated_at": datetime.now(UTC)}
                written = connection.execute(
                    update(IndicatorValue)
                    .where(IndicatorValue.id == row.id, IndicatorValue.version == row.version)
                    .values(**changes)
                )
                if written.rowcount != 1:  # cannot happen while the period is held; checked all the same
                    detail = {"indicator": row.indicator_code, "seen": row.version, "now": "?"}
                    raise Rejected([Problem(None, row.indicator_code, "changed_since_review", detail)])
                connection.execute(
                    insert(IndicatorValueHistory).values(
                        indicator_id=row.indicator_id,
                        period=period,
                        version=row.version + 1,
                        old_value=row.value,
                        new_value=row.value,
                        status=target,
                        changed_by=actor.username,
                        reason=comment,
                    )
                )
            if target == "approved" and rows and (country, period) not in _locked(connection):
                connection.execute(
                    insert(PeriodLock).values(country_iso3=country, period=period, locked_by=actor.username)
                )
            detail = f"{country} {period}: {len(rows)} value(s) -> {target}" + (f" ({comment})" if comment else "")
            connection.execute(
                insert(AuditEntry).values(username=actor.username, action=action, outcome="ok", detail=detail)
            )
            datastamp.bump(connection)
    except Rejected as rejected:
        _audit(
            engine, actor, action, "rejected", f"{country} {period}: changed since reviewed ({len(rejected.problems)})"
        )
        raise
    except IntegrityError as error:  # a writer that did not wait its turn took a unique key first
        _audit(engine, actor, action, "rejected", f"{country} {period}: changed since reviewed")
        detail = {"indicator": f"{country} {period}", "seen": "—", "now": "?"}
        raise Rejected([Problem(None, None, "changed_since_review", detail)]) from error
    return len(rows)


def _checked(engine: Engine, actor: access.Actor, action: str, check) -> None:
    try:
        check()
    except access.Refused as refusal:
        _audit(engine, actor, action, "refused", str(refusal))
        raise


def approve(
    engine: Engine, actor: access.Actor, country: str, period: int, seen: Mapping[int, int], comment: str | None = None
) -> int:
    """The PPT approves a country's submitted values for a period, which locks the period. `seen` is the
    `review_batch(...).versions` the reviewer was shown: if any value changed since, nothing is approved."""
    _checked(engine, actor, "approve", lambda: access.check_approve(actor))
    return _move(engine, actor, country, period, "approve", ("submitted",), "approved", comment, seen)


def send_back(
    engine: Engine, actor: access.Actor, country: str, period: int, seen: Mapping[int, int], comment: str
) -> int:
    """The PPT returns a country's submitted values with a comment saying what to fix (`seen` as for `approve`)."""
    _checked(engine, actor, "return", lambda: access.check_approve(actor))
    if not (comment or "").strip():
        raise Rejected([Problem(None, "comment", "comment_needed")])
    return _move(engine, actor, country, period, "return", ("submitted",), "returned", comment.strip(), seen)


def publish(engine: Engine, actor: access.Actor, country: str, period: int, seen: Mapping[int, int]) -> int:
    """Approved values become public figures (`seen` as for `approve`)."""
    _checked(engine, actor, "publish", lambda: access.check_approve(actor))
    return _move(engine, actor, country, period, "publish", ("approved",), "published", None, seen)


def unlock(engine: Engine, actor: access.Actor, country: str, period: int, reason: str) -> bool:
    """An admin reopens an approved period so its values can be corrected (and approved again)."""
    _checked(engine, actor, "unlock", lambda: access.check_admin(actor))
    with serialised(engine, {(country, period)}) as connection:  # beside an approval, never halfway into it
        removed = connection.execute(
            delete(PeriodLock).where(PeriodLock.country_iso3 == country, PeriodLock.period == period)
        ).rowcount
        connection.execute(
            insert(AuditEntry).values(
                username=actor.username, action="unlock", outcome="ok", detail=f"{country} {period}: {reason}"
            )
        )
        datastamp.bump(connection)
    return bool(removed)


def review_queue(engine: Engine, actor: access.Actor) -> list[dict]:
    """Per country and period, how many values sit in each status and whether the period is locked.
    A national team sees its own country only."""
    _checked(engine, actor, "read", lambda: access.check_read(actor, ("submitted",)))
    query = (
        select(Commitment.country_iso3, IndicatorValue.period, IndicatorValue.status)
        .join(Indicator, Indicator.id == IndicatorValue.indicator_id)
        .join(Commitment, Commitment.id == Indicator.commitment_id)
    )
    if actor.role == "ntt":
        query = query.where(Commitment.country_iso3 == actor.country_iso3)
    with engine.connect() as connection:
        rows = connection.execute(query).all()
        locked = _locked(connection)
    queue: dict[tuple[str, int], dict] = {}
    for country, period, status in rows:
        entry = queue.setdefault(
            (country, period), {"country_iso3": country, "period": period, "locked": (country, period) in locked}
        )
        entry[status] = entry.get(status, 0) + 1

    # What awaits the PPT first (submitted, then approved but not yet published), then the rest.
    def waiting(entry: dict) -> int:
        return 0 if entry.get("submitted") else 1 if entry.get("approved") else 2

    return sorted(queue.values(), key=lambda e: (waiting(e), e["country_iso3"], -e["period"]))


def current_values(engine: Engine, actor: access.Actor, country: str) -> list[dict]:
    """The values a team edits in the grid: every indicator of `country` with its latest reported period
    value (status and version included), for the actor's role to read: another country's only as published."""
    _checked(engine, actor, "read", lambda: access.check_read(actor, ("submitted",)))
    readable = queries.in_scope(IndicatorValue.status, Commitment.country_iso3, access.read_scope(actor))
    with engine.connect() as connection:
        rows = connection.execute(
            select(
                Indicator.code,
                Indicator.name_es,
                Indicator.name_en,
                IndicatorValue.period,
                IndicatorValue.value,
                IndicatorValue.version,
                IndicatorValue.status,
            )
            .join(Commitment, Commitment.id == Indicator.commitment_id)
            .join(IndicatorValue, (IndicatorValue.indicator_id == Indicator.id) & readable, isouter=True)
            .where(Commitment.country_iso3 == country)
            .order_by(Indicator.code, IndicatorValue.period)
        ).all()
    return [row._asdict() for row in rows]


def history(engine: Engine, actor: access.Actor, indicator_code: str, period: int) -> list[dict]:
    """Every version of one value, newest first: who, when, old, new, status and why (of another country's
    value, a national team reads its published versions only)."""
    _checked(engine, actor, "read", lambda: access.check_read(actor, ("submitted",)))
    h = IndicatorValueHistory
    readable = queries.in_scope(h.status, Commitment.country_iso3, access.read_scope(actor))
    with engine.connect() as connection:
        rows = connection.execute(
            select(h.version, h.old_value, h.new_value, h.status, h.changed_by, h.changed_at, h.reason)
            .join(Indicator, Indicator.id == h.indicator_id)
            .join(Commitment, Commitment.id == Indicator.commitment_id)
            .where(Indicator.code == indicator_code, h.period == period, readable)
            .order_by(h.version.desc(), h.id.desc())
        ).all()
    return [row._asdict() for row in rows]


def revert(
    engine: Engine, actor: access.Actor, indicator_code: str, period: int, to_version: int, reason: str | None = None
) -> Preview:
    """Bring back the value of an earlier version as a new submitted version (nothing is erased), through
    the same checks as an import: role, country, lock and version."""
    with engine.connect() as connection:
        country = _indicators(connection).get(indicator_code, (None, None))[1]
    if country is None:
        raise Rejected([Problem(None, "indicator_code", "unknown_indicator", {"value": indicator_code[:60]})])
    _checked(engine, actor, "revert", lambda: access.check_write(actor, country))
    versions = history(engine, actor, indicator_code, period)
    target = next((v for v in versions if v["version"] == to_version), None)
    if target is None or not versions:
        raise Rejected([Problem(None, "version", "bad_version", {"value": str(to_version)})])
    row = ValueRow(0, indicator_code, period, target["new_value"], versions[0]["version"], None)
    return apply(engine, actor, [row], reason=reason or f"revert to version {to_version}")


def template_rows(engine: Engine, actor: access.Actor, country: str, lang: str, period: int) -> list[list]:
    """A template for one country and period in the user's language: every indicator with the value and
    version already reported (so an edited template updates instead of conflicting)."""
    rows = current_values(engine, actor, country)
    latest = {(r["code"], r["period"]): r for r in rows if r["period"] is not None}
    names = {r["code"]: r["name_es" if lang == "es" else "name_en"] for r in rows}
    body = []
    for code, name in sorted(names.items()):
        current = latest.get((code, period))
        body.append([code, name, period, current and current["value"], current and current["version"], None])
    return [list(TEMPLATE_HEADERS[lang]), *body]


def template_files(engine: Engine, actor: access.Actor, country: str, lang: str, period: int) -> tuple[bytes, bytes]:
    """The template as CSV and as XLSX (data sheet first, where it comes from on a second sheet)."""
    from mirps_dash import exports  # Altair comes with it: not for every command-line import

    header, *body = marked_template(engine, template_rows(engine, actor, country, lang, period), country, lang)
    frame = pl.DataFrame(body, schema=header, orient="row", infer_schema_length=None)
    metadata = [("country", country), ("period", str(period)), ("exported_by", actor.username)]
    return exports.csv_bytes(frame), exports.xlsx_bytes(frame, metadata)


def audit_log(engine: Engine, actor: access.Actor, limit: int = 200) -> list[dict]:
    """The latest entries of the audit log, for the PPT and the Secretariat."""
    _checked(engine, actor, "read_audit", lambda: access.check_approve(actor))
    with engine.connect() as connection:
        rows = connection.execute(
            select(AuditEntry.at, AuditEntry.username, AuditEntry.action, AuditEntry.outcome, AuditEntry.detail)
            .order_by(AuditEntry.id.desc())
            .limit(limit)
        ).all()
    return [row._asdict() for row in rows]
